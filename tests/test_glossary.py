"""One word per thing: every translation, lesson, Brug statement and reward name is held to
locales/glossary.toml (words to avoid; a term used in one language is used in the other)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.brug import LEVELS
from bot.core.lessons import load_lessons
from bot.flows import brug, rewards
from tests.support import glossary as g
from tests.support.glossary import Entry, catalog_entries


@pytest.fixture(scope="module")
def terms() -> g.Glossary:
    return g.load()


def content_entries() -> list[Entry]:
    entries = []
    series = load_lessons()
    for number in range(series.count):
        nl, en = series.get(number, "nl"), series.get(number, "en")
        for field in ("title", "text", "strategy"):
            entries.append(Entry(f"lesson {nl.key}.{field}", getattr(nl, field),
                                 getattr(en, field)))
    for path in sorted(brug.INSTRUMENTS_DIR.glob("*.yaml")):
        instrument = brug.instrument(path.stem)
        entries.append(Entry(f"{path.stem} name", instrument.name_in("nl"),
                             instrument.name_in("en")))
        for pillar in instrument.pillars:
            where = f"{path.stem} {pillar.key}"
            entries.append(Entry(f"{where} label", pillar.label_in("nl"), pillar.label_in("en")))
            if pillar.hint:
                entries.append(Entry(f"{where} hint", pillar.hint_in("nl") or "",
                                     pillar.hint_in("en") or ""))
            entries.extend(Entry(f"{where} level {level}", pillar.statement(level, "nl"),
                                 pillar.statement(level, "en")) for level in LEVELS)
    for path in sorted(rewards.REWARDS_DIR.glob("*.yaml")):
        for kind in rewards.reward_list(path.stem).kinds:
            entries.append(Entry(f"reward {kind.key}", kind.name_in("nl"), kind.name_in("en")))
    return entries


def test_every_catalog_entry_keeps_to_the_glossary(terms: g.Glossary) -> None:
    entries = list(catalog_entries())
    assert len(entries) > 700  # both catalogs were read, plural forms included
    problems = [p for e in entries for p in g.check(terms, e.name, e.nl, e.en)]
    assert not problems, "\n".join(problems)


def test_lessons_statements_and_rewards_keep_to_the_glossary(terms: g.Glossary) -> None:
    entries = content_entries()
    assert len(entries) > 100
    problems = [p for e in entries for p in g.check(terms, e.name, e.nl, e.en)]
    assert not problems, "\n".join(problems)


def test_the_glossary_is_sound(terms: g.Glossary) -> None:
    assert len(terms.terms) >= 10 and len(terms.avoid) >= 15
    for term in terms.terms:
        for lang in g.LANGS:
            # Each term's own word is found by its own pattern, and is not a word to avoid.
            assert term.match[lang].search(term.words[lang]), (term.thing, lang)
            assert not [a for a in terms.avoid if a.lang == lang
                        and a.match.search(term.words[lang])], (term.thing, lang)
    known = {(e.name, term.words["nl"]) for e in catalog_entries() for term in terms.terms}
    assert terms.allow <= known, "an [[allow]] names an entry or term that does not exist"


@pytest.mark.parametrize(("nl", "en", "says"), [
    # The faults the glossary exists for, planted in a fresh entry.
    ("Vul een nieuwe meting in", "Fill in the Brug again", "avoid 'meting'"),
    ("Je Brug: doel trede 4", "Your Brug: wish level 4", "nl says 'doel' but en has no 'goal'"),
    ("Je Brug: wens stap 4", "Your Brug: wish level 4", "en says 'level' but nl has no 'trede'"),
    ("Bij 2 stappen is de datum voorbij", "2 steps are overdue", "avoid 'overdue'"),
    ("Een paar stappen zijn over hun datum", "Some steps are past their date",
     "avoid 'over hun datum'"),
    ("Die is klaar. Goed zo.", "That one is done.", "avoid 'Goed zo'"),
    ("Wees trots op jezelf.", "Be proud of yourself.", "avoid 'Wees trots'"),
    ("Hoi Sam, fijn dat je er bent", "Hi Sam, good to see you here", "avoid 'good to see you'"),
    ("Je hebt je Brug nog niet ingevuld.", "You have not filled in your Brug yet.",
     "avoid 'Je hebt je Brug nog niet ingevuld'"),
    ("De afspraak is verzet.", "The meeting has moved.", "avoid 'verzet'"),
    ("Je coach geeft hem aan je.", "Your coach will give it to you.", "avoid 'geeft hem aan je'"),
    ("Je krijgt een kaartje.", "You get a reward.", "nl says 'kaartje' but en has no 'card'"),
])
def test_a_planted_fault_fails_and_names_the_entry(terms: g.Glossary, nl: str, en: str,
                                                   says: str) -> None:
    problems = g.check(terms, "planted entry", nl, en)
    assert problems and all(p.startswith("'planted entry'") for p in problems)
    assert any(says in p for p in problems), problems


def test_a_planted_catalog_entry_fails(tmp_path: Path, terms: g.Glossary) -> None:
    """The whole path, from a .po file on disk: one bad translation is found and named."""
    for lang in g.LANGS:
        target = tmp_path / "locales" / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        text = (g.ROOT / "locales" / lang / "LC_MESSAGES" / "bot.po").read_text(encoding="utf-8")
        if lang == "nl":
            text, count = re.subn(r'(msgid "Fill in my Brug"\nmsgstr )"[^"\n]*"',
                                  r'\1"Vul je meting in"', text)
            assert count == 1
        (target / "bot.po").write_text(text, encoding="utf-8")
    def problems(root: Path) -> set[str]:
        return {p for e in catalog_entries(root) for p in g.check(terms, e.name, e.nl, e.en)}

    assert problems(tmp_path) - problems(g.ROOT) == {
        "'Fill in my Brug' (nl): avoid 'meting': jargon: say what happens "
        "('de Brug invullen', 'elke keer dat je de Brug invulde')"}


def test_placeholders_commands_and_tags_are_not_words(terms: g.Glossary) -> None:
    assert g.words_only("first time {step}: /stappen <b>now</b>").split() == [
        "first", "time", ":", "now"]
    assert g.check(terms, "e", "Typ /stappen voor je lijst.", "Type /stappen for your list.") == []
