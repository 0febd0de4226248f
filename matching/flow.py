"""Exact flow and assignment algorithms for the plain cases: no bundles, so no CP-SAT.

- `max_weight_b_matching`: each left node used at most `left_cap` times, each right node at
  most `right_cap` times, each pair at most once; maximise total weight. OR-Tools
  `SimpleMinCostFlow`, exact for integer weights. Serves 1:1 matching with headcounts
  (cap 1 per candidate) and shortlists (k per vacancy, p per candidate).
- `max_weight_one_to_one`: 1:1 on a sparse graph by scipy's LAPJVsp (the bundle hand-out).
- `max_weight_matching`: 1:1, for `brobygger assign`. Dense inputs go to scipy's
  `linear_sum_assignment` (unlisted pairs weigh 0, which is the same as leaving both sides
  unassigned, since all weights are >= 0); sparse inputs go to the min-cost flow.
"""

from __future__ import annotations

import numpy as np

# Min-cost flow multiplies costs internally by about the node count: keep costs well below
# int64 range / nodes.
MAX_FLOW_COST = 10**12
EXACT_FLOAT = 2**52  # integer sums in float64 costs stay exact below this
DENSE_MIN_DENSITY = 0.05  # share of listed pairs above which the dense algorithm is used
DENSE_MAX_CELLS = 16_000_000  # 128 MB of float64


def max_weight_b_matching(n_left: int, n_right: int, left: np.ndarray, right: np.ndarray,
                          weight: np.ndarray, left_cap, right_cap) -> np.ndarray:
    """Returns a bool per pair: chosen. Pairs with weight <= 0 are never chosen."""
    from ortools.graph.python import min_cost_flow

    weight = np.asarray(weight, dtype=np.int64)
    chosen = np.zeros(len(weight), dtype=bool)
    useful = np.flatnonzero(weight > 0)
    if len(useful) == 0:
        return chosen
    w_max = int(weight[useful].max())
    if w_max > MAX_FLOW_COST:
        raise ValueError(f"weights up to {w_max} are too large for the min-cost flow")
    left_cap = np.broadcast_to(np.asarray(left_cap, dtype=np.int64), (n_left,))
    right_cap = np.broadcast_to(np.asarray(right_cap, dtype=np.int64), (n_right,))
    source, sink = 0, n_left + n_right + 1
    supply = int(left_cap.sum())
    # Every unit of supply goes either through one pair (cost w_max - w) or straight to the
    # sink (cost w_max); minimising cost therefore maximises the total weight of used pairs.
    tails = np.concatenate([
        np.zeros(n_left, np.int64), 1 + left[useful].astype(np.int64),
        1 + n_left + np.arange(n_right, dtype=np.int64), [source]])
    heads = np.concatenate([
        1 + np.arange(n_left, dtype=np.int64), 1 + n_left + right[useful].astype(np.int64),
        np.full(n_right, sink, np.int64), [sink]])
    caps = np.concatenate([left_cap, np.ones(len(useful), np.int64), right_cap, [supply]])
    costs = np.concatenate([np.zeros(n_left, np.int64), w_max - weight[useful],
                            np.zeros(n_right, np.int64), [w_max]])
    smcf = min_cost_flow.SimpleMinCostFlow()
    arcs = smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    smcf.set_nodes_supplies(np.array([source, sink]), np.array([supply, -supply]))
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    pair_arcs = arcs[n_left:n_left + len(useful)]
    chosen[useful] = smcf.flows(pair_arcs) > 0
    return chosen


def max_weight_one_to_one(n_left: int, n_right: int, left: np.ndarray, right: np.ndarray,
                          weight: np.ndarray) -> np.ndarray:
    """1:1 maximum-weight matching on a sparse graph with integer weights (each pair listed
    once); a bool per pair.
    scipy's LAPJVsp (`min_weight_full_bipartite_matching`) on the right side against the left
    side plus one stand-in per right node (cost w_max + 1: "left unmatched"), so that a full
    matching always exists and its minimum cost is the maximum weight. Measured on the bundle
    hand-out of the 20,000 x 10,000 benchmark (522,441 pairs): 0.78 s against 3.0 s for the
    min-cost flow, same optimum. Float costs are exact while the total stays below 2**52;
    above that it falls back to the min-cost flow."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    weight = np.asarray(weight, dtype=np.int64)
    chosen = np.zeros(len(weight), dtype=bool)
    useful = np.flatnonzero(weight > 0)
    if len(useful) == 0:
        return chosen
    top = int(weight[useful].max()) + 1
    if top * (n_right + 1) >= EXACT_FLOAT:
        return max_weight_b_matching(n_left, n_right, left, right, weight, 1, 1)
    rows = np.concatenate([right[useful], np.arange(n_right)]).astype(np.int64)
    cols = np.concatenate([left[useful], n_left + np.arange(n_right)]).astype(np.int64)
    cost = np.concatenate([top - weight[useful], np.full(n_right, top)]).astype(np.float64)
    matrix = csr_matrix((cost, (rows, cols)), shape=(n_right, n_left + n_right))
    matched_right, matched_left = min_weight_full_bipartite_matching(matrix)
    partner = np.full(n_right, -1, dtype=np.int64)
    real = matched_left < n_left
    partner[matched_right[real]] = matched_left[real]
    chosen[useful] = partner[right[useful]] == left[useful]
    return chosen


def max_weight_matching(n_left: int, n_right: int, left: np.ndarray, right: np.ndarray,
                        weight: np.ndarray) -> np.ndarray:
    """1:1 maximum-weight matching (weights >= 0; duplicate pairs not allowed).
    Returns a bool per pair: chosen. Zero-weight pairs are never chosen (they add nothing)."""
    cells = n_left * n_right
    if cells and cells <= DENSE_MAX_CELLS and len(weight) >= DENSE_MIN_DENSITY * cells:
        return _dense_matching(n_left, n_right, left, right, weight)
    if np.issubdtype(np.asarray(weight).dtype, np.floating):
        raise TypeError("the sparse path needs integer weights; scale decimal scores first")
    return max_weight_b_matching(n_left, n_right, left, right, weight, 1, 1)


def _dense_matching(n_left, n_right, left, right, weight) -> np.ndarray:
    from scipy.optimize import linear_sum_assignment

    matrix = np.zeros((n_left, n_right), dtype=np.float64)
    matrix[left, right] = weight
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    assigned = np.full(n_left, -1, dtype=np.int64)
    assigned[rows] = cols
    return (assigned[left] == right) & (np.asarray(weight) > 0)
