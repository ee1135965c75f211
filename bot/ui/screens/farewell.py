"""The one calm message when a coach ends a participant's trajectory (outbox kind
`trajectory_ended`), rendered at send time in the recipient's language. Its first line, what a
lock screen shows, names only the person."""

from __future__ import annotations

import html

from bot.i18n import _


def render_farewell(name: str) -> str:
    return "\n".join([
        _("Hi {name}, your coaching has come to an end.").format(
            name=html.escape(name)),
        "",
        _("From now on I will not send you any more messages."),
        _("Thank you for taking part. All the best!"),
    ])
