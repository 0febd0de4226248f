"""Tables of the NAV formats: which vacancy each received ad became, the receipts, and the feed's state."""

from datetime import datetime

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.types import utcnow


class NavAd(SQLModel, table=True):
    """One ad by its reference: from a provider ("provider:<id>") or from the public feed ("feed", the ad's uuid).
    The md5 of the last version received lets an unchanged ad be SKIPPED; `deleted` ads cannot come back."""

    __table_args__ = (UniqueConstraint("origin", "reference"),)

    id: int | None = Field(default=None, primary_key=True)
    origin: str = Field(max_length=30)
    reference: str = Field(max_length=255)
    vacancy_id: int | None = Field(default=None, foreign_key="vacancy.id", index=True)
    md5: str = Field(max_length=32)
    deleted: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class NavTransfer(SQLModel, table=True):
    """A receipt: one per ad in a stream, one per batch. Its id is NAV's `versionId`."""

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    reference: str | None = Field(default=None, max_length=255)  # None for a batch
    status: str = Field(max_length=10)  # RECEIVED | ERROR | SKIPPED
    md5: str = Field(max_length=32)
    items: int = 1
    error_type: str | None = Field(default=None, max_length=20)
    field_name: str | None = Field(default=None, max_length=100)
    message: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)


class FeedState(SQLModel, table=True):
    """Where the last feed import stopped: the page to ask for next, with its ETag and Last-Modified."""

    id: int | None = Field(default=None, primary_key=True)
    feed_url: str = Field(max_length=1000, unique=True)
    next_url: str | None = Field(default=None, max_length=1000)
    etag: str | None = Field(default=None, max_length=200)
    last_modified: str | None = Field(default=None, max_length=100)
    updated_at: datetime = Field(default_factory=utcnow)


class FeedRules(SQLModel, table=True):
    """Which ads from the public feed fit the programmes (set by an admin; one row). Empty lists: all.
    Occupations are STYRK-08 codes or their prefixes (e.g. "91" keeps every cleaner and helper)."""

    id: int | None = Field(default=None, primary_key=True)
    occupation_prefixes: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    municipality_codes: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    min_fte: int | None = None  # an ad whose share is unknown passes (a consultant can ask)
    max_fte: int | None = None
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
