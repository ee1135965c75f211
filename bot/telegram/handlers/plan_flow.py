"""The goal-action plan, made together in the meeting: goal, why, Brug parts and confidence (one
screen), the obstacle with its if-then plan, then small steps (text and date; who does it and
"challenging" start from a default that one tap changes). Saved once, at the end.

Thin: the steps and transitions are in bot/core/plan_flow.py, the use cases in
bot/flows/plan_flow.py, the words in bot/ui/screens/plan_flow.py. Here an answer is read, given
to one use case, and what comes back is drawn.

Every answer stays visible: a tapped choice is written into its question and the buttons go;
when the coach types instead of tapping, the question's buttons go too, so the chat never
holds a keyboard that no longer means anything."""

from __future__ import annotations

import logging
from datetime import date

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot.core import plan_flow as rules
from bot.core.conversations import PlanDraft
from bot.core.dates import local_today
from bot.flows import plan_flow, plans
from bot.flows.conversation import Conversation
from bot.flows.plan_flow import Gone, LeftForLater, Saved
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.telegram.routing import Said, text_step
from bot.ui.buttons.coach import NewGoal, PlanTap
from bot.ui.screens import plan_flow as screen
from bot.ui.screens.plans import draft_text

log = logging.getLogger(__name__)


def coach_today(context: BotContext) -> date:
    zone = context.who.timezone if context.who else context.services.settings.default_timezone
    return local_today(context.services.clock.now(), zone)


def _labels(context: BotContext, draft: PlanDraft) -> dict[str, str]:
    locale = context.who.locale if context.who else context.services.settings.default_locale
    return plans.pillar_choices(draft, locale)


async def _on_text(said: Said, context: BotContext, state: Conversation) -> None:
    message = said.message
    outcome = await plan_flow.answer_text(context.services.db, said.account_id, state,
                                          message.text or "", message.message_id,
                                          coach_today(context))
    if isinstance(outcome, Gone):
        await message.reply_text(screen.stopped())
    elif isinstance(outcome, rules.Refused):
        await message.reply_text(screen.refused(outcome))
    elif isinstance(outcome, rules.Ask):
        await _ask(message, context, outcome)
    # Repeated: the same message delivered again, answered already.


async def _on_tap(update: Update, context: BotContext, state: Conversation, tap: PlanTap,
                  message: Message) -> None:
    query, who, services = update.callback_query, context.who, context.services
    assert query is not None and who is not None
    coach = Said(update, message, who)  # PlanTap is routed with role="coach": ids vouched for
    outcome = await plan_flow.answer_tap(
        services.db, coach.coach_id, coach.account_id, state, rules.Tap(tap.action, tap.value),
        coach_today(context), who.locale, services.clock.now())
    if isinstance(outcome, rules.Stale | Gone) or (
            isinstance(outcome, Saved) and outcome.plan is None):
        # An older button, a forged value, or a second tap on "save" (saved by the first).
        await query.answer(no_longer_works())
        if isinstance(outcome, Gone):
            await message.chat.send_message(screen.stopped())
        return
    await query.answer()
    if isinstance(outcome, Saved):
        await _saved(message, context, outcome)
    elif isinstance(outcome, LeftForLater) and outcome.ended:
        await message.edit_text(screen.later(), reply_markup=None)
    elif isinstance(outcome, rules.Changed):
        await _redraw(query, context, outcome)
    elif isinstance(outcome, rules.Ask):
        await _ask(message, context, outcome, tapped=message)
    # Same: already so; the answer to the tap is all.


async def _ask(chat_message: Message, context: BotContext, ask: rules.Ask, *,
               tapped: Message | None = None) -> None:
    """Ask `ask.step`'s question: as a new message at the bottom (the question left gets its
    answer written under it, or loses its buttons), or in place of the tapped question. The
    flow is then at that step, with the message that holds its buttons."""
    who, services = context.who, context.services
    assert who is not None and who.account_id is not None
    draft, today = ask.draft, coach_today(context)
    labels = _labels(context, draft)
    text, markup = screen.question(draft, ask.step, today, labels)
    text = screen.with_note(text, ask.note, draft)
    if ask.leave == "replace" and tapped is not None:
        await tapped.edit_text(text, reply_markup=markup)
        shown = tapped.message_id
    else:
        await _leave(context, chat_message.chat_id,
                     tapped.message_id if tapped is not None else draft.ask_mid,
                     screen.answered(draft, ask.left, today, labels)
                     if ask.leave == "echo" else None)
        shown = (await chat_message.chat.send_message(text, reply_markup=markup)).message_id
    await plan_flow.asked(services.db, who.account_id, ask, shown, services.clock.now())


async def _leave(context: BotContext, chat_id: int, message_id: int, answered: str | None
                 ) -> None:
    """Take the buttons off the question being left (with the answer written under it when
    given). A message the coach deleted meanwhile is no reason to stop."""
    if not message_id:
        return
    try:
        if answered is not None:
            await context.bot.edit_message_text(answered, chat_id, message_id,
                                                reply_markup=None)
        else:
            await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as error:
        log.info("plan question %s not cleared: %s", message_id, type(error).__name__)


async def _redraw(query: CallbackQuery, context: BotContext, changed: rules.Changed) -> None:
    labels = _labels(context, changed.draft)
    if changed.redraw == "pillars":
        await query.edit_message_reply_markup(
            screen.pillars_and_confidence(changed.draft, changed.step, labels)[1])
        return
    text, markup = screen.question(changed.draft, changed.step, coach_today(context), labels)
    await query.edit_message_text(text, reply_markup=markup)


async def _saved(message: Message, context: BotContext, saved: Saved) -> None:
    assert saved.plan is not None
    # The plan as saved stays readable above the confirmation; its buttons go.
    if saved.draft.steps:
        await message.edit_text(draft_text(saved.draft, coach_today(context)),
                                reply_markup=None)
    else:
        await message.edit_reply_markup(None)
    text, markup = screen.saved(saved.plan)
    await message.chat.send_message(text, reply_markup=markup)


async def _on_new_goal(press: Pressed[NewGoal], context: BotContext) -> None:
    draft = await plans.start_plan(context.services.db, press.coach_id, press.account_id,
                                   press.data.pid, context.services.clock.now())
    await start_answer(press.update, context, draft)


async def start_answer(update: Update, context: BotContext, draft: PlanDraft | None) -> None:
    query = update.callback_query
    assert query is not None
    if draft is None:
        await query.answer(_("This participant is not in your list."))
        return
    await query.answer()
    if isinstance(query.message, Message):
        await ask_first(query.message, context, draft)


async def ask_first(chat_message: Message, context: BotContext, draft: PlanDraft) -> None:
    """The flow's first question, for a plan just begun (the draft is stored already)."""
    await _ask(chat_message, context, rules.Ask(draft, rules.first_step(draft)))


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    router.on(PlanDraft.flow, text_step(_on_text, role="coach"), tap=_on_tap)
    app.add_handler(PressHandler(NewGoal, _on_new_goal, role="coach"))
