import socket
import subprocess
import sys
import time

import httpx
from sqlmodel import Session, select

from api.demo import DEMO_PASSWORD, load_demo_data
from candidates.models import Candidate


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
    assert len(listed) == 4 and {c["project_id"] for c in listed} == {listed[0]["project_id"]}
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_migrates_and_answers_with_docs(tmp_path):
    port = _free_port()
    env = {"BROBYGGER_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "PATH": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)], env=env, cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, process.stdout.read().decode()
            time.sleep(0.2)
        assert "swagger" in httpx.get(f"http://127.0.0.1:{port}/docs").text.lower()
        spec = httpx.get(f"http://127.0.0.1:{port}/openapi.json").json()
        assert "/candidates/{candidate_id}/readiness/{item_key}" in spec["paths"]
    finally:
        process.terminate()
        process.wait(10)
