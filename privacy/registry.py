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

from accounts.models import CandidateInvitation, CandidateLogin, OutboxMessage
from agenda.models import Task
from candidates.models import (
    Candidate,
    CandidateCertificate,
    CandidateReference,
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
    EmployerAssessment,
    EmploymentFollowUp,
    Interview,
    Placement,
    PlacementEvent,
    Presentation,
    WorkPractice,
)
from plans.models import Plan, PlanComment, PlanEvent, PlanGoal, PlanReview, PlanTask
from programme.models import Obstacle, ProgrammeExit, Referral
from readiness.models import ItemStatus, ItemStatusEvent
from selfservice.models import OwnTaskTick, WishChange

# What a contact-log entry says after erasure: the contact happened (it is counted), its text is gone.
ERASED_TEXT = "[Slettet: teksten gjaldt en kandidat som er anonymisert]"
REDACTED_NAME = "[anonymisert kandidat]"
PLAN_ERASED = "[Slettet: oppgave i planen til en kandidat som er anonymisert]"

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
    # Referees are other people, named because of the candidate: they go with the candidate.
    Holding(CandidateReference, "candidate_id", "candidate", delete_rows=True,
            erase={c: None for c in ("name", "relation", "phone", "email", "checked_by", "note")}),
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
    Holding(EmployerAssessment, "candidate_id", "employer_assessments", erase={"note": None},
            keep={"punctuality": "a score 1-5 (no free text)", "cooperation": "a score 1-5 (no free text)",
                  "work_quality": "a score 1-5 (no free text)", "would_hire": CODE,
                  "given_by_name": "the employer's user who gave the assessment; needed for accountability"}),
    Holding(Presentation, "candidate_id", "presentations",
            erase={"summary": "", "answer_note": None, "proposed_times": []},
            keep={"fields": "the names of the fields shown (codes), not their contents", "answer": CODE,
                  "answer_reason": CODE + " (why the employer said not now)"}),
    Holding(Interview, "placement", "interviews", erase={"notes": None},
            keep={"place": "where the employer holds the interview: about the employer, not the person"}),
    # A task's title may be typed by hand and name the person: it goes with the note.
    Holding(Task, "candidate_id", "tasks", erase={"title": "Oppgave (kandidaten er anonymisert)", "note": None}),
    # Jobs recorded outside the pipeline name employers and periods: they describe the person and go
    # (the funders' figures count placements, which stay).
    Holding(CandidateJob, "candidate_id", "jobs", delete_rows=True,
            erase={c: None for c in ("employer_name", "title", "working_hours")}),
    # Referral, exit and obstacle: the dates and codes are what the programmes' figures are counted from;
    # the notes describe the person and go. Who referred stays when it is an office, goes when a person.
    Holding(Referral, "candidate_id", "referrals", erase={"interview_note": None, "refusal_text": None},
            keep={"referrer_kind": CODE, "referrer_name": "the referring office or caseworker (not the candidate); "
                  "needed to report referrals by source", "decision": CODE,
                  "refusal_reason": CODE + " (counted by the funders)",
                  "criteria": "the intake criteria's keys with met / not met (codes, not free text)"}),
    Holding(ProgrammeExit, "candidate_id", "exits", erase={"reason_text": None},
            keep={"outcome": CODE, "reason": CODE + " (counted by the funders)"}),
    Holding(Obstacle, "candidate_id", "obstacles", erase={"note": None},
            keep={"kind": CODE + " (health only as 'an obstacle exists', never details)", "owner": CODE}),
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
    Holding(ContactLogEntry, "contact_log", "contact_log",
            erase={"summary": ERASED_TEXT, "outcome": None, "follow_up_note": None}, keep={"kind": CODE}),
    Holding(ContactLogCandidate, "candidate_id", None),  # the links: shown as contact_log's candidate_ids
    # The shared plan: its text describes the person and goes; what was planned, when and by whom stays
    # (a code or a date). Where the candidate acted, the history says "Kandidaten", never their name.
    Holding(Plan, "candidate_id", "plan"),
    Holding(PlanGoal, "candidate_id", "plan_goals", erase={"value": None, "text": None}, keep={"kind": CODE}),
    Holding(PlanTask, "candidate_id", "plan_tasks", erase={"title": PLAN_ERASED, "description": None},
            keep={"owner_kind": CODE, "status": CODE,
                  "source": CODE + " (the checklist item or the kind of suggestion the task came from)"}),
    Holding(PlanComment, "candidate_id", "plan_comments", delete_rows=True, erase={"text": None},
            keep={"written_by_name": BY_STAFF + " (\"Kandidaten\" where the candidate wrote it)"}),
    Holding(PlanReview, "candidate_id", "plan_reviews", erase={"note": None},
            keep={"recorded_by_name": BY_STAFF}),
    Holding(PlanEvent, "candidate_id", "plan_history", erase={"what": None, "changes": {}},
            keep={"kind": CODE, "changed_by_name": BY_STAFF + " (\"Kandidaten\" where the candidate acted)"}),
    # The job seeker's own login: the link goes on erasure, and with it the login (its user row holds
    # no name, see accounts/invitations.py).
    Holding(CandidateLogin, "candidate_id", "login", delete_rows=True),
    Holding(CandidateInvitation, "candidate_id", "invitations", delete_rows=True, erase={"code_hash": None}),
    # The outbox holds the invitation's text with the code and the address it goes to.
    Holding(OutboxMessage, "candidate_id", "messages", delete_rows=True,
            erase={c: None for c in ("channel", "recipient", "subject", "body")}),
    Holding(OwnTaskTick, "candidate_id", "own_plan_ticks", erase={"comment": None}, keep={"task_key": CODE}),
    Holding(WishChange, "candidate_id", "wish_changes", erase={"sectors": [], "other": None}, keep={"status": CODE}),
)

# The access log is kept on purpose: it names the candidate by id only, and it is what answers an
# insight request (innsyn) after erasure. These are its text columns, and why each stays.
AUDIT_KEEP = {"actor_name": BY_STAFF, "actor_role": CODE, "action": CODE,
              "what": "which data was read or changed (a label, never the data itself)"}

# Free text outside the candidate's own rows where a name may have been written by hand.
MENTIONS: tuple[tuple[type[SQLModel], tuple[str, ...]], ...] = (
    (ContactLogEntry, ("summary", "outcome", "follow_up_note")),
    (Employer, ("notes",)),
    (EmployerStatusChange, ("note",)),
    (StandingAgreement, ("description",)),
    (DiscriminationObservation, ("description",)),
    (Task, ("title", "note")),  # a task about an employer may still name a candidate
)


def identifying_strings(candidate: Candidate) -> list[str]:
    """What would identify the person in someone else's free text."""
    found = [f"{candidate.first_name} {candidate.last_name}", candidate.email, candidate.phone]
    return [s.strip() for s in found if s and len(s.strip()) >= 5]
