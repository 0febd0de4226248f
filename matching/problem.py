"""The matching problem as plain data: candidates and vacancies as columns of numpy arrays.

Dates are proleptic ordinals (`date.toordinal()`), shares of full time are whole percents
(1-100), Norwegian levels are 0 (none) to 6 (C2), working hours and certificates are small
bit sets. Columns rather than objects because the national instance has 100,000 candidates
and every hard rule is evaluated on blocks of them at once.

`build_problem` turns readable records (`CandidateRecord`, `VacancyRecord`) into a
`MatchingProblem`; loaders with many rows (CSV, database, benchmarks) may fill the arrays
directly through `CandidateTable` / `VacancyTable`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

PLANNING_DAYS = 365
OPEN_END = 10**7  # ordinal far beyond any real date: "no end"
NOT_HELD = -1  # certificate valid-until ordinal for "does not hold it"

NORWEGIAN_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")  # index + 1 = level number
HOURS = ("day", "evening", "night", "weekend")  # bit i = HOURS[i]
HOURS_NB = {"day": "dag", "evening": "kveld", "night": "natt", "weekend": "helg"}
KNOWN_CERTIFICATES = (
    "driving_licence_B",
    "truck_licence",
    "police_certificate",
    "trade_certificate_cleaning",
    "health_vaccination",
)
# Documents a candidate can get within days once an employer asks (DOMAIN.md 2, issue 11): the
# police certificate is part of the employer's background check after the interview, and
# vaccination records are printed from the national register (SYSVAK, helsenorge.no) the same
# day. A missing or old one does not hide a pair; it becomes a task before the start, unless the
# vacancy demands documents before the interview. Licences and trade certificates take months.
DOCUMENTS_BEFORE_START = ("police_certificate", "health_vaccination")
NOT_HELD_JOB = -1  # VacancyTable.held_by for an ordinary vacancy


def norwegian_level_number(text: str | None) -> int:
    """'B1' -> 3, '' or None -> 0. Raises ValueError on anything else."""
    if text is None or text.strip() == "":
        return 0
    return NORWEGIAN_LEVELS.index(text.strip().upper()) + 1


def norwegian_level_name(level: int) -> str:
    return NORWEGIAN_LEVELS[level - 1] if level > 0 else "ingen"


def hours_mask(values) -> int:
    """{'day', 'night'} -> 0b101. Raises ValueError on an unknown value."""
    mask = 0
    for value in values:
        mask |= 1 << HOURS.index(value)
    return mask


def hours_names(mask: int) -> list[str]:
    return [name for i, name in enumerate(HOURS) if mask >> i & 1]


@dataclass
class MatchingParams:
    """Rules and weights a consultant may change per run.

    max_concurrent_jobs: at most this many jobs on any one day per candidate.
    commute_extension_km: how much longer a commute "what would unlock more" may suggest.
    """

    max_concurrent_jobs: int = 2
    commute_extension_km: float = 20.0
    shortlist_per_vacancy: int = 3
    shortlists_per_candidate: int = 3
    documents_before_start: tuple[str, ...] = DOCUMENTS_BEFORE_START


@dataclass
class CandidateTable:
    ids: list[str]
    municipality: np.ndarray  # str codes (2024 numbers), for explanations and blocking
    lat: np.ndarray  # float64 degrees
    lon: np.ndarray
    max_commute_km: np.ndarray  # float64
    desired_fte: np.ndarray  # int16 percent 1-100
    available_from: np.ndarray  # int32 ordinal
    available_to: np.ndarray  # int32 ordinal, OPEN_END if open
    norwegian_level: np.ndarray  # int8 0-6
    certificate_valid_until: np.ndarray  # int32 (C, K) ordinal; NOT_HELD; OPEN_END = no expiry
    hours_mask: np.ndarray  # uint8: working hours the candidate accepts
    ready: np.ndarray  # bool: formidlingsklar (the service applies the configurable minimum step)
    consent: np.ndarray  # bool: consented to be presented to employers
    readiness_score: np.ndarray  # int8 0-100, a soft score component
    wishes: list[tuple[str, ...]]  # occupations/titles the candidate wants
    experience: list[tuple[str, ...]]  # occupations/titles the candidate has worked in
    wish_codes: list[tuple[str, ...]] = field(default_factory=list)  # STYRK-08 unit groups of the wishes

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class VacancyTable:
    ids: list[str]
    employer_ids: list[str]
    titles: list[str]
    occupations: list[str]
    municipality: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    fte: np.ndarray  # int16 percent 1-100
    start: np.ndarray  # int32 ordinal
    end: np.ndarray  # int32 ordinal (inclusive), OPEN_END if open
    headcount: np.ndarray  # int32 >= 1
    hours_mask: np.ndarray  # uint8: working hours the job has; the candidate must accept all
    required_certificates: np.ndarray  # bool (V, K)
    min_norwegian_level: np.ndarray  # int8 0-6
    employer_score: np.ndarray  # int8 0-100: standing agreement (50 = nothing known)
    occupation_codes: list[str] = field(default_factory=list)  # STYRK-08 unit group ("" if unknown)
    # A job the candidate already holds, as a vacancy only that candidate (index) may take; the
    # service pins it, so the daily share, concurrency and coverage rules treat it like any job.
    held_by: np.ndarray | None = None  # int32, NOT_HELD_JOB for an ordinary vacancy
    documents_before_interview: np.ndarray | None = None  # bool: police certificate etc. before the interview
    close_follow_up: np.ndarray | None = None  # bool: the employer needs closer follow-up (barometer)

    def __post_init__(self) -> None:
        n = len(self.ids)
        if self.held_by is None:
            self.held_by = np.full(n, NOT_HELD_JOB, dtype=np.int32)
        if self.documents_before_interview is None:
            self.documents_before_interview = np.zeros(n, dtype=bool)
        if self.close_follow_up is None:
            self.close_follow_up = np.zeros(n, dtype=bool)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def is_held(self) -> np.ndarray:
        return self.held_by != NOT_HELD_JOB


@dataclass
class MatchingProblem:
    candidates: CandidateTable
    vacancies: VacancyTable
    certificates: tuple[str, ...]  # column k of the certificate arrays
    plan_start: int  # ordinal; the planning year is plan_start .. plan_start + 364
    params: MatchingParams = field(default_factory=MatchingParams)
    pins: list[tuple[int, int]] = field(default_factory=list)  # (candidate index, vacancy index): must
    vetoes: list[tuple[int, int]] = field(default_factory=list)  # never

    @property
    def plan_end(self) -> int:
        return self.plan_start + PLANNING_DAYS - 1

    def candidate_index(self) -> dict[str, int]:
        return {cid: i for i, cid in enumerate(self.candidates.ids)}

    def vacancy_index(self) -> dict[str, int]:
        return {vid: j for j, vid in enumerate(self.vacancies.ids)}

    def deferrable_certificates(self) -> np.ndarray:
        """bool per certificate column: a document the candidate can get before the start."""
        return np.array([c in self.params.documents_before_start for c in self.certificates], dtype=bool)


# --- readable records, for tests, the service and small loaders -------------------------------


@dataclass
class CandidateRecord:
    id: str
    lat: float
    lon: float
    desired_fte: int = 100
    max_commute_km: float = 30.0
    available_from: date = date(2000, 1, 1)
    available_to: date | None = None
    norwegian_level: int = 0
    certificates: dict[str, date | None] = field(default_factory=dict)  # code -> valid until (None: no expiry)
    hours: tuple[str, ...] = HOURS
    ready: bool = True
    consent: bool = True
    readiness_score: int = 100
    wishes: tuple[str, ...] = ()
    experience: tuple[str, ...] = ()
    municipality: str = ""
    wish_codes: tuple[str, ...] = ()  # STYRK-08 unit groups the wishes name (related ones score partly)


@dataclass
class VacancyRecord:
    id: str
    lat: float
    lon: float
    start: date
    end: date | None = None
    fte: int = 100
    headcount: int = 1
    hours: tuple[str, ...] = ("day",)
    required_certificates: tuple[str, ...] = ()
    min_norwegian_level: int = 0
    title: str = ""
    occupation: str = ""
    employer_id: str = ""
    employer_score: int = 50
    municipality: str = ""
    occupation_code: str = ""  # STYRK-08 unit group
    held_by: str | None = None  # candidate id: a job that candidate already holds (pin it)
    documents_before_interview: bool = False
    close_follow_up: bool = False


def build_problem(
    candidates: list[CandidateRecord],
    vacancies: list[VacancyRecord],
    plan_start: date,
    params: MatchingParams | None = None,
    pins: list[tuple[str, str]] = (),
    vetoes: list[tuple[str, str]] = (),
) -> MatchingProblem:
    """Records -> columns. Pins and vetoes are given by ids; unknown ids raise KeyError."""
    certs = sorted(set(KNOWN_CERTIFICATES)
                   | {c for cand in candidates for c in cand.certificates}
                   | {c for vac in vacancies for c in vac.required_certificates})
    k_of = {c: k for k, c in enumerate(certs)}
    valid = np.full((len(candidates), len(certs)), NOT_HELD, dtype=np.int32)
    for i, cand in enumerate(candidates):
        for code, until in cand.certificates.items():
            valid[i, k_of[code]] = OPEN_END if until is None else until.toordinal()
    required = np.zeros((len(vacancies), len(certs)), dtype=bool)
    for j, vac in enumerate(vacancies):
        for code in vac.required_certificates:
            required[j, k_of[code]] = True

    ctab = CandidateTable(
        ids=[c.id for c in candidates],
        municipality=np.array([c.municipality for c in candidates], dtype=object),
        lat=np.array([c.lat for c in candidates], dtype=np.float64),
        lon=np.array([c.lon for c in candidates], dtype=np.float64),
        max_commute_km=np.array([c.max_commute_km for c in candidates], dtype=np.float64),
        desired_fte=np.array([c.desired_fte for c in candidates], dtype=np.int16),
        available_from=np.array([c.available_from.toordinal() for c in candidates], dtype=np.int32),
        available_to=np.array([OPEN_END if c.available_to is None else c.available_to.toordinal()
                               for c in candidates], dtype=np.int32),
        norwegian_level=np.array([c.norwegian_level for c in candidates], dtype=np.int8),
        certificate_valid_until=valid,
        hours_mask=np.array([hours_mask(c.hours) for c in candidates], dtype=np.uint8),
        ready=np.array([c.ready for c in candidates], dtype=bool),
        consent=np.array([c.consent for c in candidates], dtype=bool),
        readiness_score=np.array([c.readiness_score for c in candidates], dtype=np.int8),
        wishes=[tuple(c.wishes) for c in candidates],
        experience=[tuple(c.experience) for c in candidates],
        wish_codes=[tuple(c.wish_codes) for c in candidates],
    )
    vtab = VacancyTable(
        ids=[v.id for v in vacancies],
        employer_ids=[v.employer_id for v in vacancies],
        titles=[v.title for v in vacancies],
        occupations=[v.occupation for v in vacancies],
        municipality=np.array([v.municipality for v in vacancies], dtype=object),
        lat=np.array([v.lat for v in vacancies], dtype=np.float64),
        lon=np.array([v.lon for v in vacancies], dtype=np.float64),
        fte=np.array([v.fte for v in vacancies], dtype=np.int16),
        start=np.array([v.start.toordinal() for v in vacancies], dtype=np.int32),
        end=np.array([OPEN_END if v.end is None else v.end.toordinal() for v in vacancies], dtype=np.int32),
        headcount=np.array([v.headcount for v in vacancies], dtype=np.int32),
        hours_mask=np.array([hours_mask(v.hours) for v in vacancies], dtype=np.uint8),
        required_certificates=required,
        min_norwegian_level=np.array([v.min_norwegian_level for v in vacancies], dtype=np.int8),
        employer_score=np.array([v.employer_score for v in vacancies], dtype=np.int8),
        occupation_codes=[v.occupation_code for v in vacancies],
        documents_before_interview=np.array([v.documents_before_interview for v in vacancies], dtype=bool),
        close_follow_up=np.array([v.close_follow_up for v in vacancies], dtype=bool),
    )
    problem = MatchingProblem(ctab, vtab, tuple(certs), plan_start.toordinal(), params or MatchingParams())
    ci, vi = problem.candidate_index(), problem.vacancy_index()
    vtab.held_by = np.array([NOT_HELD_JOB if v.held_by is None else ci[v.held_by] for v in vacancies], dtype=np.int32)
    # A job the candidate already holds is fixed occupancy: always in the solution.
    held_pins = [(int(c), j) for j, c in enumerate(vtab.held_by.tolist()) if c != NOT_HELD_JOB]
    problem.pins = held_pins + [(ci[c], vi[v]) for c, v in pins]
    problem.vetoes = [(ci[c], vi[v]) for c, v in vetoes]
    return problem


def ordinal_to_date(ordinal: int) -> date | None:
    return None if ordinal >= OPEN_END else date.fromordinal(int(ordinal))


def plan_end_date(plan_start: date) -> date:
    return plan_start + timedelta(days=PLANNING_DAYS - 1)
