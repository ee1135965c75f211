"""Who is writing to the bot: resolved once per update, as plain values (no ORM rows kept).

With the account, the same unit of work reads whose data the pressed button names (for the
access guard, telegram/handlers/access.py): one transaction for both, before any feature runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.access import Kind
from bot.flows.access import Owner, _owners
from bot.flows.conversation import Conversation
from bot.i18n import resolve_locale
from bot.storage.db import Database


@dataclass(frozen=True)
class Who:
    telegram_user_id: int
    locale: str
    # Their own zone; the installation's (uow.defaults) for someone without an account.
    timezone: str
    account_id: int | None = None
    role: str | None = None
    coach_id: int | None = None
    participant_id: int | None = None
    # The conversation in progress when the update arrived (read with the account, so typed
    # text costs no extra transaction); see conversation.current_of.
    conversation: Conversation | None = None
    conversation_at: datetime | None = None
    # Whose data the ids in the pressed button name (read with the account; empty for text and
    # commands, and for ids that name nothing).
    owners: tuple[Owner, ...] = ()


async def resolve(
    db: Database, telegram_user_id: int, language_code: str | None, default_locale: str,
    named: Sequence[tuple[Kind, int]] = (),
) -> Who:
    """`named`: the (kind, id) pairs of someone's data in the pressed button, if any."""
    async with db.uow() as uow:
        found = await uow.accounts.with_roles(telegram_user_id)
        owners = await _owners(uow, named) if named else ()
        if found is None:
            return Who(telegram_user_id, resolve_locale(None, language_code, default_locale),
                       uow.defaults.timezone, owners=owners)
        (account_id, role, locale, timezone, coach_id, participant_id,
         flow, step, data, updated_at) = found
        return Who(
            telegram_user_id=telegram_user_id,
            locale=resolve_locale(locale, language_code, default_locale),
            account_id=account_id,
            role=role,
            coach_id=coach_id,
            # One account is one role: a coach is never treated as a participant.
            participant_id=None if coach_id is not None else participant_id,
            timezone=timezone,
            conversation=Conversation(flow, step, dict(data or {})) if flow else None,
            conversation_at=updated_at,
            owners=owners,
        )
