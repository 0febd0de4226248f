"""The funder's incentive: a payment after 6 and after 12 months in full-time work, which may be with
more than one employer, shown per candidate as oppfylt / ikke ennå / ikke oppfylt.

Rules (README "Resultatrapporten: tellereglene"):
- jobs held: placements that started (started, permanent, or ended after a start) and jobs recorded on
  the candidate (placement.CandidateJob), each with its share of full time and its period;
- a day counts as full-time work when the jobs covering it add up to at least 100 %;
- the milestone of N months is met when an unbroken run of full-time days reaches from a day D to the
  day before D + N months, up to the report's end date;
- oppfylt: met; ikke ennå: not met, and the candidate is still in the programme or in full-time work on
  the report's end date (it can still be met); ikke oppfylt: not met, not in full-time work, and the
  candidate has left (an exit recorded, archived or anonymised)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from candidates.models import Candidate
from core.types import add_months
from employers.models import Employer, Vacancy
from placement.held_jobs import HeldJob, held_jobs
from placement.models import Placement
from programme.models import ProgrammeExit

MET, NOT_YET, NOT_MET = "oppfylt", "ikke ennå", "ikke oppfylt"
MILESTONES = (6, 12)


def full_time_runs(jobs: list[HeldJob], as_of: date) -> list[tuple[date, date]]:
    """Unbroken runs of days (up to as_of) on which the jobs add up to at least 100 % of full time."""
    changes: dict[date, int] = {}
    for job in jobs:
        if job.start > as_of:
            continue
        changes[job.start] = changes.get(job.start, 0) + job.fte
        end = min(job.end or as_of, as_of)
        if end >= job.start:
            after = end + timedelta(days=1)
            changes[after] = changes.get(after, 0) - job.fte
    runs, load, run_start = [], 0, None
    for day in sorted(changes):
        load += changes[day]
        if load >= 100 and run_start is None:
            run_start = day
        elif load < 100 and run_start is not None:
            runs.append((run_start, day - timedelta(days=1)))
            run_start = None
    if run_start is not None:
        runs.append((run_start, as_of))
    return runs


def milestone_status(runs: list[tuple[date, date]], months: int, as_of: date, still_in: bool) -> str:
    if any(end >= add_months(start, months) - timedelta(days=1) for start, end in runs):
        return MET
    working_now = any(end == as_of for _start, end in runs)
    return NOT_YET if still_in or working_now else NOT_MET


@dataclass
class IncentiveRow:
    candidate_id: int
    name: str
    project: str
    full_time_from: date | None  # the start of the latest full-time run
    six_months: str
    twelve_months: str


def _ended_placements(session: Session, ids: list[int]) -> dict[int, list[HeldJob]]:
    """Jobs from the pipeline that started and have ended (held_jobs reads only the current ones)."""
    found: dict[int, list[HeldJob]] = {}
    for start in range(0, len(ids), 1000):
        stmt = (select(Placement, Vacancy, Employer).join(Vacancy, Vacancy.id == Placement.vacancy_id)
                .join(Employer, Employer.id == Placement.employer_id)
                .where(col(Placement.candidate_id).in_(ids[start:start + 1000]), Placement.stage == "ended",
                       col(Placement.started_on).is_not(None)))
        for p, v, e in session.exec(stmt):
            found.setdefault(p.candidate_id, []).append(HeldJob(
                "placement", p.id, p.candidate_id, p.employer_id, e.name, v.title, p.fte, p.started_on,
                p.ended_on or p.stage_on))
    return found


def incentives(session: Session, candidates: list[Candidate], project_names: dict[int, str],
               as_of: date) -> list[IncentiveRow]:
    """One row per candidate who has held a job, by project and name."""
    ids = [c.id for c in candidates]
    jobs = held_jobs(session, ids)
    for cid, more in _ended_placements(session, ids).items():
        jobs[cid] = [*jobs.get(cid, []), *more]
    exited = set(session.exec(select(ProgrammeExit.candidate_id).where(col(ProgrammeExit.candidate_id).in_(ids)))) \
        if ids else set()
    rows = []
    for c in candidates:
        if not jobs.get(c.id):
            continue
        runs = full_time_runs(jobs[c.id], as_of)
        still_in = c.id not in exited and c.archived_at is None and c.erased_at is None
        rows.append(IncentiveRow(c.id, f"{c.first_name} {c.last_name}", project_names[c.project_id],
                                 runs[-1][0] if runs else None,
                                 milestone_status(runs, 6, as_of, still_in), milestone_status(runs, 12, as_of, still_in)))
    return sorted(rows, key=lambda r: (r.project, r.name, r.candidate_id))
