from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from core.text import InputModel, MultiLineText


class TaskIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"title": "Ring Renhold Øst om vikarbehov", "due_on": "2026-12-10", "employer_id": 3}]})

    title: str = Field(min_length=1, max_length=200)
    due_on: date = Field(description="Fristen")
    owner_id: int | None = Field(default=None, description="Hvem som skal gjøre det; deg selv hvis tom")
    candidate_id: int | None = Field(default=None, description="Kandidaten oppgaven gjelder")
    employer_id: int | None = Field(default=None, description="Arbeidsgiveren oppgaven gjelder")
    note: MultiLineText | None = Field(default=None, max_length=2000)


class TaskDoneIn(InputModel):
    note: MultiLineText | None = Field(default=None, max_length=2000, description="Hva som kom ut av det")


class TaskPublic(BaseModel):
    id: int
    title: str
    due_on: date
    owner_id: int
    candidate_id: int | None
    employer_id: int | None
    placement_id: int | None
    interview_id: int | None
    note: MultiLineText | None
    done_at: datetime | None
    done_by: int | None


class AgendaItemPublic(BaseModel):
    """One line in the agenda: an interview (with a time), or something due on a day."""

    kind: str = Field(description="interview | task | follow_up | plan_task | plan_review")
    id: int
    title: str
    day: date
    starts_at: datetime | None = None
    place: str | None = None
    candidate_id: int | None = None
    candidate_name: str | None = None
    employer_id: int | None = None
    employer_name: str | None = None
    placement_id: int | None = None
    done: bool = False
    overdue: bool = False


class CalendarFeedCreated(BaseModel):
    url: str = Field(description="Den hemmelige adressen; vises bare nå")
    created_at: datetime
