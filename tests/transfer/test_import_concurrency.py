"""A large import does not stall other users: the rows are checked with no database connection
held, and written in one short transaction (on SQLite, one connection serves every request)."""

import threading
import time

from benchmarks.import_stall import candidates_csv


def test_another_request_is_answered_while_a_large_import_runs(client, world, make_candidate):
    someone = make_candidate()
    content = candidates_csv(world.project_a, 6000)
    finished: dict[str, float] = {}

    def run_import() -> None:
        response = client.post("/import/candidates", files={"file": ("stor.csv", content)},
                               headers=world.headers["staff_a"])
        finished["import"] = time.perf_counter()
        finished["status"] = response.status_code
        finished["imported"] = response.json()["imported"]

    started = time.perf_counter()
    thread = threading.Thread(target=run_import)
    thread.start()
    time.sleep(0.5)  # the import is checking its rows now (that takes seconds for 6,000)
    other = client.get(f"/candidates/{someone['id']}", headers=world.headers["staff_a"])
    answered = time.perf_counter()
    thread.join(timeout=600)
    assert other.status_code == 200
    assert finished["status"] == 200 and finished["imported"] == 6000
    duration = finished["import"] - started
    # Before, the import held the one connection from its first row to its commit, and the other
    # request was answered only at the end. Now it is answered long before the import finishes.
    assert answered < finished["import"] - duration / 3, (answered - started, duration)
