"""Make bot/core/crisis_phrases/real_words.txt: the dictionary words that the crisis
recogniser would otherwise "mend" towards a phrase word ("lezen" is no typo of "leven",
"shaving" none of "saving", "nietig" is not "niet ig").

    apt-get install wdutch wamerican wpolish wukrainian
    PYTHONPATH=. .venv/bin/python scripts/crisis_real_words.py

Run it again after changing the phrase files. Only the words that would change are kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.core.crisis_phrases import load
from bot.core.crisis_words import fold_word

DICTIONARIES = ("dutch", "american-english", "polish", "ukrainian")
OUT = Path(__file__).resolve().parent.parent / "bot/core/crisis_phrases/real_words.txt"


def main() -> None:
    mender = load(real_words=False).mender
    keep: set[str] = set()
    for name in DICTIONARIES:
        path = Path("/usr/share/dict") / name
        if not path.exists():
            sys.exit(f"{path} is missing: apt-get install the word lists named above")
        before = len(keep)
        for line in path.read_text(encoding="utf-8", errors="ignore").splitlines():
            word = fold_word(line.strip())
            mended = mender.mend(word)
            if word.isalpha() and mended != word:
                keep.add(word)
        print(f"{name}: {len(keep) - before} words")
    header = ("# Real words never mended towards a crisis phrase word: made by\n"
              "# scripts/crisis_real_words.py from the Debian word lists " + ", ".join(DICTIONARIES)
              + ".\n")
    OUT.write_text(header + "\n".join(sorted(keep)) + "\n", encoding="utf-8")
    print(f"{len(keep)} words in {OUT}")


if __name__ == "__main__":
    main()
