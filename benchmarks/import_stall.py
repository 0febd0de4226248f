"""A large spreadsheet import while another client keeps working: how long the import takes, and how
long the other client waits at most for an answer meanwhile. Prints the figures.

    .venv/bin/python -m benchmarks.import_stall [--database-url URL] [--rows 20000]

Without --database-url it uses a fresh SQLite file (where one connection is shared by every request,
so an import that holds it stalls everyone). It starts the app with uvicorn on a free port, sends one
import of `rows` candidates, and meanwhile reads a candidate in a loop from a second client."""

import argparse
import threading
import time

import httpx

from benchmarks.concurrency import prepare, serve


def candidates_csv(project_id: int, rows: int) -> bytes:
    lines = ["project_id,first_name,last_name,email,municipality_code,norwegian_level,wanted_fte,working_hours,"
             "certificates,wish_sectors,languages"]
    for n in range(rows):
        lines.append(f"{project_id},Navn{n},Etternavn{n},k{n}@example.no,0301,B1,{50 + n % 51},day|evening,"
                     f"driving_licence_B|police_certificate@2026-10-01,cleaning|retail,somali|norsk")
    return ("\n".join(lines) + "\n").encode()


def run(base_url: str, headers: dict, candidate_id: int, project_id: int, rows: int) -> dict:
    content = candidates_csv(project_id, rows)
    done = threading.Event()
    result: dict = {}

    def importer() -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=600) as http:
            started = time.perf_counter()
            response = http.post("/import/candidates", files={"file": ("stor.csv", content)})
            result["import_seconds"] = time.perf_counter() - started
            result["import_status"] = response.status_code
            result["imported"] = response.json().get("imported")
            result["phases"] = response.json().get("seconds")
            done.set()

    waits: list[float] = []
    statuses: dict[int, int] = {}
    thread = threading.Thread(target=importer)
    with httpx.Client(base_url=base_url, headers=headers, timeout=600) as http:
        thread.start()
        time.sleep(0.2)  # the upload is under way
        while not done.is_set():
            started = time.perf_counter()
            status = http.get(f"/candidates/{candidate_id}").status_code
            waits.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            time.sleep(0.05)
    thread.join()
    return {**result, "other_requests": len(waits), "other_statuses": statuses,
            "longest_wait": max(waits, default=0.0), "median_wait": sorted(waits)[len(waits) // 2] if waits else 0.0}


def main() -> None:
    import tempfile

    from sqlmodel import Session, select

    from candidates.models import Candidate
    from core.db import make_engine
    from migrations.runner import upgrade_head

    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/import_stall.db"
    upgrade_head(url)
    engine = make_engine(url)
    headers, _key, candidate_id = prepare(engine)
    with Session(engine) as s:
        project_id = s.exec(select(Candidate.project_id).where(Candidate.id == candidate_id)).one()
    base, stop = serve(engine)
    try:
        figures = run(base, headers, candidate_id, project_id, args.rows)
    finally:
        stop()
    print(f"database: {engine.dialect.name}, rows: {args.rows}")
    print(f"import: {figures['import_seconds']:.1f} s, status {figures['import_status']}, "
          f"imported {figures['imported']}, phases {figures.get('phases')}")
    print(f"other client during the import: {figures['other_requests']} requests {figures['other_statuses']}, "
          f"longest wait {figures['longest_wait']:.2f} s, median {figures['median_wait']:.3f} s")


if __name__ == "__main__":
    main()
