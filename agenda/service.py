"""Tasks, the tasks around an interview, the agenda gathered from its sources, and the calendar address.

The agenda is one function, `agenda_items`, over a list of sources (`SOURCES`): each source gives the
items of one kind for a person and a span of days. Another kind (the plan's tasks) is one more source."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import date, timedelta

from sqlmodel import Session, col, select

from accounts.models import User
from accounts.service import Principal
from agenda.models import CalendarFeed, Task
from agenda.schemas import AgendaItemPublic, TaskDoneIn, TaskIn
from candidates.models import Candidate
from candidates.service import get_candidate, query_candidates
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.labels import INTERVIEW_TASKS
from core.projects import list_projects
from core.types import LOCAL_TZ, Role, start_of_day, today, utcnow
from employers.models import Employer
from employers.service import get_employer, list_employers
from placement import interviews
from placement.models import EmploymentFollowUp, Interview, Placement
from placement.schemas import InterviewIn
from plans import service as plans

OWNER_ROLES = (Role.admin, Role.consultant, Role.staff)
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9000, 1, 1)  # room for the day arithmetic around a span

# ---------------------------------------------------------------- tasks


def create_task(session: Session, data: TaskIn, actor: Principal) -> Task:
    owner_id = data.owner_id or actor.user_id
    owner = session.get(User, owner_id) if owner_id else None
    if owner is None or not owner.active or owner.role not in OWNER_ROLES:
        raise Invalid("Velg en aktiv konsulent eller veileder som ansvarlig.", field="owner_id")
    if data.candidate_id is not None:
        get_candidate(session, data.candidate_id, actor)
    if data.employer_id is not None:
        _employer(session, data.employer_id, "employer_id")
    if data.candidate_id is None and data.employer_id is None:
        raise Invalid("Velg en kandidat eller en arbeidsgiver oppgaven gjelder.", field="candidate_id")
    if data.due_on < today():
        raise Invalid("Fristen kan ikke være en dag som er passert.", field="due_on")
    if data.due_on >= LAST_DAY:
        raise Invalid("Fristen må være før år 9000.", field="due_on")
    row = Task(title=data.title.strip(), due_on=data.due_on, owner_id=owner.id, candidate_id=data.candidate_id,
               employer_id=data.employer_id, note=data.note, created_by=actor.user_id)
    session.add(row)
    session.flush()
    return row


def _employer(session: Session, employer_id: int, field: str) -> Employer:
    try:
        return get_employer(session, employer_id)
    except NotFound:
        raise Invalid(f"Arbeidsgiver {employer_id} finnes ikke.", field=field) from None


def get_task(session: Session, task_id: int, actor: Principal) -> Task:
    """A task its owner or an admin may see and tick off; one about a candidate needs sight of them too."""
    row = session.get(Task, task_id)
    if row is None or (row.owner_id != actor.user_id and actor.role is not Role.admin):
        raise NotFound(f"Oppgave {task_id} finnes ikke.")
    if row.candidate_id is not None:
        get_candidate(session, row.candidate_id, actor)
    return row


def complete_task(session: Session, task_id: int, data: TaskDoneIn, actor: Principal) -> Task:
    row = get_task(session, task_id, actor)
    if row.done_at is not None:
        raise Conflict("Oppgaven er allerede krysset av som gjort.")
    row.done_at, row.done_by = utcnow(), actor.user_id
    if data.note:
        row.note = (row.note + "\n" if row.note else "") + data.note
    session.flush()
    return row


def tasks_of(session: Session, owner_id: int, *, open_only: bool = True) -> list[Task]:
    stmt = select(Task).where(Task.owner_id == owner_id)
    if open_only:
        stmt = stmt.where(col(Task.done_at).is_(None))
    return list(session.exec(stmt.order_by(Task.due_on, Task.id)))


def schedule_interview(session: Session, placement_id: int, data: InterviewIn, actor: Principal) -> Interview:
    """Schedule an interview, and the two calls around it: prepare the candidate the day before, and
    call both sides the day after. Both are the scheduling consultant's."""
    interview, placement = interviews.schedule(session, placement_id, data, actor)
    day = interview.starts_at.astimezone(LOCAL_TZ).date()
    prepare, call_after = INTERVIEW_TASKS
    for title, due in ((prepare, max(day - timedelta(days=1), today())), (call_after, day + timedelta(days=1))):
        session.add(Task(title=title, due_on=due, owner_id=actor.user_id, candidate_id=placement.candidate_id,
                         employer_id=placement.employer_id, placement_id=placement.id, interview_id=interview.id,
                         created_by=actor.user_id))
    session.flush()
    return interview


# ---------------------------------------------------------------- the agenda

Source = Callable[[Session, Principal, date, date], list[AgendaItemPublic]]


def _names(session: Session, candidate_ids: set[int], employer_ids: set[int]) -> tuple[dict, dict]:
    candidates = {c.id: c for c in session.exec(select(Candidate).where(col(Candidate.id).in_(candidate_ids)))} \
        if candidate_ids else {}
    employers = dict(session.exec(select(Employer.id, Employer.name).where(col(Employer.id).in_(employer_ids))).all()) \
        if employer_ids else {}
    return {k: f"{c.first_name} {c.last_name}" for k, c in candidates.items()}, employers


def _overdue_too(start: date) -> bool:
    """Open items from before the span show too when the span reaches today (nothing is lost)."""
    return start <= today()


def interview_items(session: Session, user: Principal, start: date, end: date) -> list[AgendaItemPublic]:
    rows = interviews.for_consultant(session, user.user_id, start_of_day(start), start_of_day(end + timedelta(days=1)))
    people, employers = _names(session, {p.candidate_id for _, p in rows}, {p.employer_id for _, p in rows})
    return [AgendaItemPublic(
        kind="interview", id=i.id, title="Intervju" + (" (du blir med)" if i.consultant_attends else ""),
        day=i.starts_at.astimezone(LOCAL_TZ).date(), starts_at=i.starts_at, place=i.place,
        candidate_id=p.candidate_id, candidate_name=people.get(p.candidate_id), employer_id=p.employer_id,
        employer_name=employers.get(p.employer_id), placement_id=p.id)
        for i, p in rows]


def task_items(session: Session, user: Principal, start: date, end: date) -> list[AgendaItemPublic]:
    in_span = (Task.due_on >= start) & (Task.due_on <= end)
    if _overdue_too(start):
        in_span = in_span | ((Task.due_on < start) & col(Task.done_at).is_(None))
    rows = session.exec(select(Task).where(Task.owner_id == user.user_id, in_span)).all()
    people, employers = _names(session, {t.candidate_id for t in rows if t.candidate_id},
                               {t.employer_id for t in rows if t.employer_id})
    now = today()
    return [AgendaItemPublic(
        kind="task", id=t.id, title=t.title, day=t.due_on, candidate_id=t.candidate_id,
        candidate_name=people.get(t.candidate_id), employer_id=t.employer_id, employer_name=employers.get(t.employer_id),
        placement_id=t.placement_id, done=t.done_at is not None, overdue=t.done_at is None and t.due_on < now)
        for t in rows]


def follow_up_items(session: Session, user: Principal, start: date, end: date) -> list[AgendaItemPublic]:
    """Employment follow-ups (3, 6, 12 months after a start) of the placements the person opened."""
    in_span = (EmploymentFollowUp.due_on >= start) & (EmploymentFollowUp.due_on <= end)
    if _overdue_too(start):
        in_span = in_span | ((EmploymentFollowUp.due_on < start) & col(EmploymentFollowUp.done_on).is_(None))
    rows = session.exec(select(EmploymentFollowUp, Placement)
                        .join(Placement, col(Placement.id) == EmploymentFollowUp.placement_id)
                        .where(Placement.created_by == user.user_id, in_span)).all()
    people, employers = _names(session, {p.candidate_id for _, p in rows}, {p.employer_id for _, p in rows})
    now = today()
    return [AgendaItemPublic(
        kind="follow_up", id=f.id, title=f"Oppfølging {f.months} måneder etter start", day=f.due_on,
        candidate_id=p.candidate_id, candidate_name=people.get(p.candidate_id), employer_id=p.employer_id,
        employer_name=employers.get(p.employer_id), placement_id=p.id, done=f.done_on is not None,
        overdue=f.done_on is None and f.due_on < now)
        for f, p in rows]


def plan_task_items(session: Session, user: Principal, start: date, end: date) -> list[AgendaItemPublic]:
    """Open tasks in candidates' shared plans that the person owns (ticked off in the plan, where the
    candidate and staff see it too)."""
    rows = plans.visible(session, user, plans.tasks_due(session, user.user_id, end))
    return [AgendaItemPublic(kind="plan_task", id=t.task_id, title=t.title, day=t.due_on, candidate_id=t.candidate_id,
                             candidate_name=t.candidate_name, overdue=t.days_overdue > 0)
            for t in rows if t.due_on >= start or _overdue_too(start)]


def plan_review_items(session: Session, user: Principal, start: date, end: date) -> list[AgendaItemPublic]:
    """Reviews of the shared plan for the candidates the person is contact person for."""
    rows = plans.visible(session, user, plans.reviews_due(session, user.user_id, end))
    return [AgendaItemPublic(kind="plan_review", id=r.candidate_id, title="Gjennomgang av handlingsplanen",
                             day=r.next_review_on, candidate_id=r.candidate_id, candidate_name=r.candidate_name,
                             overdue=r.days_overdue > 0)
            for r in rows if r.next_review_on >= start or _overdue_too(start)]


SOURCES: list[Source] = [interview_items, task_items, follow_up_items, plan_task_items, plan_review_items]


def agenda_items(session: Session, user: Principal, start: date, end: date,
                 sources: list[Source] | None = None) -> list[AgendaItemPublic]:
    """Everything on a person's agenda from `start` to `end` (both included), in order of day and time;
    open items from before `start` come along when the span reaches today, marked overdue."""
    if end < start:
        raise Invalid("Sluttdatoen kan ikke være før startdatoen.", field="end")
    if end - start > timedelta(days=366):
        raise Invalid("Velg en periode på høyst ett år.", field="end")
    if end >= LAST_DAY or start <= FIRST_DAY:
        raise Invalid("Velg datoer mellom år 1900 og 9000.", field="start" if start <= FIRST_DAY else "end")
    items = [item for source in (sources or SOURCES) for item in source(session, user, start, end)]
    return sorted(items, key=lambda i: (i.day, i.starts_at is None, i.starts_at or utcnow(), i.kind, i.id))


def period(kind: str, day: date | None = None) -> tuple[date, date]:
    """"dag": the day; "uke": seven days from the day (the coming week, as a consultant plans it)."""
    day = day or today()
    return (day, day + timedelta(days=6)) if kind == "uke" else (day, day)


# ---------------------------------------------------------------- the calendar address


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(session: Session, user_id: int) -> CalendarFeed | None:
    return session.exec(select(CalendarFeed).where(CalendarFeed.user_id == user_id,
                                                   col(CalendarFeed.revoked_at).is_(None))).first()


def create_feed(session: Session, actor: Principal) -> tuple[CalendarFeed, str]:
    """A new secret address; an earlier one stops working. The token is returned once, kept hashed."""
    if actor.user_id is None:
        raise Forbidden("Bare personer med innlogging kan ha en kalenderadresse.")
    revoke_feed(session, actor)
    token = secrets.token_urlsafe(32)
    row = CalendarFeed(user_id=actor.user_id, token_hash=_hash(token))
    session.add(row)
    session.flush()
    return row, token


def revoke_feed(session: Session, actor: Principal) -> int:
    rows = session.exec(select(CalendarFeed).where(CalendarFeed.user_id == actor.user_id,
                                                   col(CalendarFeed.revoked_at).is_(None))).all()
    for row in rows:
        row.revoked_at = utcnow()
    session.flush()
    return len(rows)


def feed_owner(session: Session, token: str) -> Principal:
    """Whose calendar a token opens: an unknown or revoked token, or a deactivated user, opens none."""
    row = session.exec(select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token))).first()
    user = session.get(User, row.user_id) if row is not None and row.revoked_at is None else None
    if user is None or not user.active:
        raise NotFound("Kalenderadressen finnes ikke eller er trukket tilbake.")
    return Principal(role=Role(user.role), user_id=user.id, name=user.full_name, project_id=user.project_id)


# ---------------------------------------------------------------- choosing people by name


def candidate_label(candidate: Candidate, project_names: dict[int, str]) -> str:
    return f"{candidate.first_name} {candidate.last_name} ({project_names.get(candidate.project_id, '')})"


def search_candidates(session: Session, actor: Principal, text: str, limit: int = 10) -> list[tuple[Candidate, str]]:
    """Visible candidates whose name holds every word typed, with the label a page shows for each."""
    words = [w for w in text.lower().replace("(", " ").replace(")", " ").split() if w]
    if not words:
        return []
    projects = {p.id: p.name for p in list_projects(session)}
    found = []
    for c in query_candidates(session, actor, search=words[0]):
        name = f"{c.first_name} {c.last_name} {projects.get(c.project_id, '')}".lower()
        if all(w in name for w in words):
            found.append((c, candidate_label(c, projects)))
    return found[:limit]


def resolve_candidate(session: Session, actor: Principal, text: str, chosen_id: int | None,
                      field: str = "candidate_name") -> int | None:
    """The candidate a person chose by name: the one picked from the list (its label still as typed), or
    the only one whose name matches what was typed."""
    text = (text or "").strip()
    if not text:
        return None
    found = search_candidates(session, actor, text, limit=50)
    for candidate, label in found:
        if candidate.id == chosen_id and label.lower() == text.lower():
            return candidate.id
    exact = [c for c, label in found if label.lower() == text.lower()
             or f"{c.first_name} {c.last_name}".lower() == text.lower()]
    matches = exact or [c for c, _ in found]
    if len(matches) == 1:
        return matches[0].id
    if not matches:
        raise Invalid(f"Fant ingen kandidat som heter «{text}».", field=field)
    names = ", ".join(label for _, label in found[:5])
    raise Invalid(f"Flere kandidater passer med «{text}»: {names}. Velg én fra listen.", field=field)


def search_employers(session: Session, text: str, limit: int = 10) -> list[Employer]:
    text = (text or "").strip()
    return list_employers(session, search=text)[:limit] if text else []


def resolve_employer(session: Session, text: str, chosen_id: int | None, field: str = "employer_name") -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    found = search_employers(session, text, limit=50)
    for employer in found:
        if employer.id == chosen_id and employer.name.lower() == text.lower():
            return employer.id
    exact = [e for e in found if e.name.lower() == text.lower()]
    matches = exact or found
    if len(matches) == 1:
        return matches[0].id
    if not matches:
        raise Invalid(f"Fant ingen arbeidsgiver som heter «{text}».", field=field)
    raise Invalid(f"Flere arbeidsgivere passer med «{text}»: {', '.join(e.name for e in found[:5])}. "
                  "Velg én fra listen.", field=field)


def owner_choices(session: Session) -> list[User]:
    return list(session.exec(select(User).where(col(User.active).is_(True), col(User.role).in_(
        [r.value for r in OWNER_ROLES])).order_by(User.full_name)))
