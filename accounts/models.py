from datetime import datetime

from sqlmodel import Field, SQLModel

from core.types import utcnow


class Partner(SQLModel, table=True):
    """A recruitment partner organisation (rekrutteringspartner). Consultants belong to one and see
    only the candidates handed over to it (candidates.models.Handover)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    organisation_number: str | None = Field(default=None, max_length=9)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    full_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)
    # Scope: staff belong to one project, employer users to one organisation.
    project_id: int | None = Field(default=None, foreign_key="project.id")
    organisation_number: str | None = Field(default=None, max_length=9)
    # Consultants belong to one recruitment partner organisation.
    partner_id: int | None = Field(default=None, foreign_key="partner.id", index=True)
    active: bool = True
    # Set when an admin resets the password: the temporary one only lets the user choose a new one.
    must_change_password: bool = False
    created_at: datetime = Field(default_factory=utcnow)


class AuthToken(SQLModel, table=True):
    """Opaque bearer token; only its SHA-256 is stored, so a leaked table grants nothing."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class LoginThrottle(SQLModel, table=True):
    """Login attempts counted per key ("user+client" or "client"), for growing delays between
    failures. One row per key, locked while it is counted, so simultaneous attempts are counted
    one by one (kept in the database so every worker sees them)."""

    key: str = Field(primary_key=True, max_length=200)
    failures: int = 0  # attempts since the last success (an attempt counts before its password is checked)
    last_attempt_at: datetime = Field(default_factory=utcnow, index=True)


class ApiKey(SQLModel, table=True):
    """An employer integration's key; stored as a hash, shown once at creation."""

    id: int | None = Field(default=None, primary_key=True)
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    organisation_number: str = Field(max_length=9, index=True)
    label: str = Field(max_length=200)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
