from datetime import date, datetime

from sqlalchemy import Column, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.types import utcnow


class ChecklistDefinition(SQLModel, table=True):
    """One version of the shared definition. Versions are never changed once created."""

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    title: str = Field(max_length=200)
    ready_threshold: int = 80
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")


class ChecklistItem(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("definition_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    definition_id: int = Field(foreign_key="checklistdefinition.id", index=True)
    key: str = Field(max_length=60)
    label: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    kind: str = Field(max_length=10)  # gate | weighted
    weight: int
    evidence_required: bool = False
    expiry_days: int | None = None
    actor: str = Field(max_length=20)  # candidate | staff | consultant
    step: int
    position: int


_item_version = Column("version", Integer, nullable=False)


class ItemStatus(SQLModel, table=True):
    """The current status of one checklist item for one candidate. Items are keyed by `item_key`
    across definition versions: the same key means the same evidence."""

    __table_args__ = (UniqueConstraint("candidate_id", "item_key"),)

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    item_key: str = Field(max_length=60)
    status: str = Field(max_length=20)
    evidence_date: date | None = None
    verified_by: str | None = Field(default=None, sa_type=Text)  # defaults to the actor's name
    document_ref: str | None = Field(default=None, max_length=300)
    note: str | None = Field(default=None, max_length=2000)
    definition_version: int
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    version: int = Field(default=1, sa_column=_item_version)

    # Optimistic locking: a concurrent writer fails instead of silently overwriting.
    __mapper_args__ = {"version_id_col": _item_version}  # type: ignore[dict-item]


class ItemStatusEvent(SQLModel, table=True):
    """Append-only history: every change of an item's status, as it was recorded."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    item_key: str = Field(max_length=60)
    definition_version: int
    status: str = Field(max_length=20)
    evidence_date: date | None = None
    verified_by: str | None = Field(default=None, sa_type=Text)  # defaults to the actor's name
    document_ref: str | None = Field(default=None, max_length=300)
    note: str | None = Field(default=None, max_length=2000)
    changed_at: datetime = Field(default_factory=utcnow, index=True)
    changed_by: int | None = Field(default=None, foreign_key="user.id")
    changed_by_name: str = Field(sa_type=Text)  # copied from the actor: unbounded
