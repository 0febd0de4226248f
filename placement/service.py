"""The pipeline rules: allowed transitions, what a start sets in motion, and follow-up."""

from datetime import date

from sqlmodel import Session, col, select

from accounts.service import Principal
from candidates.models import Candidate
from candidates.service import flush_or_conflict, get_candidate, only_visible
from core.errors import Conflict, Invalid, NotFound
from core.labels import STAGE, date_nb
from core.types import add_months, today
from employers.models import Employer, Vacancy
from employers.service import get_employer
from placement.models import CandidateEvent, EmploymentFollowUp, Placement, PlacementEvent, WorkPractice
from placement.schemas import (
    TRANSITIONS,
    CandidateEventIn,
    FollowUpIn,
    FollowUpPublic,
    PartnerActivity,
    PartnerActivityRow,
    PlacementEventPublic,
    PlacementPublic,
    Stage,
    TransitionIn,
    WorkPracticeIn,
)

FOLLOW_UP_MONTHS = (3, 6, 12)
EMPLOYED = (Stage.started, Stage.permanent)


def _event(session: Session, placement: Placement, from_stage: str | None, data: TransitionIn | None,
           actor: Principal, on: date) -> None:
    session.add(PlacementEvent(
        placement_id=placement.id, from_stage=from_stage, to_stage=placement.stage, on=on,
        with_consultant=bool(data and data.with_consultant), reason=data.reason if data else None,
        note=data.note if data else None, recorded_by=actor.user_id, recorded_by_name=actor.name))


def open_placement(session: Session, candidate_id: int, vacancy_id: int, actor: Principal,
                   run_id: int | None = None, on: date | None = None) -> Placement:
    """Put a candidate on a vacancy's candidate list as proposed; an existing entry is returned as it is."""
    get_candidate(session, candidate_id, actor)
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound(f"Stilling {vacancy_id} finnes ikke.", field="vacancy_id")
    existing = session.exec(select(Placement).where(Placement.candidate_id == candidate_id,
                                                    Placement.vacancy_id == vacancy_id)).first()
    if existing is not None:
        return existing
    placement = Placement(candidate_id=candidate_id, vacancy_id=vacancy_id, employer_id=vacancy.employer_id,
                          stage=Stage.proposed, stage_on=on or today(), fte=vacancy.fte, run_id=run_id,
                          created_by=actor.user_id)
    session.add(placement)
    session.flush()
    _event(session, placement, None, None, actor, placement.stage_on)
    session.flush()
    return placement


def get_placement(session: Session, placement_id: int, actor: Principal) -> Placement:
    placement = session.get(Placement, placement_id)
    if placement is None:
        raise NotFound(f"Formidling {placement_id} finnes ikke.")
    get_candidate(session, placement.candidate_id, actor)  # staff: only their own project's
    return placement


def transition(session: Session, placement_id: int, data: TransitionIn, actor: Principal) -> Placement:
    placement = get_placement(session, placement_id, actor)
    current = Stage(placement.stage)
    if data.to not in TRANSITIONS[current]:
        allowed = ", ".join(STAGE[s].lower() for s in sorted(TRANSITIONS[current])) or "ingen (avsluttet)"
        raise Conflict(f"Kan ikke gå fra «{STAGE[current].lower()}» til «{STAGE[data.to].lower()}». "
                       f"Mulige neste steg: {allowed}.", field="to")
    if data.on < placement.stage_on:
        raise Invalid(f"Datoen kan ikke være før forrige steg ({date_nb(placement.stage_on)}).", field="on")
    placement.stage, placement.stage_on = data.to.value, data.on
    candidate = session.get(Candidate, placement.candidate_id)
    if data.to is Stage.started:
        placement.started_on = data.on
        placement.fte = data.fte or placement.fte
        placement.with_wage_subsidy = bool(data.with_wage_subsidy)
        placement.ended_on = data.end  # a period's last day, known at the start; none for a permanent job
        for months in FOLLOW_UP_MONTHS:
            session.add(EmploymentFollowUp(placement_id=placement.id, months=months, due_on=add_months(data.on, months)))
        candidate.programme_status = "in_work"
    elif data.to is Stage.permanent:
        placement.with_wage_subsidy = False  # the goal: a permanent contract without wage subsidy
        placement.fte = data.fte or placement.fte
    elif data.to is Stage.ended and current in EMPLOYED:
        placement.ended_on = data.on
        if not _still_employed_elsewhere(session, placement):
            candidate.programme_status = "in_recruitment"
    _event(session, placement, current.value, data, actor, data.on)
    flush_or_conflict(session, "Formidlingen ble endret samtidig av noen andre. Last inn på nytt.")
    return placement


def _still_employed_elsewhere(session: Session, placement: Placement) -> bool:
    return session.exec(select(Placement.id).where(
        Placement.candidate_id == placement.candidate_id, Placement.id != placement.id,
        col(Placement.stage).in_([s.value for s in EMPLOYED]))).first() is not None


def list_placements(session: Session, actor: Principal, *, candidate_id: int | None = None,
                    vacancy_id: int | None = None, stage: str | None = None) -> list[Placement]:
    stmt = only_visible(select(Placement), actor, Placement.candidate_id)
    if candidate_id is not None:
        stmt = stmt.where(Placement.candidate_id == candidate_id)
    if vacancy_id is not None:
        stmt = stmt.where(Placement.vacancy_id == vacancy_id)
    if stage:
        stmt = stmt.where(Placement.stage == stage)
    return list(session.exec(stmt.order_by(Placement.vacancy_id, Placement.id)))


def to_public(session: Session, placement: Placement) -> PlacementPublic:
    events = session.exec(select(PlacementEvent).where(PlacementEvent.placement_id == placement.id)
                          .order_by(PlacementEvent.on, PlacementEvent.id)).all()
    return PlacementPublic(
        **placement.model_dump(), next_stages=sorted(TRANSITIONS[Stage(placement.stage)]),
        events=[PlacementEventPublic(**e.model_dump()) for e in events])


def add_work_practice(session: Session, candidate_id: int, data: WorkPracticeIn, actor: Principal) -> WorkPractice:
    get_candidate(session, candidate_id, actor)
    get_employer(session, data.employer_id)
    row = WorkPractice(candidate_id=candidate_id, recorded_by=actor.user_id, **data.model_dump())
    session.add(row)
    session.flush()
    return row


def work_practice(session: Session, candidate_id: int, actor: Principal) -> list[WorkPractice]:
    get_candidate(session, candidate_id, actor)
    return list(session.exec(select(WorkPractice).where(WorkPractice.candidate_id == candidate_id)
                             .order_by(WorkPractice.start)))


def add_candidate_event(session: Session, candidate_id: int, data: CandidateEventIn, actor: Principal) -> CandidateEvent:
    candidate = get_candidate(session, candidate_id, actor)
    row = CandidateEvent(candidate_id=candidate_id, recorded_by=actor.user_id, **data.model_dump())
    session.add(row)
    if data.kind == "removed_from_process":
        candidate.programme_status = "paused"
    elif data.kind == "taken_back_in" and candidate.programme_status == "paused":
        candidate.programme_status = "active"
    flush_or_conflict(session, "Kandidaten ble endret samtidig. Prøv igjen.")
    return row


def candidate_events(session: Session, candidate_id: int, actor: Principal) -> list[CandidateEvent]:
    get_candidate(session, candidate_id, actor)
    return list(session.exec(select(CandidateEvent).where(CandidateEvent.candidate_id == candidate_id)
                             .order_by(CandidateEvent.on, CandidateEvent.id)))


def _follow_up_public(row: EmploymentFollowUp, placement: Placement) -> FollowUpPublic:
    return FollowUpPublic(**row.model_dump(), candidate_id=placement.candidate_id, employer_id=placement.employer_id)


def follow_ups(session: Session, actor: Principal, *, due_by: date | None = None,
               open_only: bool = True) -> list[FollowUpPublic]:
    """Employment follow-ups (3, 6, 12 months after a start) for the caller's candidates."""
    placements = {p.id: p for p in list_placements(session, actor)}
    if not placements:
        return []
    stmt = select(EmploymentFollowUp).where(col(EmploymentFollowUp.placement_id).in_(list(placements)))
    if due_by is not None:
        stmt = stmt.where(EmploymentFollowUp.due_on <= due_by)
    if open_only:
        stmt = stmt.where(col(EmploymentFollowUp.done_on).is_(None))
    rows = session.exec(stmt.order_by(EmploymentFollowUp.due_on, EmploymentFollowUp.id)).all()
    return [_follow_up_public(r, placements[r.placement_id]) for r in rows]


def record_follow_up(session: Session, follow_up_id: int, data: FollowUpIn, actor: Principal) -> FollowUpPublic:
    row = session.get(EmploymentFollowUp, follow_up_id)
    if row is None:
        raise NotFound(f"Oppfølging {follow_up_id} finnes ikke.")
    placement = get_placement(session, row.placement_id, actor)
    if data.done_on < placement.started_on:
        raise Invalid("Oppfølgingen kan ikke være før oppstart.", field="done_on")
    for field, value in data.model_dump().items():
        setattr(row, field, value)
    session.flush()
    return _follow_up_public(row, placement)


def first_offer_after(session: Session, candidate_ids: list[int]) -> dict[int, date]:
    """Each candidate's first offer date (for "time from formidlingsklar to first offer")."""
    stmt = (select(Placement.candidate_id, PlacementEvent.on).join(Placement, Placement.id == PlacementEvent.placement_id)
            .where(PlacementEvent.to_stage == Stage.offer, col(Placement.candidate_id).in_(candidate_ids)))
    first: dict[int, date] = {}
    for candidate_id, on in session.exec(stmt):
        first[candidate_id] = min(on, first.get(candidate_id, on))
    return first




# ---------------------------------------------------------------- the consultant's day in the pages

OPEN_STAGES = (Stage.proposed, Stage.presented, Stage.interview_scheduled, Stage.interview_held, Stage.offer,
               Stage.accepted, Stage.started, Stage.permanent)
CLOSING = (Stage.chance_lost, Stage.rejected, Stage.ended)


def moves(placement: Placement) -> tuple[list[Stage], list[Stage]]:
    """What the pipeline allows next from where the placement stands: (moves on, ways to close)."""
    allowed = TRANSITIONS[Stage(placement.stage)]
    return [s for s in OPEN_STAGES if s in allowed], [s for s in CLOSING if s in allowed]


def next_follow_up_due(session: Session, placement_ids: list[int]) -> dict[int, date]:
    """The first open employment follow-up of each placement."""
    due: dict[int, date] = {}
    if placement_ids:
        stmt = (select(EmploymentFollowUp).where(col(EmploymentFollowUp.placement_id).in_(placement_ids),
                                                 col(EmploymentFollowUp.done_on).is_(None))
                .order_by(EmploymentFollowUp.due_on))
        for row in session.exec(stmt):
            due.setdefault(row.placement_id, row.due_on)
    return due


def open_vacancy_pipelines(session: Session, actor: Principal, *, mine_only: bool = False) -> list[Placement]:
    """Every candidate on the candidate lists of open vacancies (for the board), those still in play."""
    open_ids = select(Vacancy.id).where(Vacancy.status == "open")
    stmt = select(Placement).where(col(Placement.vacancy_id).in_(open_ids),
                                   col(Placement.stage).in_([s.value for s in OPEN_STAGES]))
    stmt = only_visible(stmt, actor, Placement.candidate_id)
    if mine_only:
        stmt = stmt.where(Placement.created_by == actor.user_id)
    return list(session.exec(stmt.order_by(Placement.stage_on, Placement.id)))


def partner_activity(session: Session, candidate_id: int, actor: Principal) -> PartnerActivity:
    """What the recruitment partner is doing with the candidate: each vacancy the candidate is on
    with its stage and every step, and how many presentations, interviews and offers so far."""
    get_candidate(session, candidate_id, actor)
    placements = list_placements(session, actor, candidate_id=candidate_id)
    vacancies = {v.id: v for v in session.exec(select(Vacancy).where(
        col(Vacancy.id).in_([p.vacancy_id for p in placements])))} if placements else {}
    employers = {e.id: e.name for e in session.exec(select(Employer).where(
        col(Employer.id).in_([p.employer_id for p in placements])))} if placements else {}
    rows, interviews, offers, presented = [], 0, 0, 0
    for placement in sorted(placements, key=lambda p: (p.stage_on, p.id), reverse=True):
        public = to_public(session, placement)
        reached = {e.to_stage for e in public.events}
        interviews += int(bool(reached & {Stage.interview_scheduled, Stage.interview_held}))
        offers += int(Stage.offer in reached)
        presented += int(Stage.presented in reached)
        rows.append(PartnerActivityRow(placement=public, vacancy_title=vacancies[placement.vacancy_id].title,
                                       employer_name=employers.get(placement.employer_id, "")))
    return PartnerActivity(candidate_id=candidate_id, placements=rows, presented=presented, interviews=interviews,
                           offers=offers)
