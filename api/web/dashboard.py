"""The dashboard: readiness across candidates, the placement funnel, follow-ups due, open vacancies."""

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, audit_read, get_session
from api.web.charts import horizontal_bars
from api.web.deps import PREFIX, page, render
from api.web.forms import optional_int
from api.web.labels import ACTOR
from candidates.service import query_candidates
from core.projects import list_projects
from core.types import Role
from employers.service import candidates_in, count_by_status, follow_ups_due, list_vacancies
from matching.service import active_decisions, latest_done_run, proposals
from placement.held_jobs import LABEL_FULL, LABEL_WANTS_MORE, work_statuses
from readiness.service import overview

router = APIRouter()
CRM = (Role.admin, Role.consultant)


@router.get("/")
def dashboard(request: Request, prosjekt: str | None = None, actor: Principal = Depends(page(*CANDIDATE_ROLES)),
              session: Session = Depends(get_session)):
    project_id = optional_int(prosjekt)
    summary = overview(session, actor, project_id)
    steps = horizontal_bars([(f"{s.step}. {s.label}", s.candidates, f"{PREFIX}/kandidater?trinn={s.step}"
                              + (f"&prosjekt={project_id}" if project_id else ""), s.step >= 6)
                             for s in summary.steps], label_width=290, width=600)
    missing = horizontal_bars([(ACTOR[a], n) for a, n in summary.missing_by_actor.items()], label_width=120)
    # In work: the year full, or wanting more (they stay in match runs for the rest of their share).
    work = [w for w in work_statuses(session, query_candidates(session, actor, project_id=project_id)).values()
            if w.in_work]
    in_work_full = sum(w.year_full for w in work)
    in_work_more = len(work) - in_work_full
    in_work = len(work)

    crm = actor.role in CRM
    funnel_rows = [("Kandidater", summary.candidates), ("Formidlingsklare", summary.formidlingsklar)]
    mine, everyone, run = [], [], None
    if crm:
        visible = {c.id for c in query_candidates(session, actor, project_id=project_id)}
        run = latest_done_run(session)
        proposed = {p.candidate_id for p in proposals(session, run.id, actor=actor)} & visible if run else set()
        accepted = {d.candidate_id for d in active_decisions(session, actor) if d.decision == "accept"} & visible
        funnel_rows += [("Foreslått i siste matchkjøring", len(proposed)), ("Godtatt forslag", len(accepted))]
        mine = follow_ups_due(session, consultant_id=actor.user_id, actor=actor)
        everyone = follow_ups_due(session, consultant_id=None, actor=actor)
        # The page shows the first twelve of the caller's follow-ups with the start of each summary.
        audit_read(session, actor, "oppfølginger (side)", candidates_in(mine[:12]), action="list")
    funnel_rows += [(LABEL_WANTS_MORE, in_work_more), (LABEL_FULL, in_work_full)]
    funnel = horizontal_bars(funnel_rows, label_width=230)

    by_status = count_by_status(session)
    upcoming = list_vacancies(session, status="open")[:8]
    projects = [p for p in list_projects(session) if actor.role is not Role.staff or p.id == actor.project_id]
    return render(request, "dashboard.html", actor, active="dashboard", title="Oversikt", summary=summary,
                  steps=steps, missing=missing, funnel=funnel, follow_ups=mine, follow_ups_all=len(everyone),
                  crm=crm, run=run, vacancy_counts=by_status, upcoming=upcoming, projects=projects,
                  project_id=project_id, in_work=in_work, in_work_full=in_work_full, in_work_more=in_work_more,
                  label_full=LABEL_FULL, label_more=LABEL_WANTS_MORE)
