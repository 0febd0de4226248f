from alembic import context

from core.db import make_engine
from migrations.models import import_models

metadata = import_models()
config = context.config


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    url = config.get_main_option("sqlalchemy.url")
    if connectable is None:
        # Own engine, disposed at once: a cached one would keep SQLite's WAL open behind us.
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                _run(connection)
        finally:
            engine.dispose()
    else:
        _run(connectable)


def _include_name(name, type_, _parent_names) -> bool:
    # The job queue library (huey) keeps its own message tables, huey_*, in a PostgreSQL database;
    # they are its business, not the models' (docs/decisions/0001-job-queue.md).
    return not (type_ == "table" and name and name.startswith("huey_"))


def _run(connection) -> None:
    if connection.dialect.name == "sqlite":
        # Batch mode rebuilds tables (copy, drop, rename); with foreign keys enforced, dropping a table
        # that others reference fails. The PRAGMA only works outside a transaction, so it goes to the
        # driver connection before Alembic begins one.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite has almost no ALTER
        compare_type=True,
        include_name=_include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
