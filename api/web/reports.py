"""Reports: the funders' result table per project with a chart and CSV/XLSX downloads, and
documented progress between two dates."""

from datetime import timedelta

from fastapi import APIRouter, Depends, Request, Response
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, audit_read, get_session
from api.web.charts import horizontal_bars
from api.web.deps import page, render
from api.web.forms import optional_date, optional_int
from core.projects import list_projects
from core.types import Role, today
from readiness.scoring import STEP_LABELS
from readiness.service import progress_report
from reports import export
from reports.service import incentive_rows, report

CHART_METRICS = ("interview", "offer_received", "offer_accepted", "chance_lost", "permanent_job", "documented_progress")

router = APIRouter()


def _period(fra: str | None, til: str | None, prosjekt: str | None):
    date_to = optional_date(til, "til") or today()
    return optional_date(fra, "fra") or date_to - timedelta(days=90), date_to, optional_int(prosjekt, "prosjekt")


@router.get("/rapporter/resultatrapport.{extension}")
def download_report(extension: str, fra: str | None = None, til: str | None = None, prosjekt: str | None = None,
                    skjul_smaa: str | None = None, actor: Principal = Depends(page(*CANDIDATE_ROLES)),
                    session: Session = Depends(get_session)):
    from core.errors import NotFound

    if extension not in ("csv", "xlsx"):
        raise NotFound("Rapporten finnes som .csv og .xlsx.")
    date_from, date_to, project_id = _period(fra, til, prosjekt)
    rows, outcomes = report(session, actor, date_from=date_from, date_to=date_to, project_id=project_id,
                            suppress_small=bool(skjul_smaa))
    data = export.to_csv(rows, outcomes) if extension == "csv" else export.to_xlsx(rows, outcomes)
    media = "text/csv; charset=utf-8" if extension == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"resultatrapport_{date_from}_{date_to}.{extension}"
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/rapporter")
def reports_page(request: Request, fra: str | None = None, til: str | None = None, prosjekt: str | None = None,
                 skjul_smaa: str | None = None, actor: Principal = Depends(page(*CANDIDATE_ROLES)),
                 session: Session = Depends(get_session)):
    date_from, date_to, project_id = _period(fra, til, prosjekt)
    progress = progress_report(session, actor, date_from=date_from, date_to=date_to, project_id=project_id)
    reached = {step: 0 for step in STEP_LABELS}
    for entry in progress.entries:
        if entry.moved_up:
            reached[entry.step_to] += 1
    chart = horizontal_bars([(f"Til trinn {s}: {STEP_LABELS[s]}", n) for s, n in reached.items() if s > 1],
                            label_width=330, width=620)
    projects = [p for p in list_projects(session) if actor.role is not Role.staff or p.id == actor.project_id]
    rows, outcomes = report(session, actor, date_from=date_from, date_to=date_to, project_id=project_id,
                            suppress_small=bool(skjul_smaa))
    by_project: dict[str, list] = {}
    for row in rows:
        by_project.setdefault(row.project, []).append(row)
    # The chart draws the counts the table shows: the percent is missing when nobody was taken in during the
    # period (it is a share of those), and a hidden small cell is left out rather than drawn as 0.
    charts = {name: horizontal_bars([(r.label, r.count) for r in project_rows
                                     if r.metric in CHART_METRICS and r.count is not None],
                                    label_width=330, width=620)
              for name, project_rows in by_project.items()}
    taken_in = {name: next((r.count for r in project_rows if r.metric == "candidates"), None)
                for name, project_rows in by_project.items()}
    query = f"fra={date_from}&til={date_to}" + (f"&prosjekt={project_id}" if project_id else "") + \
        ("&skjul_smaa=1" if skjul_smaa else "")
    incentives = incentive_rows(session, actor, date_to, project_id)
    audit_read(session, actor, "resultatrapport: insentiv per kandidat (side)", [i.candidate_id for i in incentives],
               action="list")
    funders_report = {"incentives": incentives, "projects": by_project, "charts": charts, "outcomes": outcomes, "query": query,
                      "suppressed": bool(skjul_smaa), "taken_in": taken_in}
    return render(request, "reports.html", actor, active="reports", title="Rapporter", progress=progress,
                  chart=chart, date_from=date_from, date_to=date_to, project_id=project_id, projects=projects,
                  funders_report=funders_report)
