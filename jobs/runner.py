"""Running one job in a worker: claim it, keep its lease alive, do the work, end it.

A heartbeat thread renews the lease every third of it, so a job whose worker is killed (kill -9,
a machine gone) is noticed by the other workers' reapers within one lease. The work itself stops
at its next progress point when the job is cancelled or its lease was lost (`JobStopped`)."""

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from accounts.models import User
from accounts.service import Principal
from core import audit
from core.types import Role, today
from jobs import service
from jobs.models import Job
from matching import service as matching
from matching.models import MatchRun

log = logging.getLogger("brobygger.jobs")
Send = Callable[[int], None]


class JobStopped(BaseException):
    """Raised at a progress point to stop the work. A BaseException, so that the work's own
    `except Exception` (which marks a match run failed) lets it through."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "cancelled" | "lease lost"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


_LIVE: set[str] = set()  # the worker names of the jobs this process is running now
_LIVE_LOCK = threading.Lock()


def live_workers() -> frozenset[str]:
    with _LIVE_LOCK:
        return frozenset(_LIVE)


class Lease:
    """The heartbeat and the stop flag of one running job."""

    def __init__(self, engine: Engine, job_id: int, worker: str, seconds: float):
        self.engine, self.job_id, self.worker, self.seconds = engine, job_id, worker, seconds
        self.stop_reason: str | None = None
        self._done = threading.Event()
        self._last_poll = 0.0
        self._thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)

    def __enter__(self) -> "Lease":
        with _LIVE_LOCK:
            _LIVE.add(self.worker)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        with _LIVE_LOCK:
            _LIVE.discard(self.worker)
        self._done.set()
        self._thread.join(timeout=5)

    def _beat(self) -> None:
        while not self._done.wait(self.seconds / 3):
            try:
                began = time.monotonic()
                with Session(self.engine) as session:
                    ours, stop = service.heartbeat(session, self.job_id, self.worker, self.seconds)
                    session.commit()
                if time.monotonic() - began > self.seconds / 3:
                    log.warning("job %s: heartbeat took %.1f s", self.job_id, time.monotonic() - began)
            except Exception:  # the database may be briefly away; the lease gives it time
                log.warning("job %s: heartbeat failed", self.job_id, exc_info=True)
                continue
            if not ours:
                self.stop_reason = "lease lost"
            elif stop and self.stop_reason is None:
                self.stop_reason = "cancelled"

    def checkpoint(self, session: Session | None = None) -> None:
        """Called by the work at each progress point: stop here if asked to (polls at most once a
        second). Work that holds a session passes it: SQLite's single pooled connection must not be
        asked for twice by one thread."""
        now = time.monotonic()
        if self.stop_reason is None and now - self._last_poll >= 1.0:
            self._last_poll = now
            if session is not None:
                asked = service.cancel_requested(session, self.job_id)
            else:
                with Session(self.engine) as own:
                    asked = service.cancel_requested(own, self.job_id)
            if asked:
                self.stop_reason = "cancelled"
        if self.stop_reason is not None:
            raise JobStopped(self.stop_reason)

    def confirm(self, session: Session) -> None:
        """Inside the transaction that stores the work's result: renew the lease, or stop if it is
        gone. The renewal locks the job's row until the commit, so no reaper can give the job to
        another attempt between this check and the result being stored."""
        ours, _ = service.heartbeat(session, self.job_id, self.worker, self.seconds)
        if not ours:
            self.stop_reason = "lease lost"
            raise JobStopped("lease lost")

    def progress(self, percent: int, message: str) -> None:
        self.checkpoint()
        with Session(self.engine) as session:
            service.set_progress(session, self.job_id, self.worker, percent, message)
            session.commit()


def run_job(engine: Engine, job_id: int, *, lease_seconds: float, send: Send, worker: str | None = None) -> str | None:
    """Claim and run one job; returns the state it ended in, or None when it was not ours to run."""
    worker = worker or worker_name()
    with Session(engine, expire_on_commit=False) as session:
        job = service.claim(session, job_id, worker, lease_seconds)
        session.commit()
        if job is None:
            return None
        session.expunge(job)
    log.info("job %s (%s) started by %s, attempt %s", job.id, job.kind, worker, job.attempts)
    state = None
    with Lease(engine, job.id, worker, lease_seconds) as lease:
        try:
            state, result, error = HANDLERS[job.kind](engine, job, lease)
            if state is None:  # the work ended the job in its own transaction
                log.info("job %s ended: done", job.id)
                state = "done"
                result = None
                return _after(engine, job, send, state)
        except JobStopped as stopped:
            if stopped.reason == "cancelled":
                state, result, error = "cancelled", None, _cancelled_by(engine, job.id)
            else:  # another attempt owns the job now; leave it alone
                log.warning("job %s: lease lost by %s; stopped", job.id, worker)
        except Exception:
            reference = secrets.token_hex(4)
            log.exception("job %s failed (reference %s)", job.id, reference)
            state, result, error = "failed", None, matching.failure_message(reference)
    if state is not None:
        with Session(engine) as session:
            if not service.finish(session, job.id, worker, state, result=result, error=error):
                state = None
            session.commit()
    log.info("job %s ended: %s", job.id, state)
    return _after(engine, job, send, state)


def _after(engine: Engine, job: Job, send: Send, state: str | None) -> str | None:
    with Session(engine) as session:  # the next job waiting in the same scope may start now
        waiting = service.next_in_scope(session, job.scope)
    if waiting is not None:
        send(waiting)
    return state


def _cancelled_by(engine: Engine, job_id: int) -> str:
    with Session(engine) as session:
        job = session.get(Job, job_id)
        name = session.get(User, job.cancel_requested_by).full_name if job.cancel_requested_by else "en bruker"
    return service.CANCELLED_NB.format(name=name)


def _principal(engine: Engine, user_id: int | None, what: str) -> Principal:
    """The person who started the job acts in it (their access rules and name in the audit log)."""
    with Session(engine) as session:
        user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        return Principal(Role.admin, None, f"brobygger jobb: {what}")
    return Principal(Role(user.role), user.id, user.full_name, user.project_id, user.organisation_number,
                     partner_id=user.partner_id)


# ---------------------------------------------------------------- what each kind of job does


def _match_run(engine: Engine, job: Job, lease: Lease):
    with Session(engine) as session:
        run = session.get(MatchRun, job.match_run_id)
        already = run.status == "done"  # an attempt that died after storing its result
    if not already:
        matching.execute_run(engine, job.match_run_id, checkpoint=lease.checkpoint,
                             stop=lambda: lease.stop_reason is not None, before_commit=lease.confirm)
    with Session(engine) as session:
        run = session.get(MatchRun, job.match_run_id)
        if run.status != "done":
            return "failed", None, run.error
        return "done", {"run_id": run.id, "proposals": run.stats.get("proposals", 0)}, None


def _import(engine: Engine, job: Job, lease: Lease):
    """All or nothing, as the synchronous import: the rows and the job's end in one transaction."""
    from transfer.service import import_file

    kind, filename = job.params["kind"], job.params.get("filename", "")
    actor = _principal(engine, job.created_by, "import")
    lease.progress(10, "Leser og kontrollerer filen")
    with Session(engine) as session:
        raw = session.get(Job, job.id).input or b""
        report = import_file(session, kind, raw, filename, actor)
        lease.checkpoint(session)
        if report.errors:
            session.rollback()
            errors = [dict(row=e.row, field=e.field, message=e.message) for e in report.errors]
            first = report.errors[0]
            return "failed", {"rows": report.rows, "imported": 0, "errors": errors, "error_count": report.error_count}, (
                f"Ingenting er importert: {report.error_count} feil. Første: rad {first.row}, {first.field}: "
                f"{first.message}")
        if kind == "candidates":
            audit.record_many(session, actor, "create", "import", report.imported_ids)
        if not service.finish(session, job.id, lease.worker, "done", result={"rows": report.rows,
                                                                               "imported": report.imported}):
            session.rollback()  # the lease was lost meanwhile: another attempt imports it
            raise JobStopped("lease lost")
        session.commit()
    return None, None, None  # already finished in the import's transaction


def _export(engine: Engine, job: Job, lease: Lease):
    """The same file as the synchronous export, read with the access of the person who asked; stored
    on the job with its end, in one transaction."""
    from transfer.service import export_file

    kind, fmt = job.params["kind"], job.params["format"]
    actor = _principal(engine, job.created_by, "eksport")
    lease.progress(10, "Henter data")
    with Session(engine) as session:
        data, candidate_ids = export_file(session, kind, fmt, actor)
        lease.checkpoint(session)
        if candidate_ids:
            audit.record(session, actor, "export", f"eksport {fmt} (jobb {job.id})", candidate_ids)
        row = session.get(Job, job.id)
        row.output, row.output_candidates = data, candidate_ids
        session.add(row)
        result = {"file": job.params["filename"], "bytes": len(data), "rows": job.params.get("rows"),
                  "download": f"/jobs/{job.id}/file"}
        if not service.finish(session, job.id, lease.worker, "done", result=result):
            session.rollback()
            raise JobStopped("lease lost")
        session.commit()
    return None, None, None


def _retention(engine: Engine, job: Job, lease: Lease):
    from core.settings import get_settings
    from privacy.service import apply_retention

    settings = get_settings()
    actor = Principal(Role.admin, None, "brobygger jobb: sletteregler")
    with Session(engine) as session:
        due = apply_retention(session, actor, intake_days=settings.retention_intake_days,
                              inactive_days=settings.retention_inactive_days)
        # Files older than their keeping time; all of them when someone was anonymised (a file may name them).
        files = service.drop_export_files(session, older_than_hours=None if due else service.EXPORT_KEEP_HOURS)
        lease.checkpoint(session)
        session.commit()
    return "done", {"anonymised": len(due), "export_files_dropped": files}, None


def _reminders(engine: Engine, job: Job, lease: Lease):
    """Follow-ups due today, counted per consultant, for the jobs page and the log (the dashboard
    and `GET /follow-ups` list them by name)."""
    from employers.service import follow_ups_due
    from placement.models import EmploymentFollowUp

    day = date.fromisoformat(job.params.get("day") or today().isoformat())
    with Session(engine) as session:
        contacts = follow_ups_due(session, consultant_id=None, as_of=day, actor=None)
        by_consultant: dict[str, int] = {}
        for f in contacts:
            key = str(f.consultant_id)
            by_consultant[key] = by_consultant.get(key, 0) + 1
        employment = len(session.exec(select(EmploymentFollowUp.id).where(
            EmploymentFollowUp.due_on <= day, col(EmploymentFollowUp.done_on).is_(None))).all())
    return "done", {"day": day.isoformat(), "contact_follow_ups": len(contacts),
                    "contact_follow_ups_by_consultant": by_consultant, "employment_follow_ups": employment}, None


def _vacancy_expiry(engine: Engine, job: Job, lease: Lease):
    """Vacancies past their expiry date (imported ads carry one) close themselves."""
    from employers.service import close_expired

    with Session(engine) as session:
        closed = close_expired(session)
        lease.checkpoint(session)
        session.commit()
    return "done", {"closed": len(closed)}, None


def _nav_feed(engine: Engine, job: Job, lease: Lease):
    """NAV's public job feed, from where the last run stopped (nothing to do without BROBYGGER_NAV_FEED_URL)."""
    from core.settings import get_settings
    from nav.feed import HttpSource, import_feed

    settings = get_settings()
    if not settings.nav_feed_url:
        return "done", {"skipped": "BROBYGGER_NAV_FEED_URL er ikke satt"}, None
    source = HttpSource(settings.nav_feed_url, settings.nav_feed_token)

    def progress(stats) -> None:
        lease.progress(min(95, 5 + stats.pages), f"{stats.pages} sider, {stats.added} nye, {stats.closed} lukket")
        lease.checkpoint()

    stats = import_feed(engine, source, feed_key=settings.nav_feed_url, progress=progress)
    return "done", stats.as_dict(), None


HANDLERS: dict[str, Callable[[Engine, Job, Lease], tuple]] = {
    "match_run": _match_run, "import": _import, "export": _export, "retention": _retention, "reminders": _reminders,
    "vacancy_expiry": _vacancy_expiry, "nav_feed": _nav_feed}


def schedule_daily(engine: Engine, kind: str, send: Send, day: date | None = None, *, hourly: bool = False,
                   ) -> int | None:
    """Scheduled work: one job per kind and day (or hour), however many workers' schedulers ask for it."""
    from sqlalchemy.exc import IntegrityError

    from core.types import LOCAL_TZ, utcnow

    day = day or today()
    key = f"{kind}:{day.isoformat()}"
    if hourly:
        key = f"{kind}:{utcnow().astimezone(LOCAL_TZ).strftime('%Y-%m-%dT%H')}"
    with Session(engine) as session:
        try:
            job = service.submit(session, kind=kind, scope=kind, actor=None, params={"day": day.isoformat()},
                                 unique_key=key, message="Planlagt")
            session.commit()
        except IntegrityError:
            return None
        job_id = job.id
    send(job_id)
    return job_id

