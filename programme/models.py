"""Programme tables: the versioned code lists, local intake criteria, referrals, exits, obstacles."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.types import utcnow


class ProgrammeCodeList(SQLModel, table=True):
    """One version of the code lists (intake criteria, refusal and exit reasons). Never changed once made."""

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")


class ProgrammeCode(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("list_id", "kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(foreign_key="programmecodelist.id", index=True)
    kind: str = Field(max_length=20)  # criterion | refusal | completed | interrupted
    key: str = Field(max_length=40)
    label: str = Field(max_length=200)
    requires_text: bool = False
    position: int = 0


class LocalCriterion(SQLModel, table=True):
    """An intake criterion a project adds to the national ones."""

    __table_args__ = (UniqueConstraint("project_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    key: str = Field(max_length=40)
    label: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    retired_at: datetime | None = None


class Referral(SQLModel, table=True):
    """A henvisning: who referred whom when, the intake checklist, the intake interview and the decision."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    referrer_kind: str = Field(max_length=20)  # nav_office | caseworker | other
    referrer_name: str = Field(max_length=200)  # e.g. "NAV Grünerløkka" or the caseworker
    referred_on: date = Field(index=True)
    code_list_version: int
    criteria: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # key -> met (bool)
    interview_on: date | None = None
    interview_note: str | None = Field(default=None, max_length=2000)
    decision: str = Field(default="pending", max_length=20, index=True)  # pending | admitted | refused | waiting_list
    decided_on: date | None = None
    start_on: date | None = None
    refusal_reason: str | None = Field(default=None, max_length=40)
    refusal_text: str | None = Field(default=None, max_length=1000)
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ProgrammeExit(SQLModel, table=True):
    """An avslutning: completed (with the outcome) or interrupted (with the reason), never blurred."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    on: date = Field(index=True)
    outcome: str = Field(max_length=20)  # completed | interrupted
    reason: str = Field(max_length=40)
    reason_text: str | None = Field(default=None, max_length=1000)
    code_list_version: int
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow)


class Obstacle(SQLModel, table=True):
    """An obstacle found while clearing the ground (arenarydding): what, who works on it, when resolved.
    Health is recorded only as "an obstacle exists": its note is always empty."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    kind: str = Field(max_length=30)
    found_on: date = Field(index=True)
    owner: str = Field(max_length=20)  # candidate | staff | consultant | other_service
    note: str | None = Field(default=None, max_length=2000)
    resolved_on: date | None = None
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow)
