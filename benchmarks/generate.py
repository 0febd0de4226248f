"""Seeded instance generator for the benchmarks: realistic-looking candidates and vacancies
spread over Norway's municipalities (Zipf-weighted, so a few towns are big), with a mix of
permanent, temporary and seasonal jobs at 30-100 %, requirements and commute limits.

`generate(n_candidates, n_vacancies, seed)` returns a MatchingProblem built straight from
arrays (fast at 100,000 rows); `write_csv_files` writes the same instance as C.csv / V.csv.
"""

from __future__ import annotations

import csv
from datetime import date

import numpy as np

from core.geography import all_municipalities
from matching.problem import (
    HOURS,
    KNOWN_CERTIFICATES,
    NORWEGIAN_LEVELS,
    NOT_HELD,
    OPEN_END,
    CandidateTable,
    MatchingParams,
    MatchingProblem,
    VacancyTable,
)

PLAN_START = date(2027, 1, 1)
OCCUPATIONS = ["renhold", "butikk", "lager", "kjøkken", "hotell", "barnehage", "vakt", "omsorg", "sjåfør", "kiosk"]
TITLES = {
    "renhold": ["renholder", "renholdsoperatør", "vaskehjelp"], "butikk": ["butikkmedarbeider", "kassemedarbeider"],
    "lager": ["lagermedarbeider", "truckfører lager"], "kjøkken": ["kokkeassistent", "oppvasker"],
    "hotell": ["romassistent hotell", "resepsjonist"], "barnehage": ["barnehageassistent"],
    "vakt": ["vekter", "sikkerhetsvakt"], "omsorg": ["helsefagarbeider", "pleieassistent"],
    "sjåfør": ["budsjåfør", "bussjåfør"], "kiosk": ["kioskmedarbeider"],
}


def generate(n_candidates: int, n_vacancies: int, seed: int = 0, commute_km=(10, 40), zipf: float = 0.9,
             city_boost: float = 20.0) -> MatchingProblem:
    rng = np.random.default_rng(seed)
    places = all_municipalities()
    weights = 1.0 / np.arange(1, len(places) + 1) ** zipf
    rng.shuffle(weights)
    weights[[i for i, m in enumerate(places) if m.code in ("0301", "4601", "5001", "1103")]] *= city_boost
    weights /= weights.sum()
    lat = np.array([m.lat for m in places])
    lon = np.array([m.lon for m in places])
    codes = np.array([m.code for m in places], dtype=object)
    start = PLAN_START.toordinal()
    k = len(KNOWN_CERTIFICATES)

    ci = rng.choice(len(places), n_candidates, p=weights)
    c_certs = np.where(rng.random((n_candidates, k)) < 0.35, OPEN_END, NOT_HELD).astype(np.int32)
    c_occ = rng.integers(0, len(OCCUPATIONS), (n_candidates, 2))
    candidates = CandidateTable(
        ids=[f"k{i}" for i in range(n_candidates)], municipality=codes[ci], lat=lat[ci], lon=lon[ci],
        max_commute_km=rng.uniform(*commute_km, n_candidates).round(),
        desired_fte=rng.choice([50, 60, 80, 100, 100, 100], n_candidates).astype(np.int16),
        available_from=(start + rng.choice([0, 0, 0, 30, 90], n_candidates)).astype(np.int32),
        available_to=np.full(n_candidates, OPEN_END, np.int32),
        norwegian_level=rng.integers(1, 6, n_candidates).astype(np.int8),
        certificate_valid_until=c_certs,
        hours_mask=rng.choice([1, 3, 3, 7, 11, 15], n_candidates).astype(np.uint8),
        ready=rng.random(n_candidates) < 0.9, consent=np.ones(n_candidates, bool),
        readiness_score=rng.integers(40, 101, n_candidates).astype(np.int8),
        wishes=[(OCCUPATIONS[a], OCCUPATIONS[b]) for a, b in c_occ],
        experience=[(TITLES[OCCUPATIONS[a]][0],) for a in c_occ[:, 0]],
    )

    vi = rng.choice(len(places), n_vacancies, p=weights)
    kind = rng.choice(["permanent", "temporary", "summer", "winter"], n_vacancies, p=[0.5, 0.2, 0.15, 0.15])
    v_start = np.where(kind == "summer", date(2027, 5, 1).toordinal(),
                       np.where(kind == "winter", date(2027, 10, 1).toordinal(),
                                start + rng.choice([0, 0, 30, 60, 120], n_vacancies)))
    v_end = np.where(kind == "permanent", OPEN_END,
                     np.where(kind == "summer", date(2027, 9, 30).toordinal(),
                              np.where(kind == "winter", date(2028, 3, 31).toordinal(),
                                       v_start + rng.integers(60, 200, n_vacancies))))
    v_occ = rng.integers(0, len(OCCUPATIONS), n_vacancies)
    vacancies = VacancyTable(
        ids=[f"v{j}" for j in range(n_vacancies)], employer_ids=[f"e{j // 3}" for j in range(n_vacancies)],
        titles=[TITLES[OCCUPATIONS[o]][rng.integers(len(TITLES[OCCUPATIONS[o]]))] for o in v_occ],
        occupations=[OCCUPATIONS[o] for o in v_occ], municipality=codes[vi], lat=lat[vi], lon=lon[vi],
        fte=rng.choice([30, 40, 50, 50, 60, 80, 100, 100], n_vacancies).astype(np.int16),
        start=v_start.astype(np.int32), end=v_end.astype(np.int32),
        headcount=rng.choice([1, 1, 1, 2, 3], n_vacancies).astype(np.int32),
        hours_mask=rng.choice([1, 1, 1, 3, 2, 5, 9], n_vacancies).astype(np.uint8),
        required_certificates=rng.random((n_vacancies, k)) < 0.12,
        min_norwegian_level=rng.choice([0, 1, 2, 2, 3, 4], n_vacancies).astype(np.int8),
        employer_score=rng.integers(20, 90, n_vacancies).astype(np.int8),
    )
    return MatchingProblem(candidates, vacancies, KNOWN_CERTIFICATES, start, MatchingParams())


def write_csv_files(problem: MatchingProblem, candidates_path: str, vacancies_path: str) -> None:
    """The instance in the CSV contract of `brobygger match`."""
    def day(o):
        return "" if o >= OPEN_END else date.fromordinal(int(o)).isoformat()

    def level(n):
        return NORWEGIAN_LEVELS[n - 1] if n > 0 else ""

    def hours(mask):
        return ";".join(h for i, h in enumerate(HOURS) if mask >> i & 1)

    c, v, certs = problem.candidates, problem.vacancies, problem.certificates
    with open(candidates_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["candidate_id", "municipality", "max_commute_km", "desired_fte", "available_from",
                    "available_to", "norwegian_level", "certificates", "wishes", "experience", "hours",
                    "formidlingsklar"])
        for i in range(len(c)):
            w.writerow([c.ids[i], c.municipality[i], int(c.max_commute_km[i]), int(c.desired_fte[i]),
                        day(c.available_from[i]), day(c.available_to[i]), level(int(c.norwegian_level[i])),
                        ";".join(certs[k] for k in range(len(certs)) if c.certificate_valid_until[i, k] != NOT_HELD),
                        ";".join(c.wishes[i]), ";".join(c.experience[i]), hours(int(c.hours_mask[i])),
                        "true" if c.ready[i] else "false"])
    with open(vacancies_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["vacancy_id", "employer_id", "title", "occupation", "municipality", "fte", "start", "end",
                    "headcount", "hours", "required_certificates", "min_norwegian_level"])
        for j in range(len(v)):
            w.writerow([v.ids[j], v.employer_ids[j], v.titles[j], v.occupations[j], v.municipality[j], int(v.fte[j]),
                        day(v.start[j]), day(v.end[j]), int(v.headcount[j]), hours(int(v.hours_mask[j])),
                        ";".join(certs[k] for k in range(len(certs)) if v.required_certificates[j, k]),
                        level(int(v.min_norwegian_level[j]))])


def generate_pairs(n_left: int, n_right: int, per_left: int | None, seed: int = 0):
    """Random 1:1 instance for `brobygger assign`: per_left pairs per candidate (None = dense).
    Returns (left, right, integer score) arrays."""
    rng = np.random.default_rng(seed)
    if per_left is None:
        left = np.repeat(np.arange(n_left), n_right)
        right = np.tile(np.arange(n_right), n_left)
    else:
        left = np.repeat(np.arange(n_left), per_left)
        right = np.concatenate([rng.choice(n_right, per_left, replace=False) for _ in range(n_left)])
    return left, right, rng.integers(0, 101, len(left))


def generate_tight(n_candidates: int, n_vacancies: int, seed: int = 0) -> MatchingProblem:
    """A small, tight instance: everyone in one town, every pair eligible, many near-identical
    part-time jobs (20-50 %, periods a few days apart) and more of them than the candidates can
    hold. The share rule is a knapsack here, so the LP relaxation is fractional and the optimum
    has to be proved by search: the case where a general MIP solver is strongest."""
    rng = np.random.default_rng(seed)
    start = PLAN_START.toordinal()
    oslo = [m for m in all_municipalities() if m.code == "0301"][0]
    k = len(KNOWN_CERTIFICATES)
    c_occ = rng.integers(0, len(OCCUPATIONS), (n_candidates, 2))
    candidates = CandidateTable(
        ids=[f"k{i}" for i in range(n_candidates)], municipality=np.full(n_candidates, "0301", dtype=object),
        lat=np.full(n_candidates, oslo.lat), lon=np.full(n_candidates, oslo.lon),
        max_commute_km=np.full(n_candidates, 30.0),
        desired_fte=rng.choice([50, 60, 75, 80, 100], n_candidates).astype(np.int16),
        available_from=(start + rng.choice([0, 0, 0, 14, 45], n_candidates)).astype(np.int32),
        available_to=np.where(rng.random(n_candidates) < 0.3, start + rng.integers(200, 360, n_candidates),
                              OPEN_END).astype(np.int32),
        norwegian_level=np.full(n_candidates, 4, np.int8),
        certificate_valid_until=np.full((n_candidates, k), OPEN_END, np.int32),
        hours_mask=np.full(n_candidates, 15, np.uint8), ready=np.ones(n_candidates, bool),
        consent=np.ones(n_candidates, bool), readiness_score=rng.integers(60, 101, n_candidates).astype(np.int8),
        wishes=[(OCCUPATIONS[a], OCCUPATIONS[b]) for a, b in c_occ],
        experience=[(TITLES[OCCUPATIONS[a]][0],) for a in c_occ[:, 0]],
    )
    v_occ = rng.integers(0, len(OCCUPATIONS), n_vacancies)
    v_start = start + rng.choice([0, 30, 60, 91, 120, 152], n_vacancies) + rng.integers(0, 4, n_vacancies)
    v_end = np.where(rng.random(n_vacancies) < 0.4, OPEN_END, v_start + rng.integers(90, 240, n_vacancies))
    vacancies = VacancyTable(
        ids=[f"v{j}" for j in range(n_vacancies)], employer_ids=[f"e{j // 4}" for j in range(n_vacancies)],
        titles=[TITLES[OCCUPATIONS[o]][0] for o in v_occ], occupations=[OCCUPATIONS[o] for o in v_occ],
        municipality=np.full(n_vacancies, "0301", dtype=object),
        lat=np.full(n_vacancies, oslo.lat), lon=np.full(n_vacancies, oslo.lon),
        fte=rng.choice([20, 25, 25, 30, 40, 50], n_vacancies).astype(np.int16),
        start=v_start.astype(np.int32), end=v_end.astype(np.int32),
        headcount=np.ones(n_vacancies, np.int32), hours_mask=np.ones(n_vacancies, np.uint8),
        required_certificates=np.zeros((n_vacancies, k), bool),
        min_norwegian_level=np.zeros(n_vacancies, np.int8),
        employer_score=rng.integers(40, 70, n_vacancies).astype(np.int8),
    )
    return MatchingProblem(candidates, vacancies, KNOWN_CERTIFICATES, start, MatchingParams())
