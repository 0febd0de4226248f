"""Reference for `brobygger assign`: the same file-to-file job as a plain scipy script
(pandas in, dense linear_sum_assignment, pandas out). Usage: python reference_assign_scipy.py PAIRS.csv A.csv"""
import sys

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

pairs = pd.read_csv(sys.argv[1], dtype={"candidate_id": str, "vacancy_id": str})
left, cands = pd.factorize(pairs["candidate_id"])
right, vacs = pd.factorize(pairs["vacancy_id"])
matrix = np.zeros((len(cands), len(vacs)))
matrix[left, right] = pairs["score"].to_numpy()
rows, cols = linear_sum_assignment(matrix, maximize=True)
listed = pd.Series(np.arange(len(pairs)), index=pd.MultiIndex.from_arrays([left, right]))
idx = listed.reindex(pd.MultiIndex.from_arrays([rows, cols])).dropna().astype(int).to_numpy()
out = pairs.iloc[idx]
out[out["score"] > 0].to_csv(sys.argv[2], index=False)
