"""The programme side of the demo set: a referral behind every candidate (admitted), more people
referred and refused for every reason, on the waiting list or not yet decided, exits of both groups,
and the obstacles found on the way. A separate random stream, so the rest of the demo set is unchanged."""

import random
from datetime import date, timedelta

from sqlmodel import Session, select

from accounts.service import Principal
from candidates.models import Candidate
from core.types import LOCAL_TZ
from programme import service
from programme.codes import COMPLETED, CRITERIA, INTERRUPTED, REFUSAL
from programme.models import Obstacle
from programme.schemas import DecisionIn, ExitIn, ReferralIn

OFFICES = ["NAV Grünerløkka", "NAV Alna", "NAV Drammen", "NAV Bergenhus", "NAV Midtbyen", "NAV Eiganes og Tasta"]
REFERRED = [("Ayaan", "Warsame"), ("Marta", "Kebede"), ("Rahim", "Sultani"), ("Nadia", "Haidari"), ("Tesfay", "Gebre"),
            ("Samira", "Osman"), ("Dawit", "Tekle"), ("Leyla", "Karimi"), ("Hodan", "Farah"), ("Yonas", "Berhe"),
            ("Fatima", "Noor"), ("Bashir", "Mohamud"), ("Zahra", "Rezaei"), ("Ali", "Jama"), ("Amal", "Yusuf")]
# The demo's old "needs uncovered" kinds, and the fourth ("obstacles") spread over the new kinds.
NEED_TO_OBSTACLE = {"norwegian": "norwegian", "moving": "moving", "education": "education"}
OTHER_OBSTACLES = ["childcare", "documents", "finances_housing", "health"]


def obstacle_for_need(session: Session, candidate_id: int, need: str, on: date, staff: Principal) -> Obstacle:
    """An obstacle where the demo used to record a "need uncovered" event (same draw, same day)."""
    kind = NEED_TO_OBSTACLE.get(need) or OTHER_OBSTACLES[candidate_id % len(OTHER_OBSTACLES)]
    row = Obstacle(candidate_id=candidate_id, kind=kind, found_on=on, owner=["staff", "candidate", "other_service"][
        candidate_id % 3], recorded_by=staff.user_id,
        note=None if kind == "health" else {"norwegian": "Norskkurs B1 påbegynt", "moving": "Vurderer å flytte",
                                            "education": "Tar fagbrev på kveldstid", "childcare": "Venter på barnehageplass",
                                            "documents": "Mangler attester fra hjemlandet",
                                            "finances_housing": "Midlertidig bolig"}[kind])
    if candidate_id % 2 == 0:
        row.resolved_on = on + timedelta(days=30 + candidate_id % 40)
    session.add(row)
    return row


def fill_programme(session: Session, seed: int, day: date, staff_of: dict[int, Principal]) -> dict:
    rng = random.Random(seed + 14)
    service.ensure_default_codes(session)
    criteria = list(CRITERIA)
    referrals = 0
    candidates = list(session.exec(select(Candidate).order_by(Candidate.id)))
    for c in candidates:  # everyone in the programme came through a referral and was admitted
        staff = staff_of[c.project_id]
        started = c.created_at.astimezone(LOCAL_TZ).date()
        row = service.refer(session, ReferralIn(
            candidate_id=c.id, referrer_kind="nav_office", referrer_name=rng.choice(OFFICES),
            referred_on=started - timedelta(days=rng.randint(14, 40)),
            criteria_met=[k for k in criteria if rng.random() < 0.9],
            interview_on=started - timedelta(days=rng.randint(3, 10))), staff)
        service.decide(session, row.id, DecisionIn(decision="admitted", decided_on=started - timedelta(days=2),
                                                   start_on=started), staff)
        referrals += 1
    projects = list(staff_of)
    names = iter(REFERRED * 3)
    # One refusal for every reason, then a waiting list and an undecided referral in every project.
    plan = [("refused", reason) for reason in REFUSAL] + [("waiting_list", None)] * len(projects) + \
        [(None, None)] * len(projects)
    for number, (decision, reason) in enumerate(plan):
        project_id = projects[number % len(projects)]
        staff = staff_of[project_id]
        first, last = next(names)
        referred_on = day - timedelta(days=rng.randint(5, 90))
        row = service.refer(session, ReferralIn(
            first_name=first, last_name=last, referrer_kind=rng.choice(["nav_office", "caseworker"]),
            referrer_name=rng.choice(OFFICES), referred_on=referred_on,
            criteria_met=[k for k in criteria if rng.random() < 0.6]), staff)
        if decision:
            service.decide(session, row.id, DecisionIn(
                decision=decision, decided_on=min(day, referred_on + timedelta(days=rng.randint(3, 20))),
                refusal_reason=reason, refusal_text="Ønsket heller et norskkurs på dagtid" if reason == "other" else None,
                interview_on=referred_on + timedelta(days=2) if reason != "no_show" else None), staff)
        referrals += 1
    # Exits: every completed outcome and every interruption reason, from people still in the programme.
    free = [c for c in candidates if c.programme_status in ("active", "in_recruitment")]
    exits = 0
    for (outcome, reason), c in zip([("completed", r) for r in COMPLETED] + [("interrupted", r) for r in INTERRUPTED],
                                    free[::3], strict=False):
        on = max(c.created_at.astimezone(LOCAL_TZ).date() + timedelta(days=60), day - timedelta(days=rng.randint(5, 120)))
        service.record_exit(session, c.id, ExitIn(on=min(on, day), outcome=outcome, reason=reason,
                                                  reason_text="Begynte i et annet kommunalt tiltak"
                                                  if reason == "other" else None), staff_of[c.project_id])
        exits += 1
    session.flush()
    return {"henvisninger": referrals, "avslutninger": exits}
