"""The jobs table: the truth about every piece of long work (docs/decisions/0001-job-queue.md).

The queue library only carries "job N is ready" to a worker. State, progress, the lease, attempts and
cancellation live here, in the application's own database, so any API replica can show and cancel a
job and any worker can take over one whose worker died."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, LargeBinary, text
from sqlmodel import Field, SQLModel

from core.types import utcnow


class Job(SQLModel, table=True):
    __table_args__ = (
        # Two jobs of one scope never run at once: a second claim fails on this index and waits.
        Index("uq_job_running_scope", "scope", unique=True,
              sqlite_where=text("state = 'running'"), postgresql_where=text("state = 'running'")),
    )

    id: int | None = Field(default=None, primary_key=True)
    # match_run | import | export | retention | reminders | vacancy_expiry | nav_feed
    kind: str = Field(max_length=30, index=True)
    scope: str = Field(max_length=100, index=True)
    # Scheduled work: the same key twice (several workers' schedulers) makes one job.
    unique_key: str | None = Field(default=None, max_length=100, unique=True)
    state: str = Field(default="queued", max_length=10, index=True)  # queued | running | done | failed | cancelled
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    input: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))  # dropped when it ends
    # An export's file, kept EXPORT_KEEP_HOURS for download, dropped sooner when a candidate is erased;
    # with the candidates in it, so each download is in the audit log like the export itself.
    output: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    output_candidates: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"))
    result: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    progress: int = 0  # percent
    progress_message: str = Field(default="", max_length=300)
    error: str | None = Field(default=None, max_length=4000)
    match_run_id: int | None = Field(default=None, foreign_key="matchrun.id", index=True)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    sent_at: datetime | None = None  # last time its message went on the queue
    worker: str | None = Field(default=None, max_length=120)
    heartbeat_at: datetime | None = None
    lease_until: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    max_attempts: int = 1
    cancel_requested_at: datetime | None = None
    cancel_requested_by: int | None = Field(default=None, foreign_key="user.id")
