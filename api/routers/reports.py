"""The commissioning body's result report: JSON, CSV and XLSX, with small cells suppressible."""

from datetime import date

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, allow, audit_read, get_session
from core.errors import NotFound
from core.types import today
from reports import export, service

router = APIRouter(prefix="/reports", tags=["rapporter"])


class KpiRowOut(BaseModel):
    project: str
    metric: str
    label: str
    count: int | None
    percent: int | None


class OutcomeOut(BaseModel):
    project: str
    candidates: int
    in_paid_work_last_12_months: int | None
    mean_year_coverage: float | None
    still_employed: dict[str, str]
    median_days_formidlingsklar_to_offer: float | None


class IncentiveOut(BaseModel):
    candidate_id: int
    name: str
    project: str
    full_time_from: date | None
    six_months: str  # oppfylt | ikke ennå | ikke oppfylt
    twelve_months: str


class ReportOut(BaseModel):
    date_from: date | None
    date_to: date | None
    suppressed_small_cells: bool
    rows: list[KpiRowOut]
    outcomes: list[OutcomeOut]


def _report(session, actor, date_from, date_to, project_id, suppress_small):
    return service.report(session, actor, date_from=date_from, date_to=date_to, project_id=project_id,
                          suppress_small=suppress_small)


SUPPRESS = Query(default=False, description="Skjul tall under 5 (for rapporter som går ut av organisasjonen)")


@router.get("/results", response_model=ReportOut, summary="Resultattabellen per prosjekt og periode")
def get_results(date_from: date | None = None, date_to: date | None = None, project_id: int | None = None,
                suppress_small: bool = SUPPRESS, actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
                session: Session = Depends(get_session)) -> ReportOut:
    rows, outcomes = _report(session, actor, date_from, date_to, project_id, suppress_small)
    return ReportOut(date_from=date_from, date_to=date_to, suppressed_small_cells=suppress_small,
                     rows=[KpiRowOut(**r.__dict__) for r in rows], outcomes=[OutcomeOut(**o.__dict__) for o in outcomes])


@router.get("/incentive", response_model=list[IncentiveOut],
            summary="Oppdragsgivers insentiv per kandidat: 6 og 12 måneder i heltidsarbeid (oppfylt / ikke ennå / ikke oppfylt)")
def get_incentive(as_of: date | None = None, project_id: int | None = None,
                  actor: Principal = Depends(allow(*CANDIDATE_ROLES)), session: Session = Depends(get_session)):
    rows = service.incentive_rows(session, actor, as_of, project_id)
    audit_read(session, actor, "insentiv per kandidat", [r.candidate_id for r in rows], action="list")
    return [IncentiveOut(**r.__dict__) for r in rows]


@router.get("/results.{extension}", summary="Resultattabellen som CSV eller XLSX",
            responses={200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
def download_results(extension: str, date_from: date | None = None, date_to: date | None = None,
                     project_id: int | None = None, suppress_small: bool = SUPPRESS,
                     actor: Principal = Depends(allow(*CANDIDATE_ROLES)), session: Session = Depends(get_session)):
    if extension not in ("csv", "xlsx"):
        raise NotFound("Rapporten finnes som .csv og .xlsx.")
    rows, outcomes = _report(session, actor, date_from, date_to, project_id, suppress_small)
    name = f"resultatrapport_{date_from or 'start'}_{date_to or today()}.{extension}"
    if extension == "csv":
        return Response(export.to_csv(rows, outcomes), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return Response(export.to_xlsx(rows, outcomes),
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
