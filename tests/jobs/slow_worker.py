"""`brobygger worker`, unchanged, with a solve that takes BROBYGGER_TEST_SOLVE_SECONDS longer: a
tiny instance would otherwise finish before a test could kill its worker or cancel it. The extra
time passes through real progress points (the same callback the solver calls), five a second.

    python -m tests.jobs.slow_worker [worker options]"""

import os
import sys
import time

from matching import service


def _slow(real_solve, seconds: float):
    def solve(problem, *args, progress=None, **kwargs):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if progress:
                progress({"phase": "eligibility", "seconds": round(seconds - (end - time.monotonic()), 1)})
            time.sleep(0.2)
        return real_solve(problem, *args, progress=progress, **kwargs)

    return solve


if __name__ == "__main__":
    service.solve = _slow(service.solve, float(os.environ.get("BROBYGGER_TEST_SOLVE_SECONDS", "0")))
    from api.cli import main

    sys.exit(main(["worker", *sys.argv[1:]]))
