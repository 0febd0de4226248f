"""Database engine and sessions. Nothing is created at import time."""

import time
from collections.abc import Callable, Iterator
from functools import lru_cache

from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, SQLModel, create_engine

# Set before any table model is defined, so every constraint gets a stable name
# (Alembic and batch mode on SQLite need named constraints).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # SQLite admits one writer at a time, and its busy handler is not fair: under load, waiting
        # connections poll and newcomers can overtake them, starving some requests for minutes
        # (measured: 50 clients). One pooled connection turns that into the pool's FIFO queue.
        # No code path holds one session while opening another, which this would deadlock.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               pool_size=1, max_overflow=0, pool_timeout=120)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            # pysqlite starts transactions on its own and so breaks SAVEPOINTs (a savepoint taken
            # before its BEGIN becomes the outer transaction, and releasing it commits). SQLAlchemy's
            # recipe: switch that off and emit BEGIN ourselves (below).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")  # off by default in SQLite
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # WAL's recommended level: consistent, far fewer fsyncs
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            # IMMEDIATE takes the write lock up front, so a transaction that reads and then writes
            # waits for other writers (busy timeout) instead of failing with "database is locked".
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    from core.settings import get_settings

    return make_engine(url or get_settings().database_url)


def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def wait_for_database(url: str, *, timeout: float, on_retry: Callable[[str, float, float], None]) -> bool:
    """Try to connect until it works or `timeout` seconds have passed (then False). Between tries
    (1 s, 2 s, 4 s ... at most 10 s) `on_retry(reason, wait, remaining)` is told why it failed.
    For a service started before its database (a reboot, a container starting in any order)."""
    deadline = time.monotonic() + timeout
    pause = 1.0
    while True:
        remaining = deadline - time.monotonic()
        connect_args = {}
        if url.startswith("postgresql"):  # an address that drops packets must not hang one try for minutes
            connect_args["connect_timeout"] = max(1, int(min(10, remaining)))
        probe = create_engine(url, poolclass=NullPool, connect_args=connect_args)
        try:
            with probe.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            return True
        except DBAPIError as exc:
            text = str(exc.orig or exc).strip()
            reason = text.splitlines()[0][:300] if text else type(exc).__name__
        finally:
            probe.dispose()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            on_retry(reason, 0, 0)
            return False
        wait = min(pause, remaining)
        on_retry(reason, wait, remaining)
        time.sleep(wait)
        pause = min(pause * 2, 10.0)
