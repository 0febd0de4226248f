"""A job seeker's own login: staff invite, the job seeker chooses a password with a one-time code,
staff can end the access. Plain values in (the candidate's id, name and address); the candidate
tables are read by the caller (selfservice), as accounts sits below candidates.

The code is four groups of four characters (about 79 bits) from an alphabet without look-alikes, so
it can be read aloud or typed from an SMS; only its SHA-256 is stored. A national login (ID-porten)
would later bind the same User row through its own route instead of a code."""

import hashlib
import logging
import re
from datetime import timedelta

from sqlmodel import Session, col, select

from accounts import throttle
from accounts.models import AuthToken, CandidateInvitation, CandidateLogin, OutboxMessage, User
from accounts.passwords import check_password
from accounts.service import Principal, hash_password, issue_token, revoke_sessions, temporary_password
from core.errors import Conflict, Invalid, Unauthorized
from core.types import Role, utcnow

log = logging.getLogger("brobygger.accounts")
INVITATION_DAYS = 7
_UNUSABLE = "!"  # no Argon2 hash: no password matches until the invitation is used


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(code: str) -> str:
    """What the person typed, as the code was made: lower case, groups joined by "-"."""
    letters = re.sub(r"[^a-z0-9]", "", (code or "").lower())
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


# The login's user row holds no name: the audit log keeps actor names for ever, and erasure
# cannot reach the users table. Pages greet the job seeker with the name from their record.
CANDIDATE_LOGIN_NAME = "Kandidaten selv"


def login_of(session: Session, candidate_id: int) -> User | None:
    return session.exec(select(User).join(CandidateLogin, CandidateLogin.user_id == User.id)
                        .where(CandidateLogin.candidate_id == candidate_id)).first()


def _username(session: Session, candidate_id: int) -> str:
    name = f"kandidat.{candidate_id}"
    while session.exec(select(User).where(User.username == name)).first():
        name += "x"
    return name


def create_login(session: Session, candidate_id: int, *, username: str | None = None, password: str | None = None
                 ) -> User:
    """The job seeker's user row, inactive with no usable password until an invitation is used
    (the demo data gives a password at once)."""
    user = User(username=username or _username(session, candidate_id), full_name=CANDIDATE_LOGIN_NAME,
                password_hash=hash_password(password) if password else _UNUSABLE, role=Role.candidate.value,
                active=password is not None)
    session.add(user)
    session.flush()
    session.add(CandidateLogin(user_id=user.id, candidate_id=candidate_id))
    session.flush()
    return user


def invite(session: Session, *, candidate_id: int, first_name: str, email: str | None,
           phone: str | None, link_base: str, actor: Principal) -> tuple[CandidateInvitation, OutboxMessage, str]:
    """A new one-time code for the candidate (earlier unused codes stop working), and a message with
    it in the outbox. Returns the invitation, the message and the code. The caller commits."""
    user = login_of(session, candidate_id) or create_login(session, candidate_id)
    _revoke_open(session, candidate_id)
    code = temporary_password()
    now = utcnow()
    invitation = CandidateInvitation(candidate_id=candidate_id, user_id=user.id, code_hash=_sha256(code),
                                     created_by=actor.user_id, created_at=now,
                                     expires_at=now + timedelta(days=INVITATION_DAYS))
    session.add(invitation)
    channel, recipient = ("email", email) if email else ("sms", phone) if phone else ("hand", None)
    body = (f"Hei {first_name}! Du kan nå se din egen side i brobygger. Åpne {link_base}?kode={code} og velg et "
            f"passord, eller gå til {link_base} og skriv inn koden {code}. Brukernavnet ditt er {user.username}. "
            f"Koden virker i {INVITATION_DAYS} dager.")
    message = OutboxMessage(candidate_id=candidate_id, channel=channel, recipient=recipient,
                            subject="Din side i brobygger", body=body, created_at=now)
    session.add(message)
    session.flush()
    log.info("candidate %s invited by %s", candidate_id, actor.name)
    return invitation, message, code


def _revoke_open(session: Session, candidate_id: int) -> int:
    now = utcnow()
    count = 0
    for row in session.exec(select(CandidateInvitation).where(
            CandidateInvitation.candidate_id == candidate_id, col(CandidateInvitation.used_at).is_(None),
            col(CandidateInvitation.revoked_at).is_(None))):
        row.revoked_at = now
        count += 1
    return count


def open_invitation(session: Session, candidate_id: int) -> CandidateInvitation | None:
    return session.exec(select(CandidateInvitation).where(
        CandidateInvitation.candidate_id == candidate_id, col(CandidateInvitation.used_at).is_(None),
        col(CandidateInvitation.revoked_at).is_(None), col(CandidateInvitation.expires_at) > utcnow())
        .order_by(col(CandidateInvitation.id).desc())).first()


def outbox_for(session: Session, candidate_id: int) -> list[OutboxMessage]:
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.candidate_id == candidate_id)
                             .order_by(col(OutboxMessage.id).desc())))


def accept(session: Session, *, code: str, password: str, client: str, ttl_minutes: int,
           other_inputs: tuple[str, ...] = ()) -> tuple[str, AuthToken]:
    """The job seeker's first login: a valid code and a password by the rules. Attempts are slowed
    like logins (per code prefix and client, and per client). The caller commits."""
    code = normalise_code(code)
    if not code:
        raise Invalid("Skriv inn koden du fikk.", field="code")
    check_password(password, other_inputs=other_inputs, field="new_password")  # a weak password costs no attempt
    throttle.count_attempt(session, "invitasjon", client)  # commits
    row = session.exec(select(CandidateInvitation).where(CandidateInvitation.code_hash == _sha256(code))).first()
    if row is None or row.used_at is not None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise Unauthorized("Koden er feil, brukt eller utløpt. Be veilederen din om en ny kode.")
    user = session.get(User, row.user_id)
    check_password(password, username=user.username, other_inputs=other_inputs, field="new_password")
    throttle.record_success(session, "invitasjon", client)
    user.password_hash = hash_password(password)
    user.active = True
    user.must_change_password = False
    row.used_at = utcnow()
    session.add_all([user, row])
    log.info("candidate %s set their password", row.candidate_id)
    return issue_token(session, user, ttl_minutes)


def end_access(session: Session, candidate_id: int, actor: Principal) -> User:
    """Staff end the job seeker's access: no login, every session and open code ended at once."""
    user = login_of(session, candidate_id)
    if user is None:
        raise Conflict("Kandidaten har ingen tilgang.")
    user.active = False
    session.add(user)
    revoke_sessions(session, user, api_keys=False)
    _revoke_open(session, candidate_id)
    log.info("candidate %s access ended by %s", candidate_id, actor.name)
    return user


def set_language(session: Session, user_id: int, language: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise Unauthorized("Logg inn på nytt.")
    user.language = language
    session.add(user)
    return user
