from datetime import date, datetime

from sqlalchemy import JSON, Column, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.types import utcnow

_placement_version = Column("version", Integer, nullable=False)


class Placement(SQLModel, table=True):
    """One candidate on one vacancy's candidate list, and how far it has come."""

    __table_args__ = (UniqueConstraint("candidate_id", "vacancy_id"),)

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    stage: str = Field(max_length=30, index=True)
    stage_on: date
    fte: int  # share of full time while employed
    with_wage_subsidy: bool = False
    started_on: date | None = None
    ended_on: date | None = None  # the last day: set at a start for a fixed period, or when the job ended
    run_id: int | None = Field(default=None, foreign_key="matchrun.id")
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=_placement_version)

    __mapper_args__ = {"version_id_col": _placement_version}  # type: ignore[dict-item]


class PlacementEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    from_stage: str | None = Field(default=None, max_length=30)
    to_stage: str = Field(max_length=30)
    on: date = Field(index=True)
    with_consultant: bool = False
    reason: str | None = Field(default=None, max_length=1000)
    note: str | None = Field(default=None, max_length=2000)
    recorded_at: datetime = Field(default_factory=utcnow)
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    recorded_by_name: str = Field(sa_type=Text)  # copied from the actor: unbounded


class WorkPractice(SQLModel, table=True):
    """Praksisplass (as training or with a promise of hiring) or a wage-subsidy period."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    kind: str = Field(max_length=40)  # practice_training | practice_with_hiring_promise | wage_subsidy
    start: date
    end: date | None = None
    subsidy_percent: int | None = None
    note: str | None = Field(default=None, max_length=2000)
    recorded_by: int | None = Field(default=None, foreign_key="user.id")


class CandidateEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    kind: str = Field(max_length=30)  # first_interview | interview_training | need_uncovered | removed_from_process | taken_back_in
    on: date = Field(index=True)
    detail: str | None = Field(default=None, max_length=30)  # the need: norwegian | moving | education | obstacles
    note: str | None = Field(default=None, max_length=2000)
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow)


class EmploymentFollowUp(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("placement_id", "months"),)

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    months: int  # 3 | 6 | 12
    due_on: date = Field(index=True)
    done_on: date | None = None
    still_employed: bool | None = None
    fte: int | None = None
    with_wage_subsidy: bool | None = None
    note: str | None = Field(default=None, max_length=2000)
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Presentation(SQLModel, table=True):
    """A candidate presented to an employer: only the fields the consultant chose. The name is shown
    to the employer only while the candidate's consent to share with that employer stands."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    vacancy_id: int | None = Field(default=None, foreign_key="vacancy.id")
    fields: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    summary: str = Field(default="", max_length=2000)
    presented_at: datetime = Field(default_factory=utcnow)
    presented_by: int | None = Field(default=None, foreign_key="user.id")
    withdrawn_at: datetime | None = None
    # The employer's answer, recorded by hand by the consultant (the employer's own pages come later).
    answer: str | None = Field(default=None, max_length=30)  # interested | wants_interview | not_now
    answer_on: date | None = None
    answer_reason: str | None = Field(default=None, max_length=30)  # for not_now: a code from ANSWER_REASONS
    answer_note: str | None = Field(default=None, max_length=2000)
    proposed_times: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"))
    answered_by: int | None = Field(default=None, foreign_key="user.id")


class Interview(SQLModel, table=True):
    """An employer interview on a vacancy's candidate list: when, where, and whether the consultant
    goes along (intervjubistand). `consultant_id` is whose agenda it is on."""

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    starts_at: datetime = Field(index=True)
    place: str = Field(max_length=300)
    consultant_attends: bool = False
    notes: str | None = Field(default=None, max_length=2000)
    consultant_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)


class CandidateJob(SQLModel, table=True):
    """A job the candidate holds, or held, outside the placement pipeline: found on their own or
    held before. Staff and consultants record it; matching treats it as fixed occupancy."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    employer_id: int | None = Field(default=None, foreign_key="employer.id", index=True)  # a registered employer
    employer_name: str = Field(max_length=200)  # free text, or the registered employer's name
    title: str | None = Field(default=None, max_length=200)
    fte: int  # share of full time, percent
    start: date
    end: date | None = None
    working_hours: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow)


class EmployerAssessment(SQLModel, table=True):
    """The employer's short assessment after work practice or a trial period, given on Min side: the
    evidence staff read for the checklist item "vurdering fra arbeidsgiver"."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    punctuality: int  # 1-5
    cooperation: int  # 1-5
    work_quality: int  # 1-5
    would_hire: str = Field(max_length=10)  # yes | maybe | no
    note: str | None = Field(default=None, max_length=2000)
    given_on: date
    given_by: int | None = Field(default=None, foreign_key="user.id")
    given_by_name: str = Field(sa_type=Text)
    given_at: datetime = Field(default_factory=utcnow)
