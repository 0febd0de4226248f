"""Array helpers for the solver's integer labels (components, candidates, vacancies).

Why: at the wide national scale (11.5 M pairs) `np.unique` over a label per pair sorts, and the
run called it often enough to spend 35 s in those sorts. Labels are small non-negative integers,
so counting gives the same answer in one pass.
"""

from __future__ import annotations

import numpy as np


def unique_labels(labels: np.ndarray, return_inverse: bool = False, return_counts: bool = False):
    """`np.unique(labels, return_inverse=..., return_counts=...)`, the same results, by counting
    when the labels are non-negative integers not far above their number; else by `np.unique`."""
    labels = np.asarray(labels)
    if (labels.ndim != 1 or not len(labels) or labels.dtype.kind not in "iu"
            or labels.min() < 0 or labels.max() > 4 * len(labels) + 1024):
        return np.unique(labels, return_inverse=return_inverse, return_counts=return_counts)
    counts = np.bincount(labels)
    uniq = np.flatnonzero(counts)
    out = [uniq.astype(labels.dtype)]
    if return_inverse:
        rank = np.zeros(len(counts), dtype=np.intp)
        rank[uniq] = np.arange(len(uniq))
        out.append(rank[labels])
    if return_counts:
        out.append(counts[uniq])
    return out[0] if len(out) == 1 else tuple(out)


def unique_nearly_sorted(keys: np.ndarray, return_inverse: bool = False, return_counts: bool = False):
    """`np.unique(keys, return_inverse=..., return_counts=...)`, the same results, by a stable sort
    (timsort), which is fast where the keys are already in runs, e.g. one per candidate. Measured on
    20 M such keys: 1.4 s against `np.unique`'s 4.3 s."""
    keys = np.asarray(keys)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    out = [ordered[first]]
    if return_inverse:
        inverse = np.empty(len(keys), dtype=np.intp)
        inverse[order] = np.cumsum(first) - 1
        out.append(inverse)
    if return_counts:
        out.append(np.diff(np.append(np.flatnonzero(first), len(keys))))
    return out[0] if len(out) == 1 else tuple(out)
