"""Cards: /kaartjes and the home button (participant), "send a card" (coach)."""

from __future__ import annotations

import html
import logging

from telegram import Bot, InlineKeyboardButton
from telegram.error import Forbidden
from telegram.ext import Application

from bot.core.cards import MessageProblem, clean_message
from bot.core.conversations import CardDraft
from bot.flows import cards, coach_cards, conversation, rewards
from bot.flows.cards import CardShown
from bot.flows.coach_cards import CardRefusal
from bot.flows.conversation import Conversation
from bot.i18n import _
from bot.notify.drawing import draw_card
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.telegram.routing import Command, Said, text_step
from bot.ui.buttons.base import Home
from bot.ui.buttons.cards import (
    CardConfirm,
    CardFor,
    CardOpen,
    CardRewrite,
    CardsPage,
    CardStop,
    CardSuggestion,
)
from bot.ui.screens import cards as screens
from bot.ui.screens.cards import SUGGESTIONS

log = logging.getLogger(__name__)

FLOW = coach_cards.FLOW


# --- showing a card the participant asked for (cards they earned come through the outbox) -----


async def send_card(bot: Bot, chat_id: int, card: CardShown) -> bool:
    """The picture with its caption as the text alternative. False when the person blocked us."""
    picture = screens.card_picture(card)
    try:
        await bot.send_photo(chat_id, photo=await draw_card(picture),
                             caption=screens.caption_for(picture))
    except Forbidden:
        log.info("card %s not delivered: chat blocked", card.card_id)
        return False
    return True


# --- the participant's collection -----------------------------------------------------------


async def show_collection(said: Said, context: BotContext) -> None:
    """/kaartjes."""
    await _send_collection(context, said.message.chat_id, said.participant_id,
                           said.who.timezone)


async def cards_are_sent_from_the_list(said: Said, context: BotContext) -> None:
    """/kaartjes for a coach."""
    await said.message.reply_text(_("Cards are for participants. Coaches send a card from "
                                    "/deelnemers."))


async def home_cards(pressed: Pressed[Home], context: BotContext) -> None:
    """The home menu's cards button."""
    await pressed.query.answer()
    await _send_collection(context, pressed.chat_id, pressed.participant_id,
                           pressed.who.timezone)


async def _send_collection(context: BotContext, chat_id: int, participant_id: int,
                           timezone: str) -> None:
    page = await cards.collection(context.services.db, participant_id, 0)
    uses_rewards = await rewards.enabled_for(context.services.db, participant_id)
    text, markup = screens.collection(page, timezone, rewards=uses_rewards)
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def turn_page(pressed: Pressed[CardsPage], context: BotContext) -> None:
    query = pressed.query
    await query.answer()
    page = await cards.collection(context.services.db, pressed.participant_id,
                                  pressed.data.page)
    text, markup = screens.collection(page, pressed.who.timezone)
    if pressed.message is not None and pressed.message.text is not None:
        await query.edit_message_text(text, reply_markup=markup)
    else:  # not our list message: answer with a new one
        await context.bot.send_message(pressed.chat_id, text, reply_markup=markup)


async def open_card(pressed: Pressed[CardOpen], context: BotContext) -> None:
    query = pressed.query
    card = await cards.card_view(context.services.db, pressed.data.card_id,
                                 pressed.participant_id, context.services.settings.default_locale)
    if card is None:
        # Someone else's card id or a removed card: reveal nothing.
        await query.answer(_("This card cannot be found."))
        return
    await query.answer()
    await send_card(context.bot, pressed.chat_id, card)


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


async def start_card(pressed: Pressed[CardFor], context: BotContext) -> None:
    query = pressed.query
    services = context.services
    target = await coach_cards.begin_card(services.db, pressed.coach_id, pressed.account_id,
                                          pressed.data.participant_id, services.clock.now())
    await query.answer()
    if isinstance(target, CardRefusal):
        await context.bot.send_message(pressed.chat_id, refusal_text(target))
        return
    text, markup = screens.write_prompt(target.participant_name)
    await context.bot.send_message(pressed.chat_id, text, reply_markup=markup)


async def _show_preview(context: BotContext, coach_id: int, account_id: int, chat_id: int,
                        state: Conversation, message: str) -> None:
    services = context.services
    draft = state.state(CardDraft)
    shown = await coach_cards.preview(services.db, coach_id, account_id, draft,
                                      message, services.clock.now(),
                                      services.settings.default_locale)
    if isinstance(shown, CardRefusal):
        await context.bot.send_message(chat_id, refusal_text(shown))
        return
    picture = screens.card_picture(shown.card)
    question, markup = screens.preview_question(draft.name, shown.nonce)
    # The card's own text first (the text alternative), then the question.
    await context.bot.send_photo(chat_id, photo=await draw_card(picture),
                                 caption=f"{screens.caption_for(picture)}\n\n{question}",
                                 reply_markup=markup)


async def on_card_text(said: Said, context: BotContext, state: Conversation) -> None:
    """The coach typed the card's message (while writing, or to replace the previewed one)."""
    message = said.message
    if message.text is None:
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
    await _show_preview(context, said.coach_id, said.account_id, message.chat_id, state,
                        cleaned)


async def _card_state(context: BotContext, account_id: int) -> Conversation | None:
    state = await conversation.current(context.services.db, account_id,
                                       context.services.clock.now())
    return state if isinstance(state, Conversation) and state.flow == FLOW else None


async def pick_suggestion(pressed: Pressed[CardSuggestion], context: BotContext) -> None:
    query = pressed.query
    state = await _card_state(context, pressed.account_id)
    if state is None or pressed.data.index >= len(SUGGESTIONS):
        await query.answer(no_longer_works())
        return
    await query.answer()
    await _show_preview(context, pressed.coach_id, pressed.account_id, pressed.chat_id, state,
                        _(SUGGESTIONS[pressed.data.index]))


async def rewrite(pressed: Pressed[CardRewrite], context: BotContext) -> None:
    query = pressed.query
    state = await _card_state(context, pressed.account_id)
    if state is None:
        await query.answer(no_longer_works())
        return
    await query.answer()
    draft = state.state(CardDraft)
    await coach_cards.rewrite(context.services.db, pressed.account_id, draft,
                              context.services.clock.now())
    text, markup = screens.write_prompt(draft.name)
    await context.bot.send_message(pressed.chat_id, text, reply_markup=markup)


async def stop(pressed: Pressed[CardStop], context: BotContext) -> None:
    query = pressed.query
    state = await _card_state(context, pressed.account_id)
    if state is None:
        await query.answer(no_longer_works())
        return
    await conversation.end(context.services.db, pressed.account_id)
    await query.answer()
    await context.bot.send_message(pressed.chat_id, _("Stopped. No card was sent."))


async def confirm(pressed: Pressed[CardConfirm], context: BotContext) -> None:
    query, wanted = pressed.query, pressed.data
    coach_id, account_id = pressed.coach_id, pressed.account_id
    services = context.services
    state = await _card_state(context, account_id)
    draft = state.state(CardDraft) if state is not None else None
    if state is None or draft is None or state.step != "preview" or draft.nonce != wanted.nonce \
            or draft.message is None:
        # A second tap after sending, or a button of an older preview.
        await query.answer(_("This card has already been sent.")
                           if await coach_cards.already_sent(services.db, coach_id,
                                                             wanted.nonce)
                           else no_longer_works())
        return
    outcome = await coach_cards.send_coach_card(
        services.db, coach_id, account_id, draft.participant_id,
        draft.message, wanted.nonce, services.clock.now(),
    )
    await query.answer()
    if isinstance(outcome, CardRefusal):
        await context.bot.send_message(pressed.chat_id, refusal_text(outcome))
        return
    if not outcome.new:
        return
    # The card is an outbox row now: it goes out within seconds, or when their quiet hours
    # or pause end; a block (403) found then marks them unreachable for you.
    name = html.escape(draft.name)
    await context.bot.send_message(
        pressed.chat_id,
        _("Your card for {name} is on its way.").format(name=name) if outcome.reachable else
        _("Your card for {name} is saved, but could not be delivered right now. They will "
          "find it under /kaartjes.").format(name=name),
    )


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    app.add_handler(Command("kaartjes", {"participant": show_collection,
                                         "coach": cards_are_sent_from_the_list}))
    presses = [
        PressHandler(Home, home_cards, role="participant", when="cards"),
        PressHandler(CardOpen, open_card, role="participant"),
        PressHandler(CardsPage, turn_page, role="participant"),
        PressHandler(CardFor, start_card, role="coach"),
        PressHandler(CardSuggestion, pick_suggestion, role="coach"),
        PressHandler(CardConfirm, confirm, role="coach"),
        PressHandler(CardRewrite, rewrite, role="coach"),
        PressHandler(CardStop, stop, role="coach"),
    ]
    for handler in presses:
        app.add_handler(handler)
    router.on(FLOW, text_step(on_card_text, role="coach"))
