"""Faults: the database away and back; a process killed in the middle of an import."""

import os
import signal
import subprocess
import sys

from sqlalchemy import text
from sqlmodel import Session, func, select

from core.db import make_engine
from employers.models import Employer


def _unreachable_like(engine):
    if engine.dialect.name == "postgresql":
        return make_engine("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    return make_engine("sqlite:////nonexistent-dir/brobygger.db")


def test_database_unavailable_is_503_and_the_service_recovers(engine, client, world):
    headers = world.headers["admin"]
    assert client.get("/candidates", headers=headers).status_code == 200
    client.app.state.engine = _unreachable_like(engine)
    down = client.get("/candidates", headers=headers)
    assert down.status_code == 503 and down.headers["Retry-After"]
    assert "Databasen er ikke tilgjengelig" in down.json()["detail"]
    assert client.get("/health").status_code == 503
    client.app.state.engine = engine  # the database is back
    assert client.get("/candidates", headers=headers).status_code == 200
    assert client.get("/health").status_code == 200


def _organisation_numbers(count: int) -> list[str]:
    numbers, n = [], 90000000
    while len(numbers) < count:
        n += 1
        digits = [int(d) for d in str(n)]
        remainder = sum(d * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            numbers.append(f"{n}{check}")
    return numbers


def test_an_import_killed_midway_leaves_nothing_half_written(engine, world, tmp_path):
    total = 40000
    rows = [f"{org},Arbeidsgiver {i},cleaning,0301" for i, org in enumerate(_organisation_numbers(total))]
    big = tmp_path / "employers.csv"
    big.write_text("organisation_number,name,sector,municipality_code\n" + "\n".join(rows) + "\n")
    url = engine.url.render_as_string(hide_password=False)
    process = subprocess.Popen([sys.executable, "-m", "api.cli", "import", "employers", str(big), "--database-url", url],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The rows are checked with no transaction open; kill it as soon as it starts writing them.
    for line in process.stderr:
        if line.startswith("Lagrer"):
            break
    assert process.poll() is None, process.communicate()
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    fresh = make_engine(url)
    with Session(fresh) as s:
        assert s.exec(select(func.count()).select_from(Employer)).one() == 0
        if fresh.dialect.name == "sqlite":
            assert s.exec(text("PRAGMA integrity_check")).one()[0] == "ok"
    fresh.dispose()
