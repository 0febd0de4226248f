"""Shared plans (handlingsplaner) for the demo set: goals from the candidate's wishes, tasks from the
checklist's missing items for whoever must act, a consultant task, a ticked task with a comment,
reviews held and due; some tasks and reviews overdue, so the dashboards have something to show."""

import random
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from accounts.service import Principal
from candidates.models import Candidate, JobWish
from candidates.service import visible_ids
from core.types import LOCAL_TZ
from plans import service
from plans.models import PlanTask
from plans.schemas import GoalIn, OwnerKind, ReviewIn, TaskIn
from readiness.service import active_definition, evaluate_candidates

CONSULTANT_TASKS = ["Presentere for tre arbeidsgivere i ønsket bransje", "Avtale intervjutrening",
                    "Følge opp praksisplassen", "Finne en deltidsstilling som fyller resten av året"]
CANDIDATE_TASKS = ["Oppdatere CV med siste praksis", "Søke på to stillinger hver uke", "Ta med vitnemål til veileder"]
COMMENTS = ["Gjort, tok med kopi", "Ferdig, snakket om det i møtet", "Levert til veileder"]


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 15), rng.randint(0, 59)), tzinfo=LOCAL_TZ)


def fill_plans(session: Session, rng: random.Random, day: date, consultant: Principal, staff_of: dict,
               share: float = 0.25) -> dict:
    rng = random.Random(rng.random())  # its own sequence, so plan details never shift other demo data
    definition = active_definition(session)
    labels = {i.key: i for i in definition.items}
    candidates = [c for c in session.exec(select(Candidate).order_by(Candidate.id)) if c.archived_at is None]
    chosen = []
    for project_id in staff_of:
        mine = [c for c in candidates if c.project_id == project_id]
        chosen += mine[:max(3, int(len(mine) * share))]
    evaluations = evaluate_candidates(session, chosen, as_of=day)
    plans = tasks = overdue = 0
    for c in chosen:
        staff = staff_of[c.project_id]
        # The demo consultant works on the plan only of candidates handed over to their partner.
        ours = c.id in visible_ids(session, consultant, [c.id])
        start = day - timedelta(days=rng.randint(40, 120))
        service.ensure_plan(session, c.id, staff, when=_at(start, rng))
        plans += 1
        sector = session.exec(select(JobWish.value).where(JobWish.candidate_id == c.id, JobWish.kind == "sector")).first()
        if sector:
            service.add_goal(session, c.id, GoalIn(kind="sector", sector=sector), staff, when=_at(start, rng))
        service.add_goal(session, c.id, GoalIn(kind="share", fte=c.wanted_fte), staff, when=_at(start, rng))
        if rng.random() < 0.5:
            service.add_goal(session, c.id, GoalIn(kind="text", text="Fast jobb uten lønnstilskudd innen ett år"),
                             staff, when=_at(start, rng))
        missing = [(who, key) for who, keys in evaluations[c.id].missing.items() for key in keys]
        for who, key in missing[:2]:
            owner = staff.user_id if who == "staff" else consultant.user_id if who == "consultant" and ours else None
            due = day + timedelta(days=rng.randint(-20, 21))
            item = labels[key]
            service.add_task(session, c.id, TaskIn(title=item.label, description=item.description or None,
                                                   owner_kind=OwnerKind(who), owner_user_id=owner, due_on=due),
                             staff, source=f"checklist:{key}", when=_at(start + timedelta(days=1), rng))
            tasks += 1
            overdue += due < day
        due = day + timedelta(days=rng.randint(-10, 14))
        service.add_task(session, c.id, TaskIn(title=rng.choice(CONSULTANT_TASKS), owner_kind=OwnerKind.consultant,
                                               owner_user_id=consultant.user_id if ours else None, due_on=due),
                         consultant if ours else staff, when=_at(start + timedelta(days=2), rng))
        tasks += 1
        overdue += due < day
        done = service.add_task(session, c.id, TaskIn(title=rng.choice(CANDIDATE_TASKS), owner_kind=OwnerKind.candidate,
                                                      due_on=start + timedelta(days=14)),
                                staff, when=_at(start + timedelta(days=1), rng))
        service.tick_task(session, done.id, staff, rng.choice(COMMENTS), when=_at(start + timedelta(days=10), rng))
        tasks += 1
        held = start + timedelta(days=rng.randint(20, 35))
        service.record_review(session, c.id, ReviewIn(
            held_on=held, note="Gikk gjennom målene og fordelte oppgavene",
            next_review_on=max(held + timedelta(days=7), day + timedelta(days=rng.randint(-7, 28)))), staff,
            when=_at(held, rng))
    session.flush()
    open_overdue = len([t for t in session.exec(select(PlanTask).where(PlanTask.status == "open"))
                        if t.due_on and t.due_on < day])
    return {"handlingsplaner": plans, "planoppgaver": tasks, "planoppgaver forfalt": open_overdue or overdue}
