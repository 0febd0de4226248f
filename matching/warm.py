"""What a run leaves for the next one: a re-run after a few decisions starts from it.

Consultants re-run after a handful of decisions (a pin, a veto, a new vacancy). Most of the
instance is then exactly as before, so the re-run
- keeps, for every bundle component whose input did not change (same pairs, coverage, scores,
  pins, wanted shares, places; compared by a fingerprint), the previous solution and bounds as
  they are: same input, same result, no solving;
- applies the decisions to the previous solution of every changed component (then refilled
  greedily) and certifies its bounds with the previous run's LP duals, matched row by row
  through `relax.row_keys`. Weak duality holds for any duals >= 0, so the bound is valid
  whatever changed; it is only as tight as before where the rows are the same;
- keeps a changed small component so if those bounds prove it within the previous gaps, and
  solves it as a first run would (it is quick) if not;
- improves a changed big component (above `relax.SIMPLEX_MAX_COLUMNS` pairs, where the first
  run's LP is the long part) from there: where the first run solved its exact score LP, that LP
  again from the stored basis (`basis_*`, `matching.vertex.LpBasis`) and the MIP where its
  solution moved; elsewhere the vertex step on the candidates near the changes; its coverage LP
  again from the previous point while coverage is short; the bundles handed out again
  (`matching.solve._warm_big`).

Stored per run as one compressed numpy archive (no pickle): `to_bytes` / `from_bytes`.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, fields

import numpy as np

from matching.arrays import unique_labels
from matching.eligibility import Pairs
from matching.problem import MatchingProblem
from matching.vertex import LpBasis

FORMAT = 2  # bump when the meaning of a stored field changes: older states are then ignored


def context_of(problem: MatchingProblem) -> str:
    """What every row and pair depends on: another context means a cold run."""
    return f"{FORMAT}:{problem.plan_start}:{problem.params.max_concurrent_jobs}"


@dataclass
class WarmStart:
    context: str
    candidate_ids: np.ndarray  # str: the run's candidates; indices below refer to these ...
    vacancy_ids: np.ndarray  # ... and these
    chosen_cand: np.ndarray  # int64 per chosen bundle pair
    chosen_vac: np.ndarray
    comp_print: np.ndarray  # uint64 per bundle component: fingerprint of its input
    comp_coverage_bound: np.ndarray  # int64 certified per component
    comp_quality_bound: np.ndarray  # int64, at the component's coverage in this solution
    comp_mu: np.ndarray  # float64: the score LP's dual on its coverage row (a starting value)
    dual_key: np.ndarray  # int64 row keys (`relax.row_keys`, indices as above) ...
    dual_coverage: np.ndarray  # float64 their duals in the coverage LP ...
    dual_quality: np.ndarray  # ... and in the score LP
    dual_slot: np.ndarray  # int64: the component (position in comp_print) of each row
    # The exact score LPs' last bases (`matching.vertex.LpBasis`, its fields with this prefix):
    # a re-run's exact LP starts from them (`matching.vertex.exact_again`).
    basis_cand: np.ndarray
    basis_vac: np.ndarray
    basis_pair_status: np.ndarray
    basis_helper_key: np.ndarray
    basis_helper_status: np.ndarray
    basis_row_key: np.ndarray
    basis_row_status: np.ndarray
    # The run's proven gaps: a re-run works on the changed components until it has these again.
    coverage_gap: float = 1.0
    quality_gap: float = 1.0

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        arrays = {f.name: getattr(self, f.name) for f in fields(self)}
        arrays["context"] = np.array(self.context)
        arrays["coverage_gap"], arrays["quality_gap"] = np.array(self.coverage_gap), np.array(self.quality_gap)
        np.savez_compressed(out, **arrays)
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> WarmStart:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            values = {f.name: z[f.name] for f in fields(cls)}
        values["context"] = str(values["context"])
        values["coverage_gap"], values["quality_gap"] = float(values["coverage_gap"]), float(values["quality_gap"])
        return cls(**values)

    @staticmethod
    def basis_fields(basis: LpBasis) -> dict[str, np.ndarray]:
        return {f"basis_{f.name}": getattr(basis, f.name) for f in fields(LpBasis)}

    def basis(self) -> LpBasis:
        """The stored bases, in this state's numbering."""
        return LpBasis(**{f.name: getattr(self, f"basis_{f.name}") for f in fields(LpBasis)})

    def index_maps(self, problem: MatchingProblem) -> tuple[np.ndarray, np.ndarray]:
        """This state's candidate and vacancy numbers -> the problem's (-1 where gone)."""
        return (_map_ids(self.candidate_ids, problem.candidates.ids),
                _map_ids(self.vacancy_ids, problem.vacancies.ids))


def _map_ids(old: np.ndarray, new: list[str]) -> np.ndarray:
    import pandas as pd

    return pd.Index(list(new)).get_indexer(pd.Index(list(old))).astype(np.int64)


def _id_hashes(ids, *attributes: np.ndarray) -> np.ndarray:
    """A 64-bit hash per id and its attributes; stable across processes (unlike `hash`)."""
    out = np.fromiter((int.from_bytes(hashlib.blake2b(str(i).encode(), digest_size=8).digest(), "little")
                       for i in ids), dtype=np.uint64, count=len(ids))
    for a in attributes:
        out = _mix(out ^ np.asarray(a).astype(np.int64).astype(np.uint64))
    return out


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the whole word."""
    x = x.astype(np.uint64)
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def component_prints(problem: MatchingProblem, pairs: Pairs, coverage: np.ndarray, quality: np.ndarray,
                     pinned: np.ndarray, component: np.ndarray, subset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(component ids, fingerprint per component) over the pairs `subset`: everything the
    component's model depends on. Order-free: a sum of per-pair hashes (mod 2**64) and the count."""
    cand_hash = _id_hashes(problem.candidates.ids, problem.candidates.desired_fte)
    vac_hash = _id_hashes(problem.vacancies.ids, problem.vacancies.headcount, problem.vacancies.fte)
    is_pin = np.zeros(len(pairs), dtype=np.uint64)
    is_pin[pinned] = 1
    p = subset
    h = _mix(cand_hash[pairs.cand[p]] ^ _mix(vac_hash[pairs.vac[p]]))
    for a in (pairs.start[p], pairs.end[p], coverage[p], quality[p], is_pin[p]):
        h = _mix(h ^ np.asarray(a).astype(np.int64).astype(np.uint64))
    comps, index = unique_labels(component[p], return_inverse=True)
    total = np.zeros(len(comps), dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.add.at(total, index, h)
    count = np.bincount(index, minlength=len(comps)).astype(np.uint64)
    return comps, _mix(total ^ _mix(count))


def previous_chosen(warm: WarmStart, problem: MatchingProblem, pairs: Pairs, cand_map: np.ndarray,
                    vac_map: np.ndarray) -> np.ndarray:
    """bool per pair: the previous solution's pairs that are still eligible."""
    out = np.zeros(len(pairs), dtype=bool)
    c, v = cand_map[warm.chosen_cand], vac_map[warm.chosen_vac]
    ok = (c >= 0) & (v >= 0)
    n_vac = len(problem.vacancies)
    keys = pairs.cand.astype(np.int64) * n_vac + pairs.vac
    want = c[ok] * n_vac + v[ok]
    pos = np.searchsorted(keys, want)
    found = pos < len(keys)
    found[found] = keys[pos[found]] == want[found]
    out[pos[found]] = True
    return out
