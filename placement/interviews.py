"""Employer interviews on a vacancy's candidate list. Scheduling one moves the entry to
`interview_scheduled` on the day it is agreed; the interview itself lies ahead. (The tasks around an
interview are the agenda's: agenda.service.schedule_interview.)"""

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from accounts.service import Principal
from core.errors import Conflict, Invalid, NotFound
from core.types import LOCAL_TZ, today, utcnow
from placement.models import Interview, Placement
from placement.schemas import InterviewIn, InterviewPublic, Stage, TransitionIn
from placement.service import get_placement, transition

# From these stages an interview can be agreed (a second interview after one held, too).
SCHEDULABLE = (Stage.presented, Stage.interview_scheduled, Stage.interview_held)
MAX_AHEAD = timedelta(days=731)


def aware(moment: datetime) -> datetime:
    """A time typed without a zone is Norwegian time."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_TZ)


def schedule(session: Session, placement_id: int, data: InterviewIn, actor: Principal) -> tuple[Interview, Placement]:
    placement = get_placement(session, placement_id, actor)
    stage = Stage(placement.stage)
    if stage not in SCHEDULABLE:
        if stage is Stage.proposed:
            raise Conflict("Kandidaten må presenteres for arbeidsgiveren før et intervju kan avtales.", field="starts_at")
        raise Conflict("Intervju kan ikke avtales når kandidaten står som «" + _stage_nb(stage) + "» på stillingen.",
                       field="starts_at")
    starts_at = aware(data.starts_at)
    if starts_at < utcnow():
        raise Invalid("Intervjuet må ligge fram i tid.", field="starts_at")
    if starts_at > utcnow() + MAX_AHEAD:
        raise Invalid("Intervjuet kan ikke ligge mer enn to år fram i tid.", field="starts_at")
    if stage is not Stage.interview_scheduled:
        transition(session, placement.id, TransitionIn(to=Stage.interview_scheduled, on=max(today(), placement.stage_on),
                                                       with_consultant=data.consultant_attends,
                                                       note=f"Intervju {starts_at.astimezone(LOCAL_TZ):%d.%m.%Y %H:%M}"),
                   actor)
    row = Interview(placement_id=placement.id, starts_at=starts_at, place=data.place.strip(),
                    consultant_attends=data.consultant_attends, notes=data.notes, consultant_id=actor.user_id)
    session.add(row)
    session.flush()
    return row, placement


def _stage_nb(stage: Stage) -> str:
    from core.labels import STAGE

    return STAGE[stage.value].lower()


def get_interview(session: Session, interview_id: int, actor: Principal) -> Interview:
    row = session.get(Interview, interview_id)
    if row is None:
        raise NotFound(f"Intervju {interview_id} finnes ikke.")
    get_placement(session, row.placement_id, actor)
    return row


def for_placement(session: Session, placement_id: int, actor: Principal) -> list[Interview]:
    get_placement(session, placement_id, actor)
    return list(session.exec(select(Interview).where(Interview.placement_id == placement_id)
                             .order_by(Interview.starts_at)))


def for_consultant(session: Session, user_id: int, start: datetime, end: datetime) -> list[tuple[Interview, Placement]]:
    """A consultant's interviews starting in [start, end)."""
    stmt = (select(Interview, Placement).join(Placement, col(Placement.id) == Interview.placement_id)
            .where(Interview.consultant_id == user_id, Interview.starts_at >= start, Interview.starts_at < end)
            .order_by(Interview.starts_at))
    return list(session.exec(stmt))


def to_public(row: Interview, placement: Placement) -> InterviewPublic:
    return InterviewPublic(**row.model_dump(), candidate_id=placement.candidate_id, employer_id=placement.employer_id,
                           vacancy_id=placement.vacancy_id)
