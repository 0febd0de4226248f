"""Presenting candidates to employers: what the consultant chose, and nothing else."""

from sqlmodel import Session, col, select

from accounts.service import Principal
from candidates.models import Candidate, ConsentRecord
from candidates.service import get_candidate, to_public
from core.errors import Conflict, Invalid, NotFound
from core.types import today, utcnow
from employers.service import get_vacancy
from placement.models import Presentation
from placement.schemas import EmployerPresentation, PresentationIn


def present(session: Session, data: PresentationIn, actor: Principal) -> Presentation:
    candidate = get_candidate(session, data.candidate_id, actor)
    vacancy = get_vacancy(session, data.vacancy_id)
    if not _consents(session, candidate.id, "presentation_to_employers"):
        raise Invalid("Kandidaten har ikke samtykket til å bli presentert for arbeidsgivere.", field="candidate_id")
    row = Presentation(candidate_id=candidate.id, employer_id=vacancy.employer_id, vacancy_id=vacancy.id,
                       fields=[f.value for f in data.fields], summary=data.summary.strip(), presented_by=actor.user_id)
    session.add(row)
    session.flush()
    return row


def withdraw(session: Session, presentation_id: int, actor: Principal) -> Presentation:
    row = session.get(Presentation, presentation_id)
    if row is None:
        raise NotFound(f"Presentasjon {presentation_id} finnes ikke.")
    get_candidate(session, row.candidate_id, actor)
    if row.withdrawn_at is not None:
        raise Conflict("Presentasjonen er allerede trukket tilbake.")
    row.withdrawn_at = utcnow()
    session.flush()
    return row


def _consents(session: Session, candidate_id: int, purpose: str, employer_id: int | None = None) -> bool:
    stmt = select(ConsentRecord.id).where(
        ConsentRecord.candidate_id == candidate_id, ConsentRecord.purpose == purpose,
        col(ConsentRecord.withdrawn_on).is_(None), ConsentRecord.given_on <= today())
    if employer_id is not None:
        stmt = stmt.where(ConsentRecord.employer_id == employer_id)
    return session.exec(stmt).first() is not None


def for_candidate(session: Session, candidate_id: int, actor: Principal) -> list[Presentation]:
    get_candidate(session, candidate_id, actor)
    return list(session.exec(select(Presentation).where(Presentation.candidate_id == candidate_id)
                             .order_by(Presentation.id)))


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
        public = to_public(session, candidate).model_dump(mode="json")
        details = {field: _presentable(public, field) for field in row.fields}
        named = _consents(session, candidate.id, "share_with_employer", employer_id)
        result.append((row, EmployerPresentation(
            id=row.id, vacancy_id=row.vacancy_id, name=f"{candidate.first_name} {candidate.last_name}" if named else None,
            presented_at=row.presented_at, summary=row.summary, details=details)))
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


