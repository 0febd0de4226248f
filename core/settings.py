"""Settings from environment variables with the prefix BROBYGGER_."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE = "sqlite:///" + str(Path.cwd() / "brobygger.db")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BROBYGGER_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_SQLITE,
        description="SQLAlchemy URL; e.g. postgresql+psycopg://user@host:5432/brobygger",
    )
    token_ttl_minutes: int = Field(default=8 * 60, ge=1, description="Bearer token lifetime")
    retention_intake_days: int = Field(default=180, ge=1, description="Anonymise candidates never taken in after this")
    retention_inactive_days: int = Field(default=730, ge=1, description="Anonymise candidates inactive this long")
    database_wait_seconds: float = Field(default=60, ge=0, description="How long `serve` waits for the database at start")
    # Long work runs as jobs (jobs/, docs/decisions/0001-job-queue.md).
    queue_url: str = Field(default="", description="Jobbkøens lager: tom = samme database (SQLite: en fil ved siden av), "
                           "eller redis://vert:6379/0")
    embedded_worker: bool | None = Field(default=None, description="Kjør en arbeidsprosess inne i `serve` "
                                         "(standard: ja med SQLite, nei med PostgreSQL: start `brobygger worker`)")
    worker_threads: int = Field(default=1, ge=1, le=32, description="Jobber én arbeidsprosess kjører samtidig")
    job_lease_seconds: float = Field(default=30, ge=1, le=3600,
                                     description="En kjørende jobb uten livstegn så lenge regnes som stoppet")
    job_max_attempts: int = Field(default=2, ge=1, le=10, description="Forsøk for en matchkjøring hvis arbeidsprosessen dør")
    import_job_bytes: int = Field(default=1_000_000, ge=0, description="Større importfiler kjøres som jobb (202)")
    postal_codes_file: str = Field(default="", description="Nyere postnummerregister (samme kolonner som "
                                   "core/data/postnummer.csv); tom = det som følger med")
    # NAV's public job feed (nav/feed.py); empty: the scheduled feed import does nothing.
    nav_feed_url: str = Field(default="", description="Adressen til NAVs stillingsfeed, f.eks. "
                              "https://pam-stilling-feed.nav.no/api/v1/feed")
    nav_feed_token: str = Field(default="", description="Bearer-token for stillingsfeeden")
    host: str = "127.0.0.1"
    port: int = 8000


@lru_cache
def get_settings() -> Settings:
    return Settings()
