"""The shared plan (handlingsplan) in the pages: goals, tasks (add, change, tick, comment), reviews
and the history; and "Lag oppgave i planen" on the checklist's missing items and on what would
unlock more jobs. The API's schemas and plans.service, through the one form helper."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, audit_read, get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import domain_errors, flatten, form_values, parse, posted, submit
from api.web.vacancies import occupation_choices
from candidates.catalogue import SECTORS
from candidates.service import get_candidate
from core import audit
from core.errors import Conflict, Invalid
from core.labels import ACTOR, GOAL_KIND, TASK_STATUS
from matching.service import latest_visible_run, unlock
from plans import service
from plans.schemas import CommentIn, GoalIn, PlanUpdate, ReviewIn, TaskIn, TaskUpdate, TickIn
from readiness.scoring import ACTORS
from readiness.service import active_definition, readiness_of

router = APIRouter()
STAFF = page(*CANDIDATE_ROLES)
SAVED = {
    "laget": "Planen er laget.", "mal": "Målet er lagt til.", "mal-fjernet": "Målet er fjernet (det står i historikken).",
    "oppgave": "Oppgaven er lagt til.", "endret": "Oppgaven er endret.", "ferdig": "Oppgaven er krysset av som ferdig.",
    "kommentar": "Kommentaren er lagret.", "gjennomgang": "Gjennomgangen er registrert.",
    "neste": "Datoen for neste gjennomgang er lagret.", "fra-punkt": "Oppgaven er lagt i planen, med frist om to uker.",
    "fantes": "Oppgaven sto allerede i planen; det er ikke laget en ny.",
}


def _url(candidate_id: int, saved: str = "", anchor: str = "") -> str:
    return f"{PREFIX}/kandidater/{candidate_id}/plan" + (f"?lagret={saved}" if saved else "") + \
        (f"#{anchor}" if anchor else "")


def plan_sources(session: Session, candidate_id: int, actor: Principal, plan) -> dict:
    """The checklist's missing items and the latest run's unlock suggestions, each with the open task
    already made from it (if any): for the "Lag oppgave i planen" buttons."""
    readiness = readiness_of(session, candidate_id, actor)
    labels = {i.key: i.label for i in active_definition(session).items}
    open_sources = {t.source: t for t in plan.tasks if t.source and t.status == "open"}
    missing = {who: [dict(key=k, label=labels.get(k, k), task=open_sources.get(f"checklist:{k}"))
                     for k in readiness.missing.get(who, [])] for who in ACTORS}
    run = latest_visible_run(session, actor)
    suggestions = [dict(row=s, task=open_sources.get(f"unlock:{s.kind}:{s.value}"))
                   for s in (unlock(session, run.id, candidate_id) if run else [])]
    return dict(missing=missing, suggestions=suggestions, run=run)


def owner_choices(people) -> list[tuple[str, str]]:
    return [(str(p.user_id), f"{p.name} ({p.why})") for p in people]


def _page(request: Request, session: Session, actor: Principal, candidate_id: int, *, form: str = "",
          values: dict | None = None, errors: dict | None = None, status_code: int = 200, saved: str | None = None):
    candidate = get_candidate(session, candidate_id, actor)
    plan = service.candidate_plan(session, candidate_id)
    people = service.people_on_case(session, candidate)
    audit_read(session, actor, "handlingsplan (side)", [candidate_id])
    return render(request, "plan.html", actor, active="candidates", status_code=status_code,
                  title=f"Handlingsplan: {candidate.first_name} {candidate.last_name}", c=candidate, plan=plan,
                  history=service.plan_history(session, candidate_id, actor), owner_choices=owner_choices(people),
                  sources=plan_sources(session, candidate_id, actor, plan), form=form, values=values or {},
                  errors=errors or {}, saved=SAVED.get(saved or ""), sectors=list(SECTORS.items()),
                  occupations=occupation_choices(), goal_kinds=list(GOAL_KIND.items()), actors=list(ACTOR.items()),
                  task_statuses=list(TASK_STATUS.items()))


def _again(request, session, actor, candidate_id, form, values):
    return lambda errors, status: _page(request, session, actor, candidate_id, form=form, values=values,
                                        errors=errors, status_code=status)


def _changed(session: Session, actor: Principal, candidate_id: int, what: str):
    audit.record(session, actor, "update", f"handlingsplan: {what} (side)", [candidate_id])


@router.get("/kandidater/{candidate_id}/plan")
def plan_page(request: Request, candidate_id: int, lagret: str | None = None, actor: Principal = Depends(STAFF),
              session: Session = Depends(get_session)):
    return _page(request, session, actor, candidate_id, saved=lagret)


@router.post("/kandidater/{candidate_id}/plan", dependencies=[Depends(verify_csrf)])
def make_plan(candidate_id: int, actor: Principal = Depends(STAFF), session: Session = Depends(get_session)):
    service.ensure_plan(session, candidate_id, actor)
    _changed(session, actor, candidate_id, "laget")
    session.commit()
    return RedirectResponse(_url(candidate_id, "laget"), status_code=303)


@router.post("/kandidater/{candidate_id}/plan/mal", dependencies=[Depends(verify_csrf)])
def add_goal(request: Request, candidate_id: int, form: FormData = Depends(posted), actor: Principal = Depends(STAFF),
             session: Session = Depends(get_session)):
    values = form_values(form, GoalIn)

    def save():
        service.add_goal(session, candidate_id, parse(GoalIn, values), actor)
        _changed(session, actor, candidate_id, "mål")

    return submit(session, save, success=_url(candidate_id, "mal", "mal"),
                  again=_again(request, session, actor, candidate_id, "goal", values))


@router.post("/kandidater/{candidate_id}/plan/mal/{goal_id}/fjern", dependencies=[Depends(verify_csrf)])
def remove_goal(candidate_id: int, goal_id: int, actor: Principal = Depends(STAFF),
                session: Session = Depends(get_session)):
    service.remove_goal(session, candidate_id, goal_id, actor)
    _changed(session, actor, candidate_id, "mål fjernet")
    session.commit()
    return RedirectResponse(_url(candidate_id, "mal-fjernet", "mal"), status_code=303)


@router.post("/kandidater/{candidate_id}/plan/oppgaver", dependencies=[Depends(verify_csrf)])
def add_task(request: Request, candidate_id: int, form: FormData = Depends(posted), actor: Principal = Depends(STAFF),
             session: Session = Depends(get_session)):
    values = form_values(form, TaskIn)

    def save():
        task = service.add_task(session, candidate_id, parse(TaskIn, values), actor)
        _changed(session, actor, candidate_id, "oppgave")
        return task

    return submit(session, save, success=lambda t: _url(candidate_id, "oppgave", f"oppgave-{t.id}"),
                  again=_again(request, session, actor, candidate_id, "task", values))


def _edit_page(request: Request, session: Session, actor: Principal, candidate_id: int, task_id: int,
               values: dict | None = None, errors: dict | None = None, status_code: int = 200):
    candidate = get_candidate(session, candidate_id, actor)
    task = service.task_of(session, candidate_id, task_id)
    if values is None:
        values = flatten({k: getattr(task, k) for k in ("title", "description", "owner_kind", "owner_user_id",
                                                        "due_on", "status", "version")})
    audit_read(session, actor, "handlingsplan: oppgave (side)", [candidate_id])
    return render(request, "plan_task.html", actor, active="candidates", status_code=status_code,
                  title=f"Endre oppgave: {task.title}", c=candidate, task=task, values=values, errors=errors or {},
                  owner_choices=owner_choices(service.people_on_case(session, candidate)), actors=list(ACTOR.items()),
                  task_statuses=list(TASK_STATUS.items()))


@router.get("/kandidater/{candidate_id}/plan/oppgaver/{task_id}/endre")
def edit_task_form(request: Request, candidate_id: int, task_id: int, actor: Principal = Depends(STAFF),
                   session: Session = Depends(get_session)):
    return _edit_page(request, session, actor, candidate_id, task_id)


EDITED = {"title", "description", "owner_kind", "owner_user_id", "due_on", "status", "version"}


@router.post("/kandidater/{candidate_id}/plan/oppgaver/{task_id}/endre", dependencies=[Depends(verify_csrf)])
def edit_task(request: Request, candidate_id: int, task_id: int, form: FormData = Depends(posted),
              actor: Principal = Depends(STAFF), session: Session = Depends(get_session)):
    service.task_of(session, get_candidate(session, candidate_id, actor).id, task_id)
    values = form_values(form, TaskUpdate)

    def save():
        service.update_task(session, candidate_id, task_id, parse(TaskUpdate, values, edits=EDITED), actor)
        _changed(session, actor, candidate_id, "oppgave endret")

    return submit(session, save, success=_url(candidate_id, "endret", f"oppgave-{task_id}"),
                  again=lambda errors, status: _edit_page(request, session, actor, candidate_id, task_id, values,
                                                          errors, status))


@router.post("/kandidater/{candidate_id}/plan/oppgaver/{task_id}/ferdig", dependencies=[Depends(verify_csrf)])
def tick(request: Request, candidate_id: int, task_id: int, form: FormData = Depends(posted),
         actor: Principal = Depends(STAFF), session: Session = Depends(get_session)):
    service.task_of(session, get_candidate(session, candidate_id, actor).id, task_id)
    values = form_values(form, TickIn)

    def save():
        service.tick_task(session, task_id, actor, parse(TickIn, values).comment)
        _changed(session, actor, candidate_id, "oppgave ferdig")

    return submit(session, save, success=_url(candidate_id, "ferdig", f"oppgave-{task_id}"),
                  again=_again(request, session, actor, candidate_id, f"tick-{task_id}", values))


@router.post("/kandidater/{candidate_id}/plan/oppgaver/{task_id}/kommentar", dependencies=[Depends(verify_csrf)])
def comment(request: Request, candidate_id: int, task_id: int, form: FormData = Depends(posted),
            actor: Principal = Depends(STAFF), session: Session = Depends(get_session)):
    values = form_values(form, CommentIn)

    def save():
        service.add_comment(session, candidate_id, task_id, parse(CommentIn, values), actor)
        _changed(session, actor, candidate_id, "kommentar")

    return submit(session, save, success=_url(candidate_id, "kommentar", f"oppgave-{task_id}"),
                  again=_again(request, session, actor, candidate_id, f"comment-{task_id}", values))


def _one_click(request: Request, session: Session, actor: Principal, candidate_id: int, make, back: str | None,
               anchor: str = "mangler"):
    try:
        task, created = make()
        _changed(session, actor, candidate_id, "oppgave med ett klikk")
        session.commit()
    except (Invalid, Conflict) as exc:
        session.rollback()
        invalid = domain_errors(exc)
        return _page(request, session, actor, candidate_id, form="sources", errors=invalid.errors,
                     status_code=invalid.status_code)
    saved = "fra-punkt" if created else "fantes"
    if back == "kandidat":  # clicked on the candidate's page: stay there, the button now says it is in the plan
        return RedirectResponse(f"{PREFIX}/kandidater/{candidate_id}?plan={saved}#{anchor}", status_code=303)
    return RedirectResponse(_url(candidate_id, saved, f"oppgave-{task.id}"), status_code=303)


@router.post("/kandidater/{candidate_id}/plan/fra-sjekkliste/{item_key}", dependencies=[Depends(verify_csrf)])
def from_checklist(request: Request, candidate_id: int, item_key: str, tilbake: str | None = None,
                   actor: Principal = Depends(STAFF), session: Session = Depends(get_session)):
    return _one_click(request, session, actor, candidate_id,
                      lambda: service.task_from_checklist(session, candidate_id, item_key, actor), tilbake)


@router.post("/kandidater/{candidate_id}/plan/fra-forslag/{suggestion_id}", dependencies=[Depends(verify_csrf)])
def from_suggestion(request: Request, candidate_id: int, suggestion_id: int, tilbake: str | None = None,
                    actor: Principal = Depends(STAFF), session: Session = Depends(get_session)):
    return _one_click(request, session, actor, candidate_id,
                      lambda: service.task_from_unlock(session, candidate_id, suggestion_id, actor), tilbake,
                      "neste")


@router.post("/kandidater/{candidate_id}/plan/gjennomgang", dependencies=[Depends(verify_csrf)])
def review(request: Request, candidate_id: int, form: FormData = Depends(posted), actor: Principal = Depends(STAFF),
           session: Session = Depends(get_session)):
    values = form_values(form, ReviewIn)

    def save():
        service.record_review(session, candidate_id, parse(ReviewIn, values), actor)
        _changed(session, actor, candidate_id, "gjennomgang")

    return submit(session, save, success=_url(candidate_id, "gjennomgang", "gjennomganger"),
                  again=_again(request, session, actor, candidate_id, "review", values))


@router.post("/kandidater/{candidate_id}/plan/neste-gjennomgang", dependencies=[Depends(verify_csrf)])
def next_review(request: Request, candidate_id: int, form: FormData = Depends(posted),
                actor: Principal = Depends(STAFF), session: Session = Depends(get_session)):
    values = form_values(form, PlanUpdate)

    def save():
        service.set_next_review(session, candidate_id, parse(PlanUpdate, values, edits={"next_review_on"}), actor)
        _changed(session, actor, candidate_id, "neste gjennomgang")

    return submit(session, save, success=_url(candidate_id, "neste", "gjennomganger"),
                  again=_again(request, session, actor, candidate_id, "next", values))


