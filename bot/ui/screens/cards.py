"""Cards: the words on a card's picture and its caption (shown on request, and sent by the
dispatcher for the outbox kind card), the participant's collection and the coach's prompts."""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import N_, _, format_date, using_locale
from bot.render.card import CardPicture
from bot.storage.models import CardKind
from bot.ui.buttons.cards import (
    CardConfirm,
    CardOpen,
    CardRewrite,
    CardsPage,
    CardStop,
    CardSuggestion,
)
from bot.ui.buttons.rewards import RewardsMine

if TYPE_CHECKING:
    from bot.flows.cards import CardItem, CardPage, CardShown

# Offered when words do not come easily; specific words from the coach are always better.
SUGGESTIONS = (
    N_("I see how hard you are working. Keep it up, step by step."),
    N_("Thank you for your effort these past weeks. It makes a difference."),
    N_("You did not give up, even when it was hard. I am proud of you."),
)


def _strip_end(text: str) -> str:
    return text.strip().rstrip(".!? ")


def card_texts(kind: str, message: str, participant_name: str, coach_name: str | None,
               created_at: datetime, timezone: str) -> CardPicture:
    """The card's words in the current language (plain text; the renderer draws them)."""
    if kind == CardKind.GOAL_ACHIEVED.value:
        body = _("You reached your goal: “{goal}”. That took time and effort, and you kept "
                 "going.").format(goal=_strip_end(message))
    elif kind == CardKind.CHALLENGING_STEP.value:
        body = _("You took a hard step: “{step}”. That took courage.").format(
            step=_strip_end(message))
    else:
        body = message
    signature = _("{coach}, your coach").format(coach=coach_name) if coach_name else ""
    day = created_at.astimezone(ZoneInfo(timezone)).date()
    return CardPicture(
        heading=_("For {name}").format(name=participant_name),
        message=body,
        signature=signature,
        footer=format_date(day),
    )


def card_picture(card: CardShown) -> CardPicture:
    """A card in its reader's language (the participant's, also in the coach's preview)."""
    with using_locale(card.locale):
        return card_texts(card.kind, card.message, card.participant_name, card.coach_name,
                          card.created_at, card.timezone)


def caption_for(picture: CardPicture) -> str:
    """The card as text, for screen readers and for anyone who cannot see the picture well."""
    parts = [f"<b>{html.escape(picture.heading)}</b>", html.escape(picture.message)]
    if picture.signature:
        parts.append(f"<i>{html.escape(picture.signature)}</i>")
    return "\n\n".join(part for part in parts if part)


# --- the participant's collection -----------------------------------------------------------


def _item_label(item: CardItem, timezone: str) -> str:
    day = format_date(item.created_at.astimezone(ZoneInfo(timezone)).date(), "d MMM y")
    if item.kind == CardKind.GOAL_ACHIEVED.value:
        what = _("Goal reached")
    elif item.kind == CardKind.CHALLENGING_STEP.value:
        what = _("Hard step taken")
    else:
        what = _("From {coach}").format(coach=item.coach_name or _("your coach"))
    return f"{day} · {what}"


def collection(page: CardPage, timezone: str, *, rewards: bool = False
               ) -> tuple[str, InlineKeyboardMarkup | None]:
    """A page of the collection; `rewards`: the organisation uses rewards (first page only)."""
    if page.total == 0:
        text = _(
            "You have no cards yet.\n\nWhen you reach a goal or take a hard step, you get a "
            "card. Your coach can also send you one. They are all kept here.")
        rows: list[list[InlineKeyboardButton]] = []
    else:
        text = _("Your cards, newest first. Tap one to see it again.")
        if page.pages > 1:
            text += "\n" + _("Page {page} of {pages}").format(page=page.page + 1,
                                                             pages=page.pages)
        rows = [[InlineKeyboardButton(_item_label(item, timezone),
                                      callback_data=CardOpen(card_id=item.card_id).pack())]
                for item in page.items]
        nav = []
        if page.page > 0:
            nav.append(InlineKeyboardButton(_("‹ Newer"),
                                            callback_data=CardsPage(page=page.page - 1).pack()))
        if page.page + 1 < page.pages:
            nav.append(InlineKeyboardButton(_("Older ›"),
                                            callback_data=CardsPage(page=page.page + 1).pack()))
        if nav:
            rows.append(nav)
    if rewards:
        rows.append([InlineKeyboardButton(_("My rewards"), callback_data=RewardsMine().pack())])
    return text, InlineKeyboardMarkup(rows) if rows else None


# --- a card from the coach --------------------------------------------------------------------


def write_prompt(name: str) -> tuple[str, InlineKeyboardMarkup]:
    text = _(
        "A card for {name}.\n\nWrite a short personal message (at most 300 characters): what "
        "did they do, what did you notice? Or pick a suggestion."
    ).format(name=html.escape(name))
    rows = [[InlineKeyboardButton(_(s), callback_data=CardSuggestion(index=i).pack())]
            for i, s in enumerate(SUGGESTIONS)]
    rows.append([InlineKeyboardButton(_("Stop"), callback_data=CardStop().pack())])
    return text, InlineKeyboardMarkup(rows)


def preview_question(name: str, nonce: str) -> tuple[str, InlineKeyboardMarkup]:
    """Under the previewed picture: send it, write it again, or stop."""
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton(_("Send this card"), callback_data=CardConfirm(nonce=nonce).pack())],
        [InlineKeyboardButton(_("Write it again"), callback_data=CardRewrite().pack()),
         InlineKeyboardButton(_("Stop"), callback_data=CardStop().pack())],
    ])
    return _("This is how {name} will see the card. Send it?").format(
        name=html.escape(name)), markup


def render_card_notice(name: str, card_id: int) -> tuple[str, InlineKeyboardMarkup]:
    """The caption of a card sent on its own: the picture may carry a goal or step text, so the
    caption names neither; the button shows the card again with its words as text."""
    return (_("For {name}: a card for you. Tap the button to read it as text.").format(
                name=html.escape(name)),
            InlineKeyboardMarkup([[InlineKeyboardButton(
                _("Read the card"), callback_data=CardOpen(card_id=card_id).pack())]]))
