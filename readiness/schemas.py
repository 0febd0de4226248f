from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from core.text import InputModel, MultiLineText
from core.types import PastDate
from readiness.scoring import ItemStatusValue

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,59}$")]


class ItemKind(StrEnum):
    gate = "gate"
    weighted = "weighted"
    task = "task"  # to do before the start: listed as missing, never in the score, the gates or the step


class Actor(StrEnum):
    candidate = "candidate"
    staff = "staff"
    consultant = "consultant"


class ChecklistItemIn(InputModel):
    key: Key
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: MultiLineText = Field(default="", max_length=2000)
    kind: ItemKind
    weight: int = Field(ge=0, le=100)
    evidence_required: bool = False
    expiry_days: int | None = Field(default=None, ge=1, le=3650)
    actor: Actor
    step: int = Field(ge=1, le=5, description="Trinn i trappen (1-5) der punktet hører hjemme")


class DefinitionIn(InputModel):
    """A new version of the checklist. Older versions and the assessments made under them stay as
    they were; an item keeps its evidence into the new version when its key is unchanged."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    ready_threshold: int = Field(default=80, ge=0, le=100)
    items: list[ChecklistItemIn] = Field(min_length=1)

    @field_validator("items")
    @classmethod
    def unique_keys(cls, items: list[ChecklistItemIn]) -> list[ChecklistItemIn]:
        keys = [item.key for item in items]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"punktnøklene må være unike; dobbelt: {', '.join(duplicates)}")
        if sum(item.weight for item in items) == 0:
            raise ValueError("minst ett punkt må ha vekt over 0")
        return items


class ChecklistItemPublic(ChecklistItemIn):
    text_rule = False  # stored data is shown as it is
    position: int


class DefinitionPublic(BaseModel):
    version: int
    title: str
    ready_threshold: int
    created_at: datetime
    items: list[ChecklistItemPublic]


class ItemUpdate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "done",
                    "evidence_date": "2026-11-02",
                    "document_ref": "Politiattest datert 2026-11-02, arkivsak 26/1234",
                    "note": "Levert i original",
                    "expected_version": 1,
                }
            ]
        }
    )

    status: ItemStatusValue
    evidence_date: PastDate | None = Field(default=None, description="Datoen bevisene gjelder fra")
    verified_by: str | None = Field(default=None, max_length=200, description="Hvem som bekreftet; deg om tom")
    document_ref: str | None = Field(default=None, max_length=300)
    note: MultiLineText | None = Field(default=None, max_length=2000)
    expected_version: int | None = Field(
        default=None, description="Versjonen du leste; gir 409 hvis noen andre har endret punktet siden"
    )


class ItemStatusPublic(BaseModel):
    key: str
    label: str
    kind: ItemKind
    step: int
    actor: Actor
    status: ItemStatusValue
    satisfied: bool
    expired: bool
    expires_on: date | None
    evidence_date: date | None = None
    verified_by: str | None = None
    document_ref: str | None = None
    note: MultiLineText | None = None
    updated_at: datetime | None = None
    version: int | None = None


class ReadinessPublic(BaseModel):
    candidate_id: int
    as_of: date
    definition_version: int
    score: int = Field(description="0-100")
    formidlingsklar: bool
    reasons: list[str] = Field(description="Hvorfor kandidaten ikke er formidlingsklar ennå")
    step: int = Field(description="Trinn 1-7 i trappetrinnsmodellen")
    step_label: str
    missing: dict[str, list[str]] = Field(description="Punkter som mangler, etter hvem som må handle")
    expired: list[str]
    exit_state: str
    items: list[ItemStatusPublic]


class HistoryEntry(BaseModel):
    item_key: str
    definition_version: int
    status: ItemStatusValue
    evidence_date: date | None
    verified_by: str | None
    document_ref: str | None
    note: MultiLineText | None
    changed_at: datetime
    changed_by: str


class ProgressEntry(BaseModel):
    candidate_id: int
    project_id: int
    step_from: int
    step_to: int
    score_from: int
    score_to: int
    moved_up: bool
    completed_items: list[str]


class ProgressReport(BaseModel):
    date_from: date
    date_to: date
    project_id: int | None
    candidates_with_progress: int
    moved_up_a_step: int
    completed_items: int
    entries: list[ProgressEntry]


class StepCount(BaseModel):
    step: int
    label: str
    candidates: int


class ReadinessOverview(BaseModel):
    project_id: int | None
    candidates: int
    formidlingsklar: int
    steps: list[StepCount]
    missing_by_actor: dict[str, int]
