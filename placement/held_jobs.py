"""Jobs a candidate already holds: from the pipeline (started or permanent placements) and jobs
recorded by staff or consultants (found on their own, or held before). People in work keep
filling their year (issue 11): matching treats these jobs as fixed occupancy, and the candidate's
work status says whether the year is full or they want more.

Year filled: over the `YEAR_DAYS` days from a date, the share of the candidate's wanted share of
full time that held jobs cover, counting each day at most up to the wanted share.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlmodel import Session, col, select

from accounts.service import Principal
from candidates.models import Candidate
from candidates.service import get_candidate
from core.errors import Invalid, NotFound
from core.labels import date_nb
from core.types import today
from employers.models import Employer, Vacancy
from placement.models import CandidateJob, Placement
from placement.schemas import CandidateJobIn, CandidateJobsPublic, HeldJobPublic, Stage, WorkStatusPublic

YEAR_DAYS = 365
# At most this many jobs on any one day: the agency's rule, the same as matching's default
# (`MatchingParams.max_concurrent_jobs`; placement sits below matching, so it is repeated here).
MAX_CONCURRENT_JOBS = 2
EMPLOYED = (Stage.started.value, Stage.permanent.value)
LABEL_FULL = "I arbeid, året er fylt"
LABEL_WANTS_MORE = "I arbeid, ønsker mer"
LABEL_NOT_IN_WORK = "Ikke i arbeid"


@dataclass(frozen=True)
class HeldJob:
    source: str  # placement | recorded
    id: int
    candidate_id: int
    employer_id: int | None
    employer_name: str
    title: str | None
    fte: int
    start: date
    end: date | None  # inclusive; None = open
    working_hours: tuple[str, ...] = ()
    vacancy_id: int | None = None  # the pipeline's vacancy

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class WorkStatus:
    in_work: bool
    year_full: bool
    year_filled_percent: float

    @property
    def label(self) -> str:
        if not self.in_work:
            return LABEL_NOT_IN_WORK
        return LABEL_FULL if self.year_full else LABEL_WANTS_MORE


# ---------------------------------------------------------------- reading


def held_jobs(session: Session, candidate_ids: list[int]) -> dict[int, list[HeldJob]]:
    """Every job the candidates hold or held: employed placements and recorded jobs, by start."""
    jobs: dict[int, list[HeldJob]] = defaultdict(list)
    for start in range(0, len(candidate_ids), 1000):
        chunk = candidate_ids[start:start + 1000]
        placements = session.exec(
            select(Placement, Vacancy, Employer).join(Vacancy, Vacancy.id == Placement.vacancy_id)
            .join(Employer, Employer.id == Placement.employer_id)
            .where(col(Placement.candidate_id).in_(chunk), col(Placement.stage).in_(EMPLOYED),
                   col(Placement.started_on).is_not(None))).all()
        for p, v, e in placements:
            jobs[p.candidate_id].append(HeldJob(
                "placement", p.id, p.candidate_id, p.employer_id, e.name, v.title, p.fte, p.started_on,
                p.ended_on or v.end, tuple(v.working_hours), v.id))
        for r in session.exec(select(CandidateJob).where(col(CandidateJob.candidate_id).in_(chunk))):
            jobs[r.candidate_id].append(_from_row(r))
    for held in jobs.values():
        held.sort(key=lambda j: (j.start, j.source, j.id))
    return jobs


def _from_row(r: CandidateJob) -> HeldJob:
    return HeldJob("recorded", r.id, r.candidate_id, r.employer_id, r.employer_name, r.title, r.fte, r.start, r.end,
                   tuple(r.working_hours))


def year_filled_percent(jobs: list[HeldJob], wanted_fte: int, start: date) -> float:
    """Percent (0-100) of the wanted share of the year from `start` that the jobs cover."""
    if not jobs or wanted_fte <= 0:
        return 0.0
    load = np.zeros(YEAR_DAYS + 1, dtype=np.int64)  # difference array over the days
    for job in jobs:
        first = max((job.start - start).days, 0)
        last = YEAR_DAYS - 1 if job.end is None else min((job.end - start).days, YEAR_DAYS - 1)
        if first <= last:
            load[first] += job.fte
            load[last + 1] -= job.fte
    daily = np.minimum(np.cumsum(load)[:YEAR_DAYS], wanted_fte)
    return round(100.0 * float(daily.sum()) / (YEAR_DAYS * wanted_fte), 1)


def work_status(jobs: list[HeldJob], candidate: Candidate, as_of: date) -> WorkStatus:
    """In work when a held job covers `as_of` or the programme status says so; the year is full
    when the held jobs cover the wanted share on every day of the coming year."""
    filled = year_filled_percent(jobs, candidate.wanted_fte, as_of)
    in_work = candidate.programme_status == "in_work" or any(j.covers(as_of) for j in jobs)
    return WorkStatus(in_work, in_work and filled >= 100.0, filled)


def work_statuses(session: Session, candidates: list[Candidate], as_of: date | None = None) -> dict[int, WorkStatus]:
    day = as_of or today()
    jobs = held_jobs(session, [c.id for c in candidates])
    return {c.id: work_status(jobs.get(c.id, []), c, day) for c in candidates}


def fit_held_jobs(jobs: list[HeldJob], wanted_fte: int, first: date, last: date,
                  max_jobs: int = MAX_CONCURRENT_JOBS) -> list[tuple[HeldJob, date, date, int]]:
    """The held jobs within `first`..`last` as (job, start, end, share) pieces that keep the daily
    share and concurrency rules, for matching to pin. Recorded jobs are checked on input, but a
    pipeline start or a lower wanted share can break the rules; then, day by day, the earliest
    jobs keep their share and later ones get what is left (and no more than `max_jobs` count), so
    the candidate is still full on those days and matching never fails on them. With consistent
    data every job is one piece with its own share."""
    spans = []
    for job in jobs:
        start, end = max(job.start, first), min(job.end or last, last)
        if start <= end:
            spans.append((job, start, end))
    if not spans:
        return []
    cuts = sorted({s for _, s, _ in spans} | {e + timedelta(days=1) for _, _, e in spans})
    pieces: list[list] = []  # [job, start, end, share], merged while a job keeps the same share
    open_piece: dict[tuple[str, int], list] = {}
    for seg_start, seg_next in zip(cuts, cuts[1:], strict=False):
        room, count = wanted_fte, 0
        active = [job for job, s, e in spans if s <= seg_start <= e]
        seen = set()
        for job in active:
            share = min(job.fte, room)
            if count >= max_jobs or share <= 0:
                break
            room, count = room - share, count + 1
            key = (job.source, job.id)
            seen.add(key)
            piece = open_piece.get(key)
            if piece is not None and piece[3] == share and piece[2] == seg_start - timedelta(days=1):
                piece[2] = seg_next - timedelta(days=1)
            else:
                piece = [job, seg_start, seg_next - timedelta(days=1), share]
                pieces.append(piece)
                open_piece[key] = piece
        for key in list(open_piece):
            if key not in seen:
                del open_piece[key]
    return [(job, start, end, share) for job, start, end, share in pieces]


def candidate_jobs(session: Session, candidate_id: int, actor: Principal, as_of: date | None = None) -> CandidateJobsPublic:
    candidate = get_candidate(session, candidate_id, actor)
    jobs = held_jobs(session, [candidate_id]).get(candidate_id, [])
    status = work_status(jobs, candidate, as_of or today())
    return CandidateJobsPublic(
        candidate_id=candidate_id, wanted_fte=candidate.wanted_fte,
        status=WorkStatusPublic(in_work=status.in_work, year_full=status.year_full,
                                year_filled_percent=status.year_filled_percent, label=status.label),
        jobs=[HeldJobPublic(source=j.source, id=j.id, employer_id=j.employer_id, employer_name=j.employer_name,
                            title=j.title, fte=j.fte, start=j.start, end=j.end, working_hours=list(j.working_hours))
              for j in jobs])


# ---------------------------------------------------------------- recording


def _check(session: Session, candidate: Candidate, data: CandidateJobIn, others: list[HeldJob]) -> str:
    """The rules a recorded job must keep; returns the employer name to store. Raises Invalid
    naming the field, before anything is written."""
    if data.employer_id is not None:
        employer = session.get(Employer, data.employer_id)
        if employer is None:
            raise Invalid(f"Arbeidsgiver {data.employer_id} finnes ikke i kunderegisteret.", field="employer_id")
        name = employer.name
    elif data.employer_name and data.employer_name.strip():
        name = data.employer_name.strip()
    else:
        raise Invalid("Oppgi arbeidsgiver: employer_id fra kunderegisteret eller employer_name.", field="employer_name")
    if data.fte > candidate.wanted_fte:
        raise Invalid(f"Stillingsandelen {data.fte} % er større enn kandidatens ønskede andel "
                      f"({candidate.wanted_fte} %).", field="fte")
    new = HeldJob("recorded", 0, candidate.id, data.employer_id, name, data.title, data.fte, data.start, data.end)
    overlapping = [j for j in others if j.start <= (new.end or date.max) and new.start <= (j.end or date.max)]
    # The load can only rise where a job starts: check the new job's first day and every later start in it.
    for day in sorted({new.start} | {j.start for j in overlapping if j.start >= new.start}):
        active = [j for j in overlapping if j.covers(day)] if new.covers(day) else []
        if len(active) + 1 > MAX_CONCURRENT_JOBS:
            raise Invalid(f"Kandidaten har allerede {len(active)} jobber {date_nb(day)}; høyst "
                          f"{MAX_CONCURRENT_JOBS} samtidig.", field="start")
        total = data.fte + sum(j.fte for j in active)
        if total > candidate.wanted_fte:
            raise Invalid(f"Sammen med de andre jobbene blir det {total} % {date_nb(day)}, mer enn ønsket "
                          f"andel ({candidate.wanted_fte} %).", field="fte")
    return name


def record_job(session: Session, candidate_id: int, data: CandidateJobIn, actor: Principal) -> CandidateJob:
    candidate = get_candidate(session, candidate_id, actor)
    others = held_jobs(session, [candidate_id]).get(candidate_id, [])
    name = _check(session, candidate, data, others)
    row = CandidateJob(candidate_id=candidate_id, recorded_by=actor.user_id, employer_id=data.employer_id,
                       employer_name=name, title=data.title, fte=data.fte, start=data.start, end=data.end,
                       working_hours=[h.value for h in data.working_hours])
    session.add(row)
    session.flush()
    return row


def _get_job(session: Session, candidate_id: int, job_id: int, actor: Principal) -> CandidateJob:
    get_candidate(session, candidate_id, actor)
    row = session.get(CandidateJob, job_id)
    if row is None or row.candidate_id != candidate_id:
        raise NotFound(f"Kandidaten har ingen registrert jobb {job_id}.")
    return row


def replace_job(session: Session, candidate_id: int, job_id: int, data: CandidateJobIn, actor: Principal) -> CandidateJob:
    row = _get_job(session, candidate_id, job_id, actor)
    candidate = session.get(Candidate, candidate_id)
    others = [j for j in held_jobs(session, [candidate_id]).get(candidate_id, [])
              if not (j.source == "recorded" and j.id == job_id)]
    row.employer_name = _check(session, candidate, data, others)
    row.employer_id, row.title, row.fte = data.employer_id, data.title, data.fte
    row.start, row.end, row.working_hours = data.start, data.end, [h.value for h in data.working_hours]
    session.flush()
    return row


def delete_job(session: Session, candidate_id: int, job_id: int, actor: Principal) -> None:
    session.delete(_get_job(session, candidate_id, job_id, actor))
    session.flush()


def to_public(row: CandidateJob) -> HeldJobPublic:
    j = _from_row(row)
    return HeldJobPublic(source=j.source, id=j.id, employer_id=j.employer_id, employer_name=j.employer_name,
                         title=j.title, fte=j.fte, start=j.start, end=j.end, working_hours=list(j.working_hours))
