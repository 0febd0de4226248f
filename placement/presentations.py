"""Presenting candidates to employers: what the consultant chose, and nothing else; and the employer's
answer, which moves the vacancy's candidate list where it applies."""

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session, col, select

from accounts.service import Principal
from candidates.models import Candidate, ConsentRecord
from candidates.service import get_candidate, to_public
from core.errors import Conflict, Invalid, NotFound
from core.labels import ANSWER_REASON
from core.types import LOCAL_TZ, Role, today, utcnow
from employers.service import employer_for_organisation, get_employer, get_vacancy
from placement.models import Placement, PlacementEvent, Presentation
from placement.schemas import (
    EmployerPresentation,
    PresentableField,
    PresentationAnswer,
    PresentationAnswerIn,
    PresentationIn,
    Stage,
    TransitionIn,
)
from placement.service import list_placements, open_placement, transition


def present(session: Session, data: PresentationIn, actor: Principal) -> Presentation:
    """Present a candidate. Tied to a vacancy, the candidate enters its candidate list as presented
    (or stays where they are, if further on); unsolicited, only the employer is named."""
    candidate = get_candidate(session, data.candidate_id, actor)
    if data.vacancy_id is not None:
        vacancy = get_vacancy(session, data.vacancy_id)
        employer_id = vacancy.employer_id
        if data.employer_id is not None and data.employer_id != employer_id:
            raise Invalid("Stillingen hører til en annen arbeidsgiver enn den som er valgt.", field="employer_id")
    else:
        employer_id = get_employer(session, data.employer_id).id
    if not _consents(session, candidate.id, "presentation_to_employers"):
        raise Invalid("Kandidaten har ikke samtykket til å bli presentert for arbeidsgivere.", field="candidate_id")
    row = Presentation(candidate_id=candidate.id, employer_id=employer_id, vacancy_id=data.vacancy_id,
                       fields=[f.value for f in data.fields], summary=data.summary.strip(), presented_by=actor.user_id)
    session.add(row)
    session.flush()
    if data.vacancy_id is not None:
        _enter_as_presented(session, candidate.id, data.vacancy_id, actor)
    return row


def _enter_as_presented(session: Session, candidate_id: int, vacancy_id: int, actor: Principal) -> Placement:
    placement = open_placement(session, candidate_id, vacancy_id, actor)
    if placement.stage == Stage.proposed:
        transition(session, placement.id, TransitionIn(to=Stage.presented, on=max(today(), placement.stage_on),
                                                       note="Presentert for arbeidsgiveren"), actor)
    return placement


def get_presentation(session: Session, presentation_id: int, actor: Principal) -> Presentation:
    """Staff and consultants: a presentation of a candidate they may see. An employer user: only a
    standing presentation to their own organisation, of a candidate still consenting to it."""
    row = session.get(Presentation, presentation_id)
    if row is None:
        raise NotFound(f"Presentasjon {presentation_id} finnes ikke.")
    if actor.role is Role.employer:
        if row.id not in {p.id for p, _ in for_employer(session, _own_employer_id(session, actor))}:
            raise NotFound(f"Presentasjon {presentation_id} finnes ikke.")
        return row
    get_candidate(session, row.candidate_id, actor)
    return row


def _own_employer_id(session: Session, actor: Principal) -> int:
    return own_employer(session, actor).id


def own_employer(session: Session, actor: Principal):
    """The employer user's own organisation."""
    return employer_for_organisation(session, actor.organisation_number)


def _on_the_list(actor: Principal) -> Principal:
    """Who moves the candidate list when an employer answers: the employer, with the rights the
    answer needs on its own presentation (already checked) and nothing more."""
    return replace(actor, role=Role.admin) if actor.role is Role.employer else actor


def withdraw(session: Session, presentation_id: int, actor: Principal) -> Presentation:
    row = get_presentation(session, presentation_id, actor)
    if row.withdrawn_at is not None:
        raise Conflict("Presentasjonen er allerede trukket tilbake.")
    row.withdrawn_at = utcnow()
    session.flush()
    return row


def placement_of(session: Session, row: Presentation) -> Placement | None:
    """The vacancy's candidate-list entry a presentation belongs to (none when unsolicited)."""
    if row.vacancy_id is None:
        return None
    return session.exec(select(Placement).where(Placement.candidate_id == row.candidate_id,
                                                Placement.vacancy_id == row.vacancy_id)).first()


def record_answer(session: Session, presentation_id: int, data: PresentationAnswerIn, actor: Principal) -> Presentation:
    """The employer's answer, recorded by hand. "Not now" closes the vacancy's entry as rejected while it
    is still at presented; "wants an interview" on an unsolicited presentation may name the vacancy,
    and the candidate then enters its candidate list (the interview is scheduled next)."""
    row = get_presentation(session, presentation_id, actor)
    if row.withdrawn_at is not None:
        raise Conflict("Presentasjonen er trukket tilbake; svaret kan ikke registreres.")
    if data.answer_on < row.presented_at.date():
        raise Invalid("Svaret kan ikke være før presentasjonen.", field="answer_on")
    if data.vacancy_id is not None and data.vacancy_id != row.vacancy_id:
        if row.vacancy_id is not None:
            raise Invalid("Presentasjonen gjelder allerede en annen stilling.", field="vacancy_id")
        vacancy = get_vacancy(session, data.vacancy_id)
        if vacancy.employer_id != row.employer_id:
            raise Invalid("Stillingen hører til en annen arbeidsgiver.", field="vacancy_id")
        row.vacancy_id = vacancy.id
    row.answer, row.answer_on, row.answered_by = data.answer.value, data.answer_on, actor.user_id
    row.answer_reason = data.answer_reason.value if data.answer is PresentationAnswer.not_now and data.answer_reason else None
    row.answer_note = data.answer_note
    times = sorted(t if t.tzinfo else t.replace(tzinfo=LOCAL_TZ) for t in data.proposed_times)  # Norwegian time
    row.proposed_times = ([t.isoformat() for t in times]
                          if data.answer is PresentationAnswer.wants_interview else [])
    session.flush()
    if row.vacancy_id is not None:
        mover = _on_the_list(actor)
        placement = _enter_as_presented(session, row.candidate_id, row.vacancy_id, mover)
        if data.answer is PresentationAnswer.not_now and placement.stage == Stage.presented:
            reason = ANSWER_REASON[row.answer_reason] + (f": {data.answer_note}" if data.answer_note else "")
            transition(session, placement.id, TransitionIn(
                to=Stage.rejected, on=max(data.answer_on, placement.stage_on), reason=reason[:1000]), mover)
    return row


def proposed_times(row: Presentation) -> list[datetime]:
    return [datetime.fromisoformat(t) for t in row.proposed_times or []]


def _consents(session: Session, candidate_id: int, purpose: str, employer_id: int | None = None) -> bool:
    stmt = select(ConsentRecord.id).where(
        ConsentRecord.candidate_id == candidate_id, ConsentRecord.purpose == purpose,
        col(ConsentRecord.withdrawn_on).is_(None), ConsentRecord.given_on <= today())
    if employer_id is not None:
        stmt = stmt.where(ConsentRecord.employer_id == employer_id)
    return session.exec(stmt).first() is not None


def may_present(session: Session, candidate_id: int) -> bool:
    """The candidate has consented to being presented to employers at all."""
    return _consents(session, candidate_id, "presentation_to_employers")


def named_employers(session: Session, candidate_id: int) -> set[int]:
    """The employers the candidate has consented to be named to."""
    stmt = select(ConsentRecord.employer_id).where(
        ConsentRecord.candidate_id == candidate_id, ConsentRecord.purpose == "share_with_employer",
        col(ConsentRecord.withdrawn_on).is_(None), ConsentRecord.given_on <= today(),
        col(ConsentRecord.employer_id).is_not(None))
    return set(session.exec(stmt))


def for_candidate(session: Session, candidate_id: int, actor: Principal) -> list[Presentation]:
    get_candidate(session, candidate_id, actor)
    return list(session.exec(select(Presentation).where(Presentation.candidate_id == candidate_id)
                             .order_by(Presentation.id)))


def presented_without_record(session: Session, candidate_id: int, actor: Principal) -> set[int]:
    """Employers the candidate's lists say they were presented to, with no presentation recorded for
    that employer: demo data, or a move to "presented" made by hand on the candidate list. The page
    counts them so the presentations card does not say "never presented" beside a list that does."""
    rows = for_candidate(session, candidate_id, actor)
    recorded = {row.employer_id for row in rows}
    placements = {p.id: p.employer_id for p in list_placements(session, actor, candidate_id=candidate_id)}
    if not placements:
        return set()
    reached = session.exec(select(PlacementEvent.placement_id).where(
        col(PlacementEvent.placement_id).in_(list(placements)), PlacementEvent.to_stage == Stage.presented))
    return {placements[pid] for pid in reached} - recorded


def employer_view(session: Session, candidate: Candidate, employer_id: int, fields: list[str], summary: str, *,
                  presentation_id: int = 0, vacancy_id: int | None = None,
                  presented_at: datetime | None = None) -> EmployerPresentation:
    """Exactly what the employer sees of a presentation: the chosen fields, trimmed; the name only with
    the candidate's consent to be named to this employer. The preview and the employer's view share it."""
    public = to_public(session, candidate).model_dump(mode="json")
    chosen = [f for f in PresentableField if f.value in fields]  # the allowed list, in its own order
    details = {field.value: _presentable(public, field.value) for field in chosen}
    named = _consents(session, candidate.id, "share_with_employer", employer_id)
    return EmployerPresentation(
        id=presentation_id, vacancy_id=vacancy_id, name=f"{candidate.first_name} {candidate.last_name}" if named else None,
        presented_at=presented_at or utcnow(), summary=summary, details=details)


def for_employer(session: Session, employer_id: int) -> list[tuple[Presentation, EmployerPresentation]]:
    """The employer's view of every standing presentation to it. Candidates who have withdrawn
    their consent to be presented, or been anonymised, drop out at once."""
    rows = session.exec(select(Presentation).where(Presentation.employer_id == employer_id,
                                                   col(Presentation.withdrawn_at).is_(None))
                        .order_by(col(Presentation.presented_at).desc())).all()
    result = []
    for row in rows:
        candidate = session.get(Candidate, row.candidate_id)
        if candidate.erased_at is not None or not _consents(session, candidate.id, "presentation_to_employers"):
            continue
        result.append((row, employer_view(session, candidate, employer_id, row.fields, row.summary,
                                          presentation_id=row.id, vacancy_id=row.vacancy_id,
                                          presented_at=row.presented_at)))
    return result


def _presentable(public: dict, field: str):
    """A chosen field, trimmed to what an employer needs (certificates without document references)."""
    value = public[field]
    if field == "certificates":
        return [{"label": c["label"], "expires_on": c["expires_on"]} for c in value]
    if field == "experience":
        return [{k: e[k] for k in ("title", "employer_name", "start", "end", "is_work_practice")} for e in value]
    if field == "education":
        return [{k: e[k] for k in ("title", "level", "completed")} for e in value]
    return value
