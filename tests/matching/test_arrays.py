"""The counting `unique_labels` gives exactly what `np.unique` gives."""

import numpy as np
import pytest

from matching.arrays import unique_labels


@pytest.mark.parametrize("labels", [
    np.array([5, 3, 3, 0, 9, 5], dtype=np.int64),
    np.random.default_rng(0).integers(0, 50, size=1000).astype(np.int32),
    np.random.default_rng(1).integers(0, 10**12, size=100),  # far above their number: sorted
    np.array([-2, 4, 4, -2]),  # negative: sorted
    np.array([3.5, 1.0, 3.5]),  # not integers: sorted
    np.zeros(0, dtype=np.int64),
])
def test_unique_labels_matches_numpy(labels):
    for inverse in (False, True):
        for counts in (False, True):
            ours, theirs = unique_labels(labels, inverse, counts), np.unique(labels, return_inverse=inverse,
                                                                            return_counts=counts)
            ours, theirs = (ours, theirs) if isinstance(theirs, tuple) else ((ours,), (theirs,))
            assert len(ours) == len(theirs)
            for a, b in zip(ours, theirs):
                assert a.dtype == b.dtype and np.array_equal(a, b)
