"""The transport: huey carries "job N is ready" from whoever submits a job to a worker, and runs the
workers and the daily schedule (docs/decisions/0001-job-queue.md).

Where the messages live follows the database, so the default needs no broker:
- SQLite (the embedded default): huey's SQLite storage, in a file beside the database;
- PostgreSQL: huey's PostgreSQL storage, tables huey_* in the same database (LISTEN/NOTIFY wakes a
  waiting worker at once; FOR UPDATE SKIP LOCKED gives each message to one worker);
- BROBYGGER_QUEUE_URL=redis://host:6379/0: huey on Redis, for those who run one anyway.
Huey removes a message when a worker takes it, so a worker killed mid-job loses the message: the
jobs table's lease is what brings the job back (jobs/service.py `reap`)."""

import logging
import threading
import time
from pathlib import Path

from huey import Huey, PostgresHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from core.settings import Settings
from jobs import runner, service

log = logging.getLogger("brobygger.jobs")
QUEUE_NAME = "brobygger"


def make_huey(settings: Settings, engine: Engine) -> Huey:
    url = settings.queue_url.strip()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(QUEUE_NAME, url=url, results=False)
    if url:
        raise ValueError("BROBYGGER_QUEUE_URL må være tom (samme database) eller redis://...")
    db = engine.url
    if db.get_backend_name() == "sqlite":
        path = Path(db.database or "brobygger.db")
        return SqliteHuey(QUEUE_NAME, filename=str(path.with_name(path.name + ".queue")), results=False)
    dsn = make_url(db).set(drivername="postgresql").render_as_string(hide_password=False)
    for attempt in range(5):
        try:  # huey creates its tables if missing; processes starting together may race on that
            return PostgresHuey(QUEUE_NAME, dsn=dsn, results=False, table_prefix="huey")
        except Exception:
            if attempt == 4:
                raise
            log.info("job queue tables: created by another process at the same moment; trying again")
            time.sleep(0.2 * (attempt + 1))


class _QuietConsumer(Consumer):
    """A consumer inside another program (the web service): it must not take over the program's
    SIGINT/SIGTERM handling, which belongs to uvicorn."""

    def _set_signal_handlers(self) -> None:
        pass


class JobQueue:
    """One per process: the API uses `send`; a worker also runs the consumer and the reaper."""

    def __init__(self, engine: Engine, settings: Settings):
        self.engine, self.settings = engine, settings
        self.huey = make_huey(settings, engine)
        self._run_task = self.huey.task(name="run_job")(self._run)
        self.huey.periodic_task(crontab(minute="15", hour="2"), name="daily_retention")(
            lambda: runner.schedule_daily(self.engine, "retention", self.send))
        self.huey.periodic_task(crontab(minute="0", hour="6"), name="daily_reminders")(
            lambda: runner.schedule_daily(self.engine, "reminders", self.send))
        self.huey.periodic_task(crontab(minute="5", hour="0"), name="daily_vacancy_expiry")(
            lambda: runner.schedule_daily(self.engine, "vacancy_expiry", self.send))
        self.huey.periodic_task(crontab(minute="20"), name="hourly_nav_feed")(
            lambda: runner.schedule_daily(self.engine, "nav_feed", self.send, hourly=True))
        self._consumer: Consumer | None = None
        self._stop = threading.Event()
        self._reaper: threading.Thread | None = None

    def send(self, job_id: int) -> None:
        """Put a job's id on the queue. A failure here is logged, not raised: the job is already
        stored as queued, and the reaper sends it again after one lease."""
        try:
            self._run_task(job_id)
        except Exception:
            log.exception("job %s: could not be put on the queue now; the reaper will send it again", job_id)

    def _run(self, job_id: int) -> None:
        runner.run_job(self.engine, job_id, lease_seconds=self.settings.job_lease_seconds, send=self.send)

    # ------------------------------------------------------------ workers

    def consumer(self, threads: int, embedded: bool, periodic: bool = True) -> Consumer:
        """`periodic`: also start the scheduled jobs (`schedule_daily`) at their times."""
        cls = _QuietConsumer if embedded else Consumer
        # max_delay: an idle SQLite worker polls at most this far apart (PostgreSQL and Redis block instead).
        self._consumer = cls(self.huey, workers=threads, periodic=periodic, worker_type="thread",
                             initial_delay=0.05, max_delay=0.5, backoff=1.5)
        return self._consumer

    def start_reaper(self) -> None:
        self._reaper = threading.Thread(target=self._reap_loop, name="job-reaper", daemon=True)
        self._reaper.start()

    def reap_once(self) -> list[int]:
        with Session(self.engine) as session:
            ids = service.reap(session, self.settings.job_lease_seconds, alive=runner.live_workers())
            session.commit()
        for job_id in ids:
            self.send(job_id)
        return ids

    def _reap_loop(self) -> None:
        interval = max(0.2, self.settings.job_lease_seconds / 3)
        while not self._stop.wait(interval):
            try:
                self.reap_once()
            except Exception:
                log.warning("job reaper: database not reachable now", exc_info=True)

    def run_worker(self, threads: int) -> None:
        """`brobygger worker`: blocks; SIGINT waits for running jobs, SIGTERM stops at once (their
        leases run out and other workers take them over)."""
        self.start_reaper()
        try:
            self.consumer(threads, embedded=False).run()
        finally:
            self._stop.set()

    def start_embedded(self, threads: int, periodic: bool = True) -> None:
        """A worker inside the web service (the SQLite default): daemon threads, so stopping the
        service never waits for a long run; that run's lease runs out and it is taken up again."""
        if hasattr(self.huey.storage, "read_timeout"):
            # On PostgreSQL an idle worker waits for a notification this long at a time, and
            # stopping the service waits for it (`stop`): a quarter second instead of huey's one.
            self.huey.storage.read_timeout = 0.25
        self.start_reaper()
        self.consumer(threads, embedded=True, periodic=periodic).start()

    def stop(self, wait: float = 3.0) -> None:
        """Stop taking jobs. Idle worker threads end within a second (an embedded PostgreSQL worker
        listens a quarter second at a time); a thread still running a job after `wait` seconds is
        left, and its job's lease decides. Waiting matters: a worker thread that outlived its service
        would take the next job from the queue."""
        self._stop.set()
        if self._consumer is None:
            return
        self._consumer.stop_flag.set()
        deadline = time.monotonic() + wait
        for thread in [t for _, t in self._consumer.worker_threads] + [self._consumer.scheduler, self._reaper]:
            if thread is not None:
                thread.join(max(0.0, deadline - time.monotonic()))
