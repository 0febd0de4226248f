"""Readiness rules around the pure scoring: definitions, recording evidence, history, progress."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from accounts.service import Principal
from candidates.models import Candidate
from candidates.schemas import CandidateSummary
from candidates.service import flush_or_conflict, get_candidate, query_candidates
from core.errors import Conflict, Invalid, NotFound
from core.types import start_of_day, today, utcnow
from readiness import default_definition
from readiness.models import ChecklistDefinition, ChecklistItem, ItemStatus, ItemStatusEvent
from readiness.schemas import (
    ChecklistItemIn,
    ChecklistItemPublic,
    DefinitionIn,
    DefinitionPublic,
    HistoryEntry,
    ItemStatusPublic,
    ItemUpdate,
    ProgressEntry,
    ProgressReport,
    ReadinessOverview,
    ReadinessPublic,
    StepCount,
)
from readiness.scoring import (
    ACTORS,
    STEP_LABELS,
    Evaluation,
    ItemRule,
    ItemState,
    ItemStatusValue,
    evaluate,
)


@dataclass(frozen=True)
class Definition:
    """A loaded definition version: the row, its items, and the rules the scorer reads."""

    row: ChecklistDefinition
    items: list[ChecklistItem]

    @property
    def rules(self) -> list[ItemRule]:
        return [
            ItemRule(i.key, i.label, i.kind, i.weight, i.step, i.actor, i.expiry_days) for i in self.items
        ]

    def item(self, key: str) -> ChecklistItem | None:
        return next((i for i in self.items if i.key == key), None)

    def evaluate(self, states: dict[str, ItemState], as_of: date, candidate: Candidate | None = None) -> Evaluation:
        return evaluate(
            self.rules,
            states,
            as_of=as_of,
            ready_threshold=self.row.ready_threshold,
            definition_version=self.row.version,
            programme_status=candidate.programme_status if candidate else "active",
            exit_assessment=candidate.exit_assessment if candidate else None,
        )


# ---------------------------------------------------------------- definitions


def _load(session: Session, row: ChecklistDefinition) -> Definition:
    items = session.exec(
        select(ChecklistItem).where(ChecklistItem.definition_id == row.id).order_by(ChecklistItem.position)
    ).all()
    return Definition(row, list(items))


def _insert_definition(
    session: Session, data: DefinitionIn, created_by: int | None, created_at: datetime | None = None
) -> Definition:
    latest = session.exec(select(func.max(ChecklistDefinition.version))).one()
    row = ChecklistDefinition(
        version=(latest or 0) + 1,
        title=data.title,
        ready_threshold=data.ready_threshold,
        created_by=created_by,
        created_at=created_at or utcnow(),
    )
    session.add(row)
    session.flush()
    for position, item in enumerate(data.items, start=1):
        session.add(ChecklistItem(definition_id=row.id, position=position, **item.model_dump(mode="json")))
    try:
        session.flush()
    except IntegrityError:  # two definitions published at once got the same version number
        session.rollback()
        raise Conflict("En annen versjon ble publisert samtidig. Prøv igjen.") from None
    return _load(session, row)


def _definition_in(title: str, items: list[tuple]) -> DefinitionIn:
    keys = ("key", "label", "description", "kind", "weight", "evidence_required", "expiry_days", "actor", "step")
    return DefinitionIn(
        title=title,
        ready_threshold=default_definition.READY_THRESHOLD,
        items=[dict(zip(keys, values, strict=True)) for values in items],
    )


def default_definition_in() -> DefinitionIn:
    """The current shipped checklist."""
    return _definition_in(default_definition.TITLE, default_definition.ITEMS)


def first_shipped_definition_in() -> DefinitionIn:
    return _definition_in(default_definition.TITLE_V1, default_definition.ITEMS_V1)


def _is_first_shipped(definition: Definition) -> bool:
    shipped = first_shipped_definition_in()
    return definition.row.title == shipped.title and [
        (i.key, i.label, i.kind, i.weight) for i in definition.items] == [
        (i.key, i.label, i.kind.value, i.weight) for i in shipped.items]


def ensure_default_definition(session: Session, created_at: datetime | None = None) -> Definition:
    """The shipped checklist: created on an empty database (as version 1). A database still on the
    first shipped edition gets the current one published as a new version, the same way an admin
    publishes one (evidence carries over by key; the old version stays as it was). A definition an
    admin published is never replaced."""
    row = session.exec(select(ChecklistDefinition).order_by(ChecklistDefinition.version)).first()
    if row is None:
        return _insert_definition(session, default_definition_in(), None, created_at)
    active = _load(session, session.exec(
        select(ChecklistDefinition).order_by(col(ChecklistDefinition.version).desc())).first())
    if _is_first_shipped(active):
        return _insert_definition(session, default_definition_in(), None, created_at)
    return active


def create_definition(session: Session, data: DefinitionIn, actor: Principal) -> Definition:
    return _insert_definition(session, data, actor.user_id)


def active_definition(session: Session) -> Definition:
    row = session.exec(select(ChecklistDefinition).order_by(col(ChecklistDefinition.version).desc())).first()
    if row is None:
        return ensure_default_definition(session)
    return _load(session, row)


def get_definition(session: Session, version: int) -> Definition:
    row = session.exec(select(ChecklistDefinition).where(ChecklistDefinition.version == version)).first()
    if row is None:
        raise NotFound(f"Sjekklisten har ingen versjon {version}.")
    return _load(session, row)


def definitions_by_time(session: Session) -> list[Definition]:
    rows = session.exec(select(ChecklistDefinition).order_by(ChecklistDefinition.version)).all()
    return [_load(session, row) for row in rows]


def definition_in_force(definitions: Sequence[Definition], moment: datetime) -> Definition:
    """The newest version created before `moment`; the first version for earlier moments."""
    in_force = [d for d in definitions if d.row.created_at <= moment]
    return in_force[-1] if in_force else definitions[0]


def to_public_definition(definition: Definition) -> DefinitionPublic:
    return DefinitionPublic(
        version=definition.row.version,
        title=definition.row.title,
        ready_threshold=definition.row.ready_threshold,
        created_at=definition.row.created_at,
        items=[ChecklistItemPublic(**i.model_dump()) for i in definition.items],
    )


# ---------------------------------------------------------------- recording evidence


def _check_update(item: ChecklistItem, update: ItemUpdate) -> None:
    if update.status is ItemStatusValue.done:
        if update.evidence_date is None:
            raise Invalid(f"'{item.label}' kan bare settes til done med dato for dokumentasjonen.", field="evidence_date")
        if item.evidence_required and not (update.document_ref or "").strip():
            raise Invalid(f"'{item.label}' krever dokumentasjon (document_ref).", field="document_ref")
    if update.status is ItemStatusValue.not_relevant and not (update.note or "").strip():
        raise Invalid("Skriv i note hvorfor punktet ikke er relevant.", field="note")


def set_item_status(
    session: Session,
    candidate_id: int,
    item_key: str,
    update: ItemUpdate,
    actor: Principal,
    changed_at: datetime | None = None,
    definition: Definition | None = None,
) -> ItemStatus:
    """Record an item's status with its evidence, and keep the change in the history.
    `changed_at` and `definition` are for bulk imports of earlier history (which pass the active
    definition once instead of loading it per item); the API always records now."""
    get_candidate(session, candidate_id, actor)
    definition = definition or active_definition(session)
    item = definition.item(item_key)
    if item is None:
        raise Invalid(
            f"Sjekklisten (versjon {definition.row.version}) har ikke punktet '{item_key}'.", field="item_key"
        )
    _check_update(item, update)
    current = session.exec(
        select(ItemStatus).where(ItemStatus.candidate_id == candidate_id, ItemStatus.item_key == item_key)
    ).first()
    current_version = current.version if current else 0
    if update.expected_version is not None and update.expected_version != current_version:
        raise Conflict(
            f"Punktet '{item.label}' er endret av noen andre (versjon {current_version}, du sendte "
            f"{update.expected_version}). Last inn på nytt.",
            field="expected_version",
        )
    when = changed_at or utcnow()
    values = dict(
        status=update.status.value,
        evidence_date=update.evidence_date,
        verified_by=(update.verified_by or "").strip() or actor.name,
        document_ref=update.document_ref,
        note=update.note,
        definition_version=definition.row.version,
    )
    if current is None:
        current = ItemStatus(candidate_id=candidate_id, item_key=item_key, **values)
        session.add(current)
    else:
        for field, value in values.items():
            setattr(current, field, value)
    current.updated_at = when
    current.updated_by = actor.user_id
    session.add(ItemStatusEvent(candidate_id=candidate_id, item_key=item_key, changed_at=when,
                                changed_by=actor.user_id, changed_by_name=actor.name, **values))
    try:
        flush_or_conflict(session, f"Punktet '{item.label}' ble endret samtidig av noen andre. Last inn på nytt.")
    except IntegrityError:  # two first-time writes of the same item raced
        session.rollback()
        raise Conflict(f"Punktet '{item.label}' ble endret samtidig av noen andre. Last inn på nytt.") from None
    return current


# ---------------------------------------------------------------- evaluation


def _current_states(session: Session, candidate_ids: Sequence[int]) -> dict[int, dict[str, ItemStatus]]:
    result: dict[int, dict[str, ItemStatus]] = defaultdict(dict)
    for start in range(0, len(candidate_ids), 1000):
        chunk = candidate_ids[start : start + 1000]
        for row in session.exec(select(ItemStatus).where(col(ItemStatus.candidate_id).in_(chunk))):
            result[row.candidate_id][row.item_key] = row
    return result


def _as_states(rows: dict[str, ItemStatus]) -> dict[str, ItemState]:
    return {k: ItemState(ItemStatusValue(r.status), r.evidence_date) for k, r in rows.items()}


def evaluate_candidates(
    session: Session, candidates: Sequence[Candidate], as_of: date | None = None
) -> dict[int, Evaluation]:
    definition = active_definition(session)
    states = _current_states(session, [c.id for c in candidates])
    day = as_of or today()
    return {c.id: definition.evaluate(_as_states(states.get(c.id, {})), day, c) for c in candidates}


def readiness_of(session: Session, candidate_id: int, actor: Principal, as_of: date | None = None) -> ReadinessPublic:
    candidate = get_candidate(session, candidate_id, actor)
    rows = _current_states(session, [candidate.id]).get(candidate.id, {})
    definition = active_definition(session)
    result = definition.evaluate(_as_states(rows), as_of or today(), candidate)
    items = []
    for item in result.items:
        row = rows.get(item.key)
        stored = (
            dict(evidence_date=row.evidence_date, verified_by=row.verified_by, document_ref=row.document_ref,
                 note=row.note, updated_at=row.updated_at, version=row.version)
            if row else {}
        )
        items.append(ItemStatusPublic(**item.__dict__, **stored))
    return ReadinessPublic(
        candidate_id=candidate.id,
        as_of=result.as_of,
        definition_version=result.definition_version,
        score=result.score,
        formidlingsklar=result.formidlingsklar,
        reasons=result.reasons,
        step=result.step,
        step_label=STEP_LABELS[result.step],
        missing=result.missing,
        expired=result.expired,
        exit_state=result.exit_state,
        items=items,
    )


def list_candidate_summaries(
    session: Session,
    actor: Principal,
    *,
    formidlingsklar: bool | None = None,
    step: int | None = None,
    **filters,
) -> list[CandidateSummary]:
    candidates = query_candidates(session, actor, **filters)
    evaluations = evaluate_candidates(session, candidates)
    summaries = []
    for c in candidates:
        e = evaluations[c.id]
        if formidlingsklar is not None and e.formidlingsklar != formidlingsklar:
            continue
        if step is not None and e.step != step:
            continue
        summaries.append(
            CandidateSummary(
                id=c.id, project_id=c.project_id, first_name=c.first_name, last_name=c.last_name,
                municipality_code=c.municipality_code, norwegian_level=c.norwegian_level, wanted_fte=c.wanted_fte,
                programme_status=c.programme_status, archived=c.archived_at is not None,
                readiness_score=e.score, formidlingsklar=e.formidlingsklar, step=e.step,
            )
        )
    return summaries


def overview(session: Session, actor: Principal, project_id: int | None = None) -> ReadinessOverview:
    candidates = query_candidates(session, actor, project_id=project_id)
    evaluations = evaluate_candidates(session, candidates).values()
    per_step = defaultdict(int)
    missing_by_actor = {actor_name: 0 for actor_name in ACTORS}
    for e in evaluations:
        per_step[e.step] += 1
        for actor_name, keys in e.missing.items():
            missing_by_actor[actor_name] += len(keys)
    return ReadinessOverview(
        project_id=project_id,
        candidates=len(candidates),
        formidlingsklar=sum(e.formidlingsklar for e in evaluations),
        steps=[StepCount(step=s, label=STEP_LABELS[s], candidates=per_step[s]) for s in STEP_LABELS],
        missing_by_actor=missing_by_actor,
    )


# ---------------------------------------------------------------- history and progress


def history(session: Session, candidate_id: int, actor: Principal) -> list[HistoryEntry]:
    get_candidate(session, candidate_id, actor)
    events = session.exec(
        select(ItemStatusEvent)
        .where(ItemStatusEvent.candidate_id == candidate_id)
        .order_by(col(ItemStatusEvent.changed_at).desc(), col(ItemStatusEvent.id).desc())
    )
    return [HistoryEntry(**e.model_dump(exclude={"changed_by"}), changed_by=e.changed_by_name) for e in events]


def _states_before(events: Iterable[ItemStatusEvent], cutoff: datetime) -> dict[str, ItemState]:
    """Replay the history: each item's last recorded status before `cutoff` (events come in order)."""
    states: dict[str, ItemState] = {}
    for e in events:
        if e.changed_at >= cutoff:
            break
        states[e.item_key] = ItemState(ItemStatusValue(e.status), e.evidence_date)
    return states


def progress_report(
    session: Session, actor: Principal, *, date_from: date, date_to: date, project_id: int | None = None
) -> ProgressReport:
    """Documented progress: who moved up a step or completed items between two dates (inclusive).
    Measured on the checklist alone, with the definition in force at each date."""
    if date_to < date_from:
        raise Invalid("Til-dato kan ikke være før fra-dato.", field="date_to")
    candidates = query_candidates(session, actor, project_id=project_id, include_archived=True)
    start, end = start_of_day(date_from), start_of_day(date_to + timedelta(days=1))
    definitions = definitions_by_time(session) or [ensure_default_definition(session)]
    at_start, at_end = definition_in_force(definitions, start), definition_in_force(definitions, end)

    events_by_candidate: dict[int, list[ItemStatusEvent]] = defaultdict(list)
    ids = [c.id for c in candidates]
    for i in range(0, len(ids), 1000):
        stmt = (
            select(ItemStatusEvent)
            .where(col(ItemStatusEvent.candidate_id).in_(ids[i : i + 1000]), ItemStatusEvent.changed_at < end)
            .order_by(ItemStatusEvent.changed_at, ItemStatusEvent.id)
        )
        for e in session.exec(stmt):
            events_by_candidate[e.candidate_id].append(e)

    entries = []
    for c in candidates:
        events = events_by_candidate.get(c.id, [])
        before = at_start.evaluate(_states_before(events, start), date_from)
        after = at_end.evaluate(_states_before(events, end), date_to)
        satisfied_after = {i.key for i in after.items if i.satisfied}
        completed = sorted(
            {e.item_key for e in events if e.changed_at >= start and e.status == ItemStatusValue.done}
            & satisfied_after
        )
        moved_up = after.step > before.step
        if moved_up or completed:
            entries.append(
                ProgressEntry(
                    candidate_id=c.id, project_id=c.project_id, step_from=before.step, step_to=after.step,
                    score_from=before.score, score_to=after.score, moved_up=moved_up, completed_items=completed,
                )
            )
    return ProgressReport(
        date_from=date_from,
        date_to=date_to,
        project_id=project_id,
        candidates_with_progress=len(entries),
        moved_up_a_step=sum(e.moved_up for e in entries),
        completed_items=sum(len(e.completed_items) for e in entries),
        entries=entries,
    )


# ---------------------------------------------------------------- a new version, compared with the current


@dataclass(frozen=True)
class ItemChange:
    key: str
    label: str
    changes: list[tuple[str, object, object]]  # (field, before, after)


@dataclass(frozen=True)
class DefinitionDiff:
    added: list[ChecklistItemIn]
    removed: list[ChecklistItem]
    changed: list[ItemChange]
    settings: list[tuple[str, object, object]]  # title, ready_threshold

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.settings)


_COMPARED = ("label", "description", "kind", "weight", "evidence_required", "expiry_days", "actor", "step")


def definition_diff(current: Definition, proposed: DefinitionIn) -> DefinitionDiff:
    """What publishing `proposed` would change against `current`, item by item (matched on the key:
    an item with the same key keeps its evidence into the new version)."""
    before = {i.key: i for i in current.items}
    after = {i.key: i for i in proposed.items}
    changed = []
    for key, item in after.items():
        if key not in before:
            continue
        old = before[key]
        fields = [(f, getattr(old, f), getattr(item, f)) for f in _COMPARED
                  if str(getattr(old, f) or "") != str(getattr(item, f) or "")]
        if fields:
            changed.append(ItemChange(key, item.label, fields))
    settings = [(f, getattr(current.row, f), getattr(proposed, f)) for f in ("title", "ready_threshold")
                if getattr(current.row, f) != getattr(proposed, f)]
    return DefinitionDiff(added=[i for k, i in after.items() if k not in before],
                          removed=[i for k, i in before.items() if k not in after], changed=changed,
                          settings=settings)
