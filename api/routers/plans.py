"""The shared plan (handlingsplan) of a candidate: goals, tasks, comments, reviews and the history.
Staff (own project), consultants and admin; the service checks who may see the candidate."""

from datetime import date, timedelta

from fastapi import APIRouter, Depends, Query, Response
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, allow, audit_read, get_session
from core import audit
from core.types import today
from plans import service
from plans.schemas import (
    CasePerson,
    CommentIn,
    DueReview,
    DueTask,
    FromSourceResult,
    GoalIn,
    PlanEventPublic,
    PlanPublic,
    PlanUpdate,
    ReviewIn,
    TaskIn,
    TaskPublic,
    TaskUpdate,
    TickIn,
)

router = APIRouter(tags=["handlingsplan"])
ROLES = allow(*CANDIDATE_ROLES)
PLAN = "/candidates/{candidate_id}/plan"


def _changed(session: Session, actor: Principal, candidate_id: int, what: str) -> PlanPublic:
    audit.record(session, actor, "update", f"handlingsplan: {what}", [candidate_id])
    session.commit()
    return service.candidate_plan(session, candidate_id)


def _task(session: Session, candidate_id: int, task_id: int) -> TaskPublic:
    return next(t for t in service.candidate_plan(session, candidate_id).tasks if t.id == task_id)


@router.get(PLAN, response_model=PlanPublic, summary="Kandidatens handlingsplan")
def get_plan(candidate_id: int, actor: Principal = Depends(ROLES), session: Session = Depends(get_session)):
    plan = service.get_plan(session, candidate_id, actor)
    audit_read(session, actor, "handlingsplan", [candidate_id])
    return plan


@router.post(PLAN, response_model=PlanPublic, status_code=201,
             summary="Lag handlingsplanen (én per kandidat; finnes den, svares den som den er)")
def post_plan(candidate_id: int, response: Response, actor: Principal = Depends(ROLES),
              session: Session = Depends(get_session)):
    existed = service.get_plan(session, candidate_id, actor).exists
    service.ensure_plan(session, candidate_id, actor)
    if existed:
        response.status_code = 200
    return _changed(session, actor, candidate_id, "laget")


@router.patch(PLAN, response_model=PlanPublic, summary="Sett dato for neste gjennomgang")
def patch_plan(candidate_id: int, body: PlanUpdate, actor: Principal = Depends(ROLES),
               session: Session = Depends(get_session)):
    service.set_next_review(session, candidate_id, body, actor)
    return _changed(session, actor, candidate_id, "neste gjennomgang")


@router.get(PLAN + "/history", response_model=list[PlanEventPublic], summary="Alle endringer i planen, med hvem og når")
def get_history(candidate_id: int, actor: Principal = Depends(ROLES), session: Session = Depends(get_session)):
    events = service.plan_history(session, candidate_id, actor)
    audit_read(session, actor, "handlingsplan: historikk", [candidate_id])
    return events


@router.get(PLAN + "/people", response_model=list[CasePerson],
            summary="Hvem som er på kandidatens sak (kan eie oppgaver)")
def get_people(candidate_id: int, actor: Principal = Depends(ROLES), session: Session = Depends(get_session)):
    people = service.task_owner_choices(session, candidate_id, actor)
    audit_read(session, actor, "handlingsplan: hvem er på saken", [candidate_id])
    return people


@router.post(PLAN + "/goals", response_model=PlanPublic, status_code=201, summary="Legg til et mål")
def post_goal(candidate_id: int, body: GoalIn, actor: Principal = Depends(ROLES),
              session: Session = Depends(get_session)):
    service.add_goal(session, candidate_id, body, actor)
    return _changed(session, actor, candidate_id, "mål")


@router.delete(PLAN + "/goals/{goal_id}", response_model=PlanPublic, summary="Fjern et mål (det står i historikken)")
def delete_goal(candidate_id: int, goal_id: int, actor: Principal = Depends(ROLES),
                session: Session = Depends(get_session)):
    service.remove_goal(session, candidate_id, goal_id, actor)
    return _changed(session, actor, candidate_id, "mål fjernet")


@router.post(PLAN + "/tasks", response_model=TaskPublic, status_code=201,
             summary="Legg til en oppgave (eieren må være på kandidatens sak)")
def post_task(candidate_id: int, body: TaskIn, actor: Principal = Depends(ROLES),
              session: Session = Depends(get_session)):
    task = service.add_task(session, candidate_id, body, actor)
    _changed(session, actor, candidate_id, "oppgave")
    return _task(session, candidate_id, task.id)


@router.patch(PLAN + "/tasks/{task_id}", response_model=TaskPublic, summary="Endre en oppgave")
def patch_task(candidate_id: int, task_id: int, body: TaskUpdate, actor: Principal = Depends(ROLES),
               session: Session = Depends(get_session)):
    service.update_task(session, candidate_id, task_id, body, actor)
    _changed(session, actor, candidate_id, "oppgave endret")
    return _task(session, candidate_id, task_id)


@router.post(PLAN + "/tasks/{task_id}/done", response_model=TaskPublic, summary="Kryss av en oppgave som ferdig")
def post_done(candidate_id: int, task_id: int, body: TickIn | None = None, actor: Principal = Depends(ROLES),
              session: Session = Depends(get_session)):
    service.task_of(session, candidate_id, task_id)
    service.tick_task(session, task_id, actor, body.comment if body else None)
    _changed(session, actor, candidate_id, "oppgave ferdig")
    return _task(session, candidate_id, task_id)


@router.post(PLAN + "/tasks/{task_id}/comments", response_model=TaskPublic, status_code=201,
             summary="Kommenter en oppgave")
def post_comment(candidate_id: int, task_id: int, body: CommentIn, actor: Principal = Depends(ROLES),
                 session: Session = Depends(get_session)):
    service.add_comment(session, candidate_id, task_id, body, actor)
    _changed(session, actor, candidate_id, "kommentar")
    return _task(session, candidate_id, task_id)


@router.post(PLAN + "/tasks/from-checklist/{item_key}", response_model=FromSourceResult,
             summary="Gjør et manglende sjekklistepunkt til en oppgave (eier: den som må handle; aldri to ganger)")
def post_from_checklist(candidate_id: int, item_key: str, response: Response, actor: Principal = Depends(ROLES),
                        session: Session = Depends(get_session)):
    task, created = service.task_from_checklist(session, candidate_id, item_key, actor)
    response.status_code = 201 if created else 200
    _changed(session, actor, candidate_id, f"oppgave fra sjekklistepunkt {item_key}")
    return FromSourceResult(task=_task(session, candidate_id, task.id), created=created)


@router.post(PLAN + "/tasks/from-suggestion/{suggestion_id}", response_model=FromSourceResult,
             summary="Gjør «hva ville åpnet flere jobber» til en oppgave for kandidaten (aldri to ganger)")
def post_from_suggestion(candidate_id: int, suggestion_id: int, response: Response,
                         actor: Principal = Depends(ROLES), session: Session = Depends(get_session)):
    task, created = service.task_from_unlock(session, candidate_id, suggestion_id, actor)
    response.status_code = 201 if created else 200
    _changed(session, actor, candidate_id, "oppgave fra forslag")
    return FromSourceResult(task=_task(session, candidate_id, task.id), created=created)


@router.post(PLAN + "/reviews", response_model=PlanPublic, status_code=201,
             summary="Registrer en gjennomgang av planen, og neste")
def post_review(candidate_id: int, body: ReviewIn, actor: Principal = Depends(ROLES),
                session: Session = Depends(get_session)):
    service.record_review(session, candidate_id, body, actor)
    return _changed(session, actor, candidate_id, "gjennomgang")


@router.get("/plan-tasks/due", response_model=list[DueTask],
            summary="Mine planoppgaver som er forfalt eller forfaller innen datoen")
def get_tasks_due(until: date | None = Query(default=None, description="Til og med (standard: om en uke)"),
                  actor: Principal = Depends(ROLES), session: Session = Depends(get_session)):
    rows = service.visible(session, actor, service.tasks_due(session, actor.user_id, until or today() + timedelta(days=7)))
    audit_read(session, actor, "planoppgaver som forfaller", [r.candidate_id for r in rows], action="list")
    return rows


@router.get("/plan-reviews/due", response_model=list[DueReview],
            summary="Gjennomganger av planer der jeg er kontaktperson, forfalt eller innen datoen")
def get_reviews_due(until: date | None = Query(default=None, description="Til og med (standard: om en uke)"),
                    actor: Principal = Depends(ROLES), session: Session = Depends(get_session)):
    rows = service.visible(session, actor, service.reviews_due(session, actor.user_id, until or today() + timedelta(days=7)))
    audit_read(session, actor, "plangjennomganger som forfaller", [r.candidate_id for r in rows], action="list")
    return rows
