"""The employer's short assessment after work practice or a trial period: given by the employer's own
user on Min side, read by staff as the evidence for the checklist item "vurdering fra arbeidsgiver"."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from accounts.service import Principal
from candidates.models import Candidate
from candidates.service import get_candidate
from core.errors import NotFound
from core.types import today
from placement.models import EmployerAssessment, Placement, WorkPractice
from placement.presentations import named_employers, own_employer
from placement.schemas import EmployerAssessmentIn, Stage

CHECKLIST_ITEM = "employer_assessment"  # readiness/default_definition.py: "Vurdering fra arbeidsgiver"


@dataclass(frozen=True)
class ToAssess:
    """One candidate the employer has had in work practice or on a trial period (the name only where
    the candidate consented to be named to this employer)."""

    candidate_id: int
    name: str | None
    kind: str  # work_practice | trial
    since: date
    last: EmployerAssessment | None


def to_assess(session: Session, actor: Principal) -> list[ToAssess]:
    """The candidates the employer user's organisation may assess: work practice there that has begun,
    or a placement there at started."""
    employer_id = own_employer(session, actor).id
    since: dict[int, tuple[str, date]] = {}
    for row in session.exec(select(WorkPractice).where(WorkPractice.employer_id == employer_id,
                                                       WorkPractice.start <= today())):
        since[row.candidate_id] = ("work_practice", min(row.start, since.get(row.candidate_id, ("", row.start))[1]))
    for row in session.exec(select(Placement).where(Placement.employer_id == employer_id,
                                                    Placement.stage == Stage.started)):
        since.setdefault(row.candidate_id, ("trial", row.stage_on))
    result = []
    for candidate_id, (kind, start) in sorted(since.items(), key=lambda x: x[1][1], reverse=True):
        candidate = session.get(Candidate, candidate_id)
        if candidate is None or candidate.erased_at is not None:
            continue
        named = employer_id in named_employers(session, candidate_id)
        last = session.exec(select(EmployerAssessment).where(EmployerAssessment.candidate_id == candidate_id,
                                                             EmployerAssessment.employer_id == employer_id)
                            .order_by(col(EmployerAssessment.id).desc())).first()
        result.append(ToAssess(candidate_id, f"{candidate.first_name} {candidate.last_name}" if named else None,
                               kind, start, last))
    return result


def one_to_assess(session: Session, candidate_id: int, actor: Principal) -> ToAssess:
    found = next((x for x in to_assess(session, actor) if x.candidate_id == candidate_id), None)
    if found is None:
        raise NotFound(f"Ingen arbeidspraksis eller prøvetid hos dere for kandidat {candidate_id}.")
    return found


def give(session: Session, candidate_id: int, data: EmployerAssessmentIn, actor: Principal) -> EmployerAssessment:
    """Record the employer user's assessment (a new one each time: the history stays)."""
    one_to_assess(session, candidate_id, actor)
    row = EmployerAssessment(candidate_id=candidate_id, employer_id=own_employer(session, actor).id,
                             punctuality=data.punctuality, cooperation=data.cooperation,
                             work_quality=data.work_quality, would_hire=data.would_hire.value, note=data.note,
                             given_on=today(), given_by=actor.user_id, given_by_name=actor.name)
    session.add(row)
    session.flush()
    return row


def for_candidate(session: Session, candidate_id: int, actor: Principal) -> list[EmployerAssessment]:
    """Staff and consultants: the candidate's assessments from employers, newest first."""
    get_candidate(session, candidate_id, actor)
    return list(session.exec(select(EmployerAssessment).where(EmployerAssessment.candidate_id == candidate_id)
                             .order_by(col(EmployerAssessment.id).desc())))
