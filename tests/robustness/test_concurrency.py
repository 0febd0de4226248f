"""Parallel writers against the running service, on SQLite and PostgreSQL (benchmarks/concurrency.py
prints the full-size figures)."""

from benchmarks.concurrency import prepare, run, serve


def test_parallel_writers_lose_nothing_and_retries_never_duplicate(engine, capsys):
    headers, key, candidate_id = prepare(engine)
    base, stop = serve(engine)
    try:
        figures = run(base, headers, key, candidate_id, clients=20, updates=200)
    finally:
        stop()
    with capsys.disabled():
        print("\n" + "\n".join(figures.lines()))
    assert figures.other == {}  # every answer was 200 or 409: no 5xx, nothing hanging
    assert figures.succeeded >= 1 and figures.operations == 200
    assert figures.lost == 0
    assert figures.vacancies_created == 1
