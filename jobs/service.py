"""Rules for jobs: who sees and cancels them, how a worker claims one, keeps its lease, finishes it,
and what happens to a job whose worker stopped answering (docs/decisions/0001-job-queue.md).

Every change of state is one conditional UPDATE (`WHERE state = ... AND worker = ...`), so two
workers, a worker and the reaper, or a worker and a cancel can never both win."""

import hashlib
import json
import logging
from datetime import datetime, timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from accounts.models import User
from accounts.service import Principal
from core.errors import Conflict, Forbidden, NotFound
from core.types import Role, utcnow
from jobs.models import Job
from matching import service as matching
from matching.models import MatchProposal, MatchRun, ShortlistEntry, UnlockSuggestionRow

log = logging.getLogger("brobygger.jobs")

ACTIVE = ("queued", "running")
FINISHED = ("done", "failed", "cancelled")
WAITING_KEY = "queued:"  # prefix of the key a waiting match run is joined by
MATCH_SCOPE = "match_run"  # match runs read and compare the whole register: one at a time
STATE_NB = {"queued": "I kø", "running": "Kjører", "done": "Ferdig", "failed": "Feilet", "cancelled": "Avbrutt"}
KIND_NB = {"match_run": "Matchkjøring", "import": "Import", "export": "Eksport", "retention": "Sletteregler",
           "reminders": "Påminnelser om oppfølging", "vacancy_expiry": "Utløpte stillinger lukkes",
           "nav_feed": "NAVs stillingsfeed"}
WORKER_DIED_NB = ("Arbeidsprosessen som kjørte jobben, sluttet å svare (forsøk {attempt} av {attempts}). "
                  "Ingenting fra dette forsøket er lagret; start jobben på nytt.")
RETRYING_NB = "Arbeidsprosessen sluttet å svare; jobben prøves på nytt (forsøk {next} av {attempts})."
CANCELLED_NB = "Avbrutt av {name}."
EXPORT_KEEP_HOURS = 24  # an export's file may hold personal data: kept only long enough to fetch it


# ---------------------------------------------------------------- submitting and reading


def submit(session: Session, *, kind: str, scope: str, actor: Principal | None, params: dict | None = None,
           input: bytes | None = None, match_run_id: int | None = None, max_attempts: int = 1,
           unique_key: str | None = None, message: str = "I kø") -> Job:
    """A queued job. The caller commits and then puts its id on the queue (`JobQueue.send`); should
    that send be lost, the reaper sends it again after one lease."""
    job = Job(kind=kind, scope=scope, params=params or {}, input=input, match_run_id=match_run_id,
              max_attempts=max_attempts, unique_key=unique_key, progress_message=message, sent_at=utcnow(),
              created_by=actor.user_id if actor else None)
    session.add(job)
    session.flush()
    return job


def start_match_run(session: Session, params: matching.RunParams, actor: Principal,
                    max_attempts: int) -> tuple[MatchRun, Job, bool]:
    """A match run as a job. A request with the same parameters as a run still waiting in the queue
    joins it (nothing has been read yet, so it would give the same answer); otherwise the new run
    queues behind the one running. Returns (run, job, joined).

    A waiting run's job carries a key made from its parameters (`unique_key`, cleared when a worker
    takes it): finding the run to join is one indexed lookup however long the queue, and two equal
    requests at the same moment cannot both make a run."""
    params = matching.scoped_params(params, actor).check()
    key = WAITING_KEY + hashlib.sha256(json.dumps(params.as_json(), sort_keys=True).encode()).hexdigest()[:48]
    if (found := _waiting(session, key)) is not None:
        return *found, True
    try:
        with session.begin_nested():
            run = matching.create_run(session, params, actor)
            job = submit(session, kind="match_run", scope=MATCH_SCOPE, actor=actor, params={"run_id": run.id},
                         match_run_id=run.id, max_attempts=max_attempts, unique_key=key)
    except IntegrityError:  # an equal request was first by a hair: join it
        if (found := _waiting(session, key)) is None:
            raise
        return *found, True
    return run, job, False


def _waiting(session: Session, key: str) -> tuple[MatchRun, Job] | None:
    row = session.exec(select(Job, MatchRun).join(MatchRun, col(Job.match_run_id) == MatchRun.id)
                       .where(Job.unique_key == key, Job.state == "queued")).first()
    return (row[1], row[0]) if row else None


def _release_waiting_key():
    """A job leaving the queue frees its waiting key (scheduled work keeps its per-day key)."""
    return case((col(Job.unique_key).startswith(WAITING_KEY), None), else_=Job.unique_key)


def _visible(job: Job, actor: Principal) -> bool:
    return actor.role in (Role.admin, Role.consultant) or (actor.user_id is not None and job.created_by == actor.user_id)


def get_job(session: Session, job_id: int, actor: Principal | None = None) -> Job:
    job = session.get(Job, job_id)
    if job is None or (actor is not None and not _visible(job, actor)):
        raise NotFound(f"Jobb {job_id} finnes ikke.")
    return job


def _jobs_stmt(stmt, actor: Principal, state: str | None, kind: str | None):
    if actor.role not in (Role.admin, Role.consultant):
        stmt = stmt.where(Job.created_by == actor.user_id)
    if state:
        stmt = stmt.where(Job.state == state)
    if kind:
        stmt = stmt.where(Job.kind == kind)
    return stmt


def list_jobs(session: Session, actor: Principal, *, state: str | None = None, kind: str | None = None,
              limit: int = 50, offset: int = 0) -> list[Job]:
    """Newest first; `offset` skips that many (the pages show them 50 at a time)."""
    stmt = _jobs_stmt(select(Job), actor, state, kind)
    return list(session.exec(stmt.order_by(col(Job.id).desc()).offset(offset).limit(limit)))


def count_jobs(session: Session, actor: Principal, *, state: str | None = None, kind: str | None = None) -> int:
    """How many `list_jobs` would give without a limit: the jobs nightly work keeps adding are not all loaded."""
    return session.exec(_jobs_stmt(select(func.count()).select_from(Job), actor, state, kind)).one()


def job_for_run(session: Session, run_id: int) -> Job | None:
    return session.exec(select(Job).where(Job.match_run_id == run_id).order_by(col(Job.id).desc())).first()


def public(session: Session, job: Job) -> dict:
    """What the API and pages show. A match run's progress is read from the run itself, which the
    solver updates at every step."""
    progress, message = job.progress, job.progress_message
    if job.match_run_id is not None and job.state == "running":
        run = session.get(MatchRun, job.match_run_id)
        if run is not None:
            progress, message = run.progress, run.progress_message
    names = _user_names(session, {job.created_by, job.cancel_requested_by} - {None})
    return dict(id=job.id, kind=job.kind, kind_label=KIND_NB.get(job.kind, job.kind), state=job.state,
                state_label=STATE_NB[job.state], progress=100 if job.state == "done" else progress,
                progress_message=message, error=job.error, result=job.result, match_run_id=job.match_run_id,
                created_by=job.created_by, created_by_name=names.get(job.created_by), created_at=job.created_at,
                started_at=job.started_at, finished_at=job.finished_at, attempts=job.attempts,
                max_attempts=job.max_attempts, worker=job.worker, heartbeat_at=job.heartbeat_at,
                lease_until=job.lease_until, cancel_requested=job.cancel_requested_at is not None, params=job.params)


def _user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(ids))).all())


def may_cancel(job: Job, actor: Principal) -> bool:
    return actor.role == Role.admin or (actor.user_id is not None and job.created_by == actor.user_id)


def cancel(session: Session, job_id: int, actor: Principal) -> Job:
    """The one who started a job, or an admin, cancels it. A queued job is cancelled at once; a
    running one is asked to stop and stops at its next progress point, storing nothing."""
    job = get_job(session, job_id, actor)
    if not may_cancel(job, actor):
        raise Forbidden("Bare den som startet jobben, eller en administrator, kan avbryte den.")
    if job.state in FINISHED:
        raise Conflict(f"Jobben kan ikke avbrytes: den er allerede {STATE_NB[job.state].lower()}.", field="state")
    now = utcnow()
    taken = session.exec(update(Job).where(Job.id == job_id, Job.state == "queued").values(
        state="cancelled", finished_at=now, cancel_requested_at=now, cancel_requested_by=actor.user_id,
        unique_key=_release_waiting_key(), input=None,
        error=CANCELLED_NB.format(name=actor.name), progress_message="Avbrutt")).rowcount
    if not taken:  # it started meanwhile: ask its worker to stop
        session.exec(update(Job).where(Job.id == job_id, Job.state == "running", col(Job.cancel_requested_at).is_(None))
                     .values(cancel_requested_at=now, cancel_requested_by=actor.user_id,
                             progress_message="Avbryter ved neste fremdriftspunkt"))
    session.flush()
    session.refresh(job)
    if job.state == "cancelled":
        _mirror_run(session, job)
    return job


# ---------------------------------------------------------------- the worker's side


def claim(session: Session, job_id: int, worker: str, lease: float) -> Job | None:
    """Take a queued job. None when it is not queued any more (another worker has it, it was
    cancelled or finished), or when a job of the same scope is running: it then waits, and is sent
    again when that one ends (`next_in_scope`)."""
    now = utcnow()
    try:
        with session.begin_nested():
            taken = session.exec(update(Job).where(Job.id == job_id, Job.state == "queued").values(
                state="running", worker=worker, attempts=Job.attempts + 1, heartbeat_at=now,
                unique_key=_release_waiting_key(),
                lease_until=now + timedelta(seconds=lease), started_at=now, progress=0,
                progress_message="Startet")).rowcount
    except IntegrityError:
        return None
    if not taken:
        return None
    job = session.get(Job, job_id)
    session.refresh(job)
    return job


def heartbeat(session: Session, job_id: int, worker: str, lease: float) -> tuple[bool, bool]:
    """Renew the lease. Returns (still ours, asked to stop)."""
    now = utcnow()
    ours = session.exec(update(Job).where(Job.id == job_id, Job.worker == worker, Job.state == "running")
                        .values(heartbeat_at=now, lease_until=now + timedelta(seconds=lease))).rowcount
    stop = session.exec(select(Job.cancel_requested_at).where(Job.id == job_id)).first()
    return bool(ours), stop is not None


def cancel_requested(session: Session, job_id: int) -> bool:
    return session.exec(select(Job.cancel_requested_at).where(Job.id == job_id)).first() is not None


def set_progress(session: Session, job_id: int, worker: str, percent: int, message: str) -> None:
    session.exec(update(Job).where(Job.id == job_id, Job.worker == worker, Job.state == "running")
                 .values(progress=percent, progress_message=message[:300]))


def finish(session: Session, job_id: int, worker: str, state: str, *, result: dict | None = None,
           error: str | None = None, message: str | None = None) -> bool:
    """End a job this worker holds. False when it no longer holds it (its lease ran out and the
    reaper gave the job to another attempt): then nothing is changed."""
    values = dict(state=state, finished_at=utcnow(), input=None, lease_until=None,
                  progress_message=message or STATE_NB[state])
    if result is not None:
        values["result"] = result
    if error is not None:
        values["error"] = error[:4000]
    if state == "done":
        values["progress"] = 100
    done = session.exec(update(Job).where(Job.id == job_id, Job.worker == worker, Job.state == "running")
                        .values(**values)).rowcount
    if done:
        job = session.get(Job, job_id)
        session.refresh(job)
        _mirror_run(session, job)
    return bool(done)


def next_in_scope(session: Session, scope: str) -> int | None:
    """The oldest job waiting in a scope, to be sent when the one running there ends."""
    return session.exec(select(Job.id).where(Job.scope == scope, Job.state == "queued").order_by(Job.id)).first()


def reap(session: Session, lease: float, now: datetime | None = None, alive: frozenset[str] = frozenset(),
         ) -> list[int]:
    """Run by every worker, every third of a lease. A running job whose lease ran out (its worker
    died, hung or lost the database) is queued again while attempts are left, and failed with a
    Norwegian reason when they are used up; a job asked to stop is cancelled. Nothing else decides
    a job's fate: starting or restarting a process never does. Also returns queued jobs whose
    message may have been lost (sent more than a lease ago) to be sent again: a duplicate message
    is harmless, since only one claim can win.

    `alive` names the workers of the jobs this process is running now. The process evidently lives,
    so their leases are renewed here, never expired: a heartbeat held up behind a lock or a busy
    machine must not make a worker give up its own job (seen on PostgreSQL in CI)."""
    now = now or utcnow()
    resend = []
    if alive:
        session.exec(update(Job).where(col(Job.worker).in_(alive), Job.state == "running")
                     .values(heartbeat_at=now, lease_until=now + timedelta(seconds=lease)))
    expired = session.exec(select(Job).where(Job.state == "running", col(Job.lease_until) < now)).all()
    for job in expired:
        if job.worker in alive:
            continue
        was = job.worker
        condition = (Job.id == job.id, Job.state == "running", Job.worker == job.worker, col(Job.lease_until) < now)
        if job.cancel_requested_at is not None:
            values = dict(state="cancelled", finished_at=now, progress_message="Avbrutt", input=None,
                          error=CANCELLED_NB.format(name=_user_names(session, {job.cancel_requested_by})
                                                    .get(job.cancel_requested_by, "en bruker")))
        elif job.attempts < job.max_attempts:
            values = dict(state="queued", worker=None, lease_until=None, sent_at=now, progress=0,
                          progress_message=RETRYING_NB.format(next=job.attempts + 1, attempts=job.max_attempts))
        else:
            values = dict(state="failed", finished_at=now, input=None, progress_message="Feilet",
                          error=WORKER_DIED_NB.format(attempt=job.attempts, attempts=job.max_attempts))
        if session.exec(update(Job).where(*condition).values(**values)).rowcount:
            log.warning("job %s: worker %s stopped answering; now %s", job.id, was, values["state"])
            session.refresh(job)
            _mirror_run(session, job)
            if job.state == "queued":
                resend.append(job.id)
            elif (waiting := next_in_scope(session, job.scope)) is not None:
                resend.append(waiting)
    stale = now - timedelta(seconds=lease)
    lost = session.exec(select(Job.id).where(Job.state == "queued", col(Job.sent_at) < stale)).all()
    if lost:
        session.exec(update(Job).where(col(Job.id).in_(lost), Job.state == "queued").values(sent_at=now))
    session.flush()
    return resend + [i for i in lost if i not in resend]


def _mirror_run(session: Session, job: Job) -> None:
    """A match run shows its job's fate. A failed or cancelled run keeps nothing (a run stores its
    result in one transaction, so there is normally nothing to remove)."""
    if job.match_run_id is None:
        return
    run = session.get(MatchRun, job.match_run_id)
    if run is None or run.status == "done":
        return
    if job.state == "queued":
        run.status, run.progress, run.progress_message = "queued", 0, job.progress_message
    elif job.state in ("failed", "cancelled"):
        run.status, run.finished_at, run.error = job.state, job.finished_at or utcnow(), job.error
        run.progress_message = STATE_NB[job.state]
        for model in (MatchProposal, ShortlistEntry, UnlockSuggestionRow):
            session.exec(delete(model).where(model.run_id == run.id))
    session.add(run)


# ---------------------------------------------------------------- exports made by a worker


def export_download(session: Session, job_id: int, actor: Principal) -> Job:
    """The finished export, for the person who made it or an admin."""
    job = get_job(session, job_id, actor)
    if job.kind != "export":
        raise NotFound(f"Jobb {job_id} er ingen eksport.")
    if actor.role is not Role.admin and job.created_by != actor.user_id:
        raise Forbidden("Bare den som bestilte eksporten, eller en administrator, kan laste den ned.")
    if job.state != "done":
        raise Conflict(f"Eksporten er ikke ferdig ({STATE_NB[job.state].lower()}).")
    if job.output is None:
        raise Conflict(f"Filen er slettet (den tas vare på i {EXPORT_KEEP_HOURS} timer, og slettes når en "
                       "kandidat slettes). Bestill eksporten på nytt.")
    return job


def drop_export_files(session: Session, *, older_than_hours: float | None = None) -> int:
    """Forget stored export files: those older than the limit, or all (a candidate was erased, and a
    file may name them)."""
    stmt = update(Job).where(Job.kind == "export", col(Job.output).is_not(None))
    if older_than_hours is not None:
        stmt = stmt.where(col(Job.finished_at) < utcnow() - timedelta(hours=older_than_hours))
    return session.exec(stmt.values(output=None, output_candidates=[])).rowcount
