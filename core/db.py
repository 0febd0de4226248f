"""Database engine and sessions. Nothing is created at import time."""

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

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


@dataclass
class Rows:
    """Rows ready for the database driver, made before the transaction starts (`prepare_rows`), so
    the transaction itself only sends them: the write lock is held for the insert and nothing else."""

    table: Any
    columns: list[str]
    params: list[list]

    def set_column(self, name: str, values: Sequence) -> None:
        index = self.columns.index(name)
        for row, value in zip(self.params, values, strict=True):
            row[index] = value


def prepare_rows(session: Session, model: type[SQLModel], rows: list[dict]) -> Rows:
    """Every row with every column (missing ones get the model's default), converted the way the
    database's driver wants them (JSON as text, dates on SQLite). Runs no query."""
    dialect = session.get_bind().dialect
    table = model.__table__  # type: ignore[attr-defined]
    columns, defaults, processors = [], [], []
    for column in table.columns:
        field = model.model_fields.get(column.name)
        columns.append(column.name)
        defaults.append(None if column.primary_key or field is None else field.get_default(call_default_factory=True))
        processors.append(column.type.dialect_impl(dialect).bind_processor(dialect))
    params = []
    for row in rows:
        values = []
        for name, default, process in zip(columns, defaults, processors, strict=True):
            value = row.get(name, default)
            if isinstance(value, Enum):
                value = value.value
            values.append(process(value) if process is not None and value is not None else value)
        params.append(values)
    return Rows(table, columns, params)


def bulk_insert(session: Session, rows: Rows, *, return_ids: bool = False) -> list[int]:
    """One batched INSERT of rows from `prepare_rows` (imports). The rows get new ids (returned in
    their order when asked for)."""
    if not rows.params:
        return []
    ids = _reserve_ids(session, rows.table, len(rows.params))
    rows.set_column("id", ids)
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = (f"INSERT INTO {quote(rows.table.name)} ({', '.join(quote(c) for c in rows.columns)}) "
                 f"VALUES ({', '.join([marker] * len(rows.columns))})")
    cursor = connection.connection.cursor()  # the driver's own: it takes the prepared lists as they are
    try:
        cursor.executemany(statement, rows.params)
    finally:
        cursor.close()
    return ids if return_ids else []


def _reserve_ids(session: Session, table, count: int) -> list[int]:
    """Ids for `count` new rows, known before the insert, so one batched INSERT without RETURNING can
    be used (asking for the ids back in order makes SQLAlchemy send one statement per row).
    PostgreSQL: taken from the table's sequence. SQLite: every write transaction here holds the
    database's write lock from its start (BEGIN IMMEDIATE), so nothing else can take these."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        statement = text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
                         "FROM generate_series(1, :count)")
        return [row[0] for row in session.execute(statement, {"count": count})]
    start = session.execute(text(f'SELECT coalesce(max(id), 0) FROM "{table.name}"')).scalar_one()
    return list(range(start + 1, start + 1 + count))
