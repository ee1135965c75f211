"""The plan flow's screens: each question with its buttons, the answer written under a question
that was left, the notes, the short answers to what a question cannot take, and the end (saved,
or "later"). Plain data in: the draft, today, the Brug parts' labels."""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import plan_flow as rules
from bot.core.conversations import PlanDraft
from bot.i18n import _, ngettext
from bot.ui.buttons.coach import CoachCard, GoalAction
from bot.ui.screens.plans import (
    due_keyboard,
    new_step_text,
    past_keyboard,
    past_question,
    skip_row,
    steps_keyboard,
    steps_text,
    tap_data,
)

if TYPE_CHECKING:
    from bot.flows.plans import PlanSaved

Screen = tuple[str, InlineKeyboardMarkup | None]


def question(draft: PlanDraft, step: str, today: date, labels: dict[str, str]) -> Screen:
    """`step`'s question; `labels` are the Brug parts one can choose (key -> label)."""
    name = html.escape(draft.name)
    if step == rules.GOAL:
        return (_("New goal for <b>{name}</b>.\nWhat do they want to reach? Write it in their "
                  "own words. (/annuleer to stop)").format(name=name),
                InlineKeyboardMarkup([[InlineKeyboardButton(
                    _("Plan later"), callback_data=tap_data("later", step))]]))
    if step == rules.WHY:
        return _("Why does this matter to {name}?").format(name=name), InlineKeyboardMarkup(
            [skip_row(step)])
    if step in (rules.PILLARS, rules.CONFIDENCE):
        return pillars_and_confidence(draft, step, labels)
    if step == rules.OBSTACLE:
        return (_("What might get in the way, and what will {name} do then? Write it as an "
                  "if-then plan: “If ..., then ...”. For example: “If I don't understand the "
                  "letter, then I call my coach.”").format(name=name),
                InlineKeyboardMarkup([skip_row(step)]))
    if step == rules.IF_THEN:
        return (_("And what will {name} do then? Make it an if-then plan: “If ..., then ...”. "
                  "For example: “If I don't understand the letter, then I call my coach.”"
                  ).format(name=name), InlineKeyboardMarkup([skip_row(step)]))
    if step == rules.STEP_TEXT:
        if not draft.steps and draft.gid is None:
            text = _("Step {n}: what is a small step? One action that fits in one go.").format(
                n=1)
            return text, steps_keyboard(draft)
        return steps_text(draft, today), steps_keyboard(draft)
    if step == rules.STEP_DUE:
        return new_step_text(draft, today), due_keyboard(today, step)
    if step == rules.STEP_DUE_PAST and draft.cur is not None and draft.cur.due is not None:
        return past_question(draft.cur.due, today), past_keyboard(step)
    raise ValueError(step)


def pillars_and_confidence(draft: PlanDraft, step: str, labels: dict[str, str]
                           ) -> tuple[str, InlineKeyboardMarkup]:
    """The Brug parts (one or more) and the confidence on one screen: the number moves on."""
    name = html.escape(draft.name)
    chosen = set(draft.goal.pillars if draft.goal else ())
    rows: list[list[InlineKeyboardButton]] = []
    text = _("How confident is {name} that this will work, from 1 to 10?").format(name=name)
    if labels and step == rules.PILLARS:
        text = _("Which part of the Brug does it touch? Tap one or more.") + "\n" + text
        buttons = [InlineKeyboardButton(("✓ " if key in chosen else "") + label,
                                        callback_data=tap_data("poff" if key in chosen
                                                               else "pon", step, key))
                   for key, label in labels.items()]
        rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    numbers = [InlineKeyboardButton(str(n), callback_data=tap_data("conf", step, str(n)))
               for n in range(1, 11)]
    rows += [numbers[:5], numbers[5:], skip_row(step)]
    return text, InlineKeyboardMarkup(rows)


def answered(draft: PlanDraft, step: str, today: date, labels: dict[str, str]) -> str:
    """`step`'s question with what was chosen written under it, once the question is left."""
    echo = _("Skipped")
    if step in (rules.PILLARS, rules.CONFIDENCE) and draft.goal is not None:
        parts = [", ".join(html.escape(labels.get(k, k)) for k in draft.goal.pillars)]
        parts.append(_("confidence {n}/10").format(n=draft.goal.confidence)
                     if draft.goal.confidence else _("confidence skipped"))
        echo = " · ".join(p for p in parts if p)
    return f"{question(draft, step, today, labels)[0]}\n\n→ <b>{echo}</b>"


def with_note(text: str, note: rules.Note | None, draft: PlanDraft) -> str:
    """The question after a note about the answer just given."""
    if isinstance(note, rules.ConfidenceNote):
        said = _("Confidence {n}: maybe the goal or the first step can be smaller. "
                 "Only if {name} wants that.").format(n=note.value, name=html.escape(draft.name))
    elif isinstance(note, rules.StepTips):
        said = step_tips(note)
    else:
        return text
    return f"{said}\n\n{text}"


def step_tips(note: rules.StepTips) -> str:
    hints = note.hints
    tips = []
    if hints.long or hints.big:
        tips.append(_("Tip: a step that fits in one go is easier to start. Could it be split?"))
    if hints.no_date:
        tips.append(_("Tip: a date works as a gentle push."))
    if hints.far:
        tips.append(_("Tip: a date within a few weeks keeps the step in view."))
    return "\n".join(tips)


def refused(outcome: rules.Refused) -> str:
    if outcome.problem == "too_long":
        return _("That is a bit long. Please keep it under {max} characters.").format(
            max=outcome.max_chars)
    if outcome.problem == "empty":
        return _("Please type a few words, or use the buttons.")
    if outcome.problem == "date":
        return _("I cannot read that date. Type it like 12-3 or 12-3-2026, or tap a choice.")
    return _("Please tap one of the buttons above. (/annuleer to stop)")


def stopped() -> str:
    return _("Stopped. Nothing was saved.")


def later() -> str:
    return _("All right, no plan now. The invite stays valid; you make a plan later "
             "from their card (/deelnemers).")


def saved(saved: PlanSaved) -> tuple[str, InlineKeyboardMarkup]:
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
    return text, markup
