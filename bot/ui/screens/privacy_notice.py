"""The coach's message when a participant stopped or had their data erased (outbox kind
`privacy_notice`), rendered at send time in the coach's language. Its first line names only
the person."""

from __future__ import annotations

import html

from bot.i18n import _


def render_privacy_notice(what: str | None, name: str | None) -> str:
    name = html.escape(name or "?")
    if what == "erased":
        return "\n".join([
            _("{name} has had their personal data deleted.").format(name=name),
            "",
            _("Their trajectory has ended and the bot sends them no more messages. Names and "
              "texts are gone; only counts for the evaluation stay, without a name."),
        ])
    return "\n".join([
        _("{name} has stopped with the bot.").format(name=name),
        "",
        _("They withdrew their consent. Their trajectory has ended with the reason "
          "\"Does not want to continue\" and the bot sends them no more messages. Their data "
          "stays until the retention period ends."),
    ])
