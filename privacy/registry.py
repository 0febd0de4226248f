"""Everything the system holds about a candidate, table by table.

Each `Holding` says how a table's rows belong to a candidate, which of its text columns erasure
removes (and with what), which it keeps on purpose (and why), and under which key the portability
export shows the rows. Erasure and the export both iterate over `HOLDINGS`, so a table registered
here is erased and exported without further code. A test reads the table metadata and fails when a
table linked to candidates, or one of its text or JSON columns, is missing from this list: a new
table cannot be forgotten.

`MENTIONS` lists free text outside those tables that someone may still have written a candidate's
name into (an employer's notes, a contact-log entry not linked to them). Erasure replaces the name,
e-mail and phone number wherever they occur there."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.sql import Select
from sqlmodel import Session, SQLModel, col, select

from candidates.models import (
    Candidate,
    CandidateCertificate,
    ConsentRecord,
    Education,
    Handover,
    JobWish,
    WorkExperience,
)
from core.projects import Project
from employers.models import (
    ContactLogCandidate,
    ContactLogEntry,
    DiscriminationObservation,
    Employer,
    EmployerStatusChange,
    StandingAgreement,
)
from matching.models import MatchDecision, MatchProposal, ShortlistEntry, UnlockSuggestionRow
from placement.models import (
    CandidateEvent,
    CandidateJob,
    EmploymentFollowUp,
    Placement,
    PlacementEvent,
    Presentation,
    WorkPractice,
)
from readiness.models import ItemStatus, ItemStatusEvent

# What a contact-log entry says after erasure: the contact happened (it is counted), its text is gone.
ERASED_TEXT = "[Slettet: teksten gjaldt en kandidat som er anonymisert]"
REDACTED_NAME = "[anonymisert kandidat]"

Value = Any | Callable[[Session, Candidate], Any]  # a callable gets the session and the candidate


@dataclass(frozen=True)
class Holding:
    model: type[SQLModel]
    link: str  # "self" | "candidate_id" | "placement" (through placement_id) | "contact_log" (linked entries)
    export: str | None  # key in the data export (None: shown inside another section)
    erase: dict[str, Value] = field(default_factory=dict)  # column -> the value it gets on erasure (or gone with the row)
    keep: dict[str, str] = field(default_factory=dict)  # column -> why it stays
    delete_rows: bool = False  # the rows go altogether (details about the person, and what a run derived from them)
    derived: bool = False  # computed by a match run, not entered by a person


def _placements_of(candidate_id: int):
    return select(Placement.id).where(Placement.candidate_id == candidate_id)


def _contacts_of(candidate_id: int):
    return select(ContactLogCandidate.contact_id).where(ContactLogCandidate.candidate_id == candidate_id)


def rows_of(holding: Holding, candidate_id: int) -> Select:
    """The rows of this table that belong to (or concern) the candidate."""
    model = holding.model
    if holding.link == "self":
        condition = col(model.id) == candidate_id
    elif holding.link == "candidate_id":
        condition = col(model.candidate_id) == candidate_id
    elif holding.link == "placement":
        condition = col(model.placement_id).in_(_placements_of(candidate_id))
    elif holding.link == "contact_log":
        condition = col(model.id).in_(_contacts_of(candidate_id))
    else:  # pragma: no cover - a typo in the registry
        raise ValueError(holding.link)
    return select(model).where(condition).order_by(col(model.id))


def _project_municipality(session: Session, candidate: Candidate) -> str:
    return session.get(Project, candidate.project_id).municipality_code


CODE = "a code from a fixed list, not free text"
BY_STAFF = "the staff member who acted (not the candidate); needed for accountability"

HOLDINGS: tuple[Holding, ...] = (
    Holding(Candidate, "self", "candidate", erase={
        "first_name": "Anonymisert", "last_name": lambda _s, c: f"#{c.id}", "email": None, "phone": None,
        "address": None, "municipality_code": _project_municipality, "norwegian_level": None, "norskprove": None,
        "languages": [], "working_hours": [], "exit_assessment": None,
    }, keep={"programme_status": "a status the funders' figures are counted from"}),
    Holding(CandidateCertificate, "candidate_id", "candidate", delete_rows=True,
            erase={c: None for c in ("code", "name", "document_ref")}),
    Holding(WorkExperience, "candidate_id", "candidate", delete_rows=True,
            erase={c: None for c in ("employer_name", "title", "occupation_code", "description")}),
    Holding(Education, "candidate_id", "candidate", delete_rows=True,
            erase={c: None for c in ("institution", "title", "level", "country")}),
    Holding(JobWish, "candidate_id", "candidate", delete_rows=True, erase={c: None for c in ("kind", "value")}),
    Holding(ConsentRecord, "candidate_id", "candidate", erase={"note": None},
            keep={"purpose": CODE + "; the record shows the processing had a lawful basis"}),
    # Handovers to recruitment partners: who had the candidate when, counted by the funders
    # (handed over, tatt inn igjen); the note about why they were taken back goes.
    Holding(Handover, "candidate_id", "handovers", erase={"end_note": None}, keep={"end_reason": CODE}),
    Holding(ItemStatus, "candidate_id", "readiness_evidence",
            erase={"verified_by": None, "document_ref": None, "note": None},
            keep={"item_key": CODE, "status": CODE}),
    Holding(ItemStatusEvent, "candidate_id", "readiness_history",
            erase={"verified_by": None, "document_ref": None, "note": None},
            keep={"item_key": CODE, "status": CODE, "changed_by_name": BY_STAFF}),
    Holding(CandidateEvent, "candidate_id", "events", erase={"note": None},
            keep={"kind": CODE, "detail": CODE + " (the need uncovered, counted by the funders)"}),
    Holding(WorkPractice, "candidate_id", "work_practice", erase={"note": None}, keep={"kind": CODE}),
    Holding(Placement, "candidate_id", "placements", keep={"stage": CODE}),
    Holding(PlacementEvent, "placement", "placements", erase={"note": None, "reason": None},
            keep={"from_stage": CODE, "to_stage": CODE, "recorded_by_name": BY_STAFF}),
    Holding(EmploymentFollowUp, "placement", "follow_ups", erase={"note": None, "answers": {}}),
    Holding(Presentation, "candidate_id", "presentations", erase={"summary": ""},
            keep={"fields": "the names of the fields shown (codes), not their contents"}),
    # Jobs recorded outside the pipeline name employers and periods: they describe the person and go
    # (the funders' figures count placements, which stay).
    Holding(CandidateJob, "candidate_id", "jobs", delete_rows=True,
            erase={c: None for c in ("employer_name", "title", "working_hours")}),
    Holding(MatchDecision, "candidate_id", "match_decisions", erase={"note": None}, keep={"decision": CODE}),
    Holding(MatchProposal, "candidate_id", "match_proposals", delete_rows=True, derived=True,
            erase={c: None for c in ("components", "requirements_met", "explanation", "notes")}),
    Holding(ShortlistEntry, "candidate_id", "shortlists", delete_rows=True, derived=True,
            erase={"explanation": None}),
    Holding(UnlockSuggestionRow, "candidate_id", "unlock_suggestions", delete_rows=True, derived=True,
            erase={c: None for c in ("kind", "value", "text")}),
    # An entry about several candidates (or mostly about the employer) loses its text too: the text
    # cannot be split by person, and the right to erasure outweighs a note. Date, kind, duration,
    # employer, consultant and the links stay, so the contact is still counted for everyone.
    Holding(ContactLogEntry, "contact_log", "contact_log", erase={"summary": ERASED_TEXT, "outcome": None},
            keep={"kind": CODE}),
    Holding(ContactLogCandidate, "candidate_id", None),  # the links: shown as contact_log's candidate_ids
)

# The access log is kept on purpose: it names the candidate by id only, and it is what answers an
# insight request (innsyn) after erasure. These are its text columns, and why each stays.
AUDIT_KEEP = {"actor_name": BY_STAFF, "actor_role": CODE, "action": CODE,
              "what": "which data was read or changed (a label, never the data itself)"}

# Free text outside the candidate's own rows where a name may have been written by hand.
MENTIONS: tuple[tuple[type[SQLModel], tuple[str, ...]], ...] = (
    (ContactLogEntry, ("summary", "outcome")),
    (Employer, ("notes",)),
    (EmployerStatusChange, ("note",)),
    (StandingAgreement, ("description",)),
    (DiscriminationObservation, ("description",)),
)


def identifying_strings(candidate: Candidate) -> list[str]:
    """What would identify the person in someone else's free text."""
    found = [f"{candidate.first_name} {candidate.last_name}", candidate.email, candidate.phone]
    return [s.strip() for s in found if s and len(s.strip()) >= 5]
