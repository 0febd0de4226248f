"""Users, passwords, tokens and API keys. Passwords are hashed with Argon2id."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from accounts.models import ApiKey, AuthToken, LoginFailure, User
from core.errors import Conflict, Invalid, NotFound, RateLimited, Unauthorized
from core.projects import get_project
from core.types import Role, utcnow

_hasher = PasswordHasher()
# Verifying against a dummy hash when the user is unknown keeps login time the same either way.
_DUMMY_HASH = _hasher.hash("brobygger-dummy-password")
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "bbt_"
API_KEY_PREFIX = "bbk_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a logged-in user or an employer integration."""

    role: Role
    user_id: int | None
    name: str
    project_id: int | None = None
    organisation_number: str | None = None
    api_key_id: int | None = None


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def validate_organisation_number(value: str, field: str = "organisation_number") -> str:
    """Norwegian organisation number: 9 digits, the last a mod-11 check digit (weights 3 2 7 6 5 4 3 2)."""
    if not re.fullmatch(r"\d{9}", value or ""):
        raise Invalid("Organisasjonsnummer må være 9 siffer.", field=field)
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    remainder = sum(int(d) * w for d, w in zip(value[:8], weights, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    if check == 10 or check != int(value[8]):
        raise Invalid("Organisasjonsnummeret har feil kontrollsiffer.", field=field)
    return value


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    full_name: str,
    project_id: int | None = None,
    organisation_number: str | None = None,
) -> User:
    try:
        role = Role(role)
    except ValueError:
        raise Invalid(f"Ukjent rolle '{role}'. Gyldige: {', '.join(Role)}.", field="role") from None
    if not re.fullmatch(r"[A-Za-z0-9._@-]{3,80}", username or ""):
        raise Invalid("Brukernavn må være 3-80 tegn: bokstaver, tall, . _ @ -", field="username")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise Invalid(f"Passordet må ha minst {MIN_PASSWORD_LENGTH} tegn.", field="password")
    if role is Role.staff and project_id is None:
        raise Invalid("En prosjektmedarbeider (staff) må høre til et prosjekt.", field="project_id")
    if role is not Role.staff and project_id is not None:
        raise Invalid("Bare staff har prosjekt.", field="project_id")
    if role is Role.employer:
        if organisation_number is None:
            raise Invalid("En arbeidsgiverbruker må høre til en organisasjon.", field="organisation_number")
        validate_organisation_number(organisation_number)
    elif organisation_number is not None:
        raise Invalid("Bare arbeidsgiverbrukere har organisasjonsnummer.", field="organisation_number")
    if project_id is not None:
        get_project(session, project_id)
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"Brukernavnet '{username}' er i bruk.", field="username")
    user = User(
        username=username,
        full_name=full_name,
        password_hash=hash_password(password),
        role=role.value,
        project_id=project_id,
        organisation_number=organisation_number,
    )
    session.add(user)
    session.flush()
    return user


# Login rate limit: this many failures for one username, or from one client, within the window.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


def _check_rate(session: Session, username: str, client: str) -> None:
    since = utcnow() - FAILURE_WINDOW
    for column, value in ((LoginFailure.username, username), (LoginFailure.client, client)):
        recent = session.exec(select(LoginFailure.at).where(column == value, LoginFailure.at >= since)
                              .order_by(col(LoginFailure.at).desc()).limit(MAX_FAILURES)).all()
        if len(recent) >= MAX_FAILURES:
            retry = int((recent[-1] + FAILURE_WINDOW - utcnow()).total_seconds()) + 1
            raise RateLimited(f"For mange mislykkede innlogginger. Prøv igjen om {retry // 60 + 1} minutter.",
                              retry_after=max(1, retry))


def authenticate(session: Session, username: str, password: str, client: str = "") -> User:
    """Check a password. Failures are recorded (and committed by the caller) for the rate limit."""
    _check_rate(session, username, client)
    user = session.exec(select(User).where(User.username == username)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        if user is None or not user.active:
            raise VerificationError()
    except (VerificationError, InvalidHashError):
        session.add(LoginFailure(username=username[:80], client=client[:64]))
        session.commit()  # the failure must count even though the request fails
        raise Unauthorized("Feil brukernavn eller passord.") from None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def issue_token(session: Session, user: User, ttl_minutes: int) -> tuple[str, AuthToken]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = AuthToken(
        token_hash=_sha256(token), user_id=user.id, expires_at=utcnow() + timedelta(minutes=ttl_minutes)
    )
    session.add(row)
    session.flush()
    return token, row


def revoke_token(session: Session, token: str) -> None:
    row = session.exec(select(AuthToken).where(AuthToken.token_hash == _sha256(token))).first()
    if row and row.revoked_at is None:
        row.revoked_at = utcnow()


def _principal_for_user(user: User) -> Principal:
    return Principal(
        role=Role(user.role),
        user_id=user.id,
        name=user.full_name,
        project_id=user.project_id,
        organisation_number=user.organisation_number,
    )


def principal_from_token(session: Session, token: str) -> Principal:
    row = session.exec(select(AuthToken).where(AuthToken.token_hash == _sha256(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise Unauthorized("Ugyldig eller utløpt innlogging. Logg inn på nytt.")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthorized("Brukeren er deaktivert.")
    return _principal_for_user(user)


def create_api_key(
    session: Session, *, organisation_number: str, label: str, created_by: int | None
) -> tuple[str, ApiKey]:
    validate_organisation_number(organisation_number)
    if not (label or "").strip():
        raise Invalid("Nøkkelen må ha et navn.", field="label")
    secret = API_KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        prefix=secret[:12],
        key_hash=_sha256(secret),
        organisation_number=organisation_number,
        label=label.strip(),
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return secret, row


def revoke_api_key(session: Session, key_id: int) -> ApiKey:
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFound(f"API-nøkkel {key_id} finnes ikke.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def principal_from_api_key(session: Session, secret: str) -> Principal:
    row = session.exec(select(ApiKey).where(ApiKey.key_hash == _sha256(secret))).first()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("Ugyldig eller tilbakekalt API-nøkkel.")
    return Principal(
        role=Role.employer,
        user_id=None,
        name=f"API-nøkkel {row.prefix}… ({row.label})",
        organisation_number=row.organisation_number,
        api_key_id=row.id,
    )


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.id)))
