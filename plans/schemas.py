from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from core.text import InputModel, MultiLineText
from plans.models import PlanTask

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Note = Annotated[MultiLineText, StringConstraints(max_length=2000)]


class GoalKind(StrEnum):
    sector = "sector"
    occupation = "occupation"
    share = "share"
    text = "text"


class OwnerKind(StrEnum):
    candidate = "candidate"
    staff = "staff"
    consultant = "consultant"


class TaskStatus(StrEnum):
    open = "open"
    done = "done"
    dropped = "dropped"


class GoalIn(InputModel):
    """A goal. `sector` for kind sector, `occupation_code` (STYRK-08) for occupation, `fte` for the
    wanted share of a year, `text` for a goal in words (and as a note to any other kind)."""

    kind: GoalKind
    sector: str | None = Field(default=None, max_length=20)
    occupation_code: str | None = Field(default=None, max_length=200, description="STYRK-08, f.eks. «9112» eller «9112 Renholder»")
    fte: int | None = Field(default=None, ge=10, le=100, description="Ønsket andel av et årsverk, i prosent")
    text: Note | None = None


class TaskIn(InputModel):
    title: Title
    description: Note | None = None
    owner_kind: OwnerKind
    owner_user_id: int | None = Field(default=None, description="Veilederen eller konsulenten som eier oppgaven")
    due_on: date | None = None


class TaskUpdate(InputModel):
    """Change a task: only the fields sent change. `version` from the task as read (409 when stale)."""

    updates = PlanTask
    title: Title | None = None
    description: Note | None = None
    owner_kind: OwnerKind | None = None
    owner_user_id: int | None = None
    due_on: date | None = None
    status: TaskStatus | None = None
    version: int | None = None


class TickIn(InputModel):
    comment: Note | None = None


class CommentIn(InputModel):
    text: Annotated[MultiLineText, StringConstraints(min_length=1, max_length=2000)]


class ReviewIn(InputModel):
    """A review that was held, and (optionally) when the next one is."""

    held_on: date
    note: Note | None = None
    next_review_on: date | None = None


class PlanUpdate(InputModel):
    next_review_on: date | None = None


class GoalPublic(BaseModel):
    id: int
    kind: GoalKind
    value: str | None
    text: str | None
    label: str  # the goal in words
    created_at: datetime


class CommentPublic(BaseModel):
    id: int
    text: str
    written_at: datetime
    written_by: str


class TaskPublic(BaseModel):
    id: int
    title: str
    description: str | None
    owner_kind: OwnerKind
    owner_user_id: int | None
    owner_name: str  # "Kandidaten", the person's name, or "Veileder (ikke fordelt)"
    due_on: date | None
    overdue: bool
    status: TaskStatus
    source: str | None
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    version: int
    comments: list[CommentPublic]


class ReviewPublic(BaseModel):
    id: int
    held_on: date
    note: str | None
    recorded_by: str
    recorded_at: datetime


class PlanPublic(BaseModel):
    candidate_id: int
    exists: bool
    created_at: datetime | None = None
    next_review_on: date | None = None
    review_overdue: bool = False
    version: int | None = None
    goals: list[GoalPublic] = []
    tasks: list[TaskPublic] = []
    reviews: list[ReviewPublic] = []


class PlanEventPublic(BaseModel):
    id: int
    kind: str
    text: str  # what happened, in Norwegian
    task_id: int | None
    goal_id: int | None
    changed_at: datetime
    changed_by: str


class CasePerson(BaseModel):
    user_id: int
    name: str
    role: str
    why: str  # contact person, staff in the project, consultant


class DueTask(BaseModel):
    task_id: int
    candidate_id: int
    candidate_name: str
    title: str
    due_on: date
    days_overdue: int  # 0 = due today; negative = due in so many days


class DueReview(BaseModel):
    candidate_id: int
    candidate_name: str
    next_review_on: date
    days_overdue: int


class FromSourceResult(BaseModel):
    task: TaskPublic
    created: bool  # False: the task was already in the plan (a second click)
