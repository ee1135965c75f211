"""Make bot/core/crisis_phrases/real_words.txt: the common words that the crisis recogniser
would otherwise "mend" towards a phrase word ("lezen" is no typo of "leven", "shaving" none of
"saving", "nietig" is not "niet ig"). A rare word is mended all the same: "ik wil niet meer
laven" means "leven".

Word frequencies come from wordfreq (a development tool only, not needed to run the bot):

    python3 -m venv /tmp/wf && /tmp/wf/bin/pip install 'wordfreq>=3.1,<4'
    PYTHONPATH=. /tmp/wf/bin/python scripts/crisis_real_words.py

Run it again after changing the phrase files. Only the words that would change are kept.
"""

from __future__ import annotations

from pathlib import Path

from wordfreq import iter_wordlist, zipf_frequency

from bot.core.crisis_phrases import LANGUAGES, load
from bot.core.crisis_words import fold, fold_word

MIN_ZIPF = 3.0  # once in a million words or more often
OUT = Path(__file__).resolve().parent.parent / "bot/core/crisis_phrases/real_words.txt"


def main() -> None:
    mender = load(real_words=False).mender
    keep: set[str] = set()
    for lang in LANGUAGES:
        before = len(keep)
        for word in iter_wordlist(lang):
            if zipf_frequency(word, lang) < MIN_ZIPF:
                break
            for typed in fold(word):
                if typed.isalpha() and mender.mend(typed) != fold_word(typed):
                    keep.add(fold_word(typed))
        print(f"{lang}: {len(keep) - before} words")
    header = ("# Common words never mended towards a crisis phrase word: made by\n"
              f"# scripts/crisis_real_words.py from wordfreq (Zipf >= {MIN_ZIPF}).\n")
    OUT.write_text(header + "\n".join(sorted(keep)) + "\n", encoding="utf-8")
    print(f"{len(keep)} words in {OUT}")


if __name__ == "__main__":
    main()
