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

The per-candidate problems are small (at 20,000 x 10,000, 94 % of the searched candidates have at
most 12 pairs in groups that can refuse one): those are solved by trying every subset at once, in
numpy batches of candidates with as many pairs; the rest by a depth-first search. Measured there:
a price step 0.55-0.7 s with the search alone, 0.11-0.14 s with both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.eligibility import Pairs
from matching.model import DayGroup
from matching.problem import MatchingProblem

NODE_LIMIT = 20_000  # per candidate; past it the candidate's bound is the sum of its positive prices
PRICE_STEP_THETA = 0.5  # the first subgradient step's share of Polyak's (see `_price_steps`)
PRICE_STEP_TARGET = 0.005  # the value each step aims at: this share below the current one (from LP duals)


@dataclass
class Bundles:
    value: np.ndarray  # float per candidate: the best bundle's price (an upper bound if not exact)
    chosen: np.ndarray  # bool per pair of `cols`: the best bundles found
    exact: np.ndarray  # bool per candidate: `value` is the maximum, not a fallback


def best_bundles(cols: np.ndarray, cand: np.ndarray, weight: np.ndarray, fte: np.ndarray, forced: np.ndarray,
                 groups: list[DayGroup], desired: np.ndarray, max_jobs: int, n_candidates: int) -> Bundles:
    """Per candidate, the bundle of its pairs `cols` with the highest total price `weight` (see
    `BundleSearch`)."""
    return BundleSearch(cols, cand, fte, forced, groups, desired, max_jobs, n_candidates).best(weight)


class BundleSearch:
    """Best bundles per candidate under many prices (a price step each): what does not depend on
    the prices is worked out once (at 20,000 x 10,000, the pairs' places in the groups were a
    third of a search)."""

    def __init__(self, cols: np.ndarray, cand: np.ndarray, fte: np.ndarray, forced: np.ndarray,
                 groups: list[DayGroup], desired: np.ndarray, max_jobs: int, n_candidates: int):
        """The pairs `cols` (candidate `cand`, share `fte`, `forced` pinned; per position in
        `cols`) under the rules of their critical-day `groups` (share at most
        `desired[candidate]` where `check_share`, at most `max_jobs` jobs where `check_count`)."""
        self.cand, self.fte, self.forced, self.n_candidates = cand, fte, forced, n_candidates
        self.n_groups = len(groups)
        n = len(cols)
        if not groups or not n:
            self.member = self.member_group = np.zeros(0, dtype=np.int64)
            return
        sizes = np.array([len(g.pairs) for g in groups], dtype=np.int64)
        member_group = np.repeat(np.arange(len(groups)), sizes)
        # Each group pair's position in `cols` (-1 if not there), without an array over all pairs
        # (a re-run calls this per block: at national scale that cost about 1 s).
        pair = np.concatenate([g.pairs for g in groups])
        order = np.argsort(cols, kind="stable")
        at = order[np.minimum(np.searchsorted(cols, pair, sorter=order), n - 1)]
        member = np.where(cols[at] == pair, at, -1)
        self.member_group, self.member = member_group[member >= 0], member[member >= 0]
        self.owner = np.fromiter((g.candidate for g in groups), dtype=np.int64, count=len(groups))
        self.share_cap = np.where([g.check_share for g in groups], desired[self.owner].astype(np.int64), _NO_CAP)
        self.count_cap = np.where([g.check_count for g in groups], np.int64(max_jobs), _NO_CAP)

    def best(self, weight: np.ndarray) -> Bundles:
        """Per candidate, the bundle of its pairs with the highest total `weight` (per position in
        `cols`). Pairs with a price <= 0 are left out unless forced. Only candidates with a group
        that can refuse one of their active pairs are searched; for the others every active
        pair fits at once."""
        cand, fte, forced = self.cand, self.fte, self.forced
        active = (weight > 0) | forced
        value = np.bincount(cand[active], weights=weight[active], minlength=self.n_candidates)
        chosen = active.copy()
        exact = np.ones(self.n_candidates, dtype=bool)
        keep = active[self.member]
        member_group, member = self.member_group[keep], self.member[keep]
        if not len(member):
            return Bundles(value, chosen, exact)
        # A group can refuse a pair only if its active pairs together break one of its rules: more
        # shares than wanted, or more jobs than allowed (two jobs under a two-job rule always fit).
        share_cap, count_cap = self.share_cap, self.count_cap
        load = np.bincount(member_group, weights=fte[member], minlength=self.n_groups)
        jobs = np.bincount(member_group, minlength=self.n_groups)
        live = (jobs >= 2) & ((load > share_cap) | (jobs > count_cap))
        in_live = live[member_group]
        member_group, member = member_group[in_live], member[in_live]
        if not len(member):
            return Bundles(value, chosen, exact)
        searched = _Searched(member_group, member, cand, self.owner, live)
        small = (searched.size <= ENUMERATE_MAX) & (searched.group_size <= _BITS)
        for size in np.unique(searched.size[small]).tolist():
            rows = np.flatnonzero(small & (searched.size == size))
            for part in np.array_split(rows, -(-len(rows) * (1 << size) // ENUMERATE_CELLS)):
                _enumerate(searched, part, size, weight, fte, forced, share_cap, count_cap, value, chosen, exact)
        for row in np.flatnonzero(~small).tolist():
            c, items, at_group = int(searched.cands[row]), searched.items_of(row), searched.groups_of(row)
            best, pick, ok = _search(items, searched.groups_per_item(row), weight, fte, forced,
                                     share_cap[at_group].tolist(), count_cap[at_group].tolist())
            if not ok:
                exact[c] = False
                continue  # keep the sum of its positive prices: a valid bound
            value[c] += best - weight[items].sum()
            chosen[items] = False
            chosen[pick] = True
        return Bundles(value, chosen, exact)


ENUMERATE_MAX = 12  # candidates with at most this many searched pairs: all 2^n bundles at once (94 % of them)
ENUMERATE_CELLS = 1 << 20  # candidates x bundles per batch: a few arrays of this many numbers
_NO_CAP = 10**9
_BITS = 62  # groups per candidate a pair's bit mask can name; candidates with more are searched depth-first


class _Searched:
    """The searched candidates (`cands`), their pairs in candidate order (`items`, positions in
    `cols`; `size` per candidate, from `start`), their live groups (`group_ids`, numbered per
    candidate in that order, `group_size` per candidate from `group_start`), and which of them
    each pair is in: a bit mask per pair (`bits`, the first _BITS groups) and, for the
    depth-first search, the memberships in candidate order (`m_item`, `m_group`, from `m_start`)."""

    def __init__(self, member_group, member, cand, owner, live):
        items = np.unique(member)
        items = items[np.argsort(cand[items], kind="stable")]
        self.items = items
        self.cands, self.start, self.size = np.unique(cand[items], return_index=True, return_counts=True)
        group_ids = np.flatnonzero(live)
        group_ids = group_ids[np.argsort(owner[group_ids], kind="stable")]
        _, g_start, g_size = np.unique(owner[group_ids], return_index=True, return_counts=True)
        self.group_ids, self.group_start, self.group_size = group_ids, g_start, g_size
        local = np.empty(len(owner), dtype=np.int64)
        local[group_ids] = np.arange(len(group_ids)) - np.repeat(g_start, g_size)
        by_position = np.argsort(items)
        item_of = by_position[np.searchsorted(items, member, sorter=by_position)]
        group_of = local[member_group]
        self.bits = np.zeros(len(items), dtype=np.int64)
        bit = np.where(group_of < _BITS, np.left_shift(1, np.minimum(group_of, _BITS)), 0)
        np.bitwise_or.at(self.bits, item_of, bit)
        self.max_groups = int(min(g_size.max(), _BITS))
        order = np.argsort(item_of, kind="stable")  # items are in candidate order
        self.m_item, self.m_group = item_of[order], group_of[order]
        self.m_start = np.searchsorted(self.m_item, self.start)

    def items_of(self, row: int) -> np.ndarray:
        return self.items[self.start[row]:self.start[row] + self.size[row]]

    def groups_of(self, row: int) -> np.ndarray:
        return self.group_ids[self.group_start[row]:self.group_start[row] + self.group_size[row]]

    def groups_per_item(self, row: int) -> list[list[int]]:
        """Per pair of the candidate, the numbers of its groups the pair is in."""
        out: list[list[int]] = [[] for _ in range(int(self.size[row]))]
        end = self.m_start[row + 1] if row + 1 < len(self.m_start) else len(self.m_item)
        first = int(self.start[row])
        for item, group in zip(self.m_item[self.m_start[row]:end].tolist(), self.m_group[self.m_start[row]:end].tolist()):
            out[item - first].append(group)
        return out


def _enumerate(s: _Searched, rows: np.ndarray, size: int, weight, fte, forced, share_cap, count_cap,
               value, chosen, exact) -> None:
    """The best bundle of each candidate in `rows` (all with `size` searched pairs) by trying every
    subset of its pairs at once; updates `value`, `chosen` and `exact` as `best_bundles` says."""
    idx = s.start[rows][:, None] + np.arange(size)  # (candidates, size) positions in s.items
    items = s.items[idx]
    subsets = ((np.arange(1 << size)[:, None] >> np.arange(size)) & 1).astype(np.float64).T  # (size, 2^size)
    w, f, pinned = weight[items], fte[items].astype(np.float64), forced[items]
    total = w @ subsets
    ok = (pinned.astype(np.float64) @ subsets) == pinned.sum(axis=1)[:, None]
    bits = s.bits[idx]
    for g in range(s.max_groups):
        has = s.group_size[rows] > g
        gi = s.group_ids[s.group_start[rows] + np.where(has, g, 0)]
        inside = ((bits >> g) & 1).astype(np.float64)
        share = np.where(has, share_cap[gi], _NO_CAP)[:, None]
        count = np.where(has, count_cap[gi], _NO_CAP)[:, None]
        ok &= ((inside * f) @ subsets <= share) & (inside @ subsets <= count)
    total[~ok] = -np.inf
    best = total.argmax(axis=1)
    found = ok[np.arange(len(rows)), best]  # none fits only when the pins themselves break a rule
    cands = s.cands[rows]
    exact[cands[~found]] = False  # keeps the sum of its positive prices: a valid bound
    rows_ok = np.flatnonzero(found)
    value[cands[rows_ok]] += total[rows_ok, best[rows_ok]] - w[rows_ok].sum(axis=1)
    chosen[items[rows_ok]] = subsets.T[best[rows_ok]].astype(bool)


def pair_search(problem: MatchingProblem, pairs: Pairs, cols: np.ndarray, groups: list[DayGroup],
                forced: np.ndarray) -> BundleSearch:
    """`BundleSearch` over the pairs `cols` (`forced`: pinned, per position in `cols`)."""
    return BundleSearch(cols, pairs.cand[cols], problem.vacancies.fte[pairs.vac[cols]].astype(np.int64), forced,
                        groups, problem.candidates.desired_fte, problem.params.max_concurrent_jobs,
                        len(problem.candidates))


def tightened_constants(problem: MatchingProblem, pairs: Pairs, cols: np.ndarray, groups: list[DayGroup],
                        A, b: np.ndarray, y: np.ndarray, head: np.ndarray, objective: np.ndarray,
                        coverage: np.ndarray, mu: float, forced: np.ndarray, col_component: np.ndarray,
                        row_component: np.ndarray, comps: np.ndarray, comp_const: np.ndarray,
                        steps: int = 0, start: np.ndarray | None = None,
                        target: float = PRICE_STEP_TARGET,
                        search: BundleSearch | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Each component's certificate constant, either level (`matching.relax._Split.certificate`, bound =
    const - mu x coverage floor) replaced by the Lagrangian one where that is smaller: the
    headcount rows' duals `y[head]` as prices, `mu` for the coverage floor, every candidate's
    best whole bundle. Per component both bound max(score + mu x coverage), so the smaller
    is valid too. `cols`: the LP's pair columns (the first columns of `A`), with their
    `objective` (score), `coverage`, `forced` (pinned) and `col_component`; `row_component` per
    keyed row of `A` (`head` marks the headcount rows); `comps` the sorted components that
    `comp_const` is given for.
    With `start` (prices per keyed row, e.g. the previous run's, see `matching.relax.ROW_PRICE`)
    those prices are tried too, and with `steps` that many subgradient steps follow from the
    better of the two (`_price_steps`, each aiming `target` below the current value), each
    component keeping its smallest value. Returns the
    constants and, when prices were tried or stepped, per keyed row the prices of its
    component's smallest value (0 off the headcount rows), for the next run; else None. No copy
    of `A` is made: at national scale that cost a gigabyte. `search`: `pair_search` of the same
    pairs, when the caller has one (both levels of a block share it)."""
    n = len(cols)
    n_keyed = len(row_component)
    y_head = np.zeros(A.shape[0])
    y_head[:n_keyed] = np.where(head[:n_keyed], np.maximum(y[:n_keyed], 0.0), 0.0)
    cand = pairs.cand[cols]
    first = np.unique(cand, return_index=True)[1]  # one column per candidate carries its value
    cand_comp = np.searchsorted(comps, col_component[first])
    rows = np.flatnonzero(head[:n_keyed])
    row_comp = np.searchsorted(comps, row_component[rows])
    if search is None:
        search = pair_search(problem, pairs, cols, groups, forced)

    def evaluate(prices: np.ndarray) -> tuple[np.ndarray, Bundles]:
        """Per component, the Lagrangian value with these prices per headcount row (`rows`); and
        the best bundles. A pair lies in one headcount row, so its price is that row's."""
        y_full = np.zeros(A.shape[0])
        y_full[rows] = prices
        price = (A.T @ y_full)[:n]
        best = search.best(objective + mu * coverage - price)
        lag = np.bincount(cand_comp, weights=best.value[cand[first]], minlength=len(comps))
        lag += np.bincount(row_comp, weights=b[rows] * prices, minlength=len(comps))
        return lag, best

    prices = y_head[rows]
    lag, best = evaluate(prices)
    kept = None
    if start is not None:
        tried = np.maximum(start[rows], 0.0)
        lag_tried, best_tried = evaluate(tried)
        kept = np.where((lag_tried < lag)[row_comp], tried, prices)
        if lag_tried.sum() < lag.sum():
            prices, best = tried, best_tried
        lag = np.minimum(lag, lag_tried)
    if steps:
        def used(chosen: np.ndarray) -> np.ndarray:
            """Per headcount row, the places the chosen pairs take."""
            x = np.zeros(A.shape[1])
            x[:n] = chosen
            return (A @ x)[rows]

        lag, kept = _price_steps(used, b[rows], prices, lag, best, steps, row_comp,
                                 prices if kept is None else kept, evaluate, target)
    if kept is None:
        return np.minimum(comp_const, lag), None
    out = np.zeros(n_keyed)
    out[rows] = kept
    return np.minimum(comp_const, lag), out


def _price_steps(used, places: np.ndarray, prices: np.ndarray, lag: np.ndarray, best: Bundles, steps: int,
                 row_comp: np.ndarray, kept: np.ndarray, evaluate, target: float) -> tuple[np.ndarray, np.ndarray]:
    """Subgradient steps on the headcount prices of the Lagrangian, from `prices` with best
    bundles `best`: a price rises where more best bundles take the vacancy than it has places,
    falls where fewer do (Polyak's step towards a value `target` (a share) below the current one,
    halved whenever a step does not lower the best value so far). `used(chosen)`: per headcount
    row the places the chosen pairs take; `places` the rows' headcounts, `row_comp` their
    components' positions in `lag` (the smallest value met so far per component, at prices
    `kept`). Returns per component the smallest value met, and per row the prices that met it:
    any prices >= 0 give a valid bound.
    Why: the score LP's duals (PDLP's, on big blocks, approximate) are optimal for the LP, not for
    the Lagrangian, whose candidates' problems are exact (measured on the 20,000 x 10,000 first
    run: 20 steps took 2,946 points off the score bound, gap 0.452 % -> 0.207 %, at 0.11 s a step;
    on a 400 x 200 instance solved by the simplex, 2 points of 9,238)."""
    theta, current = PRICE_STEP_THETA, float(lag.sum())
    lowest = current
    for _ in range(steps):
        slope = places - used(best.chosen)  # places left over (< 0: asked for too often)
        slope[(prices <= 0) & (slope > 0)] = 0.0
        norm = float(slope @ slope)
        if norm == 0:
            break
        prices = np.maximum(prices - theta * target * abs(current) / norm * slope, 0.0)
        value, best = evaluate(prices)
        kept = np.where((value < lag)[row_comp], prices, kept)
        lag = np.minimum(lag, value)
        current = float(value.sum())
        if current < lowest:
            lowest = current
        else:
            theta /= 2
    return lag, kept


def _search(items, member_of: list[list[int]], weight, fte, forced, share_cap: list,
            count_cap: list) -> tuple[float, np.ndarray, bool]:
    """Depth-first branch and bound over `items` (one candidate's active pairs in live groups,
    `member_of` the groups each is in, and the groups' caps): (best total price, the items taken,
    whether it finished within NODE_LIMIT). For candidates too big to enumerate."""
    load = [0] * len(share_cap)
    used = [0] * len(share_cap)
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
    if any(load[gi] > share_cap[gi] or used[gi] > count_cap[gi] for gi in range(len(share_cap))):
        return 0.0, items[:0], False  # the pins break a rule: no exact value here
    free.sort(key=lambda k: -w[k])
    suffix = [0.0] * (len(free) + 1)
    for i in range(len(free) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + w[free[i]]
    best = [base, []]
    taken: list[int] = []
    nodes = [0]
    # Per position in `free`: the item's price, share and groups (plain lists: this loop is pure
    # Python, and on the wide national case it searched 3.9 M nodes).
    free_w = [w[k] for k in free]
    free_f = [f[k] for k in free]
    free_groups = [member_of[k] for k in free]
    n_free = len(free)

    def dfs(i: int, cur: float) -> bool:
        nodes[0] += 1
        if nodes[0] > NODE_LIMIT:
            return False
        if cur > best[0]:
            best[0], best[1] = cur, taken.copy()
        if i == n_free or cur + suffix[i] <= best[0]:
            return True
        fk, groups = free_f[i], free_groups[i]
        for gi in groups:
            if load[gi] + fk > share_cap[gi] or used[gi] >= count_cap[gi]:
                break
        else:  # it fits: take it
            for gi in groups:
                load[gi] += fk
                used[gi] += 1
            taken.append(free[i])
            ok = dfs(i + 1, cur + free_w[i])
            taken.pop()
            for gi in groups:
                load[gi] -= fk
                used[gi] -= 1
            if not ok:
                return False
        return dfs(i + 1, cur)

    if not dfs(0, base):
        return 0.0, items[:0], False
    pick = [k for k in range(len(items)) if forced[items[k]]] + best[1]
    return best[0], items[np.array(pick, dtype=np.int64)], True
