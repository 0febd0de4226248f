"""Database -> problem -> solve -> stored run. Runs execute as jobs outside the request.

Employer factor (0-100, 50 = nothing known): +25 for a standing agreement in force on the plan
start. The diversity barometer never changes a score: employers with little experience of
diversity need closer follow-up, not fewer candidates, so their pairs carry a note for the
consultant instead (`close_follow_up`). Observed discrimination is never read.

People in work keep filling their year: candidates in work are loaded like the others, and each
job they already hold (a started or permanent placement, or a recorded job) becomes a vacancy
reserved for them and pinned (`matching.problem.VacancyTable.held_by`), so the daily share, the
at-most-2-jobs rule and year coverage count it. Candidates whose held jobs already fill their
wanted share every day of the plan year are left out (nothing could be added)."""

import hashlib
import logging
import re
import secrets
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from functools import partial

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from accounts.service import Principal
from candidates.models import Candidate, CandidateCertificate, ConsentRecord, JobWish, WorkExperience
from candidates.schemas import ConsentPurpose
from candidates.service import ensure_visible, handed_over_to, only_visible, visible_ids
from core.errors import Conflict, Invalid, NotFound
from core.geography import get_municipality
from core.labels import warm_start_nb
from core.occupations import code_for, occupation_title, occupations_in_sector
from core.types import CEFR, Role, today, utcnow
from employers.models import Employer, Vacancy
from employers.schemas import VacancyStatus
from employers.service import has_active_agreement, latest_profiles
from matching.eligibility import DOCUMENT_TASK_NB
from matching.explain import filled_vacancies, unlock_suggestions
from matching.models import (
    MatchDecision,
    MatchProposal,
    MatchRun,
    MatchWarmStart,
    ShortlistEntry,
    UnlockSuggestionRow,
)
from matching.present import proposal_rows, shortlist_rows
from matching.problem import CandidateRecord, MatchingParams, MatchingProblem, VacancyRecord, build_problem
from matching.shortlist import shortlists
from matching.solve import solve
from matching.validate import result_assignment, validate_assignment
from matching.warm import WarmStart
from placement.held_jobs import HeldJob, fit_held_jobs, held_jobs, year_filled_percent
from placement.models import Placement
from placement.service import EMPLOYED, open_placement
from readiness.service import evaluate_candidates

log = logging.getLogger("brobygger.matching")
HELD_PREFIX = "held-"  # problem ids of jobs candidates already hold; never stored as proposals
POLICE_CERTIFICATE_DAYS = 90  # a politiattest counts for three months unless it says otherwise
ELIGIBLE_STATUSES = ("active", "in_recruitment", "in_work")
AGREEMENT_POINTS = 25
CLOSE_FOLLOW_UP_PROFILES = ("none",)  # barometer: little experience of diversity


@dataclass
class RunParams:
    time_limit: float = 10.0
    seed: int = 0
    min_step: int = 6  # 6 = formidlingsklar
    plan_start: date = field(default_factory=today)
    max_concurrent_jobs: int = 2
    shortlist_per_vacancy: int = 3
    shortlists_per_candidate: int = 3
    # A consultant's run takes only the candidates handed over to their partner (0: a consultant in
    # no partner, so no candidates); None (admin): every candidate.
    partner_id: int | None = None
    # Start from the state the newest finished run over the same candidates and plan year left
    # (`MatchWarmStart`): parts whose input did not change are reused. False: from scratch.
    warm_start: bool = True

    def check(self) -> "RunParams":
        for name, low, high in (("time_limit", 1, 600), ("min_step", 1, 7), ("max_concurrent_jobs", 1, 5),
                                ("shortlist_per_vacancy", 1, 20), ("shortlists_per_candidate", 1, 20)):
            value = getattr(self, name)
            if not low <= value <= high:
                raise Invalid(f"{name} må være mellom {low} og {high}.", field=name)
        return self

    def as_json(self) -> dict:
        return {**asdict(self), "plan_start": self.plan_start.isoformat()}


def scoped_params(params: RunParams, actor: Principal) -> RunParams:
    """The run's candidates are those the starter may see: a consultant's run includes only the
    candidates handed over to their partner (while the handover stands when the run loads)."""
    if actor.role is Role.consultant:
        return replace(params, partner_id=actor.partner_id or 0)
    return params


# ---------------------------------------------------------------- loading


def _certificates(rows: list[CandidateCertificate]) -> dict[str, date | None]:
    """Code -> valid until (None: no expiry). A police certificate without an expiry date counts
    for 90 days from issue; the best of several certificates with the same code counts."""
    held: dict[str, date | None] = {}
    for row in rows:
        until = row.expires_on
        if until is None and row.code == "police_certificate" and row.issued_on:
            until = row.issued_on + timedelta(days=POLICE_CERTIFICATE_DAYS)
        if row.code in held and (held[row.code] is None or (until is not None and until <= held[row.code])):
            continue
        held[row.code] = until
    return held


def _wish_texts(wishes: list[JobWish]) -> tuple[str, ...]:
    texts = []
    for w in wishes:
        if w.kind == "sector":  # a sector wish counts as wishing each of its occupations
            texts += [o.title for o in occupations_in_sector(w.value)]
        else:
            texts.append(occupation_title(w.value) if w.value.isdigit() else w.value)
    return tuple(dict.fromkeys(texts))


def _wish_codes(wishes: list[JobWish]) -> tuple[str, ...]:
    """The STYRK-08 unit groups the wishes name (a code, or a title mapped with confidence)."""
    codes = []
    for w in wishes:
        if w.kind == "sector":
            codes += [o.code for o in occupations_in_sector(w.value)]
        elif code := code_for(w.value):
            codes.append(code)
    return tuple(dict.fromkeys(codes))


def _by_candidate(session: Session, model, ids: list[int]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for start in range(0, len(ids), 1000):
        for row in session.exec(select(model).where(col(model.candidate_id).in_(ids[start:start + 1000]))):
            grouped[row.candidate_id].append(row)
    return grouped


def load_candidates(session: Session, params: RunParams,
                    jobs: dict[int, list[HeldJob]] | None = None) -> list[CandidateRecord]:
    """Candidates who can take more work. `jobs` (filled in when given): their held jobs."""
    stmt = select(Candidate).where(col(Candidate.archived_at).is_(None),
                                   col(Candidate.programme_status).in_(ELIGIBLE_STATUSES))
    if params.partner_id is not None:
        stmt = stmt.where(col(Candidate.id).in_(handed_over_to(params.partner_id)))
    candidates = list(session.exec(stmt))
    held = held_jobs(session, [c.id for c in candidates])
    candidates = [c for c in candidates if year_filled_percent(held.get(c.id, []), c.wanted_fte, params.plan_start) < 100]
    if jobs is not None:
        jobs.update({c.id: held[c.id] for c in candidates if c.id in held})
    ids = [c.id for c in candidates]
    evaluations = evaluate_candidates(session, candidates, params.plan_start)
    certificates = _by_candidate(session, CandidateCertificate, ids)
    wishes = _by_candidate(session, JobWish, ids)
    experience = _by_candidate(session, WorkExperience, ids)
    consents = _by_candidate(session, ConsentRecord, ids)
    records = []
    for c in candidates:
        place = get_municipality(c.municipality_code)
        consent = any(r.purpose == ConsentPurpose.presentation_to_employers and r.withdrawn_on is None
                      and r.given_on <= params.plan_start for r in consents[c.id])
        records.append(CandidateRecord(
            id=str(c.id), lat=place.lat, lon=place.lon, municipality=c.municipality_code,
            desired_fte=c.wanted_fte, max_commute_km=float(c.max_commute_km),
            available_from=c.available_from or date(2000, 1, 1), available_to=c.available_to,
            norwegian_level=CEFR(c.norwegian_level).rank if c.norwegian_level else 0,
            certificates=_certificates(certificates[c.id]), hours=tuple(c.working_hours),
            ready=evaluations[c.id].step >= params.min_step, consent=consent,
            readiness_score=evaluations[c.id].score, wishes=_wish_texts(wishes[c.id]), wish_codes=_wish_codes(wishes[c.id]),
            experience=tuple(e.title for e in experience[c.id]),
        ))
    return records


def load_vacancies(session: Session, params: RunParams) -> list[VacancyRecord]:
    plan_end = params.plan_start + timedelta(days=364)
    vacancies = list(session.exec(select(Vacancy).where(
        Vacancy.status == VacancyStatus.open, Vacancy.start <= plan_end,
        col(Vacancy.end).is_(None) | (Vacancy.end >= params.plan_start))))
    employer_ids = sorted({v.employer_id for v in vacancies})
    agreements = has_active_agreement(session, employer_ids, params.plan_start)
    profiles = latest_profiles(session, employer_ids)
    # Places already taken by a started or permanent placement are not offered again.
    taken = defaultdict(int)
    if vacancies:
        for vacancy_id in session.exec(select(Placement.vacancy_id).where(
                col(Placement.vacancy_id).in_([v.id for v in vacancies]), col(Placement.stage).in_(EMPLOYED))):
            taken[vacancy_id] += 1
    records = []
    for v in vacancies:
        if v.headcount - taken[v.id] <= 0:
            continue
        place = get_municipality(v.municipality_code)
        employer_score = 50 + (AGREEMENT_POINTS if v.employer_id in agreements else 0)
        required = set(v.required_certificates) | ({"police_certificate"} if v.police_certificate_required else set())
        records.append(VacancyRecord(
            id=str(v.id), lat=place.lat, lon=place.lon, municipality=v.municipality_code,
            start=max(v.start, params.plan_start), end=v.end, fte=v.fte, headcount=v.headcount - taken[v.id],
            hours=tuple(v.working_hours), required_certificates=tuple(sorted(required)),
            min_norwegian_level=CEFR(v.min_norwegian_level).rank if v.min_norwegian_level else 0,
            title=v.title, occupation=occupation_title(v.occupation_code), occupation_code=v.occupation_code,
            employer_id=str(v.employer_id),
            employer_score=max(0, min(100, employer_score)),
            documents_before_interview=v.documents_before_interview,
            close_follow_up=profiles[v.employer_id].level in CLOSE_FOLLOW_UP_PROFILES,
        ))
    return records


def held_job_vacancies(candidates: list[CandidateRecord], jobs: dict[int, list[HeldJob]],
                       params: RunParams) -> list[VacancyRecord]:
    """Each held job in the plan year as a vacancy reserved for its candidate (pinned by
    `build_problem`), at the candidate's home so it never depends on the commute."""
    plan_end = params.plan_start + timedelta(days=364)
    records = []
    for c in candidates:
        pieces = fit_held_jobs(jobs.get(int(c.id), []), c.desired_fte, params.plan_start, plan_end,
                               params.max_concurrent_jobs)
        for n, (job, start, end, share) in enumerate(pieces):
            records.append(VacancyRecord(
                id=f"{HELD_PREFIX}{job.source}-{job.id}-{n}", lat=c.lat, lon=c.lon, municipality=c.municipality,
                start=start, end=None if job.end is None and end == plan_end else end, fte=share, headcount=1,
                hours=(), title=job.title or job.employer_name, occupation="",
                employer_id=str(job.employer_id or ""), held_by=c.id))
    return records

def active_decisions(session: Session, actor: Principal | None = None) -> list[MatchDecision]:
    """Standing decisions; with `actor`, only those about candidates the actor may see."""
    stmt = select(MatchDecision).where(col(MatchDecision.withdrawn_at).is_(None))
    if actor is not None:
        stmt = only_visible(stmt, actor, MatchDecision.candidate_id)
    return list(session.exec(stmt.order_by(MatchDecision.id)))


def load_problem(session: Session, params: RunParams) -> MatchingProblem:
    jobs: dict[int, list[HeldJob]] = {}
    candidates = load_candidates(session, params, jobs)
    vacancies = load_vacancies(session, params)
    known_c, known_v = {c.id for c in candidates}, {v.id for v in vacancies}
    # A vacancy the candidate already works in is held, not a second job for them.
    own = {(str(j.candidate_id), str(j.vacancy_id)) for held in jobs.values() for j in held if j.vacancy_id}
    pins, vetoes = [], sorted(pair for pair in own if pair[0] in known_c and pair[1] in known_v)
    for d in active_decisions(session):
        pair = (str(d.candidate_id), str(d.vacancy_id))
        if pair[0] in known_c and pair[1] in known_v and pair not in own:
            (pins if d.decision == "pin" else vetoes if d.decision == "veto" else []).append(pair)
    vacancies += held_job_vacancies(candidates, jobs, params)
    matching_params = MatchingParams(max_concurrent_jobs=params.max_concurrent_jobs,
                                     shortlist_per_vacancy=params.shortlist_per_vacancy,
                                     shortlists_per_candidate=params.shortlists_per_candidate)
    return build_problem(candidates, vacancies, params.plan_start, matching_params, pins=pins, vetoes=vetoes)


# ---------------------------------------------------------------- runs


def create_run(session: Session, params: RunParams, actor: Principal) -> MatchRun:
    params = scoped_params(params, actor).check()
    run = MatchRun(params=params.as_json(), created_by=actor.user_id, progress_message="I kø")
    session.add(run)
    session.flush()
    return run


def _update(engine: Engine, run_id: int, **values) -> None:
    with Session(engine) as session:
        run = session.get(MatchRun, run_id)
        if run is None:  # the run is gone (its database was reset meanwhile): nothing to report to
            return
        for key, value in values.items():
            setattr(run, key, value)
        session.commit()


# Percent done when each phase of `matching.solve` has finished; CP-SAT's own reports fill 50-88 by time.
PHASE_PROGRESS = {"eligibility": 15, "scoring": 25, "decompose": 30, "flow": 35, "greedy": 40, "warm start": 45,
                  "build": 50, "warm repair": 85, "solve": 88}
PHASE_NB = {"eligibility": "finner hvem som kan ta hvilken jobb", "scoring": "regner ut hvor godt hver kandidat passer",
            "decompose": "deler opp etter område", "flow": "fordeler enkeltjobber", "greedy": "lager et første forslag",
            "build": "setter opp regnestykket", "solve": "ferdig regnet", "solving": "optimerer",
            "warm start": "sammenligner med forrige kjøring", "warm repair": "bygger videre på forrige kjøring"}


def _seconds_nb(value) -> str:
    seconds = float(value or 0)
    return (f"{seconds:.1f}".replace(".", ",") if seconds < 10 else f"{seconds:.0f}") + " sekunder"


def progress_text(event: dict) -> str:
    """What a consultant reads while a run works: the phase in words and the time it took, never the
    solver's keys ("poeng: seconds 0.395")."""
    phase = str(event.get("phase", ""))
    name = PHASE_NB.get(phase, "arbeider")
    if phase == "solving":
        return f"Optimerer: har et forslag etter {_seconds_nb(event.get('seconds'))}, leter etter et bedre"
    if "seconds" in event:
        return f"{name[:1].upper()}{name[1:]}: ferdig på {_seconds_nb(event['seconds'])}"
    return name[:1].upper() + name[1:]


def execute_run(engine: Engine, run_id: int, checkpoint: Callable[[], None] | None = None,
                stop: Callable[[], bool] | None = None,
                before_commit: Callable[[Session], None] | None = None) -> None:
    """Run a stored match run to the end. Any failure marks the run failed; earlier runs are untouched.
    `checkpoint` (the job runner's) is called at each progress point and raises to stop the run there
    (cancelled, or the lease lost); it is not called from inside CP-SAT's callbacks. `stop` (the
    lease's flag, no database) ends a CP-SAT search early so the next checkpoint comes soon.
    `before_commit` (the job runner's) runs inside the transaction that stores the result and
    raises when the run is no longer this worker's to store: then nothing is stored."""
    with Session(engine) as session:
        run = session.get(MatchRun, run_id)
        params = RunParams(**{**run.params, "plan_start": date.fromisoformat(run.params["plan_start"])})
    _update(engine, run_id, status="running", started_at=utcnow(), progress=5, progress_message="Henter data")
    last_report = [0.0]

    def progress(event: dict) -> None:
        phase = str(event.get("phase", ""))
        if checkpoint and phase != "solving":
            checkpoint()
        if phase == "solving":
            now = time.monotonic()
            if now - last_report[0] < 0.5:  # CP-SAT may report many solutions a second
                return
            last_report[0] = now
            percent = 50 + int(38 * min(1.0, float(event.get("seconds", 0)) / params.time_limit))
        else:
            percent = PHASE_PROGRESS.get(phase, 50)
        _update(engine, run_id, progress=percent, progress_message=progress_text(event)[:300])

    try:
        started = time.perf_counter()
        with Session(engine) as session:
            problem = load_problem(session, params)
            warm, warm_from, cold_reason = previous_state(session, run_id, params)
        inputs = run_inputs(problem)
        load_seconds = time.perf_counter() - started
        solve_run = partial(solve, problem, time_limit=params.time_limit, seed=params.seed, progress=progress, stop=stop)
        result = None
        if warm is not None:
            try:
                result = solve_run(warm=warm)
                if violations := _violations(problem, result):
                    raise RuntimeError("Forslaget bryter reglene: " + "; ".join(violations[:5]))
            except Exception:  # a state that loads but does not work never fails the run
                log.exception("match run %s: starting from run %s failed; solving from scratch", run_id, warm_from)
                result, cold_reason = None, "unusable"
        if result is None:
            result = solve_run()
        if violations := _violations(problem, result):  # never store a proposal that breaks a rule
            raise RuntimeError("Forslaget bryter reglene: " + "; ".join(violations[:5]))
        warm_used = warm is not None and cold_reason is None and bool(result.stats.get("warm_start"))
        if warm is not None and not warm_used and cold_reason is None:
            cold_reason = "nothing_to_reuse" if not result.stats.get("bundle_components") else "mismatch"
        warm_stats = {"warm_start": int(warm_used), "warm_from_run": warm_from if warm_used else None,
                      "warm_cold_reason": None if warm_used else cold_reason}
        state = _state_bytes(run_id, getattr(result, "warm", None))
        _update(engine, run_id, progress=90, progress_message="Lager kortlister og forklaringer")
        if checkpoint:
            checkpoint()
        proposals = proposal_rows(problem, result)
        lists = shortlist_rows(problem, shortlists(problem, pairs=result.pairs, scores=result.scores))
        unlock = unlock_suggestions(problem, filled_vacancies(problem, result.pairs.vac, result.chosen))
        with Session(engine) as session:
            for r in proposals:
                session.add(MatchProposal(
                    run_id=run_id, candidate_id=int(r.candidate_id), vacancy_id=int(r.vacancy_id),
                    employer_id=int(r.employer_id), fte=r.fte, start=r.start, end=r.end, score=r.score,
                    year_coverage=r.year_coverage, components=r.components, requirements_met=r.requirements_met,
                    explanation=r.explanation, notes=list(r.notes)))
            for r in lists:
                session.add(ShortlistEntry(run_id=run_id, vacancy_id=int(r.vacancy_id), rank=r.rank,
                                           candidate_id=int(r.candidate_id), score=r.score, explanation=r.explanation))
            for s in unlock:
                session.add(UnlockSuggestionRow(run_id=run_id, candidate_id=int(s.candidate_id), kind=s.kind,
                                                value=str(s.value), vacancies=s.vacancies, text=s.text))
            if state is not None:
                keep_state(session, run_id, params, state)
            run = session.get(MatchRun, run_id)
            run.status, run.progress, run.progress_message = "done", 100, "Ferdig"
            run.inputs = inputs
            run.finished_at = utcnow()
            run.coverage_objective, run.coverage_bound = result.coverage_objective, result.coverage_bound
            run.coverage_gap = result.coverage_gap
            run.quality_objective, run.quality_bound = result.quality_objective, result.quality_bound
            run.quality_gap, run.solver_status = result.quality_gap, result.status
            run.timings = {"load": round(load_seconds, 3), **{k: round(v, 3) for k, v in result.timings.items()}}
            run.stats = {"candidates": len(problem.candidates), "ready_candidates": int(problem.candidates.ready.sum()),
                         "vacancies": len(problem.vacancies), "eligible_pairs": len(result.pairs),
                         "proposals": len(proposals), "reproducible": result.reproducible,
                         **{k: _stat(v) for k, v in result.stats.items()}, **warm_stats}
            run.messages = [PIN_MESSAGE.format(candidate=p.candidate_id, vacancy=p.vacancy_id, reason=p.reason)
                            for p in result.infeasible_pins]
            if before_commit:
                before_commit(session)
            session.commit()
    except Exception:  # the run is marked failed; nothing half-stored
        # The details (a traceback) go to the server's log; consultants see a message with a
        # reference that finds the log entry.
        reference = secrets.token_hex(4)
        log.exception("match run %s failed (reference %s)", run_id, reference)
        _update(engine, run_id, status="failed", finished_at=utcnow(), progress_message="Feilet",
                error=failure_message(reference))


def _stat(value):
    """A solver statistic as JSON: counts as whole numbers, the re-run's gaps (pairs of percentages) as lists."""
    if isinstance(value, tuple | list):
        return [_stat(v) for v in value]
    return float(value) if isinstance(value, float | np.floating) else int(value)


def _violations(problem: MatchingProblem, result) -> list[str]:
    ci, vi = problem.candidate_index(), problem.vacancy_index()
    excused = {(ci[p.candidate_id], vi[p.vacancy_id]) for p in result.infeasible_pins}
    return validate_assignment(problem, result_assignment(result), excused)


# ---------------------------------------------------------------- warm start: what a re-run starts from


def _same_scope(run_params: dict, params: RunParams) -> bool:
    """Over the same candidates (the partner's, or everyone's) and the same plan year."""
    return (run_params.get("partner_id") == params.partner_id
            and run_params.get("plan_start") == params.plan_start.isoformat())


def _runs_with_state(session: Session, params: RunParams) -> list[int]:
    """Finished runs of this scope that left a state, newest first. Few rows: one per scope is kept
    (and only the ids and parameters are read, not a national run's stored inputs)."""
    rows = session.exec(select(MatchRun.id, MatchRun.params).join(MatchWarmStart, col(MatchWarmStart.run_id) == MatchRun.id)
                        .where(MatchRun.status == "done").order_by(col(MatchRun.id).desc()))
    return [run_id for run_id, run_params in rows if _same_scope(run_params, params)]


def previous_state(session: Session, run_id: int, params: RunParams) -> tuple[WarmStart | None, int | None, str | None]:
    """(state, the run it comes from, why none) for a run about to start. The state is the newest
    finished run's over the same candidates and plan year. Why none: "off" (the run asked to start from
    scratch), "none" (no such run), "unreadable" (the stored state does not load: logged, never fatal)."""
    if not params.warm_start:
        return None, None, "off"
    source = next((r for r in _runs_with_state(session, params) if r != run_id), None)
    if source is None:
        return None, None, "none"
    try:
        return WarmStart.from_bytes(session.get(MatchWarmStart, source).data), source, None
    except Exception:  # corrupt, or written by an older format: this run starts from scratch
        log.exception("match run %s: the state stored by run %s does not load; solving from scratch", run_id, source)
        return None, source, "unreadable"


def _state_bytes(run_id: int, state: WarmStart | None) -> bytes | None:
    if state is None:  # no part of this problem needed more than the exact flow
        return None
    try:
        return state.to_bytes()
    except Exception:  # the next run then starts from scratch; this run's proposals are fine
        log.exception("match run %s: its state for the next run could not be written", run_id)
        return None


def keep_state(session: Session, run_id: int, params: RunParams, data: bytes) -> None:
    """Store the run's state for the next run and drop the older ones of its scope (they can be
    tens of MB, and only the newest is ever read)."""
    older = [r for r in _runs_with_state(session, params) if r < run_id]
    if older:
        session.exec(delete(MatchWarmStart).where(col(MatchWarmStart.run_id).in_(older)))
    session.add(MatchWarmStart(run_id=run_id, data=data))


def forget_states(session: Session) -> None:
    """Drop every stored state (the next runs start from scratch). An erased candidate's ids and
    the pairs proposed to them are inside the states, as they were in the proposals that go."""
    session.exec(delete(MatchWarmStart))


def warm_start_summary(run: MatchRun) -> dict | None:
    """How a finished run started, for the page and the API (None: not finished, or from before
    warm starts)."""
    s = run.stats or {}
    if run.status != "done" or "warm_from_run" not in s:
        return None
    reused, changed = int(s.get("warm_reused_components") or 0), int(s.get("warm_changed_components") or 0)
    summary = {"from_run_id": s["warm_from_run"] if s.get("warm_start") else None, "reused_components": reused,
               "changed_components": changed, "cold_reason": s.get("warm_cold_reason")}
    return {**summary, "text": warm_start_nb(summary["from_run_id"], reused, changed, summary["cold_reason"])}


def failure_message(reference: str) -> str:
    return (f"Kjøringen stoppet på grunn av en intern feil (referanse {reference}). Feilen er logget på serveren; "
            "prøv igjen, og kontakt en administrator hvis det gjentar seg.")


PIN_MESSAGE = "Låst par kandidat {candidate} – stilling {vacancy} er ikke mulig: {reason}"
_PIN_NAMED = re.compile(r"^Låst par kandidat (\d+) ")


def candidate_named(message: str) -> int | None:
    found = _PIN_NAMED.match(str(message))
    return int(found.group(1)) if found else None


def candidates_named(runs) -> list[int]:
    """The candidates a run's messages name (a pin the rules forbid, with the reason): showing the
    messages is a read of their data."""
    return [cid for run in runs for message in run.messages if (cid := candidate_named(message)) is not None]


def visible_messages(session: Session, actor: Principal, run: MatchRun) -> list[str]:
    """The run's messages, without those naming a candidate the actor may not see."""
    named = {m: candidate_named(m) for m in run.messages}
    seen = visible_ids(session, actor, [c for c in named.values() if c is not None])
    return [m for m, c in named.items() if c is None or c in seen]


def may_see_run(run: MatchRun, actor: Principal | None) -> bool:
    """A consultant sees the runs over their own partner's candidates only: another partner's run,
    or an admin's run over everyone, would show totals about candidates they may not see."""
    if actor is None or actor.role != Role.consultant:
        return True
    return run.params.get("partner_id") == (actor.partner_id or 0)


def get_run(session: Session, run_id: int, actor: Principal | None = None) -> MatchRun:
    run = session.get(MatchRun, run_id)
    if run is None or not may_see_run(run, actor):
        raise NotFound(f"Matchkjøring {run_id} finnes ikke.")
    return run


def list_runs(session: Session, limit: int = 50, actor: Principal | None = None) -> list[MatchRun]:
    """The newest runs the actor may see (the partner is in the run's stored parameters, so a
    consultant's list is filtered here rather than in SQL)."""
    runs = session.exec(select(MatchRun).order_by(col(MatchRun.id).desc())
                        .limit(limit if actor is None or actor.role != Role.consultant else 20 * limit))
    return [r for r in runs if may_see_run(r, actor)][:limit]


def proposals(session: Session, run_id: int, candidate_id: int | None = None,
              vacancy_id: int | None = None, actor: Principal | None = None) -> list[MatchProposal]:
    """A run's proposals; with `actor`, only those about candidates the actor may see."""
    get_run(session, run_id, actor)
    stmt = select(MatchProposal).where(MatchProposal.run_id == run_id)
    if actor is not None:
        stmt = only_visible(stmt, actor, MatchProposal.candidate_id)
    if candidate_id is not None:
        stmt = stmt.where(MatchProposal.candidate_id == candidate_id)
    if vacancy_id is not None:
        stmt = stmt.where(MatchProposal.vacancy_id == vacancy_id)
    return list(session.exec(stmt.order_by(MatchProposal.candidate_id, MatchProposal.start)))


def shortlist(session: Session, run_id: int, vacancy_id: int | None = None,
              actor: Principal | None = None) -> list[ShortlistEntry]:
    get_run(session, run_id, actor)
    stmt = select(ShortlistEntry).where(ShortlistEntry.run_id == run_id)
    if actor is not None:
        stmt = only_visible(stmt, actor, ShortlistEntry.candidate_id)
    if vacancy_id is not None:
        stmt = stmt.where(ShortlistEntry.vacancy_id == vacancy_id)
    return list(session.exec(stmt.order_by(ShortlistEntry.vacancy_id, ShortlistEntry.rank)))


def unlock(session: Session, run_id: int, candidate_id: int | None = None,
           actor: Principal | None = None) -> list[UnlockSuggestionRow]:
    get_run(session, run_id, actor)
    stmt = select(UnlockSuggestionRow).where(UnlockSuggestionRow.run_id == run_id)
    if actor is not None:
        stmt = only_visible(stmt, actor, UnlockSuggestionRow.candidate_id)
    if candidate_id is not None:
        stmt = stmt.where(UnlockSuggestionRow.candidate_id == candidate_id)
    return list(session.exec(stmt.order_by(col(UnlockSuggestionRow.vacancies).desc(), UnlockSuggestionRow.candidate_id)))


def tasks_before_start(session: Session, run_id: int, candidate_id: int) -> list[str]:
    """Documents the candidate must get before starting a job proposed in the run (police
    certificate, vaccination records), each with the job it is for."""
    titles = dict(session.exec(select(Vacancy.id, Vacancy.title)).all())
    tasks = []
    for p in proposals(session, run_id, candidate_id):
        tasks += [f"{note[0].upper()}{note[1:]} ({titles.get(p.vacancy_id, p.vacancy_id)})"
                  for note in p.notes if note in DOCUMENT_TASK_NB.values()]
    return tasks


def latest_visible_run(session: Session, actor: Principal) -> MatchRun | None:
    """The latest finished run the actor may see (a consultant: the latest over their partner's candidates)."""
    if actor.role == Role.consultant:
        return latest_done_run(session, partner_id=actor.partner_id or 0)
    return latest_done_run(session)


def latest_done_run(session: Session, before: int | None = None, partner_id: int | None = -1) -> MatchRun | None:
    """The latest finished run (before run `before`); with `partner_id` (None too), the latest of the
    runs over that partner's candidates (None: runs over every candidate)."""
    stmt = select(MatchRun).where(MatchRun.status == "done")
    if before is not None:
        stmt = stmt.where(MatchRun.id < before)
    if partner_id == -1:
        return session.exec(stmt.order_by(col(MatchRun.id).desc())).first()
    for run in session.exec(stmt.order_by(col(MatchRun.id).desc())):
        if run.params.get("partner_id") == partner_id:
            return run
    return None


def _fingerprint(values) -> str:
    return hashlib.sha1(repr(values).encode()).hexdigest()[:12]


def run_inputs(problem: MatchingProblem) -> dict:
    """What a run saw, kept with it so that its changes can be explained against another run:
    per candidate whether they could be matched (formidlingsklar and consenting) and a fingerprint
    of everything else the solver used about them; per open vacancy a fingerprint; pins and vetoes."""
    c, v, certs = problem.candidates, problem.vacancies, problem.certificates
    candidates = {}
    for i, cid in enumerate(c.ids):
        held = tuple((certs[k], int(d)) for k, d in enumerate(c.certificate_valid_until[i].tolist()) if d >= 0)
        profile = (round(float(c.lat[i]), 5), round(float(c.lon[i]), 5), float(c.max_commute_km[i]),
                   int(c.desired_fte[i]), int(c.available_from[i]), int(c.available_to[i]), int(c.norwegian_level[i]),
                   held, int(c.hours_mask[i]), int(c.readiness_score[i]), tuple(c.wishes[i]), tuple(c.experience[i]))
        candidates[cid] = [bool(c.ready[i] and c.consent[i]), _fingerprint(profile)]
    vacancies = {}
    for j, vid in enumerate(v.ids):
        required = tuple(certs[k] for k in np.flatnonzero(v.required_certificates[j]).tolist())
        vacancies[vid] = _fingerprint((
            round(float(v.lat[j]), 5), round(float(v.lon[j]), 5), int(v.fte[j]), int(v.start[j]), int(v.end[j]),
            int(v.headcount[j]), int(v.hours_mask[j]), required, int(v.min_norwegian_level[j]), v.titles[j],
            v.occupations[j], int(v.employer_score[j])))
    ids = lambda pairs: sorted([c.ids[a], v.ids[b]] for a, b in pairs)  # noqa: E731
    return {"candidates": candidates, "vacancies": vacancies, "pins": ids(problem.pins), "vetoes": ids(problem.vetoes)}


# Why a proposal appeared or disappeared between two runs, checked in this order.
CHANGE_REASON_NB = {
    "new_vacancy": "ny stilling",
    "vacancy_gone": "stillingen er lukket, besatt eller utenfor planåret",
    "pinned": "konsulenten har låst paret",
    "pin_withdrawn": "låsingen av paret er trukket tilbake",
    "vetoed": "konsulenten har sperret paret",
    "veto_withdrawn": "sperringen av paret er trukket tilbake",
    "became_eligible": "kandidaten er blitt formidlingsklar (eller har samtykket)",
    "no_longer_eligible": "kandidaten er ikke lenger formidlingsklar, har trukket samtykket eller er ute av programmet",
    "candidate_changed": "kandidatens profil er endret",
    "vacancy_changed": "stillingen er endret",
    "better_combination": "bedre samlet kombinasjon for alle kandidatene",
    "unknown": "ukjent: den forrige kjøringen lagret ikke hva den så",
}


def change_reason(pair: tuple[int, int], added: bool, before: dict, now: dict) -> str:
    """The reason code for one added (or removed) pair, from the inputs both runs stored.
    A removal is an addition seen backwards: the same checks with the runs swapped."""
    if not before or not now:
        return "unknown"
    old, new = (before, now) if added else (now, before)
    cid, vid = str(pair[0]), str(pair[1])
    key = [cid, vid]
    if vid not in old["vacancies"]:
        return "new_vacancy" if added else "vacancy_gone"
    if key in new["pins"] and key not in old["pins"]:
        return "pinned" if added else "pin_withdrawn"
    if key in old["vetoes"] and key not in new["vetoes"]:
        return "veto_withdrawn" if added else "vetoed"
    if not old["candidates"].get(cid, [False])[0] and new["candidates"].get(cid, [False])[0]:
        return "became_eligible" if added else "no_longer_eligible"
    if old["candidates"].get(cid, [None, None])[1] != new["candidates"].get(cid, [None, None])[1]:
        return "candidate_changed"
    if old["vacancies"].get(vid) != new["vacancies"].get(vid):
        return "vacancy_changed"
    return "better_combination"


def changes(session: Session, run_id: int, actor: Principal | None = None) -> dict:
    """What this run proposes differently from the latest earlier finished run, and why each
    change happened (from the inputs both runs stored): new or gone vacancy, a pin or veto,
    a candidate who became or stopped being matchable, a changed profile or vacancy, or
    otherwise a better combination overall."""
    run = get_run(session, run_id, actor)
    previous = latest_done_run(session, before=run.id, partner_id=run.params.get("partner_id"))
    now = {(p.candidate_id, p.vacancy_id) for p in proposals(session, run_id, actor=actor)}
    before = {(p.candidate_id, p.vacancy_id) for p in proposals(session, previous.id, actor=actor)} if previous else set()
    inputs_before = previous.inputs if previous else {}

    def as_list(pairs, added):
        rows = []
        for c, v in sorted(pairs):
            reason = change_reason((c, v), added, inputs_before, run.inputs)
            rows.append({"candidate_id": c, "vacancy_id": v, "reason": reason, "reason_text": CHANGE_REASON_NB[reason]})
        return rows

    return {"run_id": run_id, "previous_run_id": previous.id if previous else None,
            "added": as_list(now - before, True), "removed": as_list(before - now, False), "kept": len(now & before)}


# ---------------------------------------------------------------- decisions


def decide(session: Session, *, candidate_id: int, vacancy_id: int, decision: str, note: str | None,
           run_id: int | None, actor: Principal) -> MatchDecision:
    """Pin, veto or accept a pair. A new decision on the same pair replaces the earlier one."""
    if decision not in ("pin", "veto", "accept"):
        raise Invalid("decision må være pin, veto eller accept.", field="decision")
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise NotFound(f"Kandidat {candidate_id} finnes ikke.", field="candidate_id")
    ensure_visible(session, actor, candidate)
    if session.get(Vacancy, vacancy_id) is None:
        raise NotFound(f"Stilling {vacancy_id} finnes ikke.", field="vacancy_id")
    if run_id is not None:
        get_run(session, run_id, actor)
    if decision == "accept" and run_id is not None and not proposals(session, run_id, candidate_id, vacancy_id):
        raise Conflict(f"Kjøring {run_id} foreslo ikke kandidat {candidate_id} til stilling {vacancy_id}.",
                       field="vacancy_id")
    for earlier in session.exec(select(MatchDecision).where(
            MatchDecision.candidate_id == candidate_id, MatchDecision.vacancy_id == vacancy_id,
            col(MatchDecision.withdrawn_at).is_(None))):
        earlier.withdrawn_at = utcnow()
    row = MatchDecision(candidate_id=candidate_id, vacancy_id=vacancy_id, decision=decision, note=note,
                        run_id=run_id, decided_by=actor.user_id)
    session.add(row)
    if decision == "accept":  # the pair enters the vacancy's candidate list, as proposed
        open_placement(session, candidate_id, vacancy_id, actor, run_id)
    session.flush()
    return row


def withdraw_decision(session: Session, decision_id: int, actor: Principal | None = None) -> MatchDecision:
    row = session.get(MatchDecision, decision_id)
    if row is None:
        raise NotFound(f"Beslutning {decision_id} finnes ikke.")
    if actor is not None:
        ensure_visible(session, actor, session.get(Candidate, row.candidate_id))
    row.withdrawn_at = row.withdrawn_at or utcnow()
    session.flush()
    return row


def employer_names(session: Session, ids: set[int]) -> dict[int, str]:
    return dict(session.exec(select(Employer.id, Employer.name).where(col(Employer.id).in_(ids))).all()) if ids else {}

