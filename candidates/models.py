"""Candidate tables. Lists that are only ever read with the candidate are JSON; what is
filtered or matched on (certificates, wishes, consent) has its own table."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Integer, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from core.types import utcnow

_candidate_version = Column("version", Integer, nullable=False)


class Candidate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=30)
    address: str | None = Field(default=None, max_length=300)
    municipality_code: str = Field(max_length=4, index=True)
    contact_person_id: int | None = Field(default=None, foreign_key="user.id")
    norwegian_level: str | None = Field(default=None, max_length=2)
    norskprove: dict | None = Field(default=None, sa_column=Column(JSON))
    languages: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    wanted_fte: int = 100
    available_from: date | None = None
    available_to: date | None = None
    working_hours: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    max_commute_km: int = 30
    programme_status: str = Field(default="active", max_length=20, index=True)
    # Staff's own exit assessment ("heading for disability benefit" cannot be derived from items).
    exit_assessment: str | None = Field(default=None, max_length=30)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    archived_at: datetime | None = None
    erased_at: datetime | None = None  # anonymised on request or by the retention rules
    version: int = Field(default=1, sa_column=_candidate_version)

    # Optimistic locking: an UPDATE carries "WHERE version = <read version>", so a concurrent
    # change makes the second writer fail instead of silently overwriting the first.
    __mapper_args__ = {"version_id_col": _candidate_version}  # type: ignore[dict-item]


class CandidateCertificate(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    code: str = Field(max_length=40, index=True)
    name: str | None = Field(default=None, max_length=200)
    issued_on: date | None = None
    expires_on: date | None = None
    document_ref: str | None = Field(default=None, max_length=300)


class WorkExperience(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    employer_name: str = Field(max_length=200)
    title: str = Field(max_length=200)
    occupation_code: str | None = Field(default=None, max_length=10)
    start: date | None = None
    end: date | None = None
    is_work_practice: bool = False  # praksisplass
    description: str | None = Field(default=None, max_length=2000)


class Education(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    institution: str = Field(max_length=200)
    title: str = Field(max_length=200)
    level: str | None = Field(default=None, max_length=60)
    country: str | None = Field(default=None, max_length=60)
    start: date | None = None
    end: date | None = None
    completed: bool = False


class JobWish(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("candidate_id", "kind", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    kind: str = Field(max_length=20)  # occupation | sector
    value: str = Field(max_length=200, index=True)


class ConsentRecord(SQLModel, table=True):
    """Consent is a record, not a flag: given on a date, possibly withdrawn later, both kept."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    purpose: str = Field(max_length=40)
    # For share_with_employer: the one employer the candidate's name may be shown to.
    employer_id: int | None = Field(default=None, foreign_key="employer.id", index=True)
    # For share_with_recruiter: the one recruitment partner organisation it may be shared with.
    partner_id: int | None = Field(default=None, foreign_key="partner.id", index=True)
    given_on: date
    withdrawn_on: date | None = None
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    note: str | None = Field(default=None, max_length=1000)


class CandidateReference(SQLModel, table=True):
    """A referee (referanse): who can vouch for the candidate, and whether someone has called them."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    name: str = Field(max_length=200)
    relation: str = Field(max_length=200)  # e.g. leader at the work practice place
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=254)
    checked_on: date | None = None
    checked_by: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)
class Handover(SQLModel, table=True):
    """Tildeling: a candidate handed over to a recruitment partner organisation, from `started_on`
    until it is ended (taken back) with a reason. Every handover is kept; a new one after an ended
    one is "tatt inn igjen". At most one stands at a time (the partial unique index)."""

    __table_args__ = (
        Index("uq_handover_one_standing", "candidate_id", unique=True,
              sqlite_where=text("ended_on IS NULL"), postgresql_where=text("ended_on IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    partner_id: int = Field(foreign_key="partner.id", index=True)
    started_on: date
    started_by: int | None = Field(default=None, foreign_key="user.id")
    taken_back_in: bool = False  # tatt inn igjen: an earlier handover of the candidate had ended
    ended_on: date | None = None
    ended_by: int | None = Field(default=None, foreign_key="user.id")
    end_reason: str | None = Field(default=None, max_length=30)
    end_note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
