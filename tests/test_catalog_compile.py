"""Several processes starting at once compile the same catalogs: none may fail, and every .mo
left behind is whole (each process writes a temporary file of its own, then renames it)."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bot.i18n import DOMAIN, LOCALES_DIR, SUPPORTED

PROCESSES = 6
ROUNDS = 25

COMPILE = """
import sys
from pathlib import Path
from bot.i18n import compile_catalogs
for _ in range(int(sys.argv[2])):
    compile_catalogs(Path(sys.argv[1]))
"""


def test_processes_compiling_at_once_all_succeed(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales, ignore=shutil.ignore_patterns("*.mo"))
    # A .po newer than any .mo written today: every call of every process compiles again.
    future = time.time() + 86_400
    for locale in SUPPORTED:
        po = locales / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        os.utime(po, (future, future))
    root = Path(__file__).resolve().parents[1]
    runs = [subprocess.Popen([sys.executable, "-c", COMPILE, str(locales), str(ROUNDS)],
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(PROCESSES)]
    results = [(run.wait(timeout=300), run.stderr.read().decode() if run.stderr else "")
               for run in runs]
    failed = [err.strip().splitlines()[-1] for code, err in results if code != 0]
    assert failed == []
    for locale in SUPPORTED:
        folder = locales / locale / "LC_MESSAGES"
        assert sorted(p.name for p in folder.iterdir()) == [f"{DOMAIN}.mo", f"{DOMAIN}.po"]
        with (folder / f"{DOMAIN}.mo").open("rb") as mo:
            catalog = gettext.GNUTranslations(mo)
        assert len(catalog._catalog) > 100  # type: ignore[attr-defined]
