"""The goal-action plan, made together in the meeting: goal, why, Brug parts and confidence (one
screen), the obstacle with its if-then plan, then small steps (text and date; who does it and
"challenging" start from a default that one tap changes). Saved once, at the end
(flows/plans.save_plan).

Every answer stays visible: a tapped choice is written into its question and the buttons go;
when the coach types instead of tapping, the question's buttons go too, so the chat never
holds a keyboard that no longer means anything."""

from __future__ import annotations

import html
import logging
from datetime import date

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application

from bot.core import plan_input as limits
from bot.core.dates import local_today, parse_date
from bot.core.plan_input import TextProblem, clean_text, if_then_parts, is_past, step_hints
from bot.flows import conversation, plans
from bot.flows.conversation import Conversation
from bot.flows.plans import PLAN_FLOW, DraftGoal, DraftStep, PlanDraft, load_draft
from bot.i18n import _, ngettext
from bot.telegram.context import BotContext
from bot.telegram.handlers.conversation import ConversationRouter
from bot.telegram.handlers.press import Pressed, PressHandler, no_longer_works
from bot.ui.buttons.coach import CoachCard, GoalAction, NewGoal, PlanTap
from bot.ui.screens.plans import (
    draft_text,
    due_keyboard,
    new_step_text,
    past_keyboard,
    past_question,
    picked_due,
    skip_row,
    steps_keyboard,
    steps_text,
    tap_data,
)

log = logging.getLogger(__name__)

# The steps whose question is (re)drawn from the draft in one message with the step list.
STEP_SCREENS = ("step_text", "step_due")
# Steps of an older version of this flow: a draft left there goes on as after the step.
LEGACY_STEP = ("step_owner", "step_hard")


def coach_today(context: BotContext) -> date:
    zone = context.who.timezone if context.who else context.services.settings.default_timezone
    return local_today(context.services.clock.now(), zone)


def _locale(context: BotContext) -> str:
    return context.who.locale if context.who else context.services.settings.default_locale


def _prompt(draft: PlanDraft, step: str, context: BotContext
            ) -> tuple[str, InlineKeyboardMarkup | None]:
    name = html.escape(draft.name)
    today = coach_today(context)
    if step == "goal":
        return (_("New goal for <b>{name}</b>.\nWhat do they want to reach? Write it in their "
                  "own words. (/annuleer to stop)").format(name=name),
                InlineKeyboardMarkup([[InlineKeyboardButton(
                    _("Plan later"), callback_data=tap_data("later", step))]]))
    if step == "why":
        return _("Why does this matter to {name}?").format(name=name), InlineKeyboardMarkup(
            [skip_row(step)])
    if step in ("pillars", "confidence"):
        return _pillars_and_confidence(draft, step, context)
    if step == "obstacle":
        return (_("What might get in the way, and what will {name} do then? Write it as an "
                  "if-then plan: “If ..., then ...”. For example: “If I don't understand the "
                  "letter, then I call my coach.”").format(name=name),
                InlineKeyboardMarkup([skip_row(step)]))
    if step == "if_then":
        return (_("And what will {name} do then? Make it an if-then plan: “If ..., then ...”. "
                  "For example: “If I don't understand the letter, then I call my coach.”"
                  ).format(name=name), InlineKeyboardMarkup([skip_row(step)]))
    if step == "step_text":
        if not draft.steps and draft.gid is None:
            text = _("Step {n}: what is a small step? One action that fits in one go.").format(
                n=1)
            return text, steps_keyboard(draft)
        return steps_text(draft, today), steps_keyboard(draft)
    if step == "step_due":
        return new_step_text(draft, today), due_keyboard(today, step)
    if step == "step_due_past":
        day = date.fromisoformat(str(draft.cur["due"]))
        return past_question(day, today), past_keyboard(step)
    raise ValueError(step)


def _pillars_and_confidence(draft: PlanDraft, step: str, context: BotContext
                            ) -> tuple[str, InlineKeyboardMarkup]:
    """The Brug parts (one or more) and the confidence on one screen: the number moves on."""
    name = html.escape(draft.name)
    choices = plans.pillar_choices(draft, _locale(context))
    chosen = set(draft.goal.pillars if draft.goal else [])
    rows: list[list[InlineKeyboardButton]] = []
    text = _("How confident is {name} that this will work, from 1 to 10?").format(name=name)
    if choices and step == "pillars":
        text = _("Which part of the Brug does it touch? Tap one or more.") + "\n" + text
        buttons = [InlineKeyboardButton(("✓ " if key in chosen else "") + label,
                                        callback_data=tap_data("poff" if key in chosen
                                                               else "pon", step, key))
                   for key, label in choices.items()]
        rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    numbers = [InlineKeyboardButton(str(n), callback_data=tap_data("conf", step, str(n)))
               for n in range(1, 11)]
    rows += [numbers[:5], numbers[5:], skip_row(step)]
    return text, InlineKeyboardMarkup(rows)


def _echo(draft: PlanDraft, step: str, context: BotContext) -> str:
    """What was chosen at `step`, written under its question when the question is left."""
    if step in ("pillars", "confidence") and draft.goal is not None:
        labels = plans.pillar_choices(draft, _locale(context))
        parts = [", ".join(html.escape(labels.get(k, k)) for k in draft.goal.pillars)]
        parts.append(_("confidence {n}/10").format(n=draft.goal.confidence)
                     if draft.goal.confidence else _("confidence skipped"))
        return " · ".join(p for p in parts if p)
    return _("Skipped")


async def _show(chat_message: Message, context: BotContext, draft: PlanDraft, step: str,
                note: str = "", *, edit: Message | None = None) -> None:
    """Ask `step`'s question (in `edit` when given, else as a new message at the bottom),
    then store the draft at `step` with that message as the one holding the buttons."""
    who = context.who
    assert who is not None and who.account_id is not None
    text, markup = _prompt(draft, step, context)
    text = f"{note}\n\n{text}" if note else text
    if edit is not None:
        await edit.edit_text(text, reply_markup=markup)
        draft.ask_mid = edit.message_id
    else:
        await _leave(context, chat_message.chat_id, draft)
        sent = await chat_message.chat.send_message(text, reply_markup=markup)
        draft.ask_mid = sent.message_id
    await plans.advance(context.services.db, who.account_id, draft, step,
                        context.services.clock.now())


async def _leave(context: BotContext, chat_id: int, draft: PlanDraft, echo: str | None = None,
                 question: str | None = None) -> None:
    """Take the buttons off the question being left (with the answer written under it when
    `echo` is given). A message the coach deleted meanwhile is no reason to stop."""
    if not draft.ask_mid:
        return
    try:
        if echo is not None and question is not None:
            await context.bot.edit_message_text(f"{question}\n\n→ <b>{echo}</b>", chat_id,
                                                draft.ask_mid, reply_markup=None)
        else:
            await context.bot.edit_message_reply_markup(chat_id, draft.ask_mid,
                                                        reply_markup=None)
    except BadRequest as error:
        log.info("plan question %s not cleared: %s", draft.ask_mid, type(error).__name__)
    draft.ask_mid = 0


async def _left_by_tap(query_message: Message, context: BotContext, draft: PlanDraft,
                       step: str, echo: str) -> None:
    """A tap answered the question: the answer goes into the question, the buttons go."""
    question, _markup = _prompt(draft, step, context)
    await query_message.edit_text(f"{question}\n\n→ <b>{echo}</b>", reply_markup=None)
    draft.ask_mid = 0


def _too_long(problem: TextProblem, max_chars: int) -> str:
    if problem is TextProblem.TOO_LONG:
        return _("That is a bit long. Please keep it under {max} characters.").format(
            max=max_chars)
    return _("Please type a few words, or use the buttons.")


def step_tips(text: str, due: date | None, today: date) -> str:
    hints = step_hints(text, due, today)
    tips = []
    if hints.long or hints.big:
        tips.append(_("Tip: a step that fits in one go is easier to start. Could it be split?"))
    if hints.no_date:
        tips.append(_("Tip: a date works as a gentle push."))
    if hints.far:
        tips.append(_("Tip: a date within a few weeks keeps the step in view."))
    return "\n".join(tips)


def _finish_legacy_step(draft: PlanDraft) -> None:
    """A draft saved at the older "who" or "challenging" question: the step is complete with
    what it has (the defaults for the rest)."""
    if draft.cur.get("text"):
        draft.steps.append(DraftStep.model_validate(draft.cur))
    draft.cur = {}


async def _on_text(update: Update, context: BotContext, state: Conversation) -> None:
    message = update.effective_message
    who = context.who
    if message is None or who is None or who.account_id is None:
        return
    draft = load_draft(state.data)
    if draft is None:
        await conversation.end(context.services.db, who.account_id)
        await message.reply_text(_("Stopped. Nothing was saved."))
        return
    if message.message_id <= draft.last_mid:
        return  # the same message delivered again: already answered
    draft.last_mid = message.message_id
    raw = message.text or ""
    step = state.step
    if step in LEGACY_STEP:
        _finish_legacy_step(draft)
        step = "step_text"
    today = coach_today(context)
    if step in limits.TYPED:
        text = clean_text(raw, limits.TYPED[step])
        if isinstance(text, TextProblem):
            await message.reply_text(_too_long(text, limits.TYPED[step]))
            return
        if step == "goal":
            draft.goal = DraftGoal(text=text)
        elif step == "step_text":
            draft.cur = {"text": text}
            await _show(message, context, draft, "step_due")
            return
        elif step == "obstacle":
            assert draft.goal is not None
            parts = if_then_parts(text)
            if parts is not None and len(parts[0]) <= limits.OBSTACLE_MAX:
                # An if-then plan at once: its first half is the obstacle.
                draft.goal.obstacle, draft.goal.if_then = parts
                await _show(message, context, draft, "step_text")
                return
            draft.goal.obstacle = text
        else:
            assert draft.goal is not None
            setattr(draft.goal, step, text)
        await _show(message, context, draft, limits.NEXT_AFTER[step])
        return
    if step in ("pillars", "confidence") and raw.strip().isdigit() and \
            1 <= int(raw.strip()) <= 10:
        await _set_confidence(message, context, draft, step, int(raw.strip()))
        return
    if step == "step_due":
        day = parse_date(raw, today)
        if day is None:
            await message.reply_text(
                _("I cannot read that date. Type it like 12-3 or 12-3-2026, or tap a choice."))
            return
        draft.cur["due"] = day.isoformat()
        if is_past(day, today):
            await _show(message, context, draft, "step_due_past")
            return
        await _finish_step(message, context, draft)
        return
    await message.reply_text(_("Please tap one of the buttons above. (/annuleer to stop)"))


async def _set_confidence(message: Message, context: BotContext, draft: PlanDraft, step: str,
                          value: int, *, tapped: Message | None = None) -> None:
    assert draft.goal is not None
    draft.goal.confidence = value
    echo = _echo(draft, step, context)
    if tapped is not None:
        await _left_by_tap(tapped, context, draft, step, echo)
    else:
        await _leave(context, message.chat_id, draft, echo, _prompt(draft, step, context)[0])
    note = ""
    if value < 7:
        note = _("Confidence {n}: maybe the goal or the first step can be smaller. "
                 "Only if {name} wants that.").format(n=value, name=html.escape(draft.name))
    await _show(message, context, draft, "obstacle", note)


async def _finish_step(message: Message, context: BotContext, draft: PlanDraft, *,
                       edit: Message | None = None) -> None:
    """The step is complete with its date; who does it and "challenging" start from their
    defaults, changed with one tap on the message that follows."""
    step = DraftStep.model_validate(draft.cur)
    draft.steps.append(step)
    draft.cur = {}
    await _show(message, context, draft, "step_text",
                step_tips(step.text, step.due, coach_today(context)), edit=edit)


async def _plan_tap(update: Update, context: BotContext, state: Conversation, tap: PlanTap,
                    message: Message) -> None:
    query = update.callback_query
    assert query is not None
    draft = load_draft(state.data)
    step = state.step
    if draft is None:
        await query.answer(no_longer_works())
        return
    if step in LEGACY_STEP:
        _finish_legacy_step(draft)
        step = "step_text"
    if tap.action in ("pon", "poff") and step == "pillars" and draft.goal is not None:
        await _toggle_pillar(query, context, draft, tap)
        return
    if tap.action in ("owner", "hard") and step == "step_text":
        await _change_last_step(query, context, draft, tap)
        return
    valid = {("skip", "why"), ("skip", "pillars"), ("skip", "confidence"), ("skip", "obstacle"),
             ("skip", "if_then"), ("next", "pillars"), ("conf", "pillars"),
             ("conf", "confidence"), ("due", "step_due"), ("past_ok", "step_due_past"),
             ("save", "step_text"), ("later", "goal")}
    if (tap.action, step) not in valid:
        await query.answer(no_longer_works())
        return
    if tap.action == "save":
        await _save(update, context, message, draft)
        return
    if tap.action == "later":
        await query.answer()
        if await plans.end_plan(context.services.db, state_account(context)):
            await message.edit_text(
                _("All right, no plan now. The invite stays valid; you make a plan later "
                  "from their card (/deelnemers)."), reply_markup=None)
        return
    await query.answer()
    if tap.action == "conf" and tap.value and tap.value.isdigit() and \
            1 <= int(tap.value) <= 10:
        await _set_confidence(message, context, draft, step, int(tap.value), tapped=message)
    elif tap.action in ("skip", "next"):
        await _left_by_tap(message, context, draft, step, _echo(draft, step, context))
        # No obstacle named: no if-then question about it either.
        await _show(message, context, draft,
                    "step_text" if step == "obstacle" else limits.NEXT_AFTER[step])
    elif tap.action == "due" and tap.value in ("w0", "w1", "w2", "none"):
        day = picked_due(tap.value, coach_today(context))
        draft.cur["due"] = day.isoformat() if day else None
        await _finish_step(message, context, draft, edit=message)
    elif tap.action == "past_ok":
        if tap.value == "1":
            await _finish_step(message, context, draft, edit=message)
        else:
            draft.cur.pop("due", None)
            await _show(message, context, draft, "step_due", edit=message)


def state_account(context: BotContext) -> int:
    assert context.who is not None and context.who.account_id is not None
    return context.who.account_id


async def _toggle_pillar(query: CallbackQuery, context: BotContext, draft: PlanDraft,
                         tap: PlanTap) -> None:
    assert draft.goal is not None
    if tap.value not in plans.pillar_choices(draft, _locale(context)):
        await query.answer(no_longer_works())
        return
    chosen = draft.goal.pillars
    if (tap.value in chosen) == (tap.action == "pon"):
        await query.answer()  # already so: a repeated tap changes nothing
        return
    if tap.action == "poff":
        chosen.remove(tap.value)
    else:
        chosen.append(str(tap.value))
    await plans.advance(context.services.db, state_account(context), draft, "pillars",
                        context.services.clock.now())
    await query.answer()
    await query.edit_message_reply_markup(_pillars_and_confidence(draft, "pillars", context)[1])


async def _change_last_step(query: CallbackQuery, context: BotContext, draft: PlanDraft,
                            tap: PlanTap) -> None:
    """Who does the newest step, or whether it is challenging: "<step number>-<choice>", so a
    tap meant for another step (an older message) changes nothing."""
    number, _sep, value = (tap.value or "").partition("-")
    if not draft.steps or number != str(len(draft.steps)):
        await query.answer(no_longer_works())
        return
    last = draft.steps[-1]
    if tap.action == "owner" and value in ("participant", "coach", "together"):
        changed = last.model_copy(update={"owner": value})
    elif tap.action == "hard" and value in ("0", "1"):
        changed = last.model_copy(update={"hard": value == "1"})
    else:
        await query.answer(no_longer_works())
        return
    await query.answer()
    if changed == last:
        return  # already so (the same tap delivered twice)
    draft.steps[-1] = changed
    await plans.advance(context.services.db, state_account(context), draft, "step_text",
                        context.services.clock.now())
    text, markup = _prompt(draft, "step_text", context)
    await query.edit_message_text(text, reply_markup=markup)


async def _save(update: Update, context: BotContext, message: Message, draft: PlanDraft
                ) -> None:
    who = context.who
    assert who is not None and who.coach_id is not None and who.account_id is not None
    services = context.services
    saved = await plans.save_plan(services.db, who.coach_id, who.account_id,
                                  services.clock.now())
    query = update.callback_query
    assert query is not None
    if saved is None:
        # A second tap (or the same tap delivered twice at once): saved by the first one.
        await query.answer(no_longer_works())
        return
    await query.answer()
    # The plan as saved stays readable above the confirmation; its buttons go.
    if draft.steps:
        await message.edit_text(draft_text(draft, coach_today(context)), reply_markup=None)
    else:
        await message.edit_reply_markup(None)
    text = ngettext("Saved: the goal with {n} step.", "Saved: the goal with {n} steps.",
                    saved.steps).format(n=saved.steps)
    if saved.steps == 0:
        text += "\n" + _("Tip: one small first step makes starting easier. You can add it "
                         "later from the goal screen.")
    if saved.told:
        text += "\n" + _("A short message about it is on its way to {name}.").format(
            name=html.escape(saved.participant_name))
    markup = InlineKeyboardMarkup([[
        InlineKeyboardButton(_("Open the goal"),
                             callback_data=GoalAction(action="open", gid=saved.goal_id).pack()),
        InlineKeyboardButton(_("Back to the card"),
                             callback_data=CoachCard(pid=saved.participant_id).pack()),
    ]])
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
    await _show(chat_message, context, draft, "step_text" if draft.gid is not None else "goal")


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    router.on(PLAN_FLOW, _on_text, tap=_plan_tap)
    app.add_handler(PressHandler(NewGoal, _on_new_goal, role="coach"))
