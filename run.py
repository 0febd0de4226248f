#!/usr/bin/env python3
"""Set-up and the two everyday commands, with nothing but Python 3.11+ on the machine.

    python3 run.py demo   # set up, migrate, load demo data (first time), serve on http://127.0.0.1:8000
    python3 run.py test   # set up, run all tests (extra arguments go to pytest)

Set-up creates .venv/ beside this file and installs the project with its dev dependencies into it;
it is repeated only when pyproject.toml has changed."""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".brobygger-installed"


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (run.py may be started by an older python3)
        sys.exit(f"brobygger trenger Python 3.11 eller nyere (dette er {sys.version.split()[0]}).")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("Lager virtuelt miljø i .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("Installerer brobygger og avhengigheter ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(wanted)


def run(*command: str) -> int:
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "setup"):
        print(__doc__)
        return 2
    setup()
    if argv[0] == "demo":
        return run("brobygger", "serve", "--demo", *argv[1:])
    if argv[0] == "test":
        return run("python", "-m", "pytest", *argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
