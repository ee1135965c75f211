"""Words of the conversation router itself: the short answer to a photo, voice note or file
sent to a question that does not take it, in the question's own terms."""

from __future__ import annotations

from bot.core.conversations import MediaKind, Takes
from bot.i18n import _


def media_refused(sent: MediaKind, takes: Takes) -> str:
    """"A photo does not work here. Type your answer." — what was sent, then what works."""
    not_here = {
        "photo": _("A photo does not work here."),
        "voice": _("A voice message does not work here."),
        "document": _("A file does not work here."),
    }[sent]
    works = []
    if takes.text and takes.tap:
        works.append(_("Type your answer or tap a button."))
    elif takes.tap:
        works.append(_("Tap one of the buttons."))
    elif takes.text:
        works.append(_("Type your answer."))
    also = {
        "photo": _("You can send a photo."),
        "voice": _("You can send a voice message."),
        "document": _("You can send a file."),
    }
    return " ".join([not_here, *works, *(also[kind] for kind in sorted(takes.media))])
