"""Run Alembic from code (the CLI, the demo loader and the tests use this)."""

from pathlib import Path

from alembic import command
from alembic.config import Config

HERE = Path(__file__).parent


def alembic_config(database_url: str | None = None) -> Config:
    from core.settings import get_settings

    config = Config(str(HERE / "alembic.ini"))
    config.set_main_option("script_location", str(HERE))
    # ConfigParser interpolation: a literal % in a password must be doubled.
    config.set_main_option("sqlalchemy.url", (database_url or get_settings().database_url).replace("%", "%%"))
    return config


def upgrade_head(database_url: str | None = None) -> None:
    command.upgrade(alembic_config(database_url), "head")


def downgrade_base(database_url: str | None = None) -> None:
    """Drop everything the migrations made (used by `demo-data --reset`)."""
    command.downgrade(alembic_config(database_url), "base")


def check(database_url: str | None = None) -> None:
    """Fails when the models and the migrations disagree."""
    command.check(alembic_config(database_url))


def revision(message: str, database_url: str | None = None) -> None:
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
