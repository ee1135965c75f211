"""The coach's own settings: language, the weekly digest (on/off, day, time) and working hours.

Until a coach changes a digest setting here, their digest follows the organisation's default
(`python -m bot admin org --digest...`, flows/org_admin.py). A change re-plans the coach's
digest row in the same transaction, so the new day or time holds from this week on; turning
the digest off cancels the pending row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from bot.core import digest as rules
from bot.core.events import CoachSettingsChanged
from bot.i18n import SUPPORTED as LOCALES
from bot.storage.db import Database
from bot.storage.models import Coach
from bot.storage.uow import UnitOfWork

# The times a coach can pick with one tap (HHMM), and working-hours presets:
# (work days as digits, Monday = 0; start; end).
DIGEST_TIMES = (730, 830, 900, 1200, 1630)
WORK_PRESETS = (
    ("01234", time(8, 0), time(18, 0)),
    ("01234", time(9, 0), time(17, 0)),
    ("0123", time(8, 0), time(18, 0)),
    ("01234", time(8, 0), time(12, 30)),
)


@dataclass(frozen=True)
class CoachSettings:
    digest_enabled: bool
    digest_weekday: int
    digest_time: time
    work_days: frozenset[int]
    work_start: time
    work_end: time
    display_name: str = ""  # the name participants see (changed through the coach_name flow)
    locale: str = "nl"  # everything the bot sends this coach, the outbox's messages too


async def _view(uow: UnitOfWork, coach: Coach) -> CoachSettings:
    account = await uow.accounts.get(coach.account_id) if coach.account_id else None
    return CoachSettings(coach.digest_enabled, coach.digest_weekday, coach.digest_time,
                         rules.parse_work_days(coach.work_days), coach.work_start,
                         coach.work_end, coach.display_name,
                         account.locale if account and account.locale in LOCALES else "nl")


async def show(db: Database, coach_id: int) -> CoachSettings | None:
    async with db.uow() as uow:
        coach = await uow.coaches.get(coach_id)
        return await _view(uow, coach) if coach is not None else None


async def set_language(db: Database, coach_id: int, actor_account_id: int, locale: str,
                       now: datetime) -> tuple[CoachSettings, bool] | None:
    """The coach's language: every later message to them (answers, the digest, the outbox's
    notices, which are drawn when they are sent) is in it. (view, changed); None when refused."""
    if locale not in LOCALES:
        return None
    async with db.uow() as uow:
        coach = await uow.coaches.get(coach_id)
        account = None if coach is None or coach.account_id is None else \
            await uow.accounts.get(coach.account_id)
        if coach is None or account is None or account.id != actor_account_id:
            return None
        changed = account.locale != locale
        if changed:
            account.locale = locale
            await uow.audit.record(at=now, actor_account_id=actor_account_id,
                                   action="coach.settings_lang", subject_type="coach",
                                   subject_id=coach_id)
        view = await _view(uow, coach)
        await uow.commit()
        return view, changed


def _hhmm(value: int) -> time | None:
    if value not in DIGEST_TIMES:
        return None
    return time(value // 100, value % 100)


async def change(db: Database, coach_id: int, actor_account_id: int, what: str, value: int,
                 now: datetime) -> CoachSettings | None:
    """Apply one change; None for a value no button offers (a forged press changes nothing).
    The same change twice is harmless."""
    async with db.uow() as uow:
        coach = await uow.coaches.get(coach_id)
        if coach is None:
            return None
        if what in ("on", "off", "day", "time"):
            coach.digest_own = True  # from now on the organisation's default no longer applies
        if what == "on":
            coach.digest_enabled = True
        elif what == "off":
            coach.digest_enabled = False
        elif what == "day" and 0 <= value <= 6:
            coach.digest_weekday = value
        elif what == "time" and (at := _hhmm(value)) is not None:
            coach.digest_time = at
        elif what == "work" and 0 <= value < len(WORK_PRESETS):
            coach.work_days, coach.work_start, coach.work_end = WORK_PRESETS[value]
        elif what != "show":
            return None
        if what != "show":
            uow.emit(CoachSettingsChanged(coach_id, now))  # the digest row follows
            await uow.audit.record(at=now, actor_account_id=actor_account_id,
                                   action=f"coach.settings_{what}", subject_type="coach",
                                   subject_id=coach_id)
        view = await _view(uow, coach)
        await uow.commit()
        return view
