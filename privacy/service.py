"""Erasure keeps what the funders' figures were counted from (dates, statuses, codes, the project,
the links between rows) and removes everything that identifies or describes the person: names,
contact details, documents, certificates, experience, wishes, every free text about them wherever
it is stored, and the matching details computed from them. Which table holds what, and what each
column gets, is `privacy.registry.HOLDINGS`; erasure and the portability export iterate over it."""

from datetime import datetime, timedelta

from sqlalchemy import String, cast, func, update
from sqlmodel import Session, col, delete, select

from accounts.service import Principal
from candidates.models import Candidate
from candidates.service import get_candidate, to_public
from core import audit
from core.errors import Conflict
from core.types import utcnow
from employers.models import ContactLogCandidate
from employers.service import contacts_public
from matching.models import MatchRun
from matching.service import candidate_named, forget_states
from placement.held_jobs import candidate_jobs
from placement.models import CandidateEvent, Placement, PlacementEvent
from placement.service import candidate_events, list_placements, work_practice
from placement.service import to_public as placement_public
from privacy.registry import HOLDINGS, MENTIONS, REDACTED_NAME, Holding, identifying_strings, rows_of
from programme.models import Obstacle, ProgrammeExit, Referral
from readiness.models import ItemStatusEvent
from readiness.service import history, readiness_of

SHARED_ERASED = "kontaktlogg: tekst slettet fordi den også gjaldt en kandidat som ble anonymisert"


def access_log(session: Session, candidate_id: int, actor: Principal) -> list[audit.AuditEntry]:
    """Innsyn: who has read or changed this candidate's data, newest first."""
    get_candidate(session, candidate_id, actor)
    return audit.entries_for(session, candidate_id)


def _erase_values(session: Session, holding: Holding, candidate: Candidate) -> dict:
    return {column: value(session, candidate) if callable(value) else value for column, value in holding.erase.items()}


def _redact(text: str | None, needles: list[str]) -> str | None:
    if not text:
        return text
    lowered = text.lower()
    for needle in needles:
        start = lowered.find(needle.lower())
        while start != -1:
            text = text[:start] + REDACTED_NAME + text[start + len(needle):]
            lowered = text.lower()
            start = lowered.find(needle.lower(), start + len(REDACTED_NAME))
    return text


def _redact_mentions(session: Session, needles: list[str]) -> None:
    """Someone may have written the name into free text elsewhere (an employer's notes, an entry not
    linked to the candidate): replace it there too."""
    for model, columns in MENTIONS:
        for column in columns:
            attr = col(getattr(model, column))
            ids = set()
            for needle in needles:
                ids |= set(session.exec(select(model.id).where(func.lower(attr).contains(needle.lower()))))
            for row in session.exec(select(model).where(col(model.id).in_(ids))) if ids else ():
                setattr(row, column, _redact(getattr(row, column), needles))
    session.flush()


def _drop_run_messages(session: Session, candidate_id: int) -> None:
    """A run's messages name a pin the rules forbid by candidate id, with the reason."""
    named = cast(MatchRun.messages, String).contains(f"kandidat {candidate_id} ")
    for run in session.exec(select(MatchRun).where(named)):
        kept = [m for m in run.messages if candidate_named(m) != candidate_id]
        if kept != run.messages:
            run.messages = kept


def _anonymise(session: Session, candidate: Candidate, when: datetime) -> list[int]:
    """Returns the other candidates whose records changed too (a shared contact-log entry lost its text)."""
    cid = candidate.id
    needles = identifying_strings(candidate)
    shared = select(ContactLogCandidate.contact_id).where(ContactLogCandidate.candidate_id == cid)
    others = sorted(set(session.exec(select(ContactLogCandidate.candidate_id).where(
        col(ContactLogCandidate.contact_id).in_(shared), ContactLogCandidate.candidate_id != cid))))
    for holding in HOLDINGS:
        model = holding.model
        if holding.link == "self":
            for column, value in _erase_values(session, holding, candidate).items():
                setattr(candidate, column, value)
        elif holding.delete_rows:
            ids = select(model.id).where(rows_of(holding, cid).whereclause)
            session.exec(delete(model).where(col(model.id).in_(ids)))
        elif holding.erase:
            session.exec(update(model).where(rows_of(holding, cid).whereclause)
                         .values(**_erase_values(session, holding, candidate)))
    if needles:
        _redact_mentions(session, needles)
    _drop_run_messages(session, cid)
    forget_states(session)  # a re-run's starting state holds who was proposed where, as the proposals did
    candidate.contact_person_id = candidate.available_from = candidate.available_to = None
    candidate.archived_at = candidate.archived_at or when
    candidate.erased_at = candidate.updated_at = when
    return others


def erase_candidate(session: Session, candidate_id: int, actor: Principal) -> Candidate:
    """Erasure on request: the person becomes anonymous; the figures already reported stay correct."""
    candidate = get_candidate(session, candidate_id, actor)
    if candidate.erased_at is not None:
        raise Conflict("Kandidaten er allerede anonymisert.")
    others = _anonymise(session, candidate, utcnow())
    audit.record(session, actor, "erase", "alle personopplysninger", [candidate_id])
    audit.record(session, actor, "update", SHARED_ERASED, others)
    session.flush()
    return candidate


def _last_activity(session: Session, candidate: Candidate) -> datetime:
    latest = [candidate.updated_at, candidate.created_at]
    for stmt in (
        select(func.max(ItemStatusEvent.changed_at)).where(ItemStatusEvent.candidate_id == candidate.id),
        select(func.max(CandidateEvent.recorded_at)).where(CandidateEvent.candidate_id == candidate.id),
        select(func.max(Referral.updated_at)).where(Referral.candidate_id == candidate.id),
        select(func.max(ProgrammeExit.recorded_at)).where(ProgrammeExit.candidate_id == candidate.id),
        select(func.max(Obstacle.recorded_at)).where(Obstacle.candidate_id == candidate.id),
        select(func.max(PlacementEvent.recorded_at)).join(Placement, Placement.id == PlacementEvent.placement_id)
        .where(Placement.candidate_id == candidate.id),
    ):
        value = session.exec(stmt).one()
        if value is not None:
            latest.append(value if value.tzinfo else value.replace(tzinfo=candidate.created_at.tzinfo))
    return max(latest)


def _intake_since(session: Session, candidate: Candidate) -> datetime:
    """When the person was last referred or decided on (or registered): the clock of the intake rule."""
    latest = candidate.created_at
    for referred_on, decided_on in session.exec(select(Referral.referred_on, Referral.decided_on)
                                                .where(Referral.candidate_id == candidate.id)):
        for day in (referred_on, decided_on):
            if day is not None:
                latest = max(latest, datetime.combine(day, datetime.min.time(), tzinfo=candidate.created_at.tzinfo))
    return latest


def retention_due(session: Session, *, now: datetime, intake_days: int, inactive_days: int) -> list[tuple[int, str]]:
    """Candidates the retention rules say to anonymise, with the rule: never taken in (still in
    intake: referred and refused, on the waiting list, or never decided) `intake_days` after the latest
    referral or decision, or no activity at all for `inactive_days`."""
    due = []
    for candidate in session.exec(select(Candidate).where(col(Candidate.erased_at).is_(None)).order_by(Candidate.id)):
        if candidate.programme_status == "intake" and _intake_since(session, candidate) < now - timedelta(days=intake_days):
            due.append((candidate.id, f"ikke tatt inn på {intake_days} dager"))
        elif _last_activity(session, candidate) < now - timedelta(days=inactive_days):
            due.append((candidate.id, f"ingen aktivitet på {inactive_days} dager"))
    return due


def apply_retention(session: Session, actor: Principal, *, now: datetime | None = None, intake_days: int,
                    inactive_days: int, dry_run: bool = False) -> list[tuple[int, str]]:
    when = now or utcnow()
    due = retention_due(session, now=when, intake_days=intake_days, inactive_days=inactive_days)
    if not dry_run:
        for candidate_id, rule in due:
            others = _anonymise(session, session.get(Candidate, candidate_id), when)
            audit.record(session, actor, "erase", f"sletteregel: {rule}", [candidate_id])
            audit.record(session, actor, "update", SHARED_ERASED, others)
        session.flush()
    return due


def data_export(session: Session, candidate_id: int, actor: Principal) -> dict:
    """Everything the system holds about one person, as JSON-ready data (dataportabilitet): the
    readable views first, then every other table of the registry as stored, and who has seen it."""
    candidate = get_candidate(session, candidate_id, actor)
    placements = list_placements(session, actor, candidate_id=candidate_id)
    contact_log = contacts_public(session, session.exec(  # the person's own entries: access checked above
        rows_of(next(h for h in HOLDINGS if h.export == "contact_log"), candidate_id)).all(), actor=None)
    export = {
        "exported_at": utcnow().isoformat(),
        "candidate": to_public(session, candidate).model_dump(mode="json"),
        "readiness": readiness_of(session, candidate_id, actor).model_dump(mode="json"),
        "readiness_history": [h.model_dump(mode="json") for h in history(session, candidate_id, actor)],
        "events": [e.model_dump(mode="json") for e in candidate_events(session, candidate_id, actor)],
        "work_practice": [w.model_dump(mode="json") for w in work_practice(session, candidate_id, actor)],
        "placements": [placement_public(session, p).model_dump(mode="json") for p in placements],
        # The jobs they hold or held (recorded and from the pipeline) and whether their year is filled.
        "jobs": candidate_jobs(session, candidate_id, actor).model_dump(mode="json"),
        # An entry about several people is theirs too: the text is included (it concerns this person),
        # the others are not named, and their access logs show that their entry was handed out.
        "contact_log": [c.model_dump(mode="json") | {"candidate_ids": [candidate_id],
                                                     "also_concerns_others": len(c.candidate_ids) > 1}
                        for c in contact_log],
    }
    for holding in HOLDINGS:  # the rest as stored, so a newly registered table is exported too
        if holding.export and holding.export not in export:
            export[holding.export] = [row.model_dump(mode="json") for row in session.exec(rows_of(holding, candidate_id))]
    export["seen_by"] = [{"at": e.at.isoformat(), "who": e.actor_name, "role": e.actor_role, "action": e.action,
                          "what": e.what} for e in audit.entries_for(session, candidate_id)]
    audit.record(session, actor, "export", "dataportabilitet", [candidate_id])
    audit.record(session, actor, "export", "kontaktlogg delt med en annen kandidat, i den andres dataeksport",
                 [other for c in contact_log for other in c.candidate_ids if other != candidate_id])
    return export
