"""The shared plan (handlingsplan): one per candidate, shared by staff, consultants and the candidate.

Goals, tasks with an owner (the candidate, a staff member or a consultant), review dates, comments;
every change is kept as a `PlanEvent` with who and when. A task's owner must be on the candidate's
case (`people_on_case`). The checklist's missing items and the match run's "what would unlock more
jobs" become tasks with one click, owned by whoever must act, and never twice.

Access: staff, consultants and admin through `candidates.service.get_candidate` (staff: own project).
The candidate themselves (role `candidate`, the job seeker's own page) may tick and comment on the
tasks that are theirs: `_check_access` reads the principal's `candidate_id` for that."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from accounts.models import User
from accounts.service import Principal
from candidates.catalogue import SECTORS
from candidates.handover import standing_partner
from candidates.models import Candidate
from candidates.service import flush_or_conflict, get_candidate, visible_ids
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.labels import ACTOR, PLAN_EVENT, PLAN_FIELD, TASK_STATUS, WORKING_HOURS, certificate_in_sentence
from core.labels import date_nb as _d
from core.occupations import is_unit_group, occupation_title
from core.types import Role, today, utcnow
from matching.models import UnlockSuggestionRow
from plans.models import Plan, PlanComment, PlanEvent, PlanGoal, PlanReview, PlanTask
from plans.schemas import (
    CasePerson,
    CommentIn,
    CommentPublic,
    DueReview,
    DueTask,
    GoalIn,
    GoalKind,
    GoalPublic,
    OwnerKind,
    PlanEventPublic,
    PlanPublic,
    PlanUpdate,
    ReviewIn,
    ReviewPublic,
    TaskIn,
    TaskPublic,
    TaskStatus,
    TaskUpdate,
)
from readiness.service import active_definition, readiness_of

STAFF_ROLES = (Role.admin, Role.consultant, Role.staff)
CANDIDATE_NAME = "Kandidaten"  # how the candidate appears in the history (never their name: erasure)
UNASSIGNED = {"staff": "Veileder (ikke fordelt)", "consultant": "Konsulent (ikke fordelt)"}
ONE_CLICK_DAYS = 14  # a task made with one click is due in two weeks (change it on the task)
ON_CASE_RULE = ("Den som eier en oppgave må være på kandidatens sak: kontaktpersonen, en veileder i "
                "kandidatens prosjekt, en konsulent, eller kandidaten selv.")


# ---------------------------------------------------------------- who is on the case


def people_on_case(session: Session, candidate: Candidate) -> list[CasePerson]:
    """The people who work on this candidate's case and may own tasks in the plan: the contact person,
    staff of the candidate's project, and the consultants of the recruitment partner the candidate is
    handed over to now (none while no handover stands). The candidate is on their own case too
    (owner kind `candidate`, no user)."""
    people: dict[int, CasePerson] = {}
    if candidate.contact_person_id is not None:
        user = session.get(User, candidate.contact_person_id)
        if user is not None and user.active:
            people[user.id] = CasePerson(user_id=user.id, name=user.full_name, role=user.role, why="kontaktperson")
    staff = session.exec(select(User).where(User.role == Role.staff, User.project_id == candidate.project_id,
                                            col(User.active).is_(True)).order_by(User.full_name, User.id))
    for user in staff:
        people.setdefault(user.id, CasePerson(user_id=user.id, name=user.full_name, role=user.role,
                                              why="veileder i prosjektet"))
    partner = standing_partner(session, [candidate.id]).get(candidate.id)
    consultants = session.exec(select(User).where(User.role == Role.consultant, col(User.active).is_(True),
                                                  User.partner_id == partner).order_by(User.full_name, User.id)) \
        if partner is not None else []
    for user in consultants:
        people.setdefault(user.id, CasePerson(user_id=user.id, name=user.full_name, role=user.role, why="konsulent"))
    return list(people.values())


def _owner_roles(kind: OwnerKind) -> tuple[str, ...]:
    # An admin who is someone's contact person may own the staff side of their plan.
    return ("staff", "admin") if kind is OwnerKind.staff else ("consultant", "admin")


def _check_owner(session: Session, candidate: Candidate, kind: OwnerKind, user_id: int | None) -> None:
    if kind is OwnerKind.candidate:
        if user_id is not None:
            raise Invalid("En oppgave kandidaten eier har ingen ansvarlig veileder eller konsulent.",
                          field="owner_user_id")
        return
    if user_id is None:
        return  # not yet given to anyone: shown as "ikke fordelt"
    on_case = {p.user_id: p for p in people_on_case(session, candidate)}
    person = on_case.get(user_id)
    if person is None:
        user = session.get(User, user_id)
        who = f"{user.full_name} " if user is not None else f"Bruker {user_id} "
        raise Invalid(f"{who}er ikke på kandidatens sak. {ON_CASE_RULE}", field="owner_user_id")
    if person.role not in _owner_roles(kind):
        raise Invalid(f"{person.name} er ikke {ACTOR[kind.value].lower()}; velg en annen ansvarlig eller en annen "
                      "eier.", field="owner_user_id")


def _default_owner(session: Session, candidate: Candidate, kind: OwnerKind, actor: Principal) -> int | None:
    """For a one-click task: the acting person when they are of the kind that must act, otherwise the
    contact person when they are, otherwise the only one of that kind on the case."""
    if kind is OwnerKind.candidate:
        return None
    people = {p.user_id: p for p in people_on_case(session, candidate) if p.role == kind.value}
    for wanted in (actor.user_id, candidate.contact_person_id):
        if wanted in people:
            return wanted
    return next(iter(people)) if len(people) == 1 else None


# ---------------------------------------------------------------- access, plan, history


def _check_access(session: Session, candidate_id: int, actor: Principal) -> Candidate:
    if actor.role in STAFF_ROLES:
        return get_candidate(session, candidate_id, actor)
    # The candidate themselves: a principal bound to one candidate record (issue 15's role `candidate`).
    if getattr(actor, "candidate_id", None) == candidate_id:
        candidate = session.get(Candidate, candidate_id)
        if candidate is not None:
            return candidate
    raise Forbidden("Du har ikke tilgang til denne planen.")


def _is_candidate(actor: Principal) -> bool:
    return actor.role not in STAFF_ROLES


def _actor_name(actor: Principal) -> str:
    return CANDIDATE_NAME if _is_candidate(actor) else actor.name


def _plan_of(session: Session, candidate_id: int, *, lock: bool = False) -> Plan | None:
    stmt = select(Plan).where(Plan.candidate_id == candidate_id)
    if lock:  # one writer at a time on a plan's one-click tasks (PostgreSQL; SQLite locks the database)
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


def _event(session: Session, plan: Plan, kind: str, actor: Principal, *, task: PlanTask | None = None,
           goal: PlanGoal | None = None, what: str | None = None, changes: dict | None = None,
           when: datetime | None = None) -> None:
    session.add(PlanEvent(plan_id=plan.id, candidate_id=plan.candidate_id, kind=kind,
                          task_id=task.id if task else None, goal_id=goal.id if goal else None,
                          what=what if what is not None else (task.title if task else None),
                          changes=changes or {}, changed_at=when or utcnow(), changed_by=actor.user_id,
                          changed_by_name=_actor_name(actor)))


def ensure_plan(session: Session, candidate_id: int, actor: Principal, when: datetime | None = None) -> Plan:
    """The candidate's plan, made now if there is none yet (one per candidate)."""
    candidate = _check_access(session, candidate_id, actor)
    if _is_candidate(actor):
        raise Forbidden("Planen lages av veilederen eller konsulenten.")
    plan = _plan_of(session, candidate.id, lock=True)
    if plan is None:
        plan = Plan(candidate_id=candidate.id, created_by=actor.user_id, created_at=when or utcnow(),
                    updated_at=when or utcnow())
        session.add(plan)
        try:
            session.flush()
        except IntegrityError:  # two first writers raced on the one plan per candidate
            session.rollback()
            raise Conflict("Planen ble laget samtidig av noen andre. Last inn på nytt.") from None
        _event(session, plan, "plan_created", actor, when=when)
    return plan


def _touch(plan: Plan, when: datetime | None = None) -> None:
    plan.updated_at = when or utcnow()


def _staff_only(actor: Principal) -> None:
    if _is_candidate(actor):
        raise Forbidden("Dette gjør veilederen eller konsulenten. Du kan krysse av og kommentere dine egne oppgaver.")


# ---------------------------------------------------------------- goals


def goal_label(goal: PlanGoal) -> str:
    kind = GoalKind(goal.kind)
    if kind is GoalKind.sector:
        head = f"Bransje: {SECTORS.get(goal.value or '', goal.value)}"
    elif kind is GoalKind.occupation:
        head = f"Yrke: {occupation_title(goal.value)}" if is_unit_group(goal.value) else f"Yrke: {goal.value}"
    elif kind is GoalKind.share:
        head = f"Stillingsandel: {goal.value} % av et årsverk"
    else:
        return goal.text or ""
    return head + (f" ({goal.text})" if goal.text else "")


def _goal_value(data: GoalIn) -> str | None:
    if data.kind is GoalKind.sector:
        if not data.sector:
            raise Invalid("Velg en bransje.", field="sector")
        if data.sector not in SECTORS:
            raise Invalid("Bransjen finnes ikke i listen.", field="sector")
        return data.sector
    if data.kind is GoalKind.occupation:
        code = (data.occupation_code or "").strip()[:4]
        if not is_unit_group(code):
            raise Invalid("Velg et yrke (fire siffer i STYRK-08).", field="occupation_code")
        return code
    if data.kind is GoalKind.share:
        if data.fte is None:
            raise Invalid("Skriv ønsket stillingsandel i prosent.", field="fte")
        return str(data.fte)
    if not data.text:
        raise Invalid("Skriv målet.", field="text")
    return None


def add_goal(session: Session, candidate_id: int, data: GoalIn, actor: Principal,
             when: datetime | None = None) -> PlanGoal:
    _staff_only(actor)
    value = _goal_value(data)
    plan = ensure_plan(session, candidate_id, actor, when)
    if value is not None:
        same = session.exec(select(PlanGoal).where(PlanGoal.plan_id == plan.id, PlanGoal.kind == data.kind.value,
                                                   PlanGoal.value == value, col(PlanGoal.removed_at).is_(None))).first()
        if same is not None:
            raise Conflict(f"Målet står allerede i planen: {goal_label(same)}.", field="kind")
    goal = PlanGoal(plan_id=plan.id, candidate_id=plan.candidate_id, kind=data.kind.value, value=value,
                    text=data.text, created_by=actor.user_id, created_at=when or utcnow())
    session.add(goal)
    session.flush()
    _event(session, plan, "goal_added", actor, goal=goal, what=goal_label(goal), when=when)
    _touch(plan, when)
    flush_or_conflict(session, "Planen ble endret samtidig av noen andre. Last inn på nytt.")
    return goal


def remove_goal(session: Session, candidate_id: int, goal_id: int, actor: Principal) -> PlanGoal:
    _staff_only(actor)
    _check_access(session, candidate_id, actor)
    goal = session.get(PlanGoal, goal_id)
    if goal is None or goal.candidate_id != candidate_id:
        raise NotFound(f"Målet {goal_id} finnes ikke i planen.")
    if goal.removed_at is None:
        goal.removed_at = utcnow()
        plan = session.get(Plan, goal.plan_id)
        _event(session, plan, "goal_removed", actor, goal=goal, what=goal_label(goal))
        _touch(plan)
        flush_or_conflict(session, "Planen ble endret samtidig av noen andre. Last inn på nytt.")
    return goal


# ---------------------------------------------------------------- tasks


def _get_task(session: Session, candidate_id: int | None, task_id: int) -> PlanTask:
    task = session.get(PlanTask, task_id)
    if task is None or (candidate_id is not None and task.candidate_id != candidate_id):
        raise NotFound(f"Oppgave {task_id} finnes ikke i planen.")
    return task


def task_of(session: Session, candidate_id: int, task_id: int) -> PlanTask:
    """The task, if it is in this candidate's plan (404 otherwise)."""
    return _get_task(session, candidate_id, task_id)


def add_task(session: Session, candidate_id: int, data: TaskIn, actor: Principal, *, source: str | None = None,
             when: datetime | None = None) -> PlanTask:
    _staff_only(actor)
    candidate = _check_access(session, candidate_id, actor)
    _check_owner(session, candidate, data.owner_kind, data.owner_user_id)
    plan = ensure_plan(session, candidate_id, actor, when)
    moment = when or utcnow()
    task = PlanTask(plan_id=plan.id, candidate_id=candidate_id, title=data.title, description=data.description,
                    owner_kind=data.owner_kind.value, owner_user_id=data.owner_user_id, due_on=data.due_on,
                    source=source, created_by=actor.user_id, created_at=moment, updated_at=moment)
    session.add(task)
    session.flush()
    _event(session, plan, "task_added", actor, task=task, when=when, changes={
        "owner": [None, _owner_text(session, task)], **({"due_on": [None, _d(task.due_on)]} if task.due_on else {})})
    _touch(plan, when)
    flush_or_conflict(session, "Planen ble endret samtidig av noen andre. Last inn på nytt.")
    return task


def _owner_text(session: Session, task: PlanTask, names: dict[int, str] | None = None) -> str:
    if task.owner_kind == OwnerKind.candidate:
        return CANDIDATE_NAME
    if task.owner_user_id is None:
        return UNASSIGNED[task.owner_kind]
    if names is not None and task.owner_user_id in names:
        return names[task.owner_user_id]
    user = session.get(User, task.owner_user_id)
    return user.full_name if user else UNASSIGNED[task.owner_kind]


def _status_event(before: str, after: str) -> str:
    return {"done": "task_done", "dropped": "task_dropped"}.get(after, "task_reopened") if before != after \
        else "task_changed"


def update_task(session: Session, candidate_id: int, task_id: int, data: TaskUpdate, actor: Principal) -> PlanTask:
    _staff_only(actor)
    candidate = _check_access(session, candidate_id, actor)
    task = _get_task(session, candidate_id, task_id)
    if data.version is not None and data.version != task.version:
        raise Conflict(f"Oppgaven er endret av noen andre (versjon {task.version}, du sendte {data.version}). "
                       "Last inn på nytt.", field="version")
    sent = data.model_fields_set - {"version"}
    kind = data.owner_kind if "owner_kind" in sent and data.owner_kind else OwnerKind(task.owner_kind)
    owner = data.owner_user_id if "owner_user_id" in sent else task.owner_user_id
    if kind is OwnerKind.candidate and "owner_user_id" not in sent:
        owner = None
    if kind.value != task.owner_kind or owner != task.owner_user_id:
        _check_owner(session, candidate, kind, owner)
    before_owner, before_status = _owner_text(session, task), task.status
    changes: dict[str, list] = {}
    for field in ("title", "description", "due_on", "status"):
        if field not in sent:
            continue
        value = getattr(data, field)
        if field == "title" and value is None:
            raise Invalid("Oppgaven må ha en tittel.", field="title")
        if field == "status":
            if value is None:
                raise Invalid("Velg en status.", field="status")
            value = value.value
        if value != getattr(task, field):
            old = getattr(task, field)
            changes[field] = [_d(old), _d(value)] if field == "due_on" else [old, value]
            setattr(task, field, value)
    task.owner_kind, task.owner_user_id = kind.value, owner
    if _owner_text(session, task) != before_owner:
        changes["owner"] = [before_owner, _owner_text(session, task)]
    if not changes:
        return task
    if task.status != before_status:
        task.done_at = utcnow() if task.status == TaskStatus.done else None
    task.updated_at = utcnow()
    plan = session.get(Plan, task.plan_id)
    _event(session, plan, _status_event(before_status, task.status), actor, task=task, changes=changes)
    _touch(plan)
    flush_or_conflict(session, "Oppgaven ble endret samtidig av noen andre. Last inn på nytt.")
    return task


def _comment(session: Session, task: PlanTask, text: str, actor: Principal, when: datetime | None = None) -> None:
    session.add(PlanComment(task_id=task.id, candidate_id=task.candidate_id, text=text, written_by=actor.user_id,
                            written_by_name=_actor_name(actor), written_at=when or utcnow()))


def tick_task(session: Session, task_id: int, actor: Principal, comment: str | None = None,
              when: datetime | None = None) -> PlanTask:
    """Mark a task done, with an optional comment. Staff and consultants may tick any task of a
    candidate they see; the candidate only their own (owner kind candidate). Ticking a done task
    again changes nothing (a comment is still added)."""
    task = _get_task(session, None, task_id)
    _check_access(session, task.candidate_id, actor)
    if _is_candidate(actor) and task.owner_kind != OwnerKind.candidate:
        raise Forbidden("Du kan bare krysse av oppgaver som er dine.")
    plan = session.get(Plan, task.plan_id)
    moment = when or utcnow()
    if task.status != TaskStatus.done:
        before = task.status
        task.status, task.done_at, task.updated_at = TaskStatus.done.value, moment, moment
        _event(session, plan, "task_done", actor, task=task, when=when,
               changes={"status": [before, TaskStatus.done.value]})
    if comment and comment.strip():
        _comment(session, task, comment.strip(), actor, when)
        _event(session, plan, "comment_added", actor, task=task, when=when, changes={"comment": [None, comment.strip()]})
    _touch(plan, when)
    flush_or_conflict(session, "Oppgaven ble endret samtidig av noen andre. Last inn på nytt.")
    return task


def add_comment(session: Session, candidate_id: int, task_id: int, data: CommentIn, actor: Principal) -> PlanTask:
    _check_access(session, candidate_id, actor)
    task = _get_task(session, candidate_id, task_id)
    if _is_candidate(actor) and task.owner_kind != OwnerKind.candidate:
        raise Forbidden("Du kan bare kommentere oppgaver som er dine.")
    plan = session.get(Plan, task.plan_id)
    _comment(session, task, data.text, actor)
    _event(session, plan, "comment_added", actor, task=task, changes={"comment": [None, data.text]})
    _touch(plan)
    flush_or_conflict(session, "Planen ble endret samtidig av noen andre. Last inn på nytt.")
    return task


# ---------------------------------------------------------------- one click: checklist and unlock suggestions


def _open_task(session: Session, candidate_id: int, source: str) -> PlanTask | None:
    return session.exec(select(PlanTask).where(PlanTask.candidate_id == candidate_id, PlanTask.source == source,
                                               PlanTask.status == TaskStatus.open.value)).first()


def _from_source(session: Session, candidate_id: int, source: str, data: TaskIn, actor: Principal
                 ) -> tuple[PlanTask, bool]:
    ensure_plan(session, candidate_id, actor)  # locks the plan row: two clicks at once make one task
    existing = _open_task(session, candidate_id, source)
    if existing is not None:
        return existing, False
    return add_task(session, candidate_id, data, actor, source=source), True


def task_from_checklist(session: Session, candidate_id: int, item_key: str, actor: Principal
                        ) -> tuple[PlanTask, bool]:
    """A missing checklist item as a task, owned by whoever must act. (task, created): created is False
    when an open task for the item is already in the plan."""
    _staff_only(actor)
    candidate = _check_access(session, candidate_id, actor)
    readiness = readiness_of(session, candidate_id, actor)
    who = next((kind for kind, keys in readiness.missing.items() if item_key in keys), None)
    item = active_definition(session).item(item_key)
    if item is None:
        raise NotFound(f"Sjekklisten har ikke punktet {item_key}.")
    if who is None:
        existing = _open_task(session, candidate_id, f"checklist:{item_key}")
        if existing is not None:  # clicked again after the item was done: still the one task
            return existing, False
        raise Invalid(f"«{item.label}» mangler ikke lenger; det trengs ingen oppgave.", field="item_key")
    kind = OwnerKind(who)
    data = TaskIn(title=item.label, description=item.description or None, owner_kind=kind,
                  owner_user_id=_default_owner(session, candidate, kind, actor),
                  due_on=today() + timedelta(days=ONE_CLICK_DAYS))
    return _from_source(session, candidate_id, f"checklist:{item_key}", data, actor)


UNLOCK_TITLE = {
    "certificate": lambda v: f"Skaffe {certificate_in_sentence(v)}",
    "norwegian": lambda v: f"Nå norsknivå {v}",
    "hours": lambda v: f"Vurdere å jobbe {WORKING_HOURS.get(v, v)}",
    "commute": lambda v: f"Vurdere reisevei inntil {v} km",
}


def task_from_unlock(session: Session, candidate_id: int, suggestion_id: int, actor: Principal
                     ) -> tuple[PlanTask, bool]:
    """A match run's "what would unlock more jobs" as a task for the candidate (it is theirs to
    get the certificate, the level, or to widen their hours or travel)."""
    _staff_only(actor)
    _check_access(session, candidate_id, actor)
    row = session.get(UnlockSuggestionRow, suggestion_id)
    if row is None or row.candidate_id != candidate_id:
        raise NotFound(f"Forslaget {suggestion_id} finnes ikke for kandidaten.")
    title = UNLOCK_TITLE.get(row.kind, lambda v: v)(row.value)
    text = row.text[:1].upper() + row.text[1:] + "."
    data = TaskIn(title=title, description=text, owner_kind=OwnerKind.candidate,
                  due_on=today() + timedelta(days=ONE_CLICK_DAYS))
    return _from_source(session, candidate_id, f"unlock:{row.kind}:{row.value}", data, actor)


# ---------------------------------------------------------------- reviews


def set_next_review(session: Session, candidate_id: int, data: PlanUpdate, actor: Principal) -> Plan:
    _staff_only(actor)
    plan = ensure_plan(session, candidate_id, actor)
    if data.next_review_on != plan.next_review_on:
        _event(session, plan, "review_planned", actor,
               changes={"next_review_on": [_d(plan.next_review_on), _d(data.next_review_on)]})
        plan.next_review_on = data.next_review_on
        _touch(plan)
        flush_or_conflict(session, "Planen ble endret samtidig av noen andre. Last inn på nytt.")
    return plan


def record_review(session: Session, candidate_id: int, data: ReviewIn, actor: Principal,
                  when: datetime | None = None) -> PlanReview:
    """A review that was held (not in the future), and the next one (after it, or none)."""
    _staff_only(actor)
    if data.held_on > today():
        raise Invalid("En gjennomgang som er holdt kan ikke ha en dato fram i tid.", field="held_on")
    if data.next_review_on is not None and data.next_review_on <= data.held_on:
        raise Invalid("Neste gjennomgang må være etter denne.", field="next_review_on")
    plan = ensure_plan(session, candidate_id, actor, when)
    review = PlanReview(plan_id=plan.id, candidate_id=candidate_id, held_on=data.held_on, note=data.note,
                        recorded_by=actor.user_id, recorded_by_name=_actor_name(actor), recorded_at=when or utcnow())
    session.add(review)
    changes = {"held_on": [None, _d(data.held_on)]}
    if data.next_review_on != plan.next_review_on:
        changes["next_review_on"] = [_d(plan.next_review_on), _d(data.next_review_on)]
    plan.next_review_on = data.next_review_on
    _event(session, plan, "review_held", actor, what=data.note, changes=changes, when=when)
    _touch(plan, when)
    flush_or_conflict(session, "Planen ble endret samtidig av noen andre. Last inn på nytt.")
    return review


# ---------------------------------------------------------------- read models


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(ids))).all())


def _task_public(task: PlanTask, owner: str, comments: list[PlanComment], day: date) -> TaskPublic:
    return TaskPublic(
        id=task.id, title=task.title, description=task.description, owner_kind=task.owner_kind,
        owner_user_id=task.owner_user_id, owner_name=owner, due_on=task.due_on,
        overdue=task.status == TaskStatus.open and task.due_on is not None and task.due_on < day,
        status=task.status, source=task.source, created_at=task.created_at, updated_at=task.updated_at,
        done_at=task.done_at, version=task.version,
        comments=[CommentPublic(id=c.id, text=c.text, written_at=c.written_at, written_by=c.written_by_name)
                  for c in comments])


def candidate_plan(session: Session, candidate_id: int) -> PlanPublic:
    """The plan as everyone on the case reads it (the caller checks who may see the candidate).
    Open tasks first, by due date; removed goals are only in the history."""
    plan = _plan_of(session, candidate_id)
    if plan is None:
        return PlanPublic(candidate_id=candidate_id, exists=False)
    day = today()
    goals = session.exec(select(PlanGoal).where(PlanGoal.plan_id == plan.id, col(PlanGoal.removed_at).is_(None))
                         .order_by(PlanGoal.id)).all()
    tasks = session.exec(select(PlanTask).where(PlanTask.plan_id == plan.id).order_by(PlanTask.id)).all()
    comments: dict[int, list[PlanComment]] = defaultdict(list)
    for c in session.exec(select(PlanComment).where(PlanComment.candidate_id == candidate_id)
                          .order_by(PlanComment.written_at, PlanComment.id)):
        comments[c.task_id].append(c)
    names = _names(session, {t.owner_user_id for t in tasks if t.owner_user_id is not None})
    order = {TaskStatus.open.value: 0, TaskStatus.done.value: 1, TaskStatus.dropped.value: 2}
    tasks = sorted(tasks, key=lambda t: (order.get(t.status, 3), t.due_on or date.max, t.id))
    reviews = session.exec(select(PlanReview).where(PlanReview.plan_id == plan.id)
                           .order_by(col(PlanReview.held_on).desc(), col(PlanReview.id).desc())).all()
    return PlanPublic(
        candidate_id=candidate_id, exists=True, created_at=plan.created_at, next_review_on=plan.next_review_on,
        review_overdue=plan.next_review_on is not None and plan.next_review_on < day, version=plan.version,
        goals=[GoalPublic(id=g.id, kind=g.kind, value=g.value, text=g.text, label=goal_label(g),
                          created_at=g.created_at) for g in goals],
        tasks=[_task_public(t, _owner_text(session, t, names), comments[t.id], day) for t in tasks],
        reviews=[ReviewPublic(id=r.id, held_on=r.held_on, note=r.note, recorded_by=r.recorded_by_name,
                              recorded_at=r.recorded_at) for r in reviews])


def get_plan(session: Session, candidate_id: int, actor: Principal) -> PlanPublic:
    _check_access(session, candidate_id, actor)
    return candidate_plan(session, candidate_id)


def _change_text(field: str, before, after) -> str:
    name = PLAN_FIELD.get(field, field)
    if field == "status":
        before, after = TASK_STATUS.get(before, before), TASK_STATUS.get(after, after)
    if field == "comment":
        return f"«{after}»"
    if before in (None, ""):
        return f"{name}: {after}"
    if after in (None, ""):
        return f"{name}: {before} → ingen"
    return f"{name}: {before} → {after}"


def event_text(event: PlanEvent) -> str:
    head = PLAN_EVENT.get(event.kind, event.kind)
    if event.what and event.kind != "review_held":
        head += f": {event.what}"
    parts = [_change_text(f, b, a) for f, (b, a) in (event.changes or {}).items()
             if not (event.kind in ("task_done", "task_dropped", "task_reopened") and f == "status")]
    if event.kind == "review_held" and event.what:
        parts.append(f"«{event.what}»")
    return head + (" (" + "; ".join(parts) + ")" if parts else "")


def plan_history(session: Session, candidate_id: int, actor: Principal) -> list[PlanEventPublic]:
    """Every change of the plan, newest first, with who and when."""
    _check_access(session, candidate_id, actor)
    events = session.exec(select(PlanEvent).where(PlanEvent.candidate_id == candidate_id)
                          .order_by(col(PlanEvent.changed_at).desc(), col(PlanEvent.id).desc()))
    return [PlanEventPublic(id=e.id, kind=e.kind, text=event_text(e), task_id=e.task_id, goal_id=e.goal_id,
                            changed_at=e.changed_at, changed_by=e.changed_by_name) for e in events]


def _candidate_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Candidate.id, Candidate.first_name, Candidate.last_name)
                        .where(col(Candidate.id).in_(ids))).all()
    return {i: f"{f} {la}" for i, f, la in rows}


def _live(stmt):
    """Only candidates still in the programme's files (not archived or erased)."""
    return stmt.join(Candidate, Candidate.id == PlanTask.candidate_id).where(
        col(Candidate.archived_at).is_(None), col(Candidate.erased_at).is_(None))


def tasks_due(session: Session, user_id: int, until: date) -> list[DueTask]:
    """Open tasks owned by the user that are due on or before `until` (overdue ones first), for the
    dashboard and the agenda."""
    day = today()
    tasks = session.exec(_live(select(PlanTask)).where(
        PlanTask.owner_user_id == user_id, PlanTask.status == TaskStatus.open.value,
        col(PlanTask.due_on).is_not(None), col(PlanTask.due_on) <= until)
        .order_by(PlanTask.due_on, PlanTask.id)).all()
    names = _candidate_names(session, {t.candidate_id for t in tasks})
    return [DueTask(task_id=t.id, candidate_id=t.candidate_id, candidate_name=names.get(t.candidate_id, ""),
                    title=t.title, due_on=t.due_on, days_overdue=(day - t.due_on).days) for t in tasks]


def reviews_due(session: Session, user_id: int, until: date) -> list[DueReview]:
    """Plan reviews on or before `until` of the candidates the user is contact person for."""
    day = today()
    rows = session.exec(select(Plan, Candidate).join(Candidate, Candidate.id == Plan.candidate_id).where(
        Candidate.contact_person_id == user_id, col(Candidate.archived_at).is_(None),
        col(Candidate.erased_at).is_(None), col(Plan.next_review_on).is_not(None), col(Plan.next_review_on) <= until)
        .order_by(Plan.next_review_on, Plan.id)).all()
    return [DueReview(candidate_id=c.id, candidate_name=f"{c.first_name} {c.last_name}",
                      next_review_on=p.next_review_on, days_overdue=(day - p.next_review_on).days) for p, c in rows]


def visible(session: Session, actor: Principal, rows: list) -> list:
    """Only the rows about candidates the actor may see (a staff member who changed project keeps
    their tasks, but not the sight of another project's candidates)."""
    seen = visible_ids(session, actor, {r.candidate_id for r in rows})
    return [r for r in rows if r.candidate_id in seen]


def task_owner_choices(session: Session, candidate_id: int, actor: Principal) -> list[CasePerson]:
    """Who a task can be given to (for the forms)."""
    return people_on_case(session, _check_access(session, candidate_id, actor))
