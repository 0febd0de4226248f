"""Demo job seekers with their own login: "kandidat" (the README's) and two more, in Oslo. The first
has been presented to an employer, is called to an interview tomorrow, and has a consent to withdraw."""

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from accounts import invitations
from accounts.service import Principal
from agenda.service import schedule_interview
from candidates.models import Candidate, ConsentRecord
from candidates.service import visible_ids
from core.types import LOCAL_TZ
from employers.models import Employer, Vacancy
from placement import presentations
from placement.models import Placement
from placement.schemas import InterviewIn, PresentationIn

DEMO_CANDIDATE_USERS = ("kandidat", "kandidat2", "kandidat3")


def fill_selfservice(session: Session, day: date, consultant: Principal, project_id: int, password: str) -> dict:
    placed = set(session.exec(select(Placement.candidate_id)))
    # Candidates handed over to the demo consultant's partner, so the consultant can present them.
    ours = visible_ids(session, consultant, session.exec(select(Candidate.id).where(Candidate.project_id == project_id)))
    free = [c for c in session.exec(select(Candidate).where(Candidate.project_id == project_id,
                                                            col(Candidate.archived_at).is_(None))
                                    .order_by(Candidate.id)) if c.id not in placed and c.id in ours
            ][:len(DEMO_CANDIDATE_USERS)]
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
        # Presenting for the vacancy puts them on its candidate list; the interview is tomorrow at 10.
        presentations.present(session, PresentationIn(candidate_id=first.id, vacancy_id=vacancy.id,
                                                      fields=["norwegian_level", "experience"],
                                                      summary="Stabil og blid, erfaring fra renhold."), consultant)
        placement = session.exec(select(Placement).where(Placement.candidate_id == first.id,
                                                         Placement.vacancy_id == vacancy.id)).one()
        employer = session.get(Employer, vacancy.employer_id)
        schedule_interview(session, placement.id, InterviewIn(
            starts_at=datetime.combine(day + timedelta(days=1), time(10), tzinfo=LOCAL_TZ),
            place=", ".join(x for x in (employer.name, employer.address) if x)), consultant)
        session.add(ConsentRecord(candidate_id=first.id, purpose="share_with_employer", employer_id=vacancy.employer_id,
                                  given_on=day, recorded_by=consultant.user_id))
    session.flush()
    return {"kandidater med egen side": ", ".join(DEMO_CANDIDATE_USERS[:len(free)])}
