"""The coach's plan screens: the plan flow's date choices, the draft, the goal screen with its
step buttons, and the step editor's last question."""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.conversations import PlanDraft, StepEditFlow
from bot.core.dates import deadline
from bot.core.plan_flow import DUE_PICKS
from bot.core.plan_flow import picked_due as picked_due  # the step editor reads it here
from bot.i18n import _, format_date, friendly_day
from bot.ui.buttons.coach import CoachCard, GoalAction, PlanTap, StepAction
from bot.ui.buttons.rewards import RewardTagMenu
from bot.ui.screens.caseload import fit, goal_text

if TYPE_CHECKING:
    from bot.flows.plans import GoalScreen


def tap_data(action: str, at: str, value: str | None = None) -> str:
    return PlanTap(action=action, at=at, value=value).pack()  # type: ignore[arg-type]


def skip_row(at: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(_("Skip"), callback_data=tap_data("skip", at))]


def due_keyboard(today: date, at: str, keep: bool = False) -> InlineKeyboardMarkup:
    def label(text: str, pick: str) -> InlineKeyboardButton:
        day = deadline(DUE_PICKS[pick], today)
        return InlineKeyboardButton(f"{text} ({format_date(day, 'EEE d MMM')})",
                                    callback_data=tap_data("due", at, pick))

    rows = [[label(_("This week"), "w0")], [label(_("Next week"), "w1")],
            [label(_("In two weeks"), "w2")],
            [InlineKeyboardButton(_("No date"), callback_data=tap_data("due", at, "none"))]]
    if keep:
        rows.append([InlineKeyboardButton(_("Keep the date"),
                                          callback_data=tap_data("keep", at))])
    return InlineKeyboardMarkup(rows)


def due_question() -> str:
    return _("When? Tap a choice, or type a date like 12-3.")


def past_keyboard(at: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(_("Yes, keep it"), callback_data=tap_data("past_ok", at, "1")),
        InlineKeyboardButton(_("Choose again"), callback_data=tap_data("past_ok", at, "0")),
    ]])


def past_question(day: date, today: date) -> str:
    return _("{day} is in the past. Keep it anyway?").format(day=friendly_day(day, today))


def _owner_label(owner: str, name: str) -> str:
    return {"participant": name, "coach": _("me"), "together": _("together")}.get(owner, owner)


def draft_text(draft: PlanDraft, today: date) -> str:
    """The plan so far, a line per step: what, when, who (and "challenging")."""
    lines = []
    title = draft.goal.text if draft.goal is not None else draft.title
    if title:
        lines.append(_("Goal: <b>{text}</b>").format(text=html.escape(title)))
    for number, step in enumerate(draft.steps, start=1):
        due = friendly_day(step.due, today) if step.due else _("no date")
        parts = [f"{number}. {html.escape(step.text)}", due,
                 html.escape(_owner_label(step.owner, draft.name))]
        if step.hard:
            parts.append(_("challenging"))
        lines.append(" · ".join(parts))
    return "\n".join(lines)


def new_step_text(draft: PlanDraft, today: date) -> str:
    """The plan with the step just typed, asking when."""
    number = len(draft.steps) + 1
    text = draft.cur.text if draft.cur is not None else ""
    head = draft_text(draft, today)
    when = _("when?")
    line = f"{number}. {html.escape(text)} · <b>{when}</b>"
    return (f"{head}\n{line}" if head else line) + "\n\n" + due_question()


def steps_text(draft: PlanDraft, today: date) -> str:
    """After a step: the plan so far, who does the newest step, and what comes next."""
    lines = [draft_text(draft, today), ""]
    if draft.steps:
        last = draft.steps[-1]
        lines.append(_("Step {n}: {who} does it{hard}. Tap below to change that.").format(
            n=len(draft.steps), who=html.escape(_owner_label(last.owner, draft.name)),
            hard=", " + _("challenging") if last.hard else ""))
    lines.append(_("Type the next step, or save the plan."))
    return "\n".join(lines)


def steps_keyboard(draft: PlanDraft) -> InlineKeyboardMarkup:
    """Who does the newest step and is it challenging (one tap each, the default ticked), then
    save. Each button names its step, so a late tap on an older message cannot change another."""
    rows = []
    if draft.steps:
        number, last = len(draft.steps), draft.steps[-1]
        choices = (("participant", draft.name[:30] or _("participant")), ("coach", _("Me")),
                   ("together", _("Together")))
        rows.append([InlineKeyboardButton(("✓ " if last.owner == key else "") + label,
                                          callback_data=tap_data("owner", "step_text",
                                                                 f"{number}-{key}"))
                     for key, label in choices])
        rows.append([InlineKeyboardButton(
            ("☑ " if last.hard else "☐ ") + _("challenging"),
            callback_data=tap_data("hard", "step_text", f"{number}-{0 if last.hard else 1}"))])
    save = _("Save the plan") if draft.steps or draft.gid is not None else _(
        "Save without steps")
    rows.append([InlineKeyboardButton(save, callback_data=tap_data("save", "step_text"))])
    return InlineKeyboardMarkup(rows)


MAX_STEP_ROWS = 20  # 4 buttons per step row; Telegram allows 100 buttons in all


def goal_screen_text(screen: GoalScreen, today: date) -> str:
    goal = screen.goal
    head = _("Goal of <b>{name}</b>").format(name=html.escape(screen.participant_name))
    if screen.made_in_meeting is not None:
        head += "\n" + _("Made in the meeting of {day}.").format(
            day=format_date(screen.made_in_meeting, "d MMMM"))
    if goal.status != "active":
        return f"{head}\n\n{goal_text(goal, today)}"
    return fit(f"{head}\n\n{goal_text(goal, today, numbered=True)}")


def goal_keyboard(screen: GoalScreen, *, rewards: bool = False) -> InlineKeyboardMarkup:
    """`rewards`: the organisation uses rewards, so each open step offers "€" to link one."""
    gid = screen.goal.id
    rows = []
    if screen.goal.status == "active":
        for number, step in enumerate(screen.goal.steps[:MAX_STEP_ROWS], start=1):
            if step.status != "open":
                continue
            rows.append([
                InlineKeyboardButton(f"✏️ {number}",
                                     callback_data=StepAction(action="edit", sid=step.id).pack()),
                InlineKeyboardButton("⬆", callback_data=StepAction(action="up",
                                                                   sid=step.id).pack()),
                InlineKeyboardButton("⬇", callback_data=StepAction(action="down",
                                                                   sid=step.id).pack()),
                InlineKeyboardButton(f"✖ {number}",
                                     callback_data=StepAction(action="drop", sid=step.id).pack()),
                *([InlineKeyboardButton(f"€ {number}",
                                        callback_data=RewardTagMenu(step_id=step.id).pack())]
                  if rewards else []),
            ])
        rows.append([
            InlineKeyboardButton(_("Add a step"),
                                 callback_data=GoalAction(action="add", gid=gid).pack()),
            InlineKeyboardButton(_("Achieved"),
                                 callback_data=GoalAction(action="achieved", gid=gid).pack()),
            InlineKeyboardButton(_("Stop goal"),
                                 callback_data=GoalAction(action="stopped", gid=gid).pack()),
        ])
        rows.append([InlineKeyboardButton(
            _("Done: let {name} know").format(name=screen.participant_name[:30]),
            callback_data=GoalAction(action="notify", gid=gid).pack())])
    rows.append([InlineKeyboardButton(
        _("Back to the card"), callback_data=CoachCard(pid=screen.participant_id).pack())])
    return InlineKeyboardMarkup(rows)


def more_keyboard(edit: StepEditFlow) -> InlineKeyboardMarkup:
    """Who does it (current choice ticked) and the challenging flag, then save."""
    owner, hard = edit.owner, edit.hard
    name = edit.name[:30] or _("participant")
    choices = (("participant", name), ("coach", _("Me")), ("together", _("Together")))
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(("✓ " if owner == key else "") + label,
                              callback_data=tap_data("owner", "more", key))
         for key, label in choices],
        [InlineKeyboardButton(("☑ " if hard else "☐ ") + _("challenging"),
                              callback_data=tap_data("hard", "more", "0" if hard else "1"))],
        [InlineKeyboardButton(_("Save"), callback_data=tap_data("save", "more"))],
    ])
