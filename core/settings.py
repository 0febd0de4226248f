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
    host: str = "127.0.0.1"
    port: int = 8000


@lru_cache
def get_settings() -> Settings:
    return Settings()
