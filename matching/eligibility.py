"""Hard rules: which candidate-vacancy pairs may be proposed at all.

A pair is eligible only when every rule below holds (issue 4, "Eligibility"):
ready (formidlingsklar), consent to be presented, not vetoed, the job lies in the planning year,
the job's share of time is at most the candidate's wanted share (one wanting 50% never gets a
100% job), the candidate is available on the job's start date, accepts all the job's working
hours, meets the minimum Norwegian level, holds every required certificate valid on the start
date, and lives within their maximum commute.

Documents a candidate can get within days (`MatchingParams.documents_before_start`: the police
certificate and vaccination records) are not a hard rule unless the vacancy demands them before
the interview: the pair is eligible and the document becomes a task before the start
(`documents_to_fetch`).

A job the candidate already holds is a vacancy reserved for them (`VacancyTable.held_by`). Only
that candidate may take it, and for them only the plan year applies: it is a fact, not a
proposal, so share, availability, hours, language, certificates and commute are not checked, and
its days are not cut at the candidate's availability.

Two implementations on purpose: `pair_failures` is plain per-pair Python, the reference that the
validator and the explanations use; `eligible_pairs` is the vectorised one used to build the
model. It blocks by location first (candidates at one place x vacancies within reach), so the
full candidates x vacancies matrix is never materialised. Tests check that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.problem import NOT_HELD_JOB, OPEN_END, MatchingProblem

# One bit per rule; a pair's failure mask is 0 when it is eligible.
READY, CONSENT, VETOED, IN_PLAN, FTE, AVAILABLE, HOURS_RULE, NORWEGIAN, CERTIFICATES, COMMUTE, HELD = (
    1 << i for i in range(11))
RULE_NAMES = {
    READY: "ready", CONSENT: "consent", VETOED: "vetoed", IN_PLAN: "in_plan", FTE: "fte",
    AVAILABLE: "available", HOURS_RULE: "hours", NORWEGIAN: "norwegian",
    CERTIFICATES: "certificates", COMMUTE: "commute", HELD: "held",
}
# Rules a candidate's own held job is exempt from (see the module docstring).
HELD_EXEMPT = FTE | AVAILABLE | HOURS_RULE | NORWEGIAN | CERTIFICATES | COMMUTE
RULE_TEXT_NB = {
    "ready": "kandidaten er ikke formidlingsklar",
    "consent": "kandidaten har ikke samtykket til å bli presentert",
    "vetoed": "konsulenten har sperret paret",
    "in_plan": "stillingen ligger utenfor planåret",
    "fte": "stillingsandelen er større enn kandidaten ønsker",
    "available": "kandidaten er ikke tilgjengelig på startdatoen",
    "hours": "kandidaten godtar ikke all arbeidstiden",
    "norwegian": "norsknivået er for lavt",
    "certificates": "mangler påkrevd sertifikat eller attest",
    "commute": "for lang reisevei",
    "held": "jobben er en annen kandidats eksisterende jobb",
}
DOCUMENT_TASK_NB = {
    "police_certificate": "politiattest må hentes før oppstart",
    "health_vaccination": "vaksinasjonsdokumentasjon må hentes før oppstart",
}

_MAX_BLOCK_CELLS = 2_000_000  # candidates x vacancies evaluated at once (~20 MB of temporaries)


@dataclass
class Pairs:
    """Eligible pairs, sorted by candidate then vacancy, with the part of the job in the plan."""

    cand: np.ndarray  # int32
    vac: np.ndarray  # int32
    start: np.ndarray  # int32 ordinal: first working day within the planning year
    end: np.ndarray  # int32 ordinal, inclusive
    distance_km: np.ndarray  # float32

    def __len__(self) -> int:
        return len(self.cand)

    @property
    def days(self) -> np.ndarray:
        return (self.end - self.start + 1).astype(np.int32)

    def take(self, index) -> Pairs:
        return Pairs(self.cand[index], self.vac[index], self.start[index], self.end[index],
                     self.distance_km[index])


def effective_start(problem: MatchingProblem, v: int) -> int:
    """A job already running when the plan starts is taken from the plan's first day."""
    return max(int(problem.vacancies.start[v]), problem.plan_start)


def pair_interval(problem: MatchingProblem, c: int, v: int) -> tuple[int, int]:
    """The days (inclusive ordinals) the candidate would work in the job within the plan year.
    A job the candidate already holds keeps its own end."""
    start = effective_start(problem, v)
    end = min(int(problem.vacancies.end[v]), problem.plan_end)
    if problem.vacancies.held_by[v] != c:
        end = min(end, int(problem.candidates.available_to[c]))
    return start, end


def hard_required(problem: MatchingProblem, vacancies) -> np.ndarray:
    """bool (len(vacancies), K): the certificates each vacancy requires as a hard rule. A document
    the candidate can get before the start is hard only where the vacancy wants it before the
    interview."""
    vacs = problem.vacancies
    required = vacs.required_certificates[vacancies]
    deferrable = problem.deferrable_certificates()
    if not deferrable.any():
        return required
    soft = deferrable[None, :] & ~np.atleast_1d(vacs.documents_before_interview[vacancies])[:, None]
    return required & ~soft


def documents_to_fetch(problem: MatchingProblem, c: int, v: int) -> list[str]:
    """Documents the vacancy requires that the candidate must get before the start (codes)."""
    if problem.vacancies.held_by[v] == c:
        return []
    start = effective_start(problem, v)
    required = problem.vacancies.required_certificates[v] & ~hard_required(problem, np.array([v]))[0]
    return [problem.certificates[k] for k in np.flatnonzero(required).tolist()
            if problem.candidates.certificate_valid_until[c, k] < start]


def _haversine(lat1, lon1, lat2, lon2):
    # Local copy so the matching core does not need core.geography's data file.
    lat1, lon1, lat2, lon2 = (np.radians(x) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def pair_distance_km(problem: MatchingProblem, c: int, v: int) -> float:
    cands, vacs = problem.candidates, problem.vacancies
    return float(_haversine(cands.lat[c], cands.lon[c], vacs.lat[v], vacs.lon[v]))


def pair_failures(problem: MatchingProblem, c: int, v: int) -> list[str]:
    """The names of the rules pair (c, v) breaks; [] means eligible. Plain Python on purpose."""
    cands, vacs = problem.candidates, problem.vacancies
    own_job = vacs.held_by[v] == c
    failed = []
    if not cands.ready[c] and not own_job:
        failed.append("ready")
    if not cands.consent[c] and not own_job:
        failed.append("consent")
    if (c, v) in set(problem.vetoes):
        failed.append("vetoed")
    start, end = pair_interval(problem, c, v)
    if start > problem.plan_end or vacs.end[v] < problem.plan_start:
        failed.append("in_plan")
    if own_job:  # the candidate's own job: only the rules above apply
        return failed
    if vacs.held_by[v] != NOT_HELD_JOB:
        failed.append("held")
    if vacs.fte[v] > cands.desired_fte[c]:
        failed.append("fte")
    if not (cands.available_from[c] <= start <= cands.available_to[c]):
        failed.append("available")
    if vacs.hours_mask[v] & ~cands.hours_mask[c]:
        failed.append("hours")
    if cands.norwegian_level[c] < vacs.min_norwegian_level[v]:
        failed.append("norwegian")
    required = hard_required(problem, np.array([v]))[0]
    for k in range(len(problem.certificates)):
        if required[k] and cands.certificate_valid_until[c, k] < start:
            failed.append("certificates")
            break
    if pair_distance_km(problem, c, v) > cands.max_commute_km[c] + 1e-9:
        failed.append("commute")
    return failed


def missing_certificates(problem: MatchingProblem, c: int, v: int) -> list[str]:
    """Certificates the pair fails on (hard rules only)."""
    start = effective_start(problem, v)
    required = hard_required(problem, np.array([v]))[0]
    return [problem.certificates[k] for k in range(len(problem.certificates))
            if required[k] and problem.candidates.certificate_valid_until[c, k] < start]


# --- vectorised ------------------------------------------------------------------------------


def _vacancy_starts(problem: MatchingProblem) -> np.ndarray:
    return np.maximum(problem.vacancies.start, problem.plan_start).astype(np.int32)


def in_plan_vacancies(problem: MatchingProblem) -> np.ndarray:
    vacs = problem.vacancies
    return (_vacancy_starts(problem) <= problem.plan_end) & (vacs.end >= problem.plan_start)


def iter_blocks(problem: MatchingProblem, candidates: np.ndarray, vacancies: np.ndarray,
                extra_km: float = 0.0):
    """Yield (candidate indices, vacancy indices, distances) blocks covering every pair within
    max commute + extra_km. Groups both sides by location, so work is proportional to the pairs
    within reach, not to candidates x vacancies."""
    cands, vacs = problem.candidates, problem.vacancies
    if len(candidates) == 0 or len(vacancies) == 0:
        return
    # Vacancy locations, each with the vacancies there (sorted by location).
    vpoints = np.stack([vacs.lat[vacancies], vacs.lon[vacancies]], axis=1)
    vloc, vloc_of = np.unique(vpoints, axis=0, return_inverse=True)
    vloc_of = vloc_of.ravel()
    order = np.argsort(vloc_of, kind="stable")
    vac_sorted = vacancies[order]
    bounds = np.searchsorted(vloc_of[order], np.arange(len(vloc) + 1))
    # Candidate locations.
    cpoints = np.stack([cands.lat[candidates], cands.lon[candidates]], axis=1)
    cloc, cloc_of = np.unique(cpoints, axis=0, return_inverse=True)
    cloc_of = cloc_of.ravel()
    corder = np.argsort(cloc_of, kind="stable")
    cbounds = np.searchsorted(cloc_of[corder], np.arange(len(cloc) + 1))
    for g in range(len(cloc)):
        members = candidates[corder[cbounds[g]:cbounds[g + 1]]]
        reach = float(cands.max_commute_km[members].max()) + extra_km
        loc_dist = _haversine(cloc[g, 0], cloc[g, 1], vloc[:, 0], vloc[:, 1])
        near = np.flatnonzero(loc_dist <= reach + 1e-9)
        if len(near) == 0:
            continue
        vj = np.concatenate([vac_sorted[bounds[loc]:bounds[loc + 1]] for loc in near])
        dist_v = np.repeat(loc_dist[near], bounds[near + 1] - bounds[near]).astype(np.float32)
        step = max(1, _MAX_BLOCK_CELLS // len(vj))
        for s in range(0, len(members), step):
            yield members[s:s + step], vj, dist_v


def block_failures(problem: MatchingProblem, ci: np.ndarray, vj: np.ndarray, dist_v: np.ndarray,
                   check_commute: bool = True) -> np.ndarray:
    """Failure masks (len(ci), len(vj)) uint16 for the rules that depend on both sides.
    Ready, consent, vetoes and in-plan are filtered before (they depend on one side only)."""
    cands, vacs = problem.candidates, problem.vacancies
    vstart = np.maximum(vacs.start[vj], problem.plan_start)[None, :]
    mask = np.zeros((len(ci), len(vj)), dtype=np.uint16)
    mask |= np.where(vacs.fte[vj][None, :] > cands.desired_fte[ci][:, None], FTE, 0).astype(np.uint16)
    avail = (cands.available_from[ci][:, None] <= vstart) & (vstart <= cands.available_to[ci][:, None])
    mask |= np.where(avail, 0, AVAILABLE).astype(np.uint16)
    hours = (vacs.hours_mask[vj][None, :] & ~cands.hours_mask[ci][:, None]) != 0
    mask |= np.where(hours, HOURS_RULE, 0).astype(np.uint16)
    norw = cands.norwegian_level[ci][:, None] < vacs.min_norwegian_level[vj][None, :]
    mask |= np.where(norw, NORWEGIAN, 0).astype(np.uint16)
    required = hard_required(problem, vj)
    for k in np.flatnonzero(required.any(axis=0)):
        lacks = required[:, k][None, :] & (cands.certificate_valid_until[ci, k][:, None] < vstart)
        mask |= np.where(lacks, CERTIFICATES, 0).astype(np.uint16)
    if check_commute:
        far = dist_v[None, :] > cands.max_commute_km[ci][:, None] + 1e-9
        mask |= np.where(far, COMMUTE, 0).astype(np.uint16)
    held_by = vacs.held_by[vj]
    if (held_by != NOT_HELD_JOB).any():
        own = held_by[None, :] == ci[:, None]
        mask = np.where(own, mask & ~np.uint16(HELD_EXEMPT), mask)
        mask |= np.where((held_by[None, :] != NOT_HELD_JOB) & ~own, HELD, 0).astype(np.uint16)
    return mask


def eligible_pairs(problem: MatchingProblem) -> Pairs:
    """Every eligible pair, vectorised and blocked by location."""
    cands, vacs = problem.candidates, problem.vacancies
    candidates = np.flatnonzero(cands.ready & cands.consent).astype(np.int64)
    in_plan = in_plan_vacancies(problem)
    vacancies = np.flatnonzero(in_plan & ~vacs.is_held).astype(np.int64)
    # Held jobs: each is eligible for its own candidate only, whatever their other rules say.
    held = np.flatnonzero(in_plan & vacs.is_held).astype(np.int64)
    owner = vacs.held_by[held].astype(np.int64)
    parts_c = [owner]
    parts_v = [held]
    parts_d = [_haversine(cands.lat[owner], cands.lon[owner], vacs.lat[held], vacs.lon[held]).astype(np.float32)]
    for ci, vj, dist_v in iter_blocks(problem, candidates, vacancies):
        ok = block_failures(problem, ci, vj, dist_v) == 0
        rows, cols = np.nonzero(ok)
        parts_c.append(ci[rows])
        parts_v.append(vj[cols])
        parts_d.append(dist_v[cols])
    if parts_c:
        cand = np.concatenate(parts_c).astype(np.int32)
        vac = np.concatenate(parts_v).astype(np.int32)
        dist = np.concatenate(parts_d).astype(np.float32)
    else:
        cand = vac = np.zeros(0, np.int32)
        dist = np.zeros(0, np.float32)
    if problem.vetoes and len(cand):
        n_vac = len(vacs)
        vetoed = np.array([c * n_vac + v for c, v in problem.vetoes], dtype=np.int64)
        keep = ~np.isin(cand.astype(np.int64) * n_vac + vac, vetoed)
        cand, vac, dist = cand[keep], vac[keep], dist[keep]
    order = np.lexsort((vac, cand))
    cand, vac, dist = cand[order], vac[order], dist[order]
    start = np.maximum(vacs.start[vac], problem.plan_start).astype(np.int32)
    until = np.where(vacs.held_by[vac] == cand, OPEN_END, cands.available_to[cand])  # a held job keeps its end
    end = np.minimum(np.minimum(vacs.end[vac], problem.plan_end), until).astype(np.int32)
    return Pairs(cand, vac, start, end, dist)
