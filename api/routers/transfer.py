"""Import from and export to spreadsheets (CSV and XLSX)."""

from dataclasses import asdict
from datetime import date

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, allow, audit_read, get_session
from core import audit
from core.errors import NotFound
from core.limits import MAX_FILE_BYTES
from core.types import Role
from transfer.service import export_file, import_file

router = APIRouter(tags=["import og eksport"])
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
UPLOAD = File(description="CSV (UTF-8 eller Windows-1252, skilt med , eller ;) eller XLSX")


def _import(kind: str, file: UploadFile, actor: Principal, session: Session) -> JSONResponse:
    raw = file.file.read(MAX_FILE_BYTES + 1)
    report = import_file(session, kind, raw, file.filename or "", actor)
    body = {k: v for k, v in asdict(report).items() if k not in ("imported_ids", "too_large")}
    if report.errors:
        first = report.errors[0]
        body |= {"detail": f"Rad {first.row}, {first.field}: {first.message}. Ingenting er importert.",
                 "field": first.field, "errors_note": report.errors_note}
        return JSONResponse(body, status_code=413 if report.too_large else 422)
    if kind == "candidates":
        audit.record_many(session, actor, "create", "import", report.imported_ids)
    session.commit()
    return JSONResponse(body)


def _export(kind: str, fmt: str, actor: Principal, session: Session) -> Response:
    if fmt not in MEDIA:
        raise NotFound("Eksport finnes som .csv og .xlsx.")
    name = f"{kind}_{date.today().isoformat()}.{fmt}"
    data, candidate_ids = export_file(session, kind, fmt, actor)
    if candidate_ids:
        audit_read(session, actor, f"eksport {fmt}", candidate_ids, action="export")
    return Response(data, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


IMPORT_DOC = "Alt eller ingenting: en fil med feil importerer ingenting, og svaret lister hver feil med radnummer."


@router.post("/import/candidates", summary="Importer kandidater", description=IMPORT_DOC)
def import_candidates(file: UploadFile = UPLOAD, actor: Principal = Depends(allow(Role.admin, Role.staff)),
                      session: Session = Depends(get_session)):
    return _import("candidates", file, actor, session)


@router.post("/import/employers", summary="Importer arbeidsgivere", description=IMPORT_DOC)
def import_employers(file: UploadFile = UPLOAD, actor: Principal = Depends(allow(Role.admin, Role.consultant)),
                     session: Session = Depends(get_session)):
    return _import("employers", file, actor, session)


@router.post("/import/vacancies", summary="Importer stillinger", description=IMPORT_DOC)
def import_vacancies(file: UploadFile = UPLOAD, actor: Principal = Depends(allow(Role.admin, Role.consultant)),
                     session: Session = Depends(get_session)):
    return _import("vacancies", file, actor, session)


@router.get("/export/candidates.{fmt}", summary="Eksporter kandidater (uten helse- og andre sensitive felt)")
def export_candidates(fmt: str, actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
                      session: Session = Depends(get_session)):
    return _export("candidates", fmt, actor, session)


@router.get("/export/employers.{fmt}", summary="Eksporter arbeidsgivere")
def export_employers(fmt: str, actor: Principal = Depends(allow(Role.admin, Role.consultant)),
                     session: Session = Depends(get_session)):
    return _export("employers", fmt, actor, session)


@router.get("/export/vacancies.{fmt}", summary="Eksporter stillinger")
def export_vacancies(fmt: str, actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
                     session: Session = Depends(get_session)):
    return _export("vacancies", fmt, actor, session)
