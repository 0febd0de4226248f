"""Handover (tildeling): staff hand a candidate over to a recruitment partner organisation, whose
consultants then see the candidate, and only while the handover stands.

Rules:
- the candidate's consent to share with *that* partner (share_with_recruiter naming it) is recorded
  and stands before the handover (422 naming `partner_id` otherwise);
- at most one handover stands at a time: a second to another partner is a 409 naming the rule (end
  the first, or move the candidate, first); the same partner again is a 409 too;
- a handover is ended (taken back) with a reason; withdrawing the consent ends it at once
  (candidates.service.withdraw_consent);
- a new handover after an ended one is flagged "tatt inn igjen" (`taken_back_in`); every handover
  is kept."""

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from accounts.models import Partner
from accounts.service import Principal
from candidates.models import Handover
from candidates.schemas import HandoverEndIn, HandoverIn, HandoverPublic
from candidates.service import end_standing_handover, get_candidate, shares_with_partner, standing_handover
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.types import Role, today

ONE_STANDING = ("En kandidat kan bare være tildelt én rekrutteringspartner om gangen: {name} har kandidaten nå. "
                "Ta kandidaten tilbake fra {name} før du tildeler til en annen.")


def _staff_or_admin(actor: Principal) -> None:
    if actor.role not in (Role.admin, Role.staff):
        raise Forbidden("Bare veiledere og administratorer tildeler kandidater til rekrutteringspartnere.")


def get_partner(session: Session, partner_id: int) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFound(f"Rekrutteringspartner {partner_id} finnes ikke.", field="partner_id")
    return partner


def hand_over(session: Session, candidate_id: int, data: HandoverIn, actor: Principal) -> Handover:
    _staff_or_admin(actor)
    candidate = get_candidate(session, candidate_id, actor)
    partner = get_partner(session, data.partner_id)
    if not partner.active:
        raise Invalid(f"{partner.name} er ikke lenger en aktiv rekrutteringspartner.", field="partner_id")
    standing = standing_handover(session, candidate.id)
    if standing is not None:
        if standing.partner_id == partner.id:
            raise Conflict(f"Kandidaten er allerede tildelt {partner.name}.", field="partner_id")
        raise Conflict(ONE_STANDING.format(name=get_partner(session, standing.partner_id).name), field="partner_id")
    if not shares_with_partner(session, candidate.id, partner.id):
        raise Invalid(f"Kandidaten har ikke samtykket til å deles med {partner.name}. Registrer samtykket "
                      "«Deles med en rekrutteringspartner» for denne partneren først.", field="partner_id")
    started_on = data.started_on or today()
    earlier = session.exec(select(Handover).where(Handover.candidate_id == candidate.id)
                           .order_by(col(Handover.ended_on).desc())).first()
    if earlier is not None and earlier.ended_on is not None and started_on < earlier.ended_on:
        raise Invalid("Datoen kan ikke være før kandidaten ble tatt tilbake sist "
                      f"({earlier.ended_on.strftime('%d.%m.%Y')}).", field="started_on")
    row = Handover(candidate_id=candidate.id, partner_id=partner.id, started_on=started_on,
                   started_by=actor.user_id, taken_back_in=earlier is not None)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # another request handed the candidate over at the same moment
        session.rollback()
        raise Conflict("Kandidaten ble tildelt samtidig av noen andre. En kandidat kan bare være tildelt én "
                       "rekrutteringspartner om gangen.", field="partner_id") from None
    return row


def end_handover(session: Session, candidate_id: int, data: HandoverEndIn, actor: Principal) -> Handover:
    """Take the candidate back from the partner: the standing handover ends with the reason."""
    _staff_or_admin(actor)
    get_candidate(session, candidate_id, actor)
    standing = standing_handover(session, candidate_id)
    if standing is None:
        raise Conflict("Kandidaten er ikke tildelt noen rekrutteringspartner nå.", field="reason")
    ended_on = data.ended_on or today()
    if ended_on < standing.started_on:
        raise Invalid(f"Datoen kan ikke være før tildelingen ({standing.started_on.strftime('%d.%m.%Y')}).",
                      field="ended_on")
    return end_standing_handover(session, standing, actor, reason=data.reason.value, note=data.note, on=ended_on)


def history(session: Session, candidate_id: int, actor: Principal) -> list[Handover]:
    """Every handover of the candidate, the newest first. Consultants see only their partner's."""
    get_candidate(session, candidate_id, actor)
    stmt = select(Handover).where(Handover.candidate_id == candidate_id)
    if actor.role is Role.consultant:
        stmt = stmt.where(Handover.partner_id == actor.partner_id)
    return list(session.exec(stmt.order_by(col(Handover.started_on).desc(), col(Handover.id).desc())))


def to_public(session: Session, rows: list[Handover]) -> list[HandoverPublic]:
    names = partner_names(session)
    return [HandoverPublic(**r.model_dump(), partner_name=names.get(r.partner_id, str(r.partner_id)),
                           standing=r.ended_on is None) for r in rows]


def list_active_partners(session: Session) -> list[Partner]:
    return list(session.exec(select(Partner).where(col(Partner.active).is_(True)).order_by(Partner.name)))


def partner_names(session: Session) -> dict[int, str]:
    return dict(session.exec(select(Partner.id, Partner.name)).all())


def standing_partner(session: Session, candidate_ids: list[int]) -> dict[int, int]:
    """Candidate id -> the partner it is handed over to now (for lists)."""
    if not candidate_ids:
        return {}
    rows = session.exec(select(Handover.candidate_id, Handover.partner_id).where(
        col(Handover.candidate_id).in_(candidate_ids), col(Handover.ended_on).is_(None))).all()
    return dict(rows)


def handed_over_in(session: Session, date_from: date, date_to: date) -> list[Handover]:
    """Handovers that stood at some time in the period (for the result report's base)."""
    return list(session.exec(select(Handover).where(
        Handover.started_on <= date_to, col(Handover.ended_on).is_(None) | (Handover.ended_on >= date_from))))
