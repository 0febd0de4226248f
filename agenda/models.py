from datetime import date, datetime

from sqlmodel import Field, SQLModel

from core.types import utcnow


class Task(SQLModel, table=True):
    """Something a person must do by a day: made by hand, or around an interview (prepare the
    candidate the day before, call both sides the day after)."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    due_on: date = Field(index=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    candidate_id: int | None = Field(default=None, foreign_key="candidate.id", index=True)
    employer_id: int | None = Field(default=None, foreign_key="employer.id", index=True)
    placement_id: int | None = Field(default=None, foreign_key="placement.id", index=True)
    interview_id: int | None = Field(default=None, foreign_key="interview.id", index=True)
    note: str | None = Field(default=None, max_length=2000)
    done_at: datetime | None = None
    done_by: int | None = Field(default=None, foreign_key="user.id")
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class CalendarFeed(SQLModel, table=True):
    """A user's secret calendar address. Only a hash of the token is kept: the address is shown once."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
