"""Database engine and sessions. Nothing is created at import time."""

from collections.abc import Iterator
from functools import lru_cache

from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
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


def complete_rows(model: type[SQLModel], rows: list[dict]) -> list[dict]:
    """Every row with every column (missing ones get the model's default), so a batch insert sends
    them in a few statements rather than one per row. Pure: call it before the transaction starts."""
    table = model.__table__  # type: ignore[attr-defined]
    defaults = {}
    for column in table.columns:
        if not column.primary_key:
            field = model.model_fields.get(column.name)
            defaults[column.name] = field.get_default(call_default_factory=True) if field is not None else None
    return [{**defaults, **row} for row in rows]


def bulk_insert(session: Session, model: type[SQLModel], rows: list[dict], *, return_ids: bool = False) -> list[int]:
    """Insert rows made by `complete_rows` in a few statements (imports). With return_ids, each row
    gets its new id (set in the dict), and the ids are returned in the order of `rows`."""
    if not rows:
        return []
    from sqlalchemy import insert

    table = model.__table__  # type: ignore[attr-defined]
    ids = _reserve_ids(session, table, len(rows)) if return_ids else []
    for row, new_id in zip(rows, ids):  # noqa: B905 (ids is empty when not asked for)
        row["id"] = new_id
    session.execute(insert(table), rows)
    return ids


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
