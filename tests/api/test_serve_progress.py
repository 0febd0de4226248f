"""`brobygger serve --demo` (what `python3 run.py demo` runs) says what it is doing while it migrates
and loads the demo data, and once the service answers prints the address, the demo users and the password."""

import subprocess
import sys
import threading
import time

import httpx

from api.demo import DEMO_PASSWORD, demo_users
from tests.serving import free_port


def test_serve_demo_shows_progress_then_address_users_and_password(tmp_path):
    port = free_port()
    env = {"BROBYGGER_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "PATH": ""}
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "api.cli", "serve", "--demo", "--demo-per-project", "3", "--port", str(port)],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[tuple[float, str]] = []

    def read() -> None:
        for line in process.stdout:
            lines.append((time.monotonic(), line.rstrip("\n")))

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 90
        while not any("Demobrukere" in text for _, text in lines):
            assert time.monotonic() < deadline and process.poll() is None, "\n".join(t for _, t in lines)
            time.sleep(0.2)
        time.sleep(0.5)  # the rest of the banner
        text = [t for _, t in lines]
        # Progress before the service is up: the migration, then each stage of the demo data.
        order = [next(i for i, t in enumerate(text) if marker in t) for marker in (
            "Oppdaterer databasen", "databasen er klar", "Lager demodata", "kandidater i Ny sjanse Oslo",
            "arbeidsgivere, kontaktlogg", "formidlinger", "demodata er klare", "brobygger kjører")]
        assert order == sorted(order), text
        # When it says it is up, it is.
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
        banner = "\n".join(text[order[-1]:])
        assert f"http://localhost:{port}/app" in banner and f"http://localhost:{port}/docs" in banner
        assert DEMO_PASSWORD in banner
        for username, _what in demo_users():
            assert username in banner
        assert "Traceback" not in "\n".join(text)
    finally:
        process.terminate()
        process.wait(10)
