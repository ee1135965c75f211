"""Cross-cutting handlers: who is writing (group -2) and the error handler."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.flows.identity import resolve
from bot.i18n import _, set_locale
from bot.telegram.context import BotContext
from bot.telegram.handlers.access import owned_ids
from bot.telegram.handlers.press import no_longer_works

log = logging.getLogger(__name__)

async def resolve_who(update: Update, context: BotContext) -> None:
    """Runs before every handler: look up the account and switch to its language; for a press,
    also whose data its ids name (the access guard in the next group decides on them)."""
    user = update.effective_user
    if user is None:
        return
    services = context.services
    query = update.callback_query
    named = owned_ids(query.data)[1] if query is not None and query.data else []
    context.who = await resolve(
        services.db, user.id, user.language_code, services.settings.default_locale, named
    )
    set_locale(context.who.locale)


async def on_error(update: object, context: BotContext) -> None:
    """Log what an operator needs (no names, no text, never the token), then answer kindly."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    # Where it failed helps the operator; the exception's message and the source lines are left
    # out because either may quote user input.
    frames = "\n".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(error.__traceback__ if error else None)
    )
    log.error("update %s failed: %s\n%s", update_id, type(error).__name__, frames)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(_("Sorry, that did not work. Please try again."))
        elif update.effective_chat is not None:
            await context.bot.send_message(
                update.effective_chat.id,
                _("Sorry, something went wrong on our side. Please try again in a moment."),
            )
    except Exception as reply_error:  # the reply itself may fail (e.g. query too old)
        log.warning("could not tell the user about the error: %s", type(reply_error).__name__)
    # One answer per update: the later handler groups (access guard, features) must not run
    # after a failure in an earlier one, e.g. when the database is gone while resolving who.
    raise ApplicationHandlerStop


async def unknown_button(update: Update, context: BotContext) -> None:
    """Last resort for a press no feature claims (forged, or from an older version of the bot):
    answer it, so the client stops waiting, and change nothing."""
    query = update.callback_query
    if query is not None:
        log.info("unclaimed button press in update %s", update.update_id)
        await query.answer(no_longer_works())
