"""The calm invitation to fill in the Brug again (sent through the outbox), with a one-tap start.

The first line names nothing private: it shows on a lock screen."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import _
from bot.ui.buttons.brug import BrugMine


def render_brug_invite(name: str, moment: str) -> tuple[str, InlineKeyboardMarkup]:
    when = _("about six months") if moment == "six_months" else _("about a year")
    text = "\n\n".join([
        _("Hello {name}, time to look back for a moment.").format(name=html.escape(name)),
        _("You started {when} ago. Would you like to fill in the Brug again? It takes about "
          "five minutes, and afterwards you see what has changed since last time.").format(
              when=when),
        _("No time now? The button keeps working, and /brug works too."),
    ])
    return text, InlineKeyboardMarkup([[InlineKeyboardButton(
        _("Fill in the Brug"), callback_data=BrugMine(a="fill").pack())]])
