"""The audit log: every read or change of a candidate's personal data, append-only.

Entries name the candidate by id only (no personal data of their own), so they stay after the
candidate is anonymised, and a candidate's insight request (innsyn) can still be answered.
The database refuses UPDATE and DELETE on this table (triggers in the migration)."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, Session, SQLModel, col, select

from core.types import utcnow


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_user_id: int | None = Field(default=None, index=True)
    # Unbounded on purpose: a name or label copied from elsewhere (an API key's label, an employer's
    # name) must never make the insert fail, and with it the read it records.
    actor_name: str = Field(sa_type=Text)
    actor_role: str = Field(max_length=20)
    candidate_id: int = Field(index=True)
    action: str = Field(max_length=20)  # read | list | create | update | archive | export | erase | ...
    what: str = Field(sa_type=Text)  # which data, e.g. "profil", "sjekkliste", "historikk"


def record(session: Session, actor, action: str, what: str, candidate_ids: Iterable[int]) -> None:
    """Add one entry per candidate. `actor` is an accounts.service.Principal (duck-typed: core
    must not import accounts). The caller's commit stores it with the rest of the request."""
    for candidate_id in dict.fromkeys(candidate_ids):
        session.add(AuditEntry(actor_user_id=actor.user_id, actor_name=actor.name, actor_role=str(actor.role),
                               candidate_id=candidate_id, action=action, what=what))


def entries_for(session: Session, candidate_id: int) -> list[AuditEntry]:
    return list(session.exec(select(AuditEntry).where(AuditEntry.candidate_id == candidate_id)
                             .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())))


def record_many(session: Session, actor, action: str, what: str, candidate_ids: Iterable[int]) -> None:
    """As `record`, in one bulk statement (for imports of thousands of candidates)."""
    from core.db import bulk_insert, prepare_rows

    at = utcnow()
    rows = [dict(at=at, actor_user_id=actor.user_id, actor_name=actor.name, actor_role=str(actor.role),
                 candidate_id=candidate_id, action=action, what=what) for candidate_id in dict.fromkeys(candidate_ids)]
    bulk_insert(session, prepare_rows(session, AuditEntry, rows))
