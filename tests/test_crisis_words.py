"""Crisis recognised as people write it (issue 21): the recogniser over the corpora, and the
pieces it is made of (folding, mending, the phrase files)."""

from __future__ import annotations

import pytest

from bot.core.crisis import crisis_kinds, mentions_crisis, phrasebook
from bot.core.crisis_phrases import LANGUAGES, load
from bot.core.crisis_words import Mender, fold, fold_word
from tests.support import crisis_corpus
from tests.support.crisis_corpus import GATED, Score


def _failures(scores: dict[str, Score]) -> list[str]:
    return [f"{lang}: recall {s.recall:.1%}, false alarms {s.false_alarm_rate:.1%}; missed "
            f"{s.missed[:5]}, false alarms {s.false_alarms[:5]}"
            for lang, s in scores.items() if lang in GATED and not s.passes()]


def test_the_development_corpus_meets_the_figures() -> None:
    rows = crisis_corpus.read(crisis_corpus.DEV)
    scores = crisis_corpus.score(rows, mentions_crisis)
    assert {"nl", "en"} <= set(scores)
    assert all(scores[lang].crises >= 150 and scores[lang].others >= 100 for lang in GATED)
    assert _failures(scores) == []


@pytest.mark.skipif(not crisis_corpus.HELD_OUT.exists(),
                    reason="no held-out corpus at tests/corpora/crisis.jsonl")
def test_the_held_out_corpus_meets_the_figures() -> None:
    scores = crisis_corpus.score(crisis_corpus.read(crisis_corpus.HELD_OUT), mentions_crisis)
    assert {"nl", "en"} <= set(scores)
    assert _failures(scores) == []


@pytest.mark.parametrize(("text", "kinds"), [
    ("ik wil er niet meer zijn", {"suicide"}),
    ("ik doe mezelf wat aan", {"self_harm"}),
    ("ik ben wanhopig", {"despair"}),
    ("mijn man slaat me", {"violence"}),
    ("he hits me and I want to die", {"violence", "suicide"}),
    ("ik ga dood van het lachen", set()),
])
def test_kinds_say_what_a_message_holds(text: str, kinds: set[str]) -> None:
    assert crisis_kinds(text) == kinds
    assert mentions_crisis(text) == bool(kinds)


@pytest.mark.parametrize("text", [
    "Ik zie het echt NIET meer zitten 😭😭",   # capitals, emoji
    "ik zie t nie meer zitten",                # chat spelling
    "ik wil niet meer lven",                   # a slip
    "ikkannietmeer",                           # run together
    "i cant take it anymoreee",                # no apostrophe, repeated letters
    "ik wil er... niet meer zijn",             # an ellipsis is no sentence end
    "hoi! de brief kwam vandaag en ik wil dood en verder gaat het goed met de kinderen",
])
def test_crisis_as_people_type_it(text: str) -> None:
    assert mentions_crisis(text)


@pytest.mark.parametrize("text", [
    "ik ga dood van het lachen", "ik ben doodmoe", "ik zie het wel zitten",
    "ik kan dinsdag niet meer", "this deadline is killing me", "ik wil niet meer lezen",
    "I cut myself shaving", "ik wil niet dood", "I don't want to die", "ik wil doodgewoon bellen",
])
def test_everyday_idiom_is_no_crisis(text: str) -> None:
    assert not mentions_crisis(text)


def test_folding_drops_case_accents_apostrophes_and_punctuation() -> None:
    # A comma ends a clause too ("ik kan niet meer, alles is te zwaar"); an ellipsis does not.
    assert fold("Ik  zie ’t NIET meer zitten!! Echt.") == [
        "ik", "zie", "t", "niet", "meer", "zitten", "_", "echt", "_"]
    assert fold("Ölmek istiyorum… ŁÓDŹ, б'є") == ["olmek", "istiyorum", "lodz", "_", "бє"]
    assert fold_word("Dooooood") == fold_word("dood") == "dod"
    assert fold_word("zijn") == "zyn"


def test_mending_slips_runs_and_shorthand_but_not_real_words() -> None:
    mender = Mender(targets={"leven", "wanhopig"}, parts={"ik", "kan", "niet", "mer"},
                    known={"lezen"}, rewrites={"cant": "can not"}, starts={"ik", "niet"})
    assert mender.mend("levn") == "leven"          # a letter missing
    assert mender.mend("wanhopgi") == "wanhopig"   # two swapped
    assert mender.mend("lezen") == "lezen"         # a real word
    assert mender.mend("ikkannietmeer") == "ik kan niet mer"
    assert mender.mend("kanniet") == "kaniet"      # a run starts with a word such as "ik"
    assert mender.mend("cant") == "can not"
    assert mender.words("Ik kan NIET, levn.") == ["ik", "kan", "niet", "_", "leven", "_"]


def test_every_language_has_phrases_of_every_kind_it_can_tell() -> None:
    book = phrasebook()
    for lang in LANGUAGES:
        kinds = {p.kind for p in book.phrases if p.lang == lang}
        assert kinds == {"suicide", "self_harm", "despair", "violence"}, lang


def test_a_phrase_without_letters_to_look_for_is_refused() -> None:
    from bot.core.crisis_phrases import Phrasebook, _File

    with pytest.raises(ValueError, match="every message"):
        Phrasebook([_File("xx", phrases=[("despair", r"(?:a )?\w+")])])


def test_the_phrase_files_load_on_their_own() -> None:
    book = load(("nl",), real_words=False)
    assert book.matches("ik wil dood") and not book.matches("I want to die")
