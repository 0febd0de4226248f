"""Pipeline history for the demo set: candidate events, work practice, placements at every stage,
starts with 3/6/12-month follow-ups, so the result report has a year of figures."""

import random
from datetime import date, timedelta

from sqlmodel import Session, select

from accounts.service import Principal
from api.demo_programme import obstacle_for_need
from candidates.models import Candidate
from employers.models import Vacancy
from placement import service
from placement.held_jobs import record_job
from placement.models import EmploymentFollowUp, Placement
from placement.schemas import CandidateEventIn, CandidateJobIn, FollowUpIn, TransitionIn, WorkPracticeIn

PATHS = {  # how far a placement gets, and the stages on the way
    "presented": ["presented"],
    "interview": ["presented", "interview_scheduled"],
    "no_show": ["presented", "interview_scheduled", "chance_lost"],
    "rejected": ["presented", "interview_scheduled", "interview_held", "rejected"],
    "declined": ["presented", "interview_scheduled", "interview_held", "offer", "chance_lost"],
    "started": ["presented", "interview_scheduled", "interview_held", "offer", "accepted", "started"],
    "permanent": ["presented", "interview_scheduled", "interview_held", "offer", "accepted", "started", "permanent"],
}


def fill_placements(session: Session, rng: random.Random, day: date, consultant_of: dict[int, Principal],
                    staff_of: dict) -> dict:
    """Placements made by the consultant of the partner each project hands its candidates over to."""
    candidates = list(session.exec(select(Candidate).order_by(Candidate.id)))
    vacancies = list(session.exec(select(Vacancy).where(Vacancy.status == "open").order_by(Vacancy.id)))
    placements = 0
    for c in candidates:
        staff, consultant = staff_of[c.project_id], consultant_of[c.project_id]
        taken_in = c.created_at.date()
        service.add_candidate_event(session, c.id, CandidateEventIn(kind="first_interview", on=taken_in), staff)
        if rng.random() < 0.3:
            # An obstacle found on the way (arenarydding), where the demo once recorded a "need uncovered".
            obstacle_for_need(session, c.id, rng.choice(["norwegian", "norwegian", "moving", "education", "obstacles"]),
                              min(day, taken_in + timedelta(days=rng.randint(5, 60))), staff)
        if c.programme_status in ("in_recruitment", "in_work") or rng.random() < 0.2:
            service.add_candidate_event(session, c.id, CandidateEventIn(
                kind="interview_training", on=day - timedelta(days=rng.randint(20, 200))), staff)
        if c.programme_status in ("in_recruitment", "in_work") and rng.random() < 0.35 and vacancies:
            start = day - timedelta(days=rng.randint(120, 300))
            service.add_work_practice(session, c.id, WorkPracticeIn(
                employer_id=rng.choice(vacancies).employer_id, start=start, end=start + timedelta(days=90),
                kind=rng.choice(["practice_training", "practice_with_hiring_promise"])), staff)
        path = _path_for(rng, c.programme_status)
        if path is None or not vacancies:
            continue
        vacancy = rng.choice(vacancies)
        first = day - timedelta(days=rng.randint(60, 330) if path in ("started", "permanent") else rng.randint(5, 50))
        placement = service.open_placement(session, c.id, vacancy.id, consultant, on=first)
        placements += 1
        when = first
        for stage in PATHS[path]:
            when = min(day, when + timedelta(days=rng.randint(2, 12)))
            reason = {"chance_lost": "no_show" if path == "no_show" else "declined",
                      "rejected": "Valgte en annen kandidat"}.get(stage)
            service.transition(session, placement.id, TransitionIn(
                to=stage, on=when, reason=reason, with_consultant=stage == "interview_held" and rng.random() < 0.4,
                with_wage_subsidy=stage == "started" and rng.random() < 0.5), consultant)
        for follow_up in session.exec(select(EmploymentFollowUp).where(EmploymentFollowUp.placement_id == placement.id)):
            if follow_up.due_on < day - timedelta(days=3) and rng.random() < 0.85:
                service.record_follow_up(session, follow_up.id, FollowUpIn(
                    done_on=follow_up.due_on + timedelta(days=rng.randint(0, 3)), still_employed=rng.random() < 0.85,
                    fte=placement.fte), consultant)
        c.programme_status = "in_work" if path in ("started", "permanent") else "in_recruitment"
    session.flush()
    return {"formidlinger": placements, **fill_bundles(session, day, staff_of)}


def fill_bundles(session: Session, day: date, staff_of: dict) -> dict:
    """Jobs that together fill a year, recorded for a few candidates in every project so the year strip
    shows them: two 50 % jobs at once, and a summer season plus a winter season."""
    placed = {p.candidate_id for p in session.exec(select(Placement))}
    bundles = 0
    for project_id, staff in staff_of.items():
        free = [c for c in session.exec(select(Candidate).where(Candidate.project_id == project_id,
                                                                 Candidate.wanted_fte == 100).order_by(Candidate.id))
                if c.id not in placed and c.programme_status in ("in_recruitment", "active")]
        if len(free) < 2:
            continue
        halves, seasons = free[0], free[1]
        start = day - timedelta(days=45)
        for employer, title, hours in (("Rema 1000 Sentrum", "Butikkmedarbeider", ["day"]),
                                       ("Renhold Øst AS", "Renholder", ["evening"])):
            record_job(session, halves.id, CandidateJobIn(employer_name=employer, title=title, fte=50, start=start,
                                                          working_hours=hours), staff)
        winter = day + timedelta(days=7)  # a winter season from next week, then the summer after it
        summer = date(day.year + (day.month >= 3), 6, 1)
        record_job(session, seasons.id, CandidateJobIn(employer_name="Skisenteret Vinterland", title="Heisvakt",
                                                       fte=100, start=winter, end=winter + timedelta(days=100),
                                                       working_hours=["day", "weekend"]), staff)
        record_job(session, seasons.id, CandidateJobIn(employer_name="Fjordhotellet", title="Romrengjører",
                                                       fte=100, start=summer, end=date(summer.year, 8, 31),
                                                       working_hours=["day"]), staff)
        halves.programme_status = seasons.programme_status = "in_work"
        bundles += 2
    session.flush()
    return {"kandidater med kombinerte jobber": bundles}


def _path_for(rng: random.Random, programme_status: str) -> str | None:
    if programme_status == "in_work":
        return rng.choice(["started", "permanent", "permanent"])
    if programme_status == "in_recruitment":
        return rng.choice(list(PATHS)[:5])
    return None
