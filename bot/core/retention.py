"""Retention rules (docs/privacy.md): how long what is kept. Pure: `now` is passed in.

- Personal data of a trajectory that ended more than `months` ago (RETENTION_MONTHS, default 12)
  is erased: names, texts, the Telegram link. What stays is what the evaluation report counts,
  under the participant's pseudonym: statuses, dates, step and goal counts, Brug levels, the
  reward ledger (the organisation's bookkeeping), and audit rows (ids and action names only).
- Outbox rows that are no longer pending (sent, skipped, failed, cancelled) go after 30 days.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from typing import Final

DEFAULT_MONTHS: Final = 12
FINISHED_OUTBOX_DAYS: Final = 30
# What a name or a text becomes when it is erased (no language: it is never shown as a name;
# ended participants get no messages).
ERASED: Final = "—"
# The reason stored when a participant stops by themselves (withdraws consent or erases):
# the evaluators' category for "does not want to continue".
SELF_ENDED_REASON: Final = "does_not_continue"


def months_before(now: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (the 31st becomes the month's last day)."""
    index = now.year * 12 + (now.month - 1) - months
    year, month = divmod(index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def erase_ended_before(now: datetime, months: int = DEFAULT_MONTHS) -> datetime:
    """Trajectories that ended before this moment lose their personal data."""
    return months_before(now, months)


def drop_finished_outbox_before(now: datetime) -> datetime:
    return now - timedelta(days=FINISHED_OUTBOX_DAYS)


def anonymous_telegram_id(account_id: int) -> int:
    """An erased account keeps its row (other rows point at it) but no Telegram id: a negative
    number no Telegram user has, unique because account ids are."""
    return -account_id
