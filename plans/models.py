"""The shared plan (handlingsplan): one per candidate, read and written by staff, consultants and the
candidate. Every change is also an append-only `PlanEvent` (who, when, what changed)."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Integer, Text
from sqlmodel import Field, SQLModel

from core.types import utcnow

_plan_version = Column("version", Integer, nullable=False)
_task_version = Column("version", Integer, nullable=False)


class Plan(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", unique=True)
    next_review_on: date | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=_plan_version)

    __mapper_args__ = {"version_id_col": _plan_version}  # type: ignore[dict-item]


class PlanGoal(SQLModel, table=True):
    """A goal: a target sector or occupation, a wanted share of a year, or free text."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    kind: str = Field(max_length=20)  # sector | occupation | share | text
    value: str | None = Field(default=None, max_length=20)  # sector code, STYRK-08 code or percent
    text: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    removed_at: datetime | None = None  # removed goals stay in the history


class PlanTask(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    title: str = Field(sa_type=Text)
    description: str | None = Field(default=None, sa_type=Text)
    owner_kind: str = Field(max_length=20)  # candidate | staff | consultant
    owner_user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    due_on: date | None = Field(default=None, index=True)
    status: str = Field(default="open", max_length=20, index=True)  # open | done | dropped
    # Where a one-click task came from ("checklist:<item key>", "unlock:<kind>:<value>"): no duplicates.
    source: str | None = Field(default=None, max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    done_at: datetime | None = None
    version: int = Field(default=1, sa_column=_task_version)

    __mapper_args__ = {"version_id_col": _task_version}  # type: ignore[dict-item]


class PlanComment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="plantask.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    text: str = Field(sa_type=Text)
    written_at: datetime = Field(default_factory=utcnow)
    written_by: int | None = Field(default=None, foreign_key="user.id")
    written_by_name: str = Field(sa_type=Text)  # "Kandidaten" when the candidate wrote it


class PlanReview(SQLModel, table=True):
    """A review of the plan that was held (gjennomgang), with what was agreed."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    held_on: date
    note: str | None = Field(default=None, sa_type=Text)
    recorded_at: datetime = Field(default_factory=utcnow)
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    recorded_by_name: str = Field(sa_type=Text)


class PlanEvent(SQLModel, table=True):
    """Append-only history of the plan: every change, with who and when."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    kind: str = Field(max_length=30)  # see core.labels.PLAN_EVENT
    task_id: int | None = Field(default=None, foreign_key="plantask.id")
    goal_id: int | None = Field(default=None, foreign_key="plangoal.id")
    what: str | None = Field(default=None, sa_type=Text)  # the task's title or the goal as it read then
    changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # field -> [before, after]
    changed_at: datetime = Field(default_factory=utcnow, index=True)
    changed_by: int | None = Field(default=None, foreign_key="user.id")
    changed_by_name: str = Field(sa_type=Text)  # "Kandidaten" when the candidate acted
