"""Cards: /kaartjes and the home button (participant), "send a card" (coach)."""

from __future__ import annotations

import html
import logging
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import Forbidden
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.core.callbacks import BadCallback
from bot.core.card_buttons import (
    CardConfirm,
    CardFor,
    CardOpen,
    CardRewrite,
    CardsPage,
    CardStop,
    CardSuggestion,
)
from bot.core.cards import MessageProblem, clean_message
from bot.core.reward_buttons import RewardsMine
from bot.flows import cards, coach_cards, conversation, rewards
from bot.flows.cards import CardPage, CardView
from bot.flows.coach_cards import SUGGESTIONS, CardRefusal
from bot.flows.conversation import Conversation
from bot.handlers.common import unpack_press
from bot.handlers.conversation import TextRouter
from bot.i18n import _, format_date
from bot.storage.models import CardKind

log = logging.getLogger(__name__)

FLOW = coach_cards.FLOW
# Callback data of the home menu's "my cards" button: Home(target="cards").pack().
HOME_CARDS = "home:cards"


# --- showing a card the participant asked for (cards they earned come through the outbox) -----


async def send_card(bot: Bot, chat_id: int, view: CardView) -> bool:
    """The picture with its caption as the text alternative. False when the person blocked us."""
    try:
        await bot.send_photo(chat_id, photo=view.png, caption=view.caption)
    except Forbidden:
        log.info("card %s not delivered: chat blocked", view.card_id)
        return False
    return True


# --- the participant's collection -----------------------------------------------------------


def _item_label(item: cards.CardItem, timezone: str) -> str:
    day = format_date(item.created_at.astimezone(ZoneInfo(timezone)).date(), "d MMM y")
    if item.kind == CardKind.GOAL_ACHIEVED.value:
        what = _("Goal reached")
    elif item.kind == CardKind.CHALLENGING_STEP.value:
        what = _("Hard step taken")
    else:
        what = _("From {coach}").format(coach=item.coach_name or _("your coach"))
    return f"{day} · {what}"


def _collection_message(page: CardPage, timezone: str) -> tuple[str, InlineKeyboardMarkup | None]:
    if page.total == 0:
        return _(
            "You have no cards yet.\n\nWhen you reach a goal or take a hard step, you get a "
            "card. Your coach can also send you one. They are all kept here."
        ), None
    text = _("Your cards, newest first. Tap one to see it again.")
    if page.pages > 1:
        text += "\n" + _("Page {page} of {pages}").format(page=page.page + 1, pages=page.pages)
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
    return text, InlineKeyboardMarkup(rows)


async def show_collection(update: Update, context: BotContext) -> None:
    """/kaartjes, and the home menu's cards button."""
    query = update.callback_query
    if query is not None:
        await query.answer()
    message = update.effective_message
    who = context.who
    if message is None or who is None:
        return
    if who.participant_id is None:
        await message.reply_text(_("Cards are for participants. Coaches send a card from "
                                   "/deelnemers.") if who.is_coach else
                                 _("To join, ask your coach for your personal link."))
        return
    page = await cards.collection(context.services.db, who.participant_id, 0)
    text, markup = _collection_message(page, who.timezone)
    if await rewards.enabled_for(context.services.db, who.participant_id):
        rows = [*markup.inline_keyboard] if markup else []
        rows.append((InlineKeyboardButton(_("My rewards"), callback_data=RewardsMine().pack()),))
        markup = InlineKeyboardMarkup(rows)
    await message.reply_text(text, reply_markup=markup)


async def turn_page(update: Update, context: BotContext) -> None:
    pressed = await unpack_press(update, CardsPage)
    if pressed is None:
        return
    query, wanted = pressed
    who = context.who
    if who is None or who.participant_id is None:
        await query.answer(_("This button is not for you."))
        return
    await query.answer()
    page = await cards.collection(context.services.db, who.participant_id, wanted.page)
    text, markup = _collection_message(page, who.timezone)
    if isinstance(query.message, Message) and query.message.text is not None:
        await query.edit_message_text(text, reply_markup=markup)
    elif query.message is not None:  # not our list message: answer with a new one
        await context.bot.send_message(query.message.chat.id, text, reply_markup=markup)


async def open_card(update: Update, context: BotContext) -> None:
    pressed = await unpack_press(update, CardOpen)
    if pressed is None:
        return
    query, wanted = pressed
    who = context.who
    view = None
    if who is not None and who.participant_id is not None:
        view = await cards.card_view(context.services.db, wanted.card_id, who.participant_id,
                                     context.services.settings.default_locale)
    if view is None:
        # Someone else's card id, a removed card, or not a participant: reveal nothing.
        await query.answer(_("This card cannot be found."))
        return
    await query.answer()
    if query.message is not None:
        await send_card(context.bot, query.message.chat.id, view)


# --- a card from the coach --------------------------------------------------------------------


def coach_card_button(participant_id: int) -> InlineKeyboardButton:
    """The "send a card" button on a participant's card in /deelnemers."""
    return InlineKeyboardButton(_("Send a card"),
                                callback_data=CardFor(participant_id=participant_id).pack())


def refusal_text(refusal: CardRefusal) -> str:
    texts = {
        CardRefusal.NOT_YOURS: _("You can only send cards to your own participants."),
        CardRefusal.NOT_JOINED: _("This participant has not joined the bot yet, so a card "
                                  "cannot reach them. You can send one once they have joined."),
        CardRefusal.NOT_ACTIVE: _("This participant no longer takes part, so no card can be "
                                  "sent."),
    }
    return texts[refusal]


def _write_prompt(name: str) -> tuple[str, InlineKeyboardMarkup]:
    text = _(
        "A card for {name}.\n\nWrite a short personal message (at most 300 characters): what "
        "did they do, what did you notice? Or pick a suggestion."
    ).format(name=html.escape(name))
    rows = [[InlineKeyboardButton(_(s), callback_data=CardSuggestion(index=i).pack())]
            for i, s in enumerate(SUGGESTIONS)]
    rows.append([InlineKeyboardButton(_("Stop"), callback_data=CardStop().pack())])
    return text, InlineKeyboardMarkup(rows)


async def start_card(update: Update, context: BotContext) -> None:
    pressed = await unpack_press(update, CardFor)
    if pressed is None:
        return
    query, wanted = pressed
    who = context.who
    if who is None or who.coach_id is None or who.account_id is None:
        await query.answer(_("This button is not for you."))
        return
    services = context.services
    target = await coach_cards.begin_card(services.db, who.coach_id, who.account_id,
                                          wanted.participant_id, services.clock.now())
    if isinstance(target, CardRefusal):
        await query.answer()
        if query.message is not None:
            await context.bot.send_message(query.message.chat.id, refusal_text(target))
        return
    await query.answer()
    text, markup = _write_prompt(target.participant_name)
    if query.message is not None:
        await context.bot.send_message(query.message.chat.id, text, reply_markup=markup)


async def _show_preview(context: BotContext, chat_id: int, state: Conversation, message: str
                        ) -> None:
    who = context.who
    assert who is not None and who.coach_id is not None and who.account_id is not None
    services = context.services
    shown = await coach_cards.preview(services.db, who.coach_id, who.account_id, state.data,
                                      message, services.clock.now(),
                                      services.settings.default_locale)
    if isinstance(shown, CardRefusal):
        await context.bot.send_message(chat_id, refusal_text(shown))
        return
    view, nonce = shown.view, shown.nonce
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton(_("Send this card"), callback_data=CardConfirm(nonce=nonce).pack())],
        [InlineKeyboardButton(_("Write it again"), callback_data=CardRewrite().pack()),
         InlineKeyboardButton(_("Stop"), callback_data=CardStop().pack())],
    ])
    # The card's own text first (the text alternative), then the question.
    question = _("This is how {name} will see the card. Send it?").format(
        name=html.escape(state.data["name"]))
    await context.bot.send_photo(chat_id, photo=view.png, caption=f"{view.caption}\n\n{question}",
                                 reply_markup=markup)


async def on_card_text(update: Update, context: BotContext, state: Conversation) -> None:
    """The coach typed the card's message (while writing, or to replace the previewed one)."""
    message = update.effective_message
    who = context.who
    if message is None or message.text is None or who is None or who.coach_id is None:
        return
    cleaned = clean_message(message.text)
    if cleaned is MessageProblem.TOO_LONG:
        await message.reply_text(_(
            "That message has {count} characters; a card holds at most 300. Could you make it "
            "a little shorter?").format(count=len(message.text.strip())))
        return
    if isinstance(cleaned, MessageProblem):
        await message.reply_text(_("Please write a few words for the card."))
        return
    await _show_preview(context, message.chat_id, state, cleaned)


async def _card_state(context: BotContext) -> Conversation | None:
    who = context.who
    if who is None or who.account_id is None or who.coach_id is None:
        return None
    state = await conversation.current(context.services.db, who.account_id,
                                       context.services.clock.now())
    return state if isinstance(state, Conversation) and state.flow == FLOW else None


async def pick_suggestion(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    try:
        wanted = CardSuggestion.unpack(query.data)
    except BadCallback:
        await query.answer(_("This button no longer works."))
        return
    state = await _card_state(context)
    if state is None or wanted.index >= len(SUGGESTIONS) or query.message is None:
        await query.answer(_("This button no longer works."))
        return
    await query.answer()
    await _show_preview(context, query.message.chat.id, state, _(SUGGESTIONS[wanted.index]))


async def rewrite(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    state = await _card_state(context)
    who = context.who
    if state is None or who is None or who.account_id is None or query.message is None:
        await query.answer(_("This button no longer works."))
        return
    await query.answer()
    await coach_cards.rewrite(context.services.db, who.account_id, state.data,
                              context.services.clock.now())
    text, markup = _write_prompt(state.data["name"])
    await context.bot.send_message(query.message.chat.id, text, reply_markup=markup)


async def stop(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    state = await _card_state(context)
    who = context.who
    if state is None or who is None or who.account_id is None or query.message is None:
        await query.answer(_("This button no longer works."))
        return
    await conversation.end(context.services.db, who.account_id)
    await query.answer()
    await context.bot.send_message(query.message.chat.id, _("Stopped. No card was sent."))


async def confirm(update: Update, context: BotContext) -> None:
    query = update.callback_query
    who = context.who
    if query is None or query.data is None or query.message is None:
        return
    try:
        wanted = CardConfirm.unpack(query.data)
    except BadCallback:
        await query.answer(_("This button no longer works."))
        return
    if who is None or who.coach_id is None or who.account_id is None:
        await query.answer(_("This button is not for you."))
        return
    services = context.services
    state = await _card_state(context)
    if state is None or state.step != "preview" or state.data.get("nonce") != wanted.nonce:
        # A second tap after sending, or a button of an older preview.
        await query.answer(_("This card has already been sent.")
                           if await coach_cards.already_sent(services.db, who.coach_id,
                                                             wanted.nonce)
                           else _("This button no longer works."))
        return
    outcome = await coach_cards.send_coach_card(
        services.db, who.coach_id, who.account_id, state.data["participant_id"],
        state.data["message"], wanted.nonce, services.clock.now(),
    )
    if isinstance(outcome, CardRefusal):
        await query.answer()
        await context.bot.send_message(query.message.chat.id, refusal_text(outcome))
        return
    await query.answer()
    if not outcome.new:
        return
    # The card is an outbox row now: it goes out within seconds, or when their quiet hours
    # or pause end; a block (403) found then marks them unreachable for you.
    name = html.escape(state.data["name"])
    await context.bot.send_message(
        query.message.chat.id,
        _("Your card for {name} is on its way.").format(name=name) if outcome.reachable else
        _("Your card for {name} is saved, but could not be delivered right now. They will "
          "find it under /kaartjes.").format(name=name),
    )


def register(app: Application, texts: TextRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler(["kaartjes", "cards"], show_collection))
    app.add_handler(CallbackQueryHandler(show_collection, pattern=rf"^{HOME_CARDS}$"))
    app.add_handler(CallbackQueryHandler(open_card, pattern=CardOpen.pattern()))
    app.add_handler(CallbackQueryHandler(turn_page, pattern=CardsPage.pattern()))
    app.add_handler(CallbackQueryHandler(start_card, pattern=CardFor.pattern()))
    app.add_handler(CallbackQueryHandler(pick_suggestion, pattern=CardSuggestion.pattern()))
    app.add_handler(CallbackQueryHandler(confirm, pattern=CardConfirm.pattern()))
    app.add_handler(CallbackQueryHandler(rewrite, pattern=CardRewrite.pattern()))
    app.add_handler(CallbackQueryHandler(stop, pattern=CardStop.pattern()))
    texts.on(FLOW, on_card_text)
