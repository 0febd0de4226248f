"""Users, passwords, tokens and API keys. Passwords are hashed with Argon2id."""

import hashlib
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from accounts import throttle
from accounts.models import ApiKey, AuthToken, CandidateLogin, Partner, Provider, ProviderGrant, User
from accounts.passwords import MAX_BYTES, check_password, encodable, too_long
from core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from core.projects import get_project
from core.types import Role, utcnow

log = logging.getLogger("brobygger.accounts")
_hasher = PasswordHasher()
# Verifying against a dummy hash when the user is unknown keeps login time the same either way.
_DUMMY_HASH = _hasher.hash("brobygger-dummy-password")
TOKEN_PREFIX = "bbt_"
API_KEY_PREFIX = "bbk_"
PROVIDER_KEY_PREFIX = "bbp_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a logged-in user or an employer integration."""

    role: Role
    user_id: int | None
    name: str
    project_id: int | None = None
    organisation_number: str | None = None
    api_key_id: int | None = None
    candidate_id: int | None = None  # a job seeker's own login: the one candidate they are
    provider_id: int | None = None  # an ATS vendor's key: submits for the organisations it is granted
    partner_id: int | None = None  # consultants: their recruitment partner organisation


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    # NFC, as every text input is normalised (core.text): "ø" typed on a Mac and on Windows is one password.
    return _hasher.hash(unicodedata.normalize("NFC", password))


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
    partner_id: int | None = None,
) -> User:
    try:
        role = Role(role)
    except ValueError:
        raise Invalid(f"Ukjent rolle '{role}'. Gyldige: {', '.join(Role)}.", field="role") from None
    if not re.fullmatch(r"[A-Za-z0-9._@-]{3,80}", username or ""):
        raise Invalid("Brukernavn må være 3-80 tegn: bokstaver, tall, . _ @ -", field="username")
    check_password(password, username=username, other_inputs=(full_name,))
    if role is Role.staff and project_id is None:
        raise Invalid("En veileder må høre til et prosjekt.", field="project_id")
    if role is not Role.staff and project_id is not None:
        raise Invalid("Bare veiledere har prosjekt.", field="project_id")
    if role is Role.employer:
        if organisation_number is None:
            raise Invalid("En arbeidsgiverbruker må høre til en organisasjon.", field="organisation_number")
        validate_organisation_number(organisation_number)
    elif organisation_number is not None:
        raise Invalid("Bare arbeidsgiverbrukere har organisasjonsnummer.", field="organisation_number")
    if project_id is not None:
        get_project(session, project_id)
    _check_partner(session, role, partner_id)
    if session.exec(select(User).where(User.username == username)).first():
        raise Conflict(f"Brukernavnet '{username}' er i bruk.", field="username")
    user = User(
        username=username,
        full_name=full_name,
        password_hash=hash_password(password),
        role=role.value,
        project_id=project_id,
        organisation_number=organisation_number,
        partner_id=partner_id,
    )
    session.add(user)
    session.flush()
    return user


# ---------------------------------------------------------------- recruitment partner organisations


def _check_partner(session: Session, role: Role, partner_id: int | None) -> None:
    if partner_id is None:
        return
    if role is not Role.consultant:
        raise Invalid("Bare konsulenter hører til en rekrutteringspartner.", field="partner_id")
    get_partner(session, partner_id)


def get_partner(session: Session, partner_id: int) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFound(f"Rekrutteringspartner {partner_id} finnes ikke.", field="partner_id")
    return partner


def list_partners(session: Session) -> list[Partner]:
    return list(session.exec(select(Partner).order_by(Partner.name)))


def create_partner(session: Session, *, name: str, organisation_number: str | None = None) -> Partner:
    name = (name or "").strip()
    if not name:
        raise Invalid("Partneren må ha et navn.", field="name")
    if organisation_number is not None:
        validate_organisation_number(organisation_number)
    partner = Partner(name=name, organisation_number=organisation_number)
    session.add(partner)
    session.flush()
    return partner


def set_user_partner(session: Session, user_id: int, partner_id: int | None, actor: Principal) -> User:
    """Put a consultant in a recruitment partner organisation (None: in none, so they see no
    candidates). Takes effect at their next request: their access is read from the user each time."""
    user = get_user(session, user_id)
    _check_partner(session, Role(user.role), partner_id)
    user.partner_id = partner_id
    session.add(user)
    session.flush()
    log.info("user %s put in partner %s by %s", user.username, partner_id, actor.name)
    return user


class PasswordChangeRequired(Forbidden):
    """The password was right, but an admin has reset it: it only serves to choose a new one."""

    def __init__(self) -> None:
        super().__init__("Passordet ditt er nullstilt av en administrator. Velg et nytt passord for å logge inn.",
                         field="password")


def _verify(stored_hash: str, password: str) -> bool:
    if not encodable(password):
        return False
    try:
        return _hasher.verify(stored_hash, unicodedata.normalize("NFC", password))
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str, client: str = "") -> User:
    """Check a password, slowed per (username, client) and per client (accounts/throttle.py).
    Raises RateLimited before the check, Unauthorized for a wrong password, an unknown or a
    deactivated user alike. On success the caller commits."""
    if too_long(password):  # never hash an unbounded input
        raise Invalid(f"Passordet kan ha høyst {MAX_BYTES} byte.", field="password")
    throttle.count_attempt(session, username, client)  # commits
    user = session.exec(select(User).where(User.username == username)).first()
    stored = user.password_hash if user else _DUMMY_HASH
    session.commit()  # no connection held during the slow check
    if not _verify(stored, password) or user is None or not user.active:
        raise Unauthorized("Feil brukernavn eller passord.")
    throttle.record_success(session, username, client)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    return user


def log_in(session: Session, username: str, password: str, client: str, ttl_minutes: int) -> tuple[str, AuthToken]:
    """A token for the right password; PasswordChangeRequired (after storing the success) when an
    admin has reset it. The caller commits."""
    user = authenticate(session, username, password, client)
    if user.must_change_password:
        session.commit()
        raise PasswordChangeRequired()
    return issue_token(session, user, ttl_minutes)


def change_password(session: Session, username: str, current_password: str, new_password: str, client: str,
                    ttl_minutes: int) -> tuple[str, AuthToken]:
    """The user's own change (also the way out of a reset): the current password, a new one by
    the rules, every other session ended, and a token for this one. The caller commits."""
    check_password(new_password, username=username, field="new_password")  # before the attempt counts
    if new_password == current_password:
        raise Invalid("Det nye passordet må være et annet enn det gamle.", field="new_password")
    user = authenticate(session, username, current_password, client)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    session.add(user)
    revoke_sessions(session, user, api_keys=False)
    log.info("user %s changed their password", user.username)
    return issue_token(session, user, ttl_minutes)


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


def _principal_for_user(user: User, candidate_id: int | None = None) -> Principal:
    return Principal(
        role=Role(user.role),
        user_id=user.id,
        name=user.full_name,
        project_id=user.project_id,
        organisation_number=user.organisation_number,
        candidate_id=candidate_id,
        partner_id=user.partner_id,
    )


def principal_from_token(session: Session, token: str) -> Principal:
    row = session.exec(select(AuthToken).where(AuthToken.token_hash == _sha256(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise Unauthorized("Ugyldig eller utløpt innlogging. Logg inn på nytt.")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthorized("Brukeren er deaktivert.")
    if user.role == Role.candidate:  # a job seeker: bound to their one record, or no login at all
        candidate_id = session.exec(select(CandidateLogin.candidate_id).where(CandidateLogin.user_id == user.id)).first()
        if candidate_id is None:
            raise Unauthorized("Brukeren er deaktivert.")
        return _principal_for_user(user, candidate_id)
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


def create_provider(session: Session, *, name: str, email: str | None, organisation_numbers: list[str],
                    created_by: int | None) -> tuple[str, Provider]:
    """A provider (ATS vendor) key for NAV's import format, with the organisations it may submit for."""
    if not (name or "").strip():
        raise Invalid("Leverandøren må ha et navn.", field="name")
    secret = PROVIDER_KEY_PREFIX + secrets.token_urlsafe(32)
    row = Provider(name=name.strip(), email=email, prefix=secret[:12], key_hash=_sha256(secret), created_by=created_by)
    session.add(row)
    session.flush()
    grant_organisations(session, row.id, organisation_numbers, created_by)
    return secret, row


def grant_organisations(session: Session, provider_id: int, organisation_numbers: list[str],
                        granted_by: int | None) -> list[str]:
    provider = get_provider(session, provider_id)
    for index, number in enumerate(organisation_numbers):
        validate_organisation_number(number, field=f"organisation_numbers.{index}")
    have = set(provider_grants(session, provider.id))
    for number in dict.fromkeys(organisation_numbers):
        if number not in have:
            session.add(ProviderGrant(provider_id=provider.id, organisation_number=number, granted_by=granted_by))
    session.flush()
    return provider_grants(session, provider.id)


def get_provider(session: Session, provider_id: int) -> Provider:
    row = session.get(Provider, provider_id)
    if row is None:
        raise NotFound(f"Leverandør {provider_id} finnes ikke.", field="provider_id")
    return row


def provider_grants(session: Session, provider_id: int) -> list[str]:
    return sorted(session.exec(select(ProviderGrant.organisation_number)
                               .where(ProviderGrant.provider_id == provider_id)))


def principal_from_provider_key(session: Session, secret: str) -> Principal:
    row = session.exec(select(Provider).where(Provider.key_hash == _sha256(secret))).first()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("Ugyldig eller tilbakekalt leverandørnøkkel.")
    return Principal(role=Role.employer, user_id=None, name=f"Leverandør {row.name} ({row.prefix}…)",
                     provider_id=row.id)


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.id)))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"Bruker {user_id} finnes ikke.", field="user_id")
    return user


def user_by_username(session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"Brukeren '{username}' finnes ikke.", field="username")
    return user


def revoke_sessions(session: Session, user: User, *, api_keys: bool = True) -> tuple[int, int]:
    """End every login of the user at once, and the API keys they made (they saw those keys'
    secrets). Returns (tokens, keys) ended. The caller commits."""
    now = utcnow()
    tokens = session.execute(update(AuthToken).where(col(AuthToken.user_id) == user.id,
                                                     col(AuthToken.revoked_at).is_(None))
                             .values(revoked_at=now)).rowcount or 0
    keys = 0
    if api_keys:
        keys = session.execute(update(ApiKey).where(col(ApiKey.created_by) == user.id, col(ApiKey.revoked_at).is_(None))
                               .values(revoked_at=now)).rowcount or 0
    return tokens, keys


def _not_the_last_admin(session: Session, user: User) -> None:
    if user.role != Role.admin or not user.active:
        return
    admins = session.exec(select(func.count()).select_from(User)
                          .where(User.role == Role.admin.value, col(User.active).is_(True))).one()
    if admins <= 1:
        raise Conflict("Dette er den siste aktive administratoren; den kan ikke deaktiveres.", field="user_id")


def deactivate_user(session: Session, user_id: int, actor: Principal) -> tuple[User, int, int]:
    """The user can no longer log in; their tokens and the API keys they made stop working at once.
    Returns the user and how many tokens and keys were ended. The caller commits."""
    user = get_user(session, user_id)
    if actor.user_id is not None and actor.user_id == user.id:
        raise Conflict("Du kan ikke deaktivere deg selv.", field="user_id")
    _not_the_last_admin(session, user)
    user.active = False
    session.add(user)
    tokens, keys = revoke_sessions(session, user)
    log.info("user %s deactivated by %s (%d sessions, %d API keys ended)", user.username, actor.name, tokens, keys)
    return user, tokens, keys


def activate_user(session: Session, user_id: int, actor: Principal) -> User:
    """Let a deactivated user log in again (ended sessions and keys stay ended)."""
    user = get_user(session, user_id)
    user.active = True
    session.add(user)
    log.info("user %s reactivated by %s", user.username, actor.name)
    return user


_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (l/1, o/0) to read aloud


def temporary_password() -> str:
    """Four groups of four, about 79 bits: typed once, then replaced by the user's own."""
    return "-".join("".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(4))


def reset_password(session: Session, user_id: int, actor: Principal) -> tuple[User, str]:
    """A temporary password (shown once to the admin) that only lets the user choose a new one at
    the next login; the user's sessions end. The caller commits."""
    user = get_user(session, user_id)
    secret = temporary_password()
    user.password_hash = hash_password(secret)
    user.must_change_password = True
    session.add(user)
    revoke_sessions(session, user, api_keys=False)
    log.info("password of user %s reset by %s", user.username, actor.name)
    return user, secret


def invite_user(session: Session, *, username: str, full_name: str, role: str, project_id: int | None = None,
                organisation_number: str | None = None) -> tuple[User, str]:
    """A new user with a temporary password (shown once to the admin) that only lets them choose their
    own at the first login. The caller commits."""
    secret = temporary_password()
    user = create_user(session, username=username, password=secret, role=role, full_name=full_name,
                       project_id=project_id, organisation_number=organisation_number)
    user.must_change_password = True
    session.add(user)
    return user, secret


def change_role(session: Session, user_id: int, *, role: str, project_id: int | None,
                organisation_number: str | None, actor: Principal) -> User:
    """A user's role, with the project (staff) or organisation (employer) the role needs. The user's
    sessions end, so the new rights apply from the next login. The caller commits."""
    user = get_user(session, user_id)
    try:
        new_role = Role(role)
    except ValueError:
        raise Invalid(f"Ukjent rolle '{role}'.", field="role") from None
    if user.role == Role.admin and new_role is not Role.admin:
        if actor.user_id == user.id:
            raise Conflict("Du kan ikke ta fra deg selv administratorrollen.", field="role")
        _not_the_last_admin(session, user)
    if new_role is Role.staff:
        if project_id is None:
            raise Invalid("En veileder må høre til et prosjekt.", field="project_id")
        get_project(session, project_id)
    else:
        project_id = None
    if new_role is Role.employer:
        if not organisation_number:
            raise Invalid("En arbeidsgiverbruker må høre til en organisasjon.", field="organisation_number")
        validate_organisation_number(organisation_number)
    else:
        organisation_number = None
    changed = (user.role, user.project_id, user.organisation_number) != (new_role.value, project_id,
                                                                          organisation_number)
    user.role, user.project_id, user.organisation_number = new_role.value, project_id, organisation_number
    session.add(user)
    if changed:
        revoke_sessions(session, user, api_keys=False)
        log.info("role of user %s changed to %s by %s", user.username, new_role.value, actor.name)
    return user
