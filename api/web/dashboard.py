"""The dashboard: readiness across candidates, the placement funnel, follow-ups due, open vacancies."""

from datetime import timedelta

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
from core.types import Role, today
from employers.service import count_by_status, follow_ups_due, list_vacancies
from matching.service import active_decisions, employer_names, latest_visible_run, proposals
from placement.held_jobs import LABEL_FULL, LABEL_WANTS_MORE, work_statuses
from placement.service import follow_ups as employment_follow_ups
from plans.service import reviews_due, tasks_due
from plans.service import visible as plan_rows_visible
from programme.service import open_obstacles
from readiness.service import overview

router = APIRouter()
CRM = (Role.admin, Role.consultant)


@router.get("/")
def dashboard(request: Request, prosjekt: str | None = None, lagret: str | None = None,
              actor: Principal = Depends(page(*CANDIDATE_ROLES)), session: Session = Depends(get_session)):
    return dashboard_page(request, session, actor, project_id=optional_int(prosjekt), saved=lagret)


def _due_list(session: Session, actor: Principal, mine: list) -> list[dict]:
    """Follow-ups due, employment (3/6/12 months after a start) and contact log together, oldest first."""
    names = {c.id: f"{c.first_name} {c.last_name}" for c in query_candidates(session, actor, include_archived=True)}
    rows = [dict(kind="kontakt", key=f"k{f.id}", id=f.id, due=f.next_follow_up, overdue=f.days_overdue,
                 employer_id=f.employer_id, employer=f.employer_name,
                 candidates=[(cid, names[cid]) for cid in f.candidate_ids if cid in names],
                 what=f.summary) for f in mine]
    day = today()
    for f in employment_follow_ups(session, actor, due_by=day):
        rows.append(dict(kind="ansettelse", key=f"a{f.id}", id=f.id, due=f.due_on, overdue=(day - f.due_on).days,
                         employer_id=f.employer_id, employer=employer_names(session, {f.employer_id}).get(f.employer_id),
                         candidates=[(f.candidate_id, names.get(f.candidate_id, "Kandidat"))],
                         what=f"Oppfølging {f.months} måneder etter start"))
    return sorted(rows, key=lambda r: (r["due"], r["key"]))


def dashboard_page(request: Request, session: Session, actor: Principal, *, project_id: int | None = None,
                   status_code: int = 200, saved: str | None = None, follow_up_errors: dict | None = None):
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
    mine, everyone, run, due = [], [], None, []
    if crm:
        visible = {c.id for c in query_candidates(session, actor, project_id=project_id)}
        run = latest_visible_run(session, actor)
        proposed = {p.candidate_id for p in proposals(session, run.id, actor=actor)} & visible if run else set()
        accepted = {d.candidate_id for d in active_decisions(session, actor) if d.decision == "accept"} & visible
        funnel_rows += [("Foreslått i siste matchkjøring", len(proposed)), ("Godtatt forslag", len(accepted))]
        mine = follow_ups_due(session, consultant_id=actor.user_id, actor=actor)
        everyone = follow_ups_due(session, consultant_id=None, actor=actor)
        due = _due_list(session, actor, mine)
        # The page shows the first twelve follow-ups with the candidates' names.
        audit_read(session, actor, "oppfølginger (side)",
                   [cid for row in due[:12] for cid, _ in row["candidates"]], action="list")
    # The caller's own plan tasks and plan reviews: overdue, or due within a week.
    week = today() + timedelta(days=7)
    plan_tasks = plan_rows_visible(session, actor, tasks_due(session, actor.user_id, week))
    plan_reviews = plan_rows_visible(session, actor, reviews_due(session, actor.user_id, week))
    audit_read(session, actor, "planoppgaver og gjennomganger (side)",
               [r.candidate_id for r in plan_tasks[:15] + plan_reviews[:10]], action="list")
    # Programme staff: obstacles found on the way (arenarydding) that are not yet resolved, oldest first.
    obstacles = []
    if actor.role in (Role.admin, Role.staff):
        obstacles = open_obstacles(session, actor, project_id=project_id)
        audit_read(session, actor, "hindringer som ikke er løst (side)", [c.id for _, c in obstacles[:10]],
                   action="list")
    funnel_rows += [(LABEL_WANTS_MORE, in_work_more), (LABEL_FULL, in_work_full)]
    funnel = horizontal_bars(funnel_rows, label_width=230)

    by_status = count_by_status(session)
    upcoming = list_vacancies(session, status="open")[:8]
    projects = [p for p in list_projects(session) if actor.role is not Role.staff or p.id == actor.project_id]
    return render(request, "dashboard.html", actor, active="dashboard", title="Oversikt", summary=summary,
                  status_code=status_code, saved=saved, due=due, follow_up_errors=follow_up_errors or {},
                  steps=steps, missing=missing, funnel=funnel, follow_ups=mine, follow_ups_all=len(everyone),
                  crm=crm, run=run, vacancy_counts=by_status, upcoming=upcoming, projects=projects,
                  project_id=project_id, in_work=in_work, in_work_full=in_work_full, in_work_more=in_work_more,
                  label_full=LABEL_FULL, label_more=LABEL_WANTS_MORE, plan_tasks=plan_tasks,
                  plan_reviews=plan_reviews, obstacles=obstacles,
                  plan_overdue=sum(t.days_overdue > 0 for t in plan_tasks) + sum(r.days_overdue > 0 for r in plan_reviews))
