"""Import from and export to spreadsheets (CSV and XLSX)."""

from dataclasses import asdict

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, allow, audit_read, get_session
from core import audit
from core.errors import NotFound
from core.limits import MAX_FILE_BYTES
from core.settings import get_settings
from core.spreadsheets import MEDIA_TYPES as MEDIA
from core.types import Role, today
from jobs import service as jobs
from transfer.service import ImportReport, export_file, file_problems, import_file

router = APIRouter(tags=["import og eksport"])
UPLOAD = File(description="CSV (UTF-8 eller Windows-1252, skilt med , eller ;) eller XLSX")


def _import(kind: str, file: UploadFile, actor: Principal, session: Session, request: Request,
            as_job: bool = False) -> JSONResponse:
    raw = file.file.read(MAX_FILE_BYTES + 1)
    large = as_job or len(raw) > get_settings().import_job_bytes
    problem = file_problems(kind, raw, file.filename or "") if large else None
    if problem is not None:
        return _refused(problem)
    if large:
        # A large file is imported by a worker, all or nothing as below; the answer names the job.
        job = jobs.submit(session, kind="import", scope=f"import:{kind}", actor=actor, input=raw,
                          params={"kind": kind, "filename": file.filename or ""})
        session.commit()
        body = jobs.public(session, job)
        request.app.state.jobs.send(job.id)
        return JSONResponse(jsonable_encoder(body), status_code=202, headers={"Location": f"/jobs/{job.id}"})
    report = import_file(session, kind, raw, file.filename or "", actor)
    if report.errors:
        return _refused(report)
    if kind == "candidates":
        audit.record_many(session, actor, "create", "import", report.imported_ids)
    session.commit()
    return JSONResponse(_body(report))


def _body(report: ImportReport) -> dict:
    return {k: v for k, v in asdict(report).items() if k not in ("imported_ids", "too_large")}


def _refused(report: ImportReport) -> JSONResponse:
    first = report.errors[0]
    body = _body(report) | {"detail": f"Rad {first.row}, {first.field}: {first.message}. Ingenting er importert.",
                            "field": first.field, "errors_note": report.errors_note}
    return JSONResponse(body, status_code=413 if report.too_large else 422)


def _export(kind: str, fmt: str, actor: Principal, session: Session) -> Response:
    name = _export_name(kind, fmt)
    data, candidate_ids = export_file(session, kind, fmt, actor)
    if candidate_ids:
        audit_read(session, actor, f"eksport {fmt}", candidate_ids, action="export")
    return Response(data, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _export_name(kind: str, fmt: str) -> str:
    if fmt not in MEDIA:
        raise NotFound("Eksport finnes som .csv og .xlsx.")
    return f"{kind}_{today().isoformat()}.{fmt}"


def _export_job(kind: str, fmt: str, actor: Principal, session: Session, request: Request) -> JSONResponse:
    """A large export made by a worker: 202 with the job; the file is fetched from `/jobs/{id}/file`."""
    job = jobs.submit(session, kind="export", scope=f"export:{actor.user_id}", actor=actor,
                      params={"kind": kind, "format": fmt, "filename": _export_name(kind, fmt)})
    session.commit()
    request.app.state.jobs.send(job.id)
    return JSONResponse(jsonable_encoder(jobs.public(session, job)), status_code=202,
                        headers={"Location": f"/jobs/{job.id}"})


EXPORT_JOB_DOC = ("Samme fil som GET, laget av en arbeidsprosess: svaret er 202 med jobben (`GET /jobs/{id}`). "
                  "Når jobben er ferdig, hentes filen fra `GET /jobs/{id}/file` av den som bestilte den (eller admin), "
                  f"i {jobs.EXPORT_KEEP_HOURS} timer.")
IMPORT_DOC = ("Alt eller ingenting: en fil med feil importerer ingenting, og svaret lister hver feil med radnummer. "
              "Store filer (over BROBYGGER_IMPORT_JOB_BYTES, 1 MB), eller med `som_jobb=true`, importeres som jobb: "
              "svaret er 202 med jobben (`GET /jobs/{id}`); feilene står da i jobbens `result.errors`.")
AS_JOB = Query(default=False, description="Importer som jobb (202) uansett størrelse")


@router.post("/import/candidates", summary="Importer kandidater", description=IMPORT_DOC)
def import_candidates(request: Request, file: UploadFile = UPLOAD, som_jobb: bool = AS_JOB,
                      actor: Principal = Depends(allow(Role.admin, Role.staff)), session: Session = Depends(get_session)):
    return _import("candidates", file, actor, session, request, som_jobb)


@router.post("/import/employers", summary="Importer arbeidsgivere", description=IMPORT_DOC)
def import_employers(request: Request, file: UploadFile = UPLOAD, som_jobb: bool = AS_JOB,
                     actor: Principal = Depends(allow(Role.admin, Role.consultant)), session: Session = Depends(get_session)):
    return _import("employers", file, actor, session, request, som_jobb)


@router.post("/import/vacancies", summary="Importer stillinger", description=IMPORT_DOC)
def import_vacancies(request: Request, file: UploadFile = UPLOAD, som_jobb: bool = AS_JOB,
                     actor: Principal = Depends(allow(Role.admin, Role.consultant)), session: Session = Depends(get_session)):
    return _import("vacancies", file, actor, session, request, som_jobb)


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


@router.post("/export/candidates.{fmt}", status_code=202, summary="Bestill eksporten som jobb (for store uttrekk)",
             description=EXPORT_JOB_DOC)
def export_candidates_job(fmt: str, request: Request, actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
                   session: Session = Depends(get_session)):
    return _export_job("candidates", fmt, actor, session, request)


@router.post("/export/employers.{fmt}", status_code=202, summary="Bestill eksporten som jobb (for store uttrekk)",
             description=EXPORT_JOB_DOC)
def export_employers_job(fmt: str, request: Request, actor: Principal = Depends(allow(Role.admin, Role.consultant)),
                   session: Session = Depends(get_session)):
    return _export_job("employers", fmt, actor, session, request)


@router.post("/export/vacancies.{fmt}", status_code=202, summary="Bestill eksporten som jobb (for store uttrekk)",
             description=EXPORT_JOB_DOC)
def export_vacancies_job(fmt: str, request: Request, actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
                   session: Session = Depends(get_session)):
    return _export_job("vacancies", fmt, actor, session, request)
