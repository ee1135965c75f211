"""Every message id has a Dutch and an English translation with the same placeholders."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot import i18n

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def catalog(locale: str):
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "bot.po").open("rb") as f:
        return read_po(f, locale=locale)


def template_ids() -> set[str]:
    with (ROOT / "locales" / "bot.pot").open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_message_is_translated_with_the_same_placeholders(locale: str) -> None:
    problems = []
    translated = set()
    for message in catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated.add(ids[0])
        if not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) - wanted or (
                len(strings) == 1 and set(PLACEHOLDER.findall(text)) != wanted
            ):
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
    missing = template_ids() - translated
    problems += [f"missing from {locale}: {m!r}" for m in sorted(missing)]
    assert not problems, "\n".join(problems)


def test_code_and_template_agree() -> None:
    """The .pot must be regenerated when code strings change (scripts/i18n_update.py)."""
    from babel.messages.extract import extract_from_dir

    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "bot"),
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                  "N_": None},
    ):
        found.add(message if isinstance(message, str) else message[0])
    assert found == template_ids(), (
        "run: .venv/bin/python scripts/i18n_update.py\n"
        f"in code only: {sorted(found - template_ids())}\n"
        f"in .pot only: {sorted(template_ids() - found)}"
    )


def test_locale_resolution_order() -> None:
    assert i18n.resolve_locale("en", "nl", "nl") == "en"  # stored choice wins
    assert i18n.resolve_locale(None, "en-GB", "nl") == "en"  # then Telegram's language
    assert i18n.resolve_locale(None, "de", "nl") == "nl"  # then the default
    assert i18n.resolve_locale("xx", None, "en") == "en"


def test_translations_and_dates_follow_the_context_locale(catalogs: i18n.Catalogs) -> None:
    today = date(2026, 3, 10)  # a Tuesday
    with i18n.using_locale("nl"):
        assert i18n._("tomorrow") == "morgen"
        assert i18n.friendly_day(date(2026, 3, 13), today) == "vrijdag"
        assert i18n.friendly_day(date(2026, 4, 14), today) == "dinsdag 14 april"
    with i18n.using_locale("en"):
        assert i18n._("tomorrow") == "tomorrow"
        assert i18n.friendly_day(date(2026, 3, 13), today) == "Friday"
        assert i18n.friendly_day(date(2027, 4, 14), today) == "Wednesday 14 April 2027"


def test_compile_writes_mo_only_when_stale(tmp_path: Path) -> None:
    import shutil

    for locale in i18n.SUPPORTED:
        target = tmp_path / locale / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(ROOT / "locales" / locale / "LC_MESSAGES" / "bot.po", target / "bot.po")
    assert len(i18n.compile_catalogs(tmp_path)) == 2
    assert i18n.compile_catalogs(tmp_path) == []
