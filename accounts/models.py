from datetime import datetime

from sqlalchemy import UniqueConstraint
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
    # The language the person chose for the pages made for translation (the candidate's own pages).
    language: str = Field(default="nb", max_length=5)
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


class CandidateLogin(SQLModel, table=True):
    """Binds a job seeker's own login (role candidate) to their one candidate record. A table of its
    own, not a column on User: a user row then never counts as data about a candidate, and erasure
    deletes this row, which ends the login. The user row itself holds no name (see invitations)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", unique=True, index=True)
    candidate_id: int = Field(foreign_key="candidate.id", unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class CandidateInvitation(SQLModel, table=True):
    """A one-time code that lets a job seeker choose the password of their own login. Only the
    code's SHA-256 is stored; it expires, is used once, and staff can revoke it."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    code_hash: str = Field(max_length=64, unique=True, index=True)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None


class OutboxMessage(SQLModel, table=True):
    """A message waiting for a sender (an e-mail or SMS gateway would read and mark it sent). With no
    gateway (the embedded default) staff read it on the candidate's page and hand the code over."""

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int | None = Field(default=None, foreign_key="candidate.id", index=True)
    channel: str = Field(max_length=10)  # email | sms | hand (no address: staff hand it over)
    recipient: str | None = Field(default=None, max_length=254)
    subject: str = Field(max_length=200)
    body: str = Field(max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
class Provider(SQLModel, table=True):
    """An ATS vendor (or other integrator) that submits vacancies for several organisations, in NAV's
    import format. Its id is the `providerId` in the paths; its key is stored as a hash, shown once."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=254)
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None


class ProviderGrant(SQLModel, table=True):
    """An organisation number a provider may submit vacancies for (business unit or legal entity)."""

    __table_args__ = (UniqueConstraint("provider_id", "organisation_number"),)

    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    organisation_number: str = Field(max_length=9)
    granted_by: int | None = Field(default=None, foreign_key="user.id")
    granted_at: datetime = Field(default_factory=utcnow)
