"""Developer tool: extract message ids from the code and merge them into locales/*/bot.po.

    .venv/bin/python scripts/i18n_update.py

English is the source language, so new English entries are filled with the message id itself
(edit them when the English wording should differ); new Dutch entries stay empty until
translated, and the i18n test fails until they are.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "locales" / "bot.pot"
KEYWORDS = ["-k", "N_", "-k", "pgettext:1c,2", "-k", "ngettext:1,2"]


def main() -> int:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         *KEYWORDS, "--no-location", "--sort-output", "--omit-header", "-o", str(POT), "."],
        cwd=ROOT, check=True,
    )
    for locale in ("nl", "en"):
        po = ROOT / "locales" / locale / "LC_MESSAGES" / "bot.po"
        if not po.exists():
            subprocess.run(
                [sys.executable, "-m", "babel.messages.frontend", "init", "-i", str(POT),
                 "-d", str(ROOT / "locales"), "-D", "bot", "-l", locale], cwd=ROOT, check=True,
            )
        else:
            subprocess.run(
                [sys.executable, "-m", "babel.messages.frontend", "update", "-i", str(POT),
                 "-d", str(ROOT / "locales"), "-D", "bot", "-l", locale, "--no-fuzzy-matching",
                 "--ignore-obsolete", "--omit-header"], cwd=ROOT, check=True,
            )
        _normalise(po, fill_from_source=locale == "en")
    return 0


def _normalise(po: Path, *, fill_from_source: bool) -> None:
    """Rewrite the catalog in the one layout scripts/translate.py also writes, so the two tools
    never reformat each other's output; English entries are filled from the source text."""
    with po.open("rb") as f:
        catalog = read_po(f, locale=po.parent.parent.name)
    for message in catalog if fill_from_source else ():
        if not message.id or (message.string and all(message.string)):
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id)
        else:
            message.string = message.id
    with po.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True)


if __name__ == "__main__":
    sys.exit(main())
