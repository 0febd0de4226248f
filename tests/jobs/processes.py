"""Real processes for the job tests: API replicas (uvicorn) and workers (`brobygger worker`),
each its own OS process against one database, as in production."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.serving import free_port

ROOT = Path(__file__).resolve().parents[2]


def environment(database_url: str, **settings) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BROBYGGER_")}
    env.update(BROBYGGER_DATABASE_URL=database_url, BROBYGGER_DATABASE_WAIT_SECONDS="10", PYTHONUNBUFFERED="1")
    env.update({f"BROBYGGER_{k.upper()}": str(v) for k, v in settings.items()})
    return env


class Process:
    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path):
        self.name, self.command, self.env = name, command, env
        self.log = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        handle = open(self.log, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
        self.popen = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT)
        return self

    @property
    def pid(self) -> int:
        return self.popen.pid

    def kill9(self) -> None:
        os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Api(Process):
    def __init__(self, name: str, env: dict, log_dir: Path):
        self.port = free_port()
        super().__init__(name, [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
                                "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"], env, log_dir)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60) -> "Api":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.popen.poll() is None, f"{self.name} stopped:\n{self.output()}"
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} did not answer in {timeout} s:\n{self.output()}")


def worker(name: str, env: dict, log_dir: Path) -> Process:
    return Process(name, [sys.executable, "-m", "tests.jobs.slow_worker"], env, log_dir)


def wait_for(what: str, check, timeout: float, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"not within {timeout} s: {what}")
