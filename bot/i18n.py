"""Translations and locale-aware formatting.

English source strings are the message ids; Dutch is the default locale. The catalogs are loaded
once by `Catalogs.load()` when the application is built (never at import time) and the locale of
the person being served lives in a ContextVar, so concurrent updates never mix languages.
"""

from __future__ import annotations

import gettext as _gettext
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.command_names import mentions_in
from bot.config import FALLBACK_LOCALE

DOMAIN = "bot"
SUPPORTED = ("nl", "en")
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"

_current: ContextVar[str] = ContextVar("locale", default=FALLBACK_LOCALE)
_catalogs: Catalogs | None = None


class CatalogError(RuntimeError):
    """A catalog is missing or broken: the bot must not start half-translated."""


def compile_catalogs(locales_dir: Path = LOCALES_DIR) -> list[Path]:
    """Compile every .po whose .mo is missing or older. Returns the files written.

    Runs at start-up and in the test session, so nobody ever compiles by hand.
    """
    written = []
    for locale in SUPPORTED:
        po_path = locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        mo_path = po_path.with_suffix(".mo")
        if not po_path.exists():
            raise CatalogError(f"missing catalog {po_path}")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale, domain=DOMAIN)
        # A temporary file of this process's own (several processes may start at once and
        # compile the same catalog), renamed over the .mo: atomic, so nobody reads half a file.
        fd, tmp_name = tempfile.mkstemp(dir=mo_path.parent, prefix=f".{DOMAIN}.", suffix=".mo")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            tmp.chmod(0o644)  # mkstemp makes it private; the catalog is not
            tmp.replace(mo_path)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(mo_path)
    return written


class Catalogs:
    """The loaded translations and the installation's language (DEFAULT_LOCALE), the fallback
    for a locale we do not ship."""

    def __init__(self, translations: dict[str, _gettext.GNUTranslations], default: str) -> None:
        self.translations = translations
        self.default = default

    @classmethod
    def load(cls, default: str = FALLBACK_LOCALE, locales_dir: Path = LOCALES_DIR) -> Catalogs:
        compile_catalogs(locales_dir)
        translations = {}
        for locale in SUPPORTED:
            try:
                translations[locale] = _gettext.translation(
                    DOMAIN, localedir=str(locales_dir), languages=[locale]
                )
            except OSError as exc:
                raise CatalogError(f"cannot load the {locale} catalog: {exc}") from exc
        return cls(translations, default)

    def get(self, locale: str) -> _gettext.GNUTranslations:
        return self.translations.get(locale) or self.translations[self.default]


def install(catalogs: Catalogs) -> None:
    """Make the catalogs the ones `_()` uses: gettext's one registry, set by the bootstrap
    (bot/bootstrap.py) and by code that only renders (tests of screens, example scripts)."""
    global _catalogs
    _catalogs = catalogs
    _current.set(catalogs.default)


def _active() -> _gettext.NullTranslations:
    if _catalogs is None:
        return _gettext.NullTranslations()
    return _catalogs.get(_current.get())


def resolve_locale(stored: str | None, telegram_code: str | None, default: str) -> str:
    """The stored choice, else the Telegram client's language, else the default."""
    if stored in SUPPORTED:
        return stored
    if telegram_code:
        base = telegram_code.split("-")[0].lower()
        if base in SUPPORTED:
            return base
    return default


def set_locale(locale: str) -> None:
    fallback = _catalogs.default if _catalogs else FALLBACK_LOCALE
    _current.set(locale if locale in SUPPORTED else fallback)


def current_locale() -> str:
    return _current.get()


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    """Render in another person's language (e.g. a message to the coach) and switch back."""
    token = _current.set(locale)
    try:
        yield
    finally:
        _current.reset(token)


# Texts name commands by their Dutch names; an English reader gets the English ones
# (bot/command_names.py), which work just the same.


def gettext(message: str) -> str:
    return mentions_in(_active().gettext(message), _current.get())


def ngettext(singular: str, plural: str, n: int) -> str:
    return mentions_in(_active().ngettext(singular, plural, n), _current.get())


def pgettext(context: str, message: str) -> str:
    return mentions_in(_active().pgettext(context, message), _current.get())


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with `_()`."""
    return message


_ = gettext


def format_date(day: date, fmt: str = "long") -> str:
    return _formatted_date(day, fmt, current_locale())


@lru_cache(maxsize=4096)
def _formatted_date(day: date, fmt: str, locale: str) -> str:
    # Babel is slow and the result depends on these three only; a list shows the same few
    # dates on every tap.
    return _babel_format_date(day, format=fmt, locale=Locale.parse(locale))


def format_datetime(moment: datetime, fmt: str, tz: str) -> str:
    """In the zone of the person it is for (their own, or the installation's)."""
    return _babel_format_datetime(
        moment, format=fmt, tzinfo=ZoneInfo(tz), locale=current_locale()
    )


def friendly_day(day: date, today: date) -> str:
    """'today', 'tomorrow', 'friday' (this week) or 'friday 14 march', in the current language."""
    delta = (day - today).days
    if delta == 0:
        return _("today")
    if delta == 1:
        return _("tomorrow")
    if delta == -1:
        return _("yesterday")
    if 1 < delta < 7:
        return format_date(day, "EEEE")
    if day.year == today.year:
        return format_date(day, "EEEE d MMMM")
    return format_date(day, "EEEE d MMMM y")
