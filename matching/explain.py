"""Explanations for proposed pairs, and "what would unlock more" per candidate.

An explanation lists a pair's score components and the requirements it meets, in Norwegian
for consultants and in the CSV output. The unlock analysis finds, for each candidate, the
single missing requirement (a certificate, a Norwegian level, accepting one more kind of working
hours, or a commute up to `commute_extension_km` longer) that would make the most open vacancies
eligible. It ignores the ready and consent flags: they are about the candidate's process, and
the suggestions feed that process (readiness next steps).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.labels import certificate_in_sentence, date_nb
from matching.eligibility import (
    CERTIFICATES,
    DOCUMENT_TASK_NB,
    HOURS_RULE,
    NORWEGIAN,
    block_failures,
    documents_to_fetch,
    hard_required,
    in_plan_vacancies,
    iter_blocks,
    pair_interval,
)
from matching.problem import HOURS, HOURS_NB, MatchingProblem, hours_names, norwegian_level_name, ordinal_to_date
from matching.scoring import COMPONENT_NB, COMPONENTS, PairScores, ScoreWeights


def certificate_nb(code: str) -> str:
    """The catalogue's name (core/labels.py), never the code: "førerkort klasse D (buss)"."""
    return certificate_in_sentence(code)


CLOSE_FOLLOW_UP_NB = "arbeidsgiver har lite erfaring med mangfold: planlegg tettere oppfølging"
HELD_JOB_NB = "jobb kandidaten allerede har"


@dataclass
class PairExplanation:
    score: int
    components: dict[str, int]  # points per component
    requirements_met: list[str]  # Norwegian
    notes: list[str] = field(default_factory=list)  # for the consultant: tasks before the start, follow-up

    def text(self, weights: ScoreWeights | None = None) -> str:
        points = (weights or ScoreWeights()).points()
        parts = ", ".join(f"{COMPONENT_NB[n]} {self.components[n]}/{points[n]}" for n in COMPONENTS)
        text = f"poeng {self.score} ({parts}); oppfyller: {'; '.join(self.requirements_met)}"
        return text + (f"; merk: {'; '.join(self.notes)}" if self.notes else "")


def pair_notes(problem: MatchingProblem, c: int, v: int) -> list[str]:
    """What the consultant must plan for this pair: documents to get before the start, and closer
    follow-up of an employer with little experience of diversity (never a lower score)."""
    notes = [DOCUMENT_TASK_NB.get(code, f"{certificate_nb(code)} må hentes før oppstart")
             for code in documents_to_fetch(problem, c, v)]
    if problem.vacancies.close_follow_up[v]:
        notes.append(CLOSE_FOLLOW_UP_NB)
    return notes


def explain_pair(problem: MatchingProblem, c: int, v: int, distance_km: float, score: int,
                 components: dict[str, int]) -> PairExplanation:
    cands, vacs = problem.candidates, problem.vacancies
    start, _ = pair_interval(problem, c, v)
    if vacs.held_by[v] == c:
        return PairExplanation(int(score), components, [HELD_JOB_NB, f"stillingsandel {vacs.fte[v]} %"])
    met = ["formidlingsklar", f"stillingsandel {vacs.fte[v]} % (ønsker {cands.desired_fte[c]} %)",
           f"tilgjengelig fra {date_nb(ordinal_to_date(start))}"]
    hours = hours_names(int(vacs.hours_mask[v]))
    if hours:
        met.append("arbeidstid " + "+".join(HOURS_NB[h] for h in hours))
    if vacs.min_norwegian_level[v] > 0:
        met.append(f"norsk {norwegian_level_name(int(cands.norwegian_level[c]))} "
                   f"(krav {norwegian_level_name(int(vacs.min_norwegian_level[v]))})")
    notes = pair_notes(problem, c, v)
    for k, code in enumerate(problem.certificates):
        if vacs.required_certificates[v, k] and code not in documents_to_fetch(problem, c, v):
            met.append(certificate_nb(code))
    met.append(f"reisevei {distance_km:.0f} km (maks {cands.max_commute_km[c]:.0f} km)")
    return PairExplanation(int(score), components, met, notes)


def explain_pairs(problem: MatchingProblem, pairs, scores: PairScores, indices) -> list[PairExplanation]:
    out = []
    for p in np.asarray(indices).tolist():
        comps = {n: int(scores.components[n][p]) for n in COMPONENTS}
        out.append(explain_pair(problem, int(pairs.cand[p]), int(pairs.vac[p]), float(pairs.distance_km[p]),
                                int(scores.total[p]), comps))
    return out


# --- what would unlock more ------------------------------------------------------------------


@dataclass
class UnlockSuggestion:
    candidate_id: str
    kind: str  # "certificate", "norwegian", "hours", "commute"
    value: str  # certificate code, level name, hours value, or km
    vacancies: int  # how many more open vacancies would become eligible
    text: str  # Norwegian


def filled_vacancies(problem: MatchingProblem, pair_vac: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """bool per vacancy: the proposal (`chosen` per pair, `pair_vac` the pairs' vacancies) uses
    all its places."""
    used = np.bincount(pair_vac[chosen], minlength=len(problem.vacancies))
    return used >= problem.vacancies.headcount


def unlock_suggestions(problem: MatchingProblem, filled: np.ndarray | None = None) -> list[UnlockSuggestion]:
    """The best single missing requirement per candidate (only candidates for whom one exists).

    `filled` (bool per vacancy, see `filled_vacancies`): vacancies the proposal already fills are
    not counted, since meeting the requirement would not get the candidate one of them."""
    cands, vacs = problem.candidates, problem.vacancies
    n_c, n_k = len(cands), len(problem.certificates)
    opt_norw, opt_hours, opt_commute = n_k, n_k + 6, n_k + 6 + len(HOURS)
    n_opt = opt_commute + 1
    extra = float(problem.params.commute_extension_km)
    candidates = np.flatnonzero(np.ones(n_c, dtype=bool)).astype(np.int64)
    open_vacancies = in_plan_vacancies(problem) & ~vacs.is_held  # jobs already held are nobody's to unlock
    if filled is not None:
        open_vacancies &= ~filled
    vacancies = np.flatnonzero(open_vacancies).astype(np.int64)
    counts = np.zeros(n_c * n_opt, dtype=np.int64)
    commute_needed = np.zeros(n_c, dtype=np.float64)
    vetoed = {(c, v) for c, v in problem.vetoes}

    for ci, vj, dist_v in iter_blocks(problem, candidates, vacancies, extra_km=extra):
        mask = block_failures(problem, ci, vj, dist_v, check_commute=False)
        far = dist_v[None, :] > cands.max_commute_km[ci][:, None] + 1e-9
        keys, opts = [], []
        # Only the commute fails, and a somewhat longer commute would do.
        rows, cols = np.nonzero((mask == 0) & far & (dist_v[None, :] <= cands.max_commute_km[ci][:, None] + extra))
        keys.append((rows, cols))
        opts.append(np.full(len(rows), opt_commute))
        np.maximum.at(commute_needed, ci[rows], dist_v[cols])
        # Only the Norwegian level fails: the option is the level the vacancy asks for.
        rows, cols = np.nonzero((mask == NORWEGIAN) & ~far)
        keys.append((rows, cols))
        opts.append(opt_norw + vacs.min_norwegian_level[vj[cols]].astype(np.int64) - 1)
        # Only the working hours fail, and exactly one kind is missing.
        rows, cols = np.nonzero((mask == HOURS_RULE) & ~far)
        missing = (vacs.hours_mask[vj[cols]] & ~cands.hours_mask[ci[rows]]).astype(np.int64)
        single = (missing & (missing - 1)) == 0
        keys.append((rows[single], cols[single]))
        opts.append(opt_hours + np.log2(missing[single]).astype(np.int64))
        # Only certificates fail, and exactly one is missing.
        rows, cols = np.nonzero((mask == CERTIFICATES) & ~far)
        if len(rows):
            vstart = np.maximum(vacs.start[vj[cols]], problem.plan_start)
            lacks = hard_required(problem, vj[cols]) & (cands.certificate_valid_until[ci[rows]] < vstart[:, None])
            one = lacks.sum(axis=1) == 1
            keys.append((rows[one], cols[one]))
            opts.append(np.argmax(lacks[one], axis=1).astype(np.int64))
        for (rows, cols), opt in zip(keys, opts):
            c_idx, v_idx = ci[rows], vj[cols]
            if vetoed and len(c_idx):
                keep = np.array([(c, v) not in vetoed for c, v in zip(c_idx.tolist(), v_idx.tolist())], bool)
                c_idx, opt = c_idx[keep], opt[keep]
            np.add.at(counts, c_idx * n_opt + opt, 1)

    table = counts.reshape(n_c, n_opt)
    # Reaching level L also satisfies every vacancy asking for less: count cumulatively.
    table[:, opt_norw:opt_norw + 6] = np.cumsum(table[:, opt_norw:opt_norw + 6], axis=1)
    best = np.argmax(table, axis=1)  # first maximum: the smallest Norwegian level that does it
    best_count = table[np.arange(n_c), best]
    suggestions = []
    for c in np.flatnonzero(best_count > 0).tolist():
        opt, n = int(best[c]), int(best_count[c])
        if opt < n_k:
            code = problem.certificates[opt]
            s = UnlockSuggestion(cands.ids[c], "certificate", code, n,
                                 f"{certificate_nb(code)} ville åpnet {_vacancies_nb(n)}")
        elif opt < opt_hours:
            level = norwegian_level_name(opt - opt_norw + 1)
            s = UnlockSuggestion(cands.ids[c], "norwegian", level, n, f"norsk {level} ville åpnet {_vacancies_nb(n)}")
        elif opt < opt_commute:
            hours = HOURS[opt - opt_hours]
            s = UnlockSuggestion(cands.ids[c], "hours", hours, n,
                                 f"å godta arbeidstid {HOURS_NB[hours]} ville åpnet {_vacancies_nb(n)}")
        else:
            km = int(np.ceil(commute_needed[c]))
            s = UnlockSuggestion(cands.ids[c], "commute", str(km), n,
                                 f"reisevei inntil {km} km ville åpnet {_vacancies_nb(n)}")
        suggestions.append(s)
    return suggestions


def _vacancies_nb(n: int) -> str:
    return f"{n} stilling til" if n == 1 else f"{n} stillinger til"
