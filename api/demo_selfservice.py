"""Demo job seekers with their own login: "kandidat" (the README's) and two more, in Oslo. The first
has been presented to an employer, is called to an interview today, and has a consent to withdraw."""

from datetime import date

from sqlmodel import Session, col, select

from accounts import invitations
from accounts.service import Principal
from candidates.models import Candidate, ConsentRecord
from employers.models import Vacancy
from placement import presentations, service
from placement.models import Placement
from placement.schemas import PresentationIn, TransitionIn

DEMO_CANDIDATE_USERS = ("kandidat", "kandidat2", "kandidat3")


def fill_selfservice(session: Session, day: date, consultant: Principal, project_id: int, password: str) -> dict:
    placed = set(session.exec(select(Placement.candidate_id)))
    free = [c for c in session.exec(select(Candidate).where(Candidate.project_id == project_id,
                                                            col(Candidate.archived_at).is_(None))
                                    .order_by(Candidate.id)) if c.id not in placed][:len(DEMO_CANDIDATE_USERS)]
    for username, candidate in zip(DEMO_CANDIDATE_USERS, free, strict=False):
        invitations.create_login(session, candidate.id, username=username, password=password)
    if not free:
        return {}
    first = free[0]
    if not session.exec(select(ConsentRecord).where(ConsentRecord.candidate_id == first.id,
                                                    ConsentRecord.purpose == "presentation_to_employers")).first():
        session.add(ConsentRecord(candidate_id=first.id, purpose="presentation_to_employers", given_on=day,
                                  recorded_by=consultant.user_id))
        session.flush()
    vacancy = session.exec(select(Vacancy).where(Vacancy.status == "open").order_by(Vacancy.id)).first()
    if vacancy is not None:
        presentations.present(session, PresentationIn(candidate_id=first.id, vacancy_id=vacancy.id,
                                                      fields=["norwegian_level", "experience"],
                                                      summary="Stabil og blid, erfaring fra renhold."), consultant)
        placement = service.open_placement(session, first.id, vacancy.id, consultant, on=day)
        for stage in ("presented", "interview_scheduled"):
            service.transition(session, placement.id, TransitionIn(to=stage, on=day), consultant)
        session.add(ConsentRecord(candidate_id=first.id, purpose="share_with_employer", employer_id=vacancy.employer_id,
                                  given_on=day, recorded_by=consultant.user_id))
    session.flush()
    return {"kandidater med egen side": ", ".join(DEMO_CANDIDATE_USERS[:len(free)])}
