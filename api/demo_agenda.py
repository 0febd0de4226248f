"""The demo consultant's week: interviews agreed for some presented candidates (each with its two
calls) and a task by hand, so "Min dag" and "Min uke" have something in them."""

import random
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from accounts.service import Principal
from agenda.schemas import TaskIn
from agenda.service import create_task, schedule_interview
from core.types import LOCAL_TZ
from employers.models import Employer
from placement.models import Placement
from placement.schemas import InterviewIn


def fill_agenda(session: Session, rng: random.Random, day: date, consultant: Principal) -> dict:
    presented = session.exec(select(Placement).where(
        col(Placement.stage).in_(["presented", "interview_scheduled", "interview_held"]),
        Placement.created_by == consultant.user_id).order_by(Placement.id)).all()
    interviews = 0
    for placement in presented[:4]:
        employer = session.get(Employer, placement.employer_id)
        when = datetime.combine(day + timedelta(days=rng.randint(1, 6)), time(rng.choice([9, 10, 13, 14])),
                                tzinfo=LOCAL_TZ)
        schedule_interview(session, placement.id, InterviewIn(
            starts_at=when, place=", ".join(x for x in (employer.name, employer.address) if x),
            consultant_attends=rng.random() < 0.5), consultant)
        interviews += 1
    employer = session.exec(select(Employer).order_by(Employer.id)).first()
    if employer is not None:
        create_task(session, TaskIn(title="Ring om behovet for tilkallingsvikarer", due_on=day,
                                    employer_id=employer.id), consultant)
    session.flush()
    return {"intervjuer avtalt": interviews}
