"""The access guard: before any feature sees a press, every id in its data that names
someone else's data is refused once, kindly, and audited (bot/core/access.py lists the ids).

Runs in its own handler group between identity (who is pressing) and the features, so a
feature cannot forget it; ownership checks inside use cases stay as a second line. Whose data
the ids name is read by identity (group -2) in the same transaction as the account, so a
press costs one read before the feature, not two.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.core.access import OWNED_IDS, Kind
from bot.flows import access
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.routing import allowed, no_longer_works
from bot.ui.buttons.base import REGISTRY, BadCallback


def owned_ids(data: str) -> tuple[str, list[tuple[Kind, int]]]:
    """The button's prefix and the (kind, id) pairs its data names; garbled data names none."""
    prefix = data.split(":", 1)[0]
    cls = REGISTRY.get(prefix)
    if cls is None:
        return prefix, []
    try:
        parsed = cls.unpack(data)
    except BadCallback:
        return prefix, []
    found: list[tuple[Kind, int]] = []
    for field in cls.model_fields:
        kind = OWNED_IDS.get((prefix, field))
        value = getattr(parsed, field)
        if kind is not None and isinstance(value, int):
            found.append((kind, value))
    return prefix, found


async def guard(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None or not query.data:
        return
    button, ids = owned_ids(query.data)
    if not ids:
        return
    who = context.who
    services = context.services
    now = services.clock.now()
    if who is None:  # not resolved (no one to resolve): read the owners here
        hit = await access.refused(
            services.db, ids, participant_id=None, coach_id=None, actor_account_id=None,
            telegram_user_id=query.from_user.id, button=button, now=now)
    else:  # the owners were read with the account (resolve_who, one transaction for both)
        hit = access.first_refused(who.owners, participant_id=who.participant_id,
                                   coach_id=who.coach_id)
        if hit is not None:
            await access.record_refusal(
                services.db, hit, actor_account_id=who.account_id,
                telegram_user_id=query.from_user.id, button=button, now=now)
    if hit is not None:
        # A coach hears why; anyone else just that the button does not work.
        await query.answer(_("This participant is not in your list.")
                           if allowed(who, "coach") else no_longer_works())
        raise ApplicationHandlerStop
