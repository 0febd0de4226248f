import subprocess
import sys
import time

import httpx
from sqlmodel import Session, select

from api.demo import DEMO_PASSWORD, demo_users, load_demo_data
from candidates.models import Candidate
from tests.serving import free_port


def test_demo_data_is_deterministic_and_usable(engine, client):
    url = engine.url.render_as_string(hide_password=False)
    summary = load_demo_data(database_url=url, per_project=4)
    assert summary["prosjekter"] == 5 and summary["kandidater"] == 20
    assert summary["arbeidsgivere"] >= 10 and summary["stillinger"] >= summary["arbeidsgivere"]
    with Session(engine) as s:
        first = [(c.first_name, c.last_name, c.wanted_fte) for c in s.exec(select(Candidate).order_by(Candidate.id))]
    load_demo_data(database_url=url, per_project=4, reset=True)
    with Session(engine) as s:
        again = [(c.first_name, c.last_name, c.wanted_fte) for c in s.exec(select(Candidate).order_by(Candidate.id))]
    assert first == again

    token = client.post("/auth/token", data={"username": "veileder.oslo", "password": DEMO_PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    listed = client.get("/candidates", headers=headers).json()
    in_programme = [c for c in listed if c["programme_status"] != "intake"]  # the rest: referred, not taken in
    assert len(in_programme) == 4 and {c["project_id"] for c in listed} == {listed[0]["project_id"]}
    referrals = client.get("/referrals", headers=headers).json()
    assert {r["decision"] for r in referrals} >= {"admitted", "refused", "waiting_list", "pending"}
    admin = client.post("/auth/token", data={"username": "admin", "password": DEMO_PASSWORD}).json()
    overview = client.get("/readiness/overview", headers={"Authorization": f"Bearer {admin['access_token']}"}).json()
    assert len([s for s in overview["steps"] if s["candidates"]]) >= 3  # spread over the staircase

    employer = client.post("/auth/token", data={"username": "arbeidsgiver", "password": DEMO_PASSWORD}).json()
    own = client.get("/employer/vacancies", headers={"Authorization": f"Bearer {employer['access_token']}"})
    assert own.status_code == 200 and own.json()  # the demo employer user sees its own vacancies
    consultant = client.post("/auth/token", data={"username": "konsulent", "password": DEMO_PASSWORD}).json()
    vacancies = client.get("/vacancies", headers={"Authorization": f"Bearer {consultant['access_token']}"}).json()
    assert {v["contract_type"] for v in vacancies} >= {"permanent", "seasonal"}
    assert any(v["fte"] < 100 for v in vacancies)
    # Every user the start-up message lists can log in, and what it says a consultant sees is true.
    for username, what in demo_users():
        if username in ("kandidat2", "kandidat3"):
            continue  # made only when the project has that many free candidates (not with 4 per project)
        assert client.post("/auth/token", data={"username": username, "password": DEMO_PASSWORD}).status_code == 200
        assert "alle kandidater" not in what or username == "admin"
    as_admin = {"Authorization": f"Bearer {admin['access_token']}"}  # the domain says samarbeidsavtale
    descriptions = [a["description"] for e in client.get("/employers", headers=as_admin).json()
                    for a in client.get(f"/employers/{e['id']}/agreements", headers=as_admin).json()]
    assert descriptions and not any("rammeavtale" in d.lower() for d in descriptions)


def test_serve_migrates_and_answers_with_docs(tmp_path):
    port = free_port()
    env = {"BROBYGGER_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "PATH": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)], env=env, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        # Generous: the migrations and the first page under a loaded CI machine took over 30 s once.
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=30).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, process.stdout.read().decode()
            time.sleep(0.2)
        assert "swagger" in httpx.get(f"http://127.0.0.1:{port}/docs", timeout=30).text.lower()
        spec = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=30).json()
        assert "/candidates/{candidate_id}/readiness/{item_key}" in spec["paths"]
    finally:
        process.terminate()
        process.wait(10)


def test_serve_waits_for_an_unreachable_database_then_stops_with_a_clear_message(tmp_path):
    """A PostgreSQL address where nothing listens: retries, says so in Norwegian, gives up in bounded time."""
    port = free_port()  # free, so nothing answers there
    env = {"BROBYGGER_DATABASE_URL": f"postgresql+psycopg://brobygger:hemmelig@127.0.0.1:{port}/brobygger",
           "BROBYGGER_DATABASE_WAIT_SECONDS": "4", "PATH": ""}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "api.cli", "serve", "--port", str(free_port())], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "Får ikke kontakt med databasen" in done.stderr and "Prøver igjen" in done.stderr
    assert "svarte ikke på 4 s" in done.stderr and "Tjenesten startet ikke" in done.stderr
    assert "hemmelig" not in done.stderr  # the password is not printed
    assert 4 <= elapsed < 30


def test_serve_starts_once_the_database_is_there(tmp_path):
    """The database appears while serve waits (here: SQLite's folder is created a moment later)."""
    port = free_port()
    folder = tmp_path / "kommer-snart"
    env = {"BROBYGGER_DATABASE_URL": f"sqlite:///{folder / 'serve.db'}", "BROBYGGER_DATABASE_WAIT_SECONDS": "60",
           "PATH": ""}
    process = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)], env=env,
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        time.sleep(2.5)
        assert process.poll() is None  # still waiting, not crashed
        folder.mkdir()
        deadline = time.monotonic() + 40
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.2)
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    assert "Får ikke kontakt med databasen" in output and "Traceback" not in output
