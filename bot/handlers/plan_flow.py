"""The goal-action plan, made together in the meeting: goal, why, pillars, confidence,
obstacle, if-then plan, then small steps (text, date, who, challenging). Buttons for every
choice and skip; typing only for words. Saved once, at the end (flows/plans.save_plan)."""

from __future__ import annotations

import html
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application

from bot.context import BotContext
from bot.core import plan_input as limits
from bot.core.coach_buttons import CoachCard, GoalAction, NewGoal, PlanTap
from bot.core.dates import local_today, parse_date
from bot.core.plan_input import (
    TextProblem,
    clean_text,
    is_past,
    step_hints,
)
from bot.flows import conversation, plans
from bot.flows.conversation import Conversation
from bot.flows.plans import PLAN_FLOW, DraftGoal, DraftStep, PlanDraft, load_draft
from bot.handlers.conversation import ConversationRouter
from bot.handlers.press import Pressed, PressHandler, no_longer_works
from bot.i18n import _, ngettext
from bot.screens.plans import (
    draft_text,
    due_keyboard,
    due_question,
    past_keyboard,
    past_question,
    picked_due,
    skip_row,
    tap_data,
)


def coach_today(context: BotContext) -> date:
    zone = context.who.timezone if context.who else context.services.settings.default_timezone
    return local_today(context.services.clock.now(), zone)


def _prompt(draft: PlanDraft, step: str, context: BotContext
            ) -> tuple[str, InlineKeyboardMarkup | None]:
    name = html.escape(draft.name)
    today = coach_today(context)
    if step == "goal":
        return _("New goal for <b>{name}</b>.\nWhat do they want to reach? Write it in their own "
                 "words. (/annuleer to stop)").format(name=name), None
    if step == "why":
        return _("Why does this matter to {name}?").format(name=name), InlineKeyboardMarkup(
            [skip_row(step)])
    if step == "pillars":
        return (_("Which part of the Brug does it touch? Tap one or more, then Next."),
                _pillar_keyboard(draft, context))
    if step == "confidence":
        numbers = [InlineKeyboardButton(str(n), callback_data=tap_data("conf", step, str(n)))
                   for n in range(1, 11)]
        return (_("How confident is {name} that this will work, from 1 to 10?").format(
            name=name), InlineKeyboardMarkup([numbers[:5], numbers[5:], skip_row(step)]))
    if step == "obstacle":
        return _("What might get in the way?"), InlineKeyboardMarkup([skip_row(step)])
    if step == "if_then":
        return (_("And what will {name} do then? Make it an if-then plan: “If ..., then ...”. "
                  "For example: “If I don't understand the letter, then I call my coach.”"
                  ).format(name=name), InlineKeyboardMarkup([skip_row(step)]))
    if step == "step_text":
        number = len(draft.steps) + 1
        text = _("Step {n}: what is a small step? One action that fits in one go.").format(
            n=number)
        if draft.steps or draft.gid is not None:
            text = draft_text(draft, today) + "\n\n" + _(
                "Type the next step, or save the plan.")
        save = _("Save without steps") if not draft.steps and draft.gid is None else _(
            "Save the plan")
        return text, InlineKeyboardMarkup([[InlineKeyboardButton(
            save, callback_data=tap_data("save", step))]])
    if step == "step_due":
        return due_question(), due_keyboard(today, step)
    if step == "step_owner":
        return _("Who does it?"), InlineKeyboardMarkup([[
            InlineKeyboardButton(draft.name[:30] or _("participant"),
                                 callback_data=tap_data("owner", step, "participant")),
            InlineKeyboardButton(_("Me"), callback_data=tap_data("owner", step, "coach")),
            InlineKeyboardButton(_("Together"),
                                 callback_data=tap_data("owner", step, "together")),
        ]])
    if step == "step_hard":
        return _("Is this a challenging step for {name}?").format(name=name), \
            InlineKeyboardMarkup([[
                InlineKeyboardButton(_("Yes, challenging"),
                                     callback_data=tap_data("hard", step, "1")),
                InlineKeyboardButton(_("No"), callback_data=tap_data("hard", step, "0")),
            ]])
    raise ValueError(step)


def _pillar_keyboard(draft: PlanDraft, context: BotContext) -> InlineKeyboardMarkup:
    locale = context.who.locale if context.who else context.services.settings.default_locale
    chosen = set(draft.goal.pillars if draft.goal else [])
    buttons = [InlineKeyboardButton(("✓ " if key in chosen else "") + label,
                                    callback_data=tap_data("poff" if key in chosen else "pon",
                                                           "pillars", key))
               for key, label in plans.pillar_choices(draft, locale).items()]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton(_("Next"), callback_data=tap_data("next", "pillars"))])
    return InlineKeyboardMarkup(rows)


async def go(chat_message: Message, context: BotContext, draft: PlanDraft, step: str,
             note: str = "") -> None:
    """Store the draft at `step` and ask that step's question."""
    who = context.who
    assert who is not None and who.account_id is not None
    step = await plans.advance(context.services.db, who.account_id, draft, step, who.locale,
                               context.services.clock.now())
    text, markup = _prompt(draft, step, context)
    await chat_message.chat.send_message(f"{note}\n\n{text}" if note else text,
                                         reply_markup=markup)


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
            await go(message, context, draft, "step_due")
            return
        else:
            assert draft.goal is not None
            setattr(draft.goal, step, text)
        await go(message, context, draft, limits.NEXT_AFTER[step])
        return
    if step == "confidence" and raw.strip().isdigit() and 1 <= int(raw.strip()) <= 10:
        await _set_confidence(message, context, draft, int(raw.strip()))
        return
    if step == "step_due":
        day = parse_date(raw, today)
        if day is None:
            await message.reply_text(
                _("I cannot read that date. Type it like 12-3 or 12-3-2026, or tap a choice."))
            return
        draft.cur["due"] = day.isoformat()
        if is_past(day, today):
            await plans.advance(context.services.db, who.account_id, draft, "step_due_past",
                                who.locale, context.services.clock.now())
            await message.reply_text(past_question(day, today),
                                     reply_markup=past_keyboard("step_due_past"))
            return
        await go(message, context, draft, "step_owner")
        return
    await message.reply_text(_("Please tap one of the buttons above. (/annuleer to stop)"))


async def _set_confidence(message: Message, context: BotContext, draft: PlanDraft,
                          value: int) -> None:
    assert draft.goal is not None
    draft.goal.confidence = value
    note = ""
    if value < 7:
        note = _("Confidence {n}: maybe the goal or the first step can be smaller. "
                 "Only if {name} wants that.").format(n=value, name=html.escape(draft.name))
    await go(message, context, draft, "obstacle", note)


async def _finish_step(message: Message, context: BotContext, draft: PlanDraft) -> None:
    step = DraftStep.model_validate(draft.cur)
    draft.steps.append(step)
    draft.cur = {}
    await go(message, context, draft, "step_text", step_tips(step.text, step.due,
                                                              coach_today(context)))


async def _plan_tap(update: Update, context: BotContext, state: Conversation, tap: PlanTap,
                    message: Message) -> None:
    query = update.callback_query
    assert query is not None
    draft = load_draft(state.data)
    step = state.step
    if draft is None:
        await query.answer(no_longer_works())
        return
    if tap.action in ("pon", "poff") and step == "pillars" and draft.goal is not None:
        locale = context.who.locale if context.who else context.services.settings.default_locale
        if tap.value not in plans.pillar_choices(draft, locale):
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
        assert context.who is not None and context.who.account_id is not None
        await plans.advance(context.services.db, context.who.account_id, draft, step,
                            context.who.locale, context.services.clock.now())
        await query.answer()
        await query.edit_message_reply_markup(_pillar_keyboard(draft, context))
        return
    valid = {("skip", "why"), ("skip", "confidence"), ("skip", "obstacle"), ("skip", "if_then"),
             ("next", "pillars"), ("conf", "confidence"), ("due", "step_due"),
             ("past_ok", "step_due_past"), ("owner", "step_owner"), ("hard", "step_hard"),
             ("save", "step_text")}
    if (tap.action, step) not in valid:
        await query.answer(no_longer_works())
        return
    if tap.action == "save":
        await _save(update, context, message)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if tap.action in ("skip", "next"):
        await go(message, context, draft, limits.NEXT_AFTER[step])
    elif tap.action == "conf" and tap.value and tap.value.isdigit() and 1 <= int(tap.value) <= 10:
        await _set_confidence(message, context, draft, int(tap.value))
    elif tap.action == "due" and tap.value in ("w0", "w1", "w2", "none"):
        day = picked_due(tap.value, coach_today(context))
        draft.cur["due"] = day.isoformat() if day else None
        await go(message, context, draft, "step_owner")
    elif tap.action == "past_ok":
        await go(message, context, draft, "step_owner" if tap.value == "1" else "step_due")
    elif tap.action == "owner" and tap.value in ("participant", "coach", "together"):
        draft.cur["owner"] = tap.value
        await go(message, context, draft, "step_hard")
    elif tap.action == "hard":
        draft.cur["hard"] = tap.value == "1"
        await _finish_step(message, context, draft)


async def _save(update: Update, context: BotContext, message: Message) -> None:
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
    await query.edit_message_reply_markup(None)
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
        step = "step_text" if draft.gid is not None else "goal"
        text, markup = _prompt(draft, step, context)
        await query.message.chat.send_message(text, reply_markup=markup)


def register(app: Application, router: ConversationRouter) -> None:  # type: ignore[type-arg]
    router.on(PLAN_FLOW, _on_text, tap=_plan_tap)
    app.add_handler(PressHandler(NewGoal, _on_new_goal, role="coach"))
