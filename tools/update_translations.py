"""Extract the job seeker's texts and update the English catalogue (new msgids come in empty, so the
test that wants every msgid translated fails until someone writes the English).

    .venv/bin/python tools/update_translations.py"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POT = ROOT / "selfservice/locale/messages.pot"


def main() -> int:
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    subprocess.run([pybabel, "extract", "-F", "babel.cfg", "-k", "N_", "--no-location", "--omit-header",
                    "-o", str(POT), "."], cwd=ROOT, check=True)
    # The catalogue keeps its header (language, plural forms, charset): gettext reads it.
    subprocess.run([pybabel, "update", "-i", str(POT), "-d", "selfservice/locale", "-l", "en", "--no-fuzzy-matching"],
                   cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
