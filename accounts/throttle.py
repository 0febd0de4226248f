"""Login limiting that slows guessing without letting anyone lock a real user out.

Attempts are counted per (username, client) and per client, never per username alone: a wrong
password typed from one machine must not keep the right one out from another. Each key allows a
few free failures, then every further attempt must wait twice as long as the one before
(5 s, 10 s, 20 s ... at most 15 minutes), answered with 429 and Retry-After. A success clears the
(username, client) count and takes its own attempt off the client's count. A key is forgotten after
a day without attempts.

An attempt is counted *before* its password is checked, in its own short transaction that locks the
key's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE serialises writers), so
simultaneous attempts are counted one at a time and at most the free attempts reach the password
check. The lock is released before the (slow, on purpose) Argon2 check."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from accounts.models import LoginThrottle
from core.errors import RateLimited
from core.types import utcnow


@dataclass(frozen=True)
class Limit:
    free: int  # failures allowed before any wait
    first_wait: timedelta
    max_wait: timedelta

    def wait(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        doublings = min(failures - self.free, 30)
        return min(self.max_wait, self.first_wait * (2**doublings))


USER_AT_CLIENT = Limit(free=5, first_wait=timedelta(seconds=5), max_wait=timedelta(minutes=15))
# A client trying many usernames (or an office where many people share one address): more room.
CLIENT = Limit(free=20, first_wait=timedelta(seconds=5), max_wait=timedelta(minutes=15))
FORGET_AFTER = timedelta(days=1)


def keys_for(username: str, client: str) -> dict[str, Limit]:
    client = client[:64]
    return {f"c:{client}": CLIENT, f"u:{username.casefold()[:80]}@{client}": USER_AT_CLIENT}


def _insert_missing(session: Session, key: str, now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(LoginThrottle).values(key=key, failures=0, last_attempt_at=now)
                    .on_conflict_do_nothing(index_elements=["key"]))


def count_attempt(session: Session, username: str, client: str) -> None:
    """Count one login attempt on each of its keys, or raise RateLimited (nothing counted) when one
    of them must still wait. Commits: the count must stand whatever the password check says."""
    now = utcnow()
    limits = keys_for(username, client)
    keys = sorted(limits)  # always lock in the same order: no deadlock between two logins
    try:
        for key in keys:
            _insert_missing(session, key, now)
        rows = session.exec(select(LoginThrottle).where(col(LoginThrottle.key).in_(keys))
                            .order_by(LoginThrottle.key).with_for_update()
                            .execution_options(populate_existing=True)).all()
        retry_after = timedelta(0)
        for row in rows:
            if now - row.last_attempt_at >= FORGET_AFTER:
                row.failures = 0
            ready_at = row.last_attempt_at + limits[row.key].wait(row.failures)
            retry_after = max(retry_after, ready_at - now)
        if retry_after > timedelta(0):
            seconds = int(retry_after.total_seconds() + 0.999)
            raise RateLimited(_message(seconds), retry_after=max(1, seconds))
        for row in rows:
            row.failures += 1
            row.last_attempt_at = now
            session.add(row)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def record_success(session: Session, username: str, client: str) -> None:
    """The password was right: the attempt was no failure. The caller commits."""
    client_key, user_key = sorted(keys_for(username, client))
    session.execute(delete(LoginThrottle).where(col(LoginThrottle.key) == user_key))
    session.execute(update(LoginThrottle).where(col(LoginThrottle.key) == client_key, LoginThrottle.failures > 0)
                    .values(failures=LoginThrottle.failures - 1))
    forget_old(session)


def _message(seconds: int) -> str:
    wait = f"{seconds} sekunder" if seconds < 120 else f"{(seconds + 59) // 60} minutter"
    return f"For mange mislykkede innlogginger herfra. Vent {wait} og prøv igjen."


def forget_old(session: Session) -> int:
    """Drop keys nobody has tried for a day (the table stays small)."""
    result = session.execute(delete(LoginThrottle).where(col(LoginThrottle.last_attempt_at) < utcnow() - FORGET_AFTER))
    return result.rowcount or 0
