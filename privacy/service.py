"""Erasure keeps what the funders' figures were counted from (dates, statuses, the project) and
removes everything that identifies or describes the person: names, contact details, documents,
notes, certificates, experience, wishes, and the matching details about them. Free text that others
wrote elsewhere (a contact log summary) is not searched; consultants are told not to name
candidates there."""

from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, delete, select

from accounts.service import Principal
from candidates.models import Candidate, CandidateCertificate, ConsentRecord, Education, JobWish, WorkExperience
from candidates.service import get_candidate, to_public
from core import audit
from core.errors import Conflict
from core.projects import Project
from core.types import utcnow
from matching.models import MatchDecision, MatchProposal, ShortlistEntry, UnlockSuggestionRow
from placement.held_jobs import candidate_jobs
from placement.models import CandidateEvent, CandidateJob, EmploymentFollowUp, Placement, PlacementEvent, WorkPractice
from placement.service import candidate_events, list_placements, work_practice
from placement.service import to_public as placement_public
from readiness.models import ItemStatus, ItemStatusEvent
from readiness.service import history, readiness_of


def access_log(session: Session, candidate_id: int, actor: Principal) -> list[audit.AuditEntry]:
    """Innsyn: who has read or changed this candidate's data, newest first."""
    get_candidate(session, candidate_id, actor)
    return audit.entries_for(session, candidate_id)


def _anonymise(session: Session, candidate: Candidate, when: datetime) -> None:
    cid = candidate.id
    project = session.get(Project, candidate.project_id)
    candidate.first_name, candidate.last_name = "Anonymisert", f"#{cid}"
    candidate.email = candidate.phone = candidate.address = candidate.contact_person_id = None
    candidate.norwegian_level = candidate.norskprove = candidate.exit_assessment = None
    candidate.available_from = candidate.available_to = None
    candidate.languages, candidate.working_hours = [], []
    candidate.municipality_code = project.municipality_code
    candidate.archived_at = candidate.archived_at or when
    candidate.erased_at = candidate.updated_at = when
    # Recorded jobs name employers and periods: they describe the person. (The funders' figures
    # count placements, which stay.)
    for model in (CandidateCertificate, WorkExperience, Education, JobWish, MatchProposal, ShortlistEntry,
                  UnlockSuggestionRow, CandidateJob):
        session.exec(delete(model).where(col(model.candidate_id) == cid))
    scrub = {
        ConsentRecord: dict(note=None),
        ItemStatus: dict(verified_by=None, document_ref=None, note=None),
        ItemStatusEvent: dict(verified_by=None, document_ref=None, note=None),
        CandidateEvent: dict(note=None),
        WorkPractice: dict(note=None),
        MatchDecision: dict(note=None),
    }
    for model, values in scrub.items():
        session.exec(update(model).where(col(model.candidate_id) == cid).values(**values))
    placement_ids = select(Placement.id).where(Placement.candidate_id == cid)
    session.exec(update(PlacementEvent).where(col(PlacementEvent.placement_id).in_(placement_ids))
                 .values(note=None, reason=None))
    session.exec(update(EmploymentFollowUp).where(col(EmploymentFollowUp.placement_id).in_(placement_ids))
                 .values(note=None))


def erase_candidate(session: Session, candidate_id: int, actor: Principal) -> Candidate:
    """Erasure on request: the person becomes anonymous; the figures already reported stay correct."""
    candidate = get_candidate(session, candidate_id, actor)
    if candidate.erased_at is not None:
        raise Conflict("Kandidaten er allerede anonymisert.")
    _anonymise(session, candidate, utcnow())
    audit.record(session, actor, "erase", "alle personopplysninger", [candidate_id])
    session.flush()
    return candidate


def _last_activity(session: Session, candidate: Candidate) -> datetime:
    latest = [candidate.updated_at, candidate.created_at]
    for stmt in (
        select(func.max(ItemStatusEvent.changed_at)).where(ItemStatusEvent.candidate_id == candidate.id),
        select(func.max(CandidateEvent.recorded_at)).where(CandidateEvent.candidate_id == candidate.id),
        select(func.max(PlacementEvent.recorded_at)).join(Placement, Placement.id == PlacementEvent.placement_id)
        .where(Placement.candidate_id == candidate.id),
    ):
        value = session.exec(stmt).one()
        if value is not None:
            latest.append(value if value.tzinfo else value.replace(tzinfo=candidate.created_at.tzinfo))
    return max(latest)


def retention_due(session: Session, *, now: datetime, intake_days: int, inactive_days: int) -> list[tuple[int, str]]:
    """Candidates the retention rules say to anonymise, with the rule: never taken in (still in
    intake) after `intake_days`, or no activity at all for `inactive_days`."""
    due = []
    for candidate in session.exec(select(Candidate).where(col(Candidate.erased_at).is_(None)).order_by(Candidate.id)):
        if candidate.programme_status == "intake" and candidate.created_at < now - timedelta(days=intake_days):
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
            _anonymise(session, session.get(Candidate, candidate_id), when)
            audit.record(session, actor, "erase", f"sletteregel: {rule}", [candidate_id])
        session.flush()
    return due


def data_export(session: Session, candidate_id: int, actor: Principal) -> dict:
    """Everything the system holds about one person, as JSON-ready data (dataportabilitet)."""
    candidate = get_candidate(session, candidate_id, actor)
    placements = list_placements(session, actor, candidate_id=candidate_id)
    export = {
        "exported_at": utcnow().isoformat(),
        "candidate": to_public(session, candidate).model_dump(mode="json"),
        "readiness": readiness_of(session, candidate_id, actor).model_dump(mode="json"),
        "readiness_history": [h.model_dump(mode="json") for h in history(session, candidate_id, actor)],
        "events": [e.model_dump(mode="json") for e in candidate_events(session, candidate_id, actor)],
        "work_practice": [w.model_dump(mode="json") for w in work_practice(session, candidate_id, actor)],
        "placements": [placement_public(session, p).model_dump(mode="json") for p in placements],
        "jobs": candidate_jobs(session, candidate_id, actor).model_dump(mode="json"),
        "seen_by": [{"at": e.at.isoformat(), "who": e.actor_name, "role": e.actor_role, "action": e.action,
                     "what": e.what} for e in audit.entries_for(session, candidate_id)],
    }
    audit.record(session, actor, "export", "dataportabilitet", [candidate_id])
    return export


