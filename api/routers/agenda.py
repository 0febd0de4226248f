"""Interviews, tasks, the agenda ("Min dag", "Min uke") and its iCalendar feed."""

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session

from accounts.service import Principal
from agenda import feed, service
from agenda.schemas import AgendaItemPublic, CalendarFeedCreated, TaskDoneIn, TaskIn, TaskPublic
from api.deps import CANDIDATE_ROLES, PUBLIC, allow, audit_read, get_session
from core import audit
from core.types import Role, today
from placement import interviews
from placement.schemas import InterviewIn, InterviewPublic
from placement.service import get_placement

router = APIRouter(tags=["agenda"])
CONSULTANTS = allow(Role.admin, Role.consultant)
PEOPLE = allow(*CANDIDATE_ROLES)


@router.post("/placements/{placement_id}/interviews", response_model=InterviewPublic, status_code=201,
             summary="Avtal intervju: steget blir «innkalt til intervju», og to oppgaver lages (før og etter)")
def post_interview(placement_id: int, body: InterviewIn, actor: Principal = Depends(CONSULTANTS),
                   session: Session = Depends(get_session)):
    row = service.schedule_interview(session, placement_id, body, actor)
    placement = get_placement(session, placement_id, actor)
    audit.record(session, actor, "update", f"intervju avtalt (formidling {placement_id})", [placement.candidate_id])
    session.commit()
    return interviews.to_public(row, placement)


@router.get("/placements/{placement_id}/interviews", response_model=list[InterviewPublic],
            summary="Intervjuene i en formidling")
def get_interviews(placement_id: int, actor: Principal = Depends(PEOPLE), session: Session = Depends(get_session)):
    rows = interviews.for_placement(session, placement_id, actor)
    placement = get_placement(session, placement_id, actor)
    audit_read(session, actor, f"intervjuer (formidling {placement_id})", [placement.candidate_id])
    return [interviews.to_public(r, placement) for r in rows]


@router.post("/tasks", response_model=TaskPublic, status_code=201,
             summary="Lag en oppgave for en kandidat eller arbeidsgiver, med frist og ansvarlig")
def post_task(body: TaskIn, actor: Principal = Depends(PEOPLE), session: Session = Depends(get_session)):
    row = service.create_task(session, body, actor)
    if row.candidate_id is not None:
        audit.record(session, actor, "update", "oppgave", [row.candidate_id])
    session.commit()
    return row


@router.get("/tasks", response_model=list[TaskPublic], summary="Dine oppgaver (åpne, eller alle)")
def get_tasks(include_done: bool = False, actor: Principal = Depends(PEOPLE), session: Session = Depends(get_session)):
    rows = service.tasks_of(session, actor.user_id, open_only=not include_done)
    audit_read(session, actor, "oppgaver", [t.candidate_id for t in rows if t.candidate_id], action="list")
    return rows


@router.post("/tasks/{task_id}/done", response_model=TaskPublic, summary="Kryss av en oppgave som gjort")
def post_task_done(task_id: int, body: TaskDoneIn | None = None, actor: Principal = Depends(PEOPLE),
                   session: Session = Depends(get_session)):
    row = service.complete_task(session, task_id, body or TaskDoneIn(), actor)
    if row.candidate_id is not None:
        audit.record(session, actor, "update", f"oppgave gjort: {row.title}", [row.candidate_id])
    session.commit()
    return row


@router.get("/agenda", response_model=list[AgendaItemPublic],
            summary="Din agenda: intervjuer, oppgaver og oppfølging etter start fra og med `start` til og med `end`")
def get_agenda(start: date | None = None, end: date | None = None, actor: Principal = Depends(PEOPLE),
               session: Session = Depends(get_session)):
    start = start or today()
    items = service.agenda_items(session, actor, start, end or start)
    audit_read(session, actor, "agenda", [i.candidate_id for i in items if i.candidate_id], action="list")
    return items


@router.post("/calendar-feed", response_model=CalendarFeedCreated, status_code=201,
             summary="Lag en hemmelig kalenderadresse (iCalendar) for agendaen din; en tidligere slutter å virke")
def post_calendar_feed(request: Request, actor: Principal = Depends(PEOPLE), session: Session = Depends(get_session)):
    row, token = service.create_feed(session, actor)
    session.commit()
    return CalendarFeedCreated(url=feed_url(request, token), created_at=row.created_at)


@router.delete("/calendar-feed", status_code=204, summary="Trekk tilbake kalenderadressen din")
def delete_calendar_feed(actor: Principal = Depends(PEOPLE), session: Session = Depends(get_session)) -> None:
    service.revoke_feed(session, actor)
    session.commit()


def feed_url(request: Request, token: str) -> str:
    return str(request.url_for("calendar_feed", token=token))


@router.get("/ical/{token}.ics", name="calendar_feed", response_class=Response,
            summary="Agendaen som iCalendar (RFC 5545); adressen er hemmelig og kan trekkes tilbake")
def get_calendar_feed(token: str, request: Request, _public: None = Depends(PUBLIC),
                      session: Session = Depends(get_session)):
    owner = service.feed_owner(session, token)
    start, end = feed.window(today())
    items = service.agenda_items(session, owner, start, end)
    audit_read(session, owner, "kalenderabonnement", [i.candidate_id for i in items if i.candidate_id], action="list")
    body = feed.calendar(items, owner_name=owner.name, agenda_url=str(request.base_url).rstrip("/") + "/app/agenda")
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300",
                             "Content-Disposition": 'inline; filename="brobygger.ics"'})
