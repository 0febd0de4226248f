"""`unique_labels` (counting) and `unique_nearly_sorted` (a stable sort) give exactly what `np.unique` gives."""

import numpy as np
import pytest

from matching.arrays import unique_labels, unique_nearly_sorted


@pytest.mark.parametrize("labels", [
    np.array([5, 3, 3, 0, 9, 5], dtype=np.int64),
    np.random.default_rng(0).integers(0, 50, size=1000).astype(np.int32),
    np.random.default_rng(1).integers(0, 10**12, size=100),  # far above their number: sorted
    np.array([-2, 4, 4, -2]),  # negative: sorted
    np.array([3.5, 1.0, 3.5]),  # not integers: sorted
    np.repeat(np.arange(200), 5) * 1000 + np.random.default_rng(2).integers(0, 30, size=1000),  # in runs
    np.zeros(0, dtype=np.int64),
])
@pytest.mark.parametrize("unique", [unique_labels, unique_nearly_sorted])
def test_unique_matches_numpy(labels, unique):
    for inverse in (False, True):
        for counts in (False, True):
            ours, theirs = unique(labels, inverse, counts), np.unique(labels, return_inverse=inverse,
                                                                      return_counts=counts)
            ours, theirs = (ours, theirs) if isinstance(theirs, tuple) else ((ours,), (theirs,))
            assert len(ours) == len(theirs)
            for a, b in zip(ours, theirs):
                assert a.dtype == b.dtype and np.array_equal(a, b)
