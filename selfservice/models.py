"""What the job seeker writes themselves: ticks and comments on their own tasks, and changes of job
wishes waiting for staff review."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.types import utcnow


class OwnTaskTick(SQLModel, table=True):
    """The job seeker says a task of theirs is done, with a comment staff read. (Seam: the shared
    plan, plans.tick_task, replaces this when it lands.) Readiness still needs staff's evidence."""

    __table_args__ = (UniqueConstraint("candidate_id", "task_key"),)

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    task_key: str = Field(max_length=60)  # a checklist item key
    done_on: date | None = None
    comment: str | None = Field(default=None, max_length=1000)
    updated_at: datetime = Field(default_factory=utcnow)


class WishChange(SQLModel, table=True):
    """New job wishes from the job seeker. Matching keeps using the old ones until staff approve."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    sectors: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    other: str | None = Field(default=None, max_length=200)  # a job they name in their own words
    requested_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="pending", max_length=10)  # pending | approved | rejected
    reviewed_by: int | None = Field(default=None, foreign_key="user.id")
    reviewed_at: datetime | None = None
