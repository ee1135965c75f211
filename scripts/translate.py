"""Developer tool: fill Dutch (or another locale's) translations from a small JSON file.

    .venv/bin/python scripts/translate.py nl translations.json

The JSON maps each English message id to its translation; for a plural entry give a list
[singular, plural]. Entries not in the catalog are reported and skipped (run i18n_update.py first).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    locale, source = argv[1], Path(argv[2])
    wanted: dict[str, str | list[str]] = json.loads(source.read_text(encoding="utf-8"))
    po = ROOT / "locales" / locale / "LC_MESSAGES" / "bot.po"
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    missing = []
    for msgid, translation in wanted.items():
        message = catalog.get(msgid)
        if message is None:
            missing.append(msgid)
            continue
        message.string = tuple(translation) if isinstance(translation, list) else translation
    with po.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True)
    for msgid in missing:
        print(f"not in the catalog: {msgid[:60]!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
