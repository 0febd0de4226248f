"""Stored match runs. The solver core never sees these: the service turns them into plain data."""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Column, LargeBinary
from sqlmodel import Field, SQLModel

from core.types import utcnow


class MatchRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default="queued", max_length=10, index=True)  # queued | running | done | failed
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    progress: int = 0  # percent
    progress_message: str = Field(default="", max_length=300)
    timings: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    stats: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The objective is lexicographic: coverage (percent-days placed) first, then the total score
    # among solutions with that coverage. The score bound holds for every solution with at least
    # this coverage. solver_status "optimal" means both levels are proven.
    coverage_objective: int | None = Field(default=None, sa_column=Column(BigInteger))  # national: > 2^31
    coverage_bound: int | None = Field(default=None, sa_column=Column(BigInteger))
    coverage_gap: float | None = None
    quality_objective: int | None = None
    quality_bound: int | None = None
    quality_gap: float | None = None
    solver_status: str | None = Field(default=None, max_length=20)
    # What the run saw, to explain its changes against another run: per candidate and vacancy id
    # a fingerprint of what the solver used, and the pins and vetoes (see service.run_inputs).
    inputs: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    messages: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, max_length=4000)


class MatchProposal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="matchrun.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    employer_id: int = Field(foreign_key="employer.id")
    fte: int
    start: date
    end: date | None = None
    score: int
    year_coverage: float
    components: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    requirements_met: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    explanation: str = Field(max_length=4000)
    # For the consultant: documents to get before the start, closer follow-up of the employer.
    notes: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"))


class ShortlistEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="matchrun.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    rank: int
    candidate_id: int = Field(foreign_key="candidate.id")
    score: int
    explanation: str = Field(max_length=4000)


class UnlockSuggestionRow(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="matchrun.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    kind: str = Field(max_length=20)  # certificate | norwegian | hours | commute
    value: str = Field(max_length=60)
    vacancies: int
    text: str = Field(max_length=1000)


class MatchDecision(SQLModel, table=True):
    """A consultant's word on a pair: pin (must), veto (never) or accept. Withdrawn, not deleted."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    decision: str = Field(max_length=10)
    note: str | None = Field(default=None, max_length=1000)
    run_id: int | None = Field(default=None, foreign_key="matchrun.id")
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime = Field(default_factory=utcnow)
    withdrawn_at: datetime | None = None


class MatchWarmStart(SQLModel, table=True):
    """What a finished run leaves for the next run over the same candidates and plan year, so that a
    re-run after a few decisions starts from it (`matching.warm.WarmStart.to_bytes`: a compressed
    numpy archive, a few KB to tens of MB). Only the newest per scope is kept."""

    run_id: int = Field(foreign_key="matchrun.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
