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
    host: str = "127.0.0.1"
    port: int = 8000


@lru_cache
def get_settings() -> Settings:
    return Settings()
