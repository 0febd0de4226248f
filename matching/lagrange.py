"""Per-candidate exact bundles under prices: tighter bounds than the LP's (Lagrangian), both levels.

Why: at 20,000 x 10,000 the score LP had converged (875,152 against a certified 873,641 on the
biggest block) while the proposal had 808,790 there: the LP relaxation itself leaves the gap.
Dualise only the rows that tie candidates together (each vacancy's headcount, price lambda_j >= 0)
and the coverage floor (mu >= 0); what is left falls apart into one small problem per candidate,
solved here exactly over whole bundles (every critical day's share and job count):

    score(x) <= sum_j h_j lambda_j - mu C + sum_i max over i's bundles B of sum_{p in B} r_p,
    r_p = score_p + mu coverage_p - lambda_vac(p),

for every integer solution x with coverage >= C. Valid for any prices >= 0, and never above the
LP certificate with the same prices (the LP relaxes each candidate's rows, this does not). The
coverage level is the same with score_p replaced by coverage_p and mu = 0 (no floor): measured at
20,000 x 10,000, 35,602 percent-days off a re-run's biggest component's bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.eligibility import Pairs
from matching.model import DayGroup
from matching.problem import MatchingProblem

NODE_LIMIT = 20_000  # per candidate; past it the candidate's bound is the sum of its positive prices
PRICE_STEP_THETA = 0.5  # the first subgradient step's share of Polyak's (see `_price_steps`)
PRICE_STEP_TARGET = 0.005  # the value each step aims at: this share below the current one


@dataclass
class Bundles:
    value: np.ndarray  # float per candidate: the best bundle's price (an upper bound if not exact)
    chosen: np.ndarray  # bool per pair of `cols`: the best bundles found
    exact: np.ndarray  # bool per candidate: `value` is the maximum, not a fallback


def best_bundles(cols: np.ndarray, cand: np.ndarray, weight: np.ndarray, fte: np.ndarray, forced: np.ndarray,
                 groups: list[DayGroup], desired: np.ndarray, max_jobs: int, n_candidates: int) -> Bundles:
    """Per candidate, the bundle of its pairs `cols` (candidate `cand`, price `weight`, share
    `fte`, `forced` pinned) with the highest total price, under the rules of its critical-day
    `groups` (share at most `desired[candidate]` where `check_share`, at most `max_jobs` jobs
    where `check_count`). Pairs with a price <= 0 are left out unless forced. Only candidates
    with a group that can refuse one of their active pairs are searched; for the others every
    active pair fits at once."""
    n = len(cols)
    active = (weight > 0) | forced
    value = np.zeros(n_candidates)
    np.add.at(value, cand[active], weight[active])
    chosen = active.copy()
    exact = np.ones(n_candidates, dtype=bool)
    if not groups or not n:
        return Bundles(value, chosen, exact)
    sizes = np.array([len(g.pairs) for g in groups], dtype=np.int64)
    member_group = np.repeat(np.arange(len(groups)), sizes)
    # Each group pair's position in `cols` (-1 if not there), without an array over all pairs (a
    # re-run calls this per block: at national scale that cost about 1 s).
    pair = np.concatenate([g.pairs for g in groups])
    order = np.argsort(cols, kind="stable")
    at = order[np.minimum(np.searchsorted(cols, pair, sorter=order), n - 1)]
    member = np.where(cols[at] == pair, at, -1)
    keep = member >= 0
    keep[keep] = active[member[keep]]
    member_group, member = member_group[keep], member[keep]
    # A group can refuse a pair only if its active pairs together break one of its rules: more
    # shares than wanted, or more jobs than allowed (two jobs under a two-job rule always fit).
    owner = np.fromiter((g.candidate for g in groups), dtype=np.int64, count=len(groups))
    share_rule = np.fromiter((g.check_share for g in groups), dtype=bool, count=len(groups))
    count_rule = np.fromiter((g.check_count for g in groups), dtype=bool, count=len(groups))
    load = np.bincount(member_group, weights=fte[member], minlength=len(groups))
    jobs = np.bincount(member_group, minlength=len(groups))
    live = (jobs >= 2) & ((share_rule & (load > desired[owner])) | (count_rule & (jobs > max_jobs)))
    in_live = live[member_group]
    member_group, member = member_group[in_live], member[in_live]
    by_group = np.split(member, np.cumsum(np.bincount(member_group, minlength=len(groups)))[:-1])
    by_cand: dict[int, list[tuple[np.ndarray, DayGroup]]] = {}
    for gi in np.flatnonzero(live).tolist():
        by_cand.setdefault(groups[gi].candidate, []).append((by_group[gi], groups[gi]))
    for c, cgroups in by_cand.items():
        items = np.unique(np.concatenate([m for m, _ in cgroups]))
        caps = [(int(desired[c]) if g.check_share else 10**9, max_jobs if g.check_count else 10**9)
                for _, g in cgroups]
        best, pick, ok = _search(items, weight, fte, forced, cgroups, caps)
        if not ok:
            exact[c] = False
            continue  # keep the sum of its positive prices: a valid bound
        value[c] += best - weight[items].sum()
        chosen[items] = False
        chosen[pick] = True
    return Bundles(value, chosen, exact)


def tightened_constants(problem: MatchingProblem, pairs: Pairs, cols: np.ndarray, groups: list[DayGroup],
                        A, b: np.ndarray, y: np.ndarray, head: np.ndarray, objective: np.ndarray,
                        coverage: np.ndarray, mu: float, forced: np.ndarray, col_component: np.ndarray,
                        row_component: np.ndarray, comps: np.ndarray, comp_const: np.ndarray,
                        steps: int = 0) -> np.ndarray:
    """Each component's certificate constant, either level (`matching.relax._Split.certificate`, bound =
    const - mu x coverage floor) replaced by the Lagrangian one where that is smaller: the
    headcount rows' duals `y[head]` as prices, `mu` for the coverage floor, every candidate's
    best whole bundle. Per component both bound max(score + mu x coverage), so the smaller
    is valid too. `cols`: the LP's pair columns (the first columns of `A`), with their
    `objective` (score), `coverage`, `forced` (pinned) and `col_component`; `row_component` per
    keyed row of `A` (`head` marks the headcount rows); `comps` the sorted components that
    `comp_const` is given for. With `steps`, that many subgradient steps on the prices
    (`_price_steps`), each component keeping its smallest value. Without, no copy of `A` is
    made: at national scale that cost a gigabyte."""
    n = len(cols)
    n_keyed = len(row_component)
    y_head = np.zeros(A.shape[0])
    y_head[:n_keyed] = np.where(head[:n_keyed], np.maximum(y[:n_keyed], 0.0), 0.0)
    cand = pairs.cand[cols]
    fte = problem.vacancies.fte[pairs.vac[cols]].astype(np.int64)
    first = np.unique(cand, return_index=True)[1]  # one column per candidate carries its value
    cand_comp = np.searchsorted(comps, col_component[first])

    def evaluate(price: np.ndarray, priced: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, Bundles]:
        """Per component, the Lagrangian value with these prices per column (`priced`: the
        headcount rows with a price, `values` their prices); and the best bundles."""
        best = best_bundles(cols, cand, objective + mu * coverage - price, fte, forced, groups,
                            problem.candidates.desired_fte, problem.params.max_concurrent_jobs,
                            len(problem.candidates))
        lag = np.bincount(cand_comp, weights=best.value[cand[first]], minlength=len(comps))
        lag += np.bincount(np.searchsorted(comps, row_component[priced]), weights=b[priced] * values,
                           minlength=len(comps))
        return lag, best

    priced = np.flatnonzero(y_head[:n_keyed] > 0)  # the headcount rows' b.y, in their components
    lag, best = evaluate((A.T @ y_head)[:n], priced, y_head[priced])  # a pair lies in one headcount row
    if steps:
        rows = np.flatnonzero(head[:n_keyed])
        lag = _price_steps(A.tocsr()[rows][:, :n], b[rows], y_head[rows], lag, best, steps,
                           lambda price, at, values: evaluate(price, rows[at], values))
    return np.minimum(comp_const, lag)


def _price_steps(H, places: np.ndarray, prices: np.ndarray, lag: np.ndarray, best: Bundles, steps: int,
                 evaluate) -> np.ndarray:
    """Subgradient steps on the headcount prices of the Lagrangian, from `prices` with value `lag`
    per component and best bundles `best`: a price rises where more best bundles take the vacancy
    than it has places, falls where fewer do (Polyak's step towards a value PRICE_STEP_TARGET
    below the current one, halved whenever a step does not lower the best value so far).
    `H`: the headcount rows over the pair columns, `places` their headcounts. Returns per
    component the smallest value met: any prices >= 0 give a valid bound.
    Why: the score LP's duals (PDLP's, on big blocks, approximate) are optimal for the LP, not for
    the Lagrangian, whose candidates' problems are exact (measured on the 20,000 x 10,000 re-run's
    392,537-pair component: 8 steps took 1,785 points off its score bound, 20 steps 2,895, at 0.45 s
    a step; on a 400 x 200 instance solved by the simplex, 2 points of 9,238)."""
    theta, current = PRICE_STEP_THETA, float(lag.sum())
    lowest = current
    for _ in range(steps):
        slope = places - H @ best.chosen.astype(np.float64)  # places left over (< 0: asked for too often)
        slope[(prices <= 0) & (slope > 0)] = 0.0
        norm = float(slope @ slope)
        if norm == 0:
            break
        prices = np.maximum(prices - theta * PRICE_STEP_TARGET * abs(current) / norm * slope, 0.0)
        at = np.flatnonzero(prices > 0)
        value, best = evaluate(H.T @ prices, at, prices[at])
        lag = np.minimum(lag, value)
        current = float(value.sum())
        if current < lowest:
            lowest = current
        else:
            theta /= 2
    return lag


def _search(items, weight, fte, forced, cgroups, caps) -> tuple[float, np.ndarray, bool]:
    """Depth-first branch and bound over `items` (one candidate's active pairs in live groups):
    (best total price, the items taken, whether it finished within NODE_LIMIT)."""
    pos = {int(p): k for k, p in enumerate(items.tolist())}
    member_of: list[list[int]] = [[] for _ in items]
    for gi, (members, _) in enumerate(cgroups):
        for p in members.tolist():
            member_of[pos[p]].append(gi)
    load = [0] * len(cgroups)
    used = [0] * len(cgroups)
    share_cap = [s for s, _ in caps]
    count_cap = [k for _, k in caps]
    w = weight[items].tolist()
    f = fte[items].tolist()
    base = 0.0
    free = []
    for k in range(len(items)):
        if forced[items[k]]:
            base += w[k]
            for gi in member_of[k]:
                load[gi] += f[k]
                used[gi] += 1
        else:
            free.append(k)
    if any(load[gi] > share_cap[gi] or used[gi] > count_cap[gi] for gi in range(len(cgroups))):
        return 0.0, items[:0], False  # the pins break a rule: no exact value here
    free.sort(key=lambda k: -w[k])
    suffix = [0.0] * (len(free) + 1)
    for i in range(len(free) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + w[free[i]]
    best = [base, []]
    taken: list[int] = []
    nodes = [0]

    def fits(k) -> bool:
        return all(load[gi] + f[k] <= share_cap[gi] and used[gi] < count_cap[gi] for gi in member_of[k])

    def dfs(i: int, cur: float) -> bool:
        nodes[0] += 1
        if nodes[0] > NODE_LIMIT:
            return False
        if cur > best[0]:
            best[0], best[1] = cur, taken.copy()
        if i == len(free) or cur + suffix[i] <= best[0]:
            return True
        k = free[i]
        if fits(k):
            for gi in member_of[k]:
                load[gi] += f[k]
                used[gi] += 1
            taken.append(k)
            ok = dfs(i + 1, cur + w[k])
            taken.pop()
            for gi in member_of[k]:
                load[gi] -= f[k]
                used[gi] -= 1
            if not ok:
                return False
        return dfs(i + 1, cur)

    if not dfs(0, base):
        return 0.0, items[:0], False
    pick = [k for k in range(len(items)) if forced[items[k]]] + best[1]
    return best[0], items[np.array(pick, dtype=np.int64)], True
