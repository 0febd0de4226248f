"""Many parallel writers against one running service: no update lost without a 409, no duplicate from
retried submissions, nothing left hanging. Prints the figures.

    .venv/bin/python -m benchmarks.concurrency [--database-url URL] [--clients 50] [--updates 2000]

Without --database-url it uses a fresh SQLite file. It starts the app with uvicorn on a free
127.0.0.1 port and drives it with an httpx client per worker."""

import argparse
import socket
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx


@dataclass
class Figures:
    clients: int
    operations: int
    succeeded: int
    conflicts: int
    other: Counter
    final_version: int
    lost: int
    submissions: int
    vacancies_created: int
    seconds: float

    def lines(self) -> list[str]:
        return [
            f"klienter {self.clients}, operasjoner {self.operations}, vellykkede {self.succeeded}, "
            f"konflikter (409) {self.conflicts}, andre svar {dict(self.other) or 'ingen'}",
            f"sluttversjon {self.final_version} = 1 + vellykkede {self.succeeded}: tapte oppdateringer {self.lost}",
            f"gjentatte innsendinger av samme stilling {self.submissions}, stillinger laget {self.vacancies_created}",
            f"tid {self.seconds:.1f} s, {self.operations / self.seconds:.0f} operasjoner/s",
        ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(engine):
    """The real app on its own thread; returns (base URL, stop function)."""
    import uvicorn

    from api.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=_free_port(),
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=20)

    return f"http://127.0.0.1:{server.config.port}", stop


def run(base_url: str | list[str], headers: dict, employer_key: dict, candidate_id: int, *, clients: int,
        updates: int) -> Figures:
    """`updates` read-modify-write updates of one candidate by `clients` workers, each sending the
    version it read; plus every worker submitting the same vacancy (same external_id) at once.
    Several base URLs (API replicas): the clients are spread over them in turn."""
    urls = [base_url] if isinstance(base_url, str) else list(base_url)
    base_url = urls[0]
    outcomes: Counter = Counter()
    started = time.perf_counter()

    def worker(n: int) -> None:
        with httpx.Client(base_url=urls[n % len(urls)], headers=headers, timeout=60) as http:
            for i in range(updates // clients):
                current = http.get(f"/candidates/{candidate_id}")
                if current.status_code != 200:
                    outcomes[f"GET {current.status_code}: {current.text[:80]}"] += 1
                    continue
                response = http.patch(f"/candidates/{candidate_id}", json={
                    "version": current.json()["version"], "max_commute_km": (n * 7 + i) % 100})
                outcomes[response.status_code] += 1

    def submit(n: int) -> int:
        vacancy = {"external_id": "SAMME-1", "title": "Renholder", "occupation_code": "9112",
                   "municipality_code": "0301", "fte": 50, "contract_type": "permanent", "start": "2027-01-01",
                   "working_hours": ["day"]}
        with httpx.Client(base_url=urls[n % len(urls)], headers=employer_key, timeout=60) as http:
            return http.post("/employer/vacancies", json=vacancy).status_code

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
        submitted = list(pool.map(submit, range(clients)))
    seconds = time.perf_counter() - started
    with httpx.Client(base_url=base_url, headers=headers) as http:
        final = http.get(f"/candidates/{candidate_id}").json()["version"]
        vacancies = http.get("/vacancies").json()
    succeeded = outcomes.pop(200, 0)
    conflicts = outcomes.pop(409, 0)
    return Figures(clients=clients, operations=succeeded + conflicts + sum(outcomes.values()), succeeded=succeeded,
                   conflicts=conflicts, other=outcomes, final_version=final, lost=1 + succeeded - final,
                   submissions=len(submitted), vacancies_created=sum(1 for v in vacancies if v["external_id"] == "SAMME-1"),
                   seconds=seconds)


def prepare(engine) -> tuple[dict, dict, int]:
    """A project, an admin, an employer with an API key, and one candidate to fight over."""
    from sqlmodel import Session

    from accounts.service import Principal, create_api_key, create_user, issue_token
    from candidates.schemas import CandidateCreate
    from candidates.service import create_candidate
    from core.projects import create_project
    from core.types import Role
    from employers.schemas import EmployerCreate
    from employers.service import create_employer

    with Session(engine) as s:
        project = create_project(s, name="Last", programme="Test", municipality_code="0301")
        admin = create_user(s, username="last-admin", password="et-langt-passord", role="admin", full_name="Last")
        token, _ = issue_token(s, admin, 120)
        actor = Principal(Role.admin, admin.id, admin.full_name)
        create_employer(s, EmployerCreate(organisation_number="974760673", name="Last AS", sector="cleaning",
                                          municipality_code="0301"), actor)
        key, _ = create_api_key(s, organisation_number="974760673", label="last", created_by=admin.id)
        candidate = create_candidate(s, CandidateCreate(project_id=project.id, first_name="Delt", last_name="Kandidat"),
                                     actor)
        s.commit()
        return {"Authorization": f"Bearer {token}"}, {"X-API-Key": key}, candidate.id


def main() -> None:
    import tempfile

    from core.db import make_engine
    from migrations.runner import upgrade_head

    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--updates", type=int, default=2000)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/concurrency.db"
    upgrade_head(url)
    engine = make_engine(url)
    headers, key, candidate_id = prepare(engine)
    base, stop = serve(engine)
    try:
        figures = run(base, headers, key, candidate_id, clients=args.clients, updates=args.updates)
    finally:
        stop()
    print(f"database: {engine.dialect.name}")
    for line in figures.lines():
        print(line)


if __name__ == "__main__":
    main()
