"""Render a page of the action list (bot.core.action_list) as HTML text plus inline buttons.

Every piece of goal or step text is HTML-escaped. Button labels are plain text (Telegram does not
parse them) and shortened; the full text is in the message. No colours or signs that judge:
a date in the past is shown as just a date.
"""

from __future__ import annotations

import html
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.action_list import COACH, GoalBlock, Page, StepItem, View, build_pages, clamp_page
from bot.flows.my_steps import Plan
from bot.i18n import _, friendly_day, ngettext
from bot.ui.buttons.own_goals import OwnGoal
from bot.ui.buttons.participant import StepAdd, StepDone, StepList, StepStuck, StepUndo
from bot.ui.screens.home import menu_button_row
from bot.ui.screens.rewards import money

LABEL_MAX = 28


def own_goal_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(_("🎯 Add a goal of my own"),
                                callback_data=OwnGoal(at="start").pack())


def short(text: str, limit: int = LABEL_MAX) -> str:
    """A button label: the start of the text on one line."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1].rstrip() + "…"


def _numbered(step: StepItem, view: View) -> bool:
    # Numbers link a line to its buttons; the coach's steps have no buttons for the participant.
    return step.owner != COACH


def _step_line(number: int | None, step: StepItem, today: date) -> str:
    text = html.escape(step.text)
    if step.owner == COACH:
        text = _("Your coach does: {step}").format(step=text)
    elif step.owner == "together":
        text = _("Together with your coach: {step}").format(step=text)
    line = f"{number}. {text}" if number is not None else f"• {text}"
    if step.status == "done":
        return line
    if step.due is not None:
        line += f" — <i>{friendly_day(step.due, today)}</i>"
    if step.help_asked:
        line += " " + _("(help asked)")
    if step.reward is not None:
        name, cents = step.reward
        line += "\n   " + _("Earns a reward: {name}, {amount}").format(
            name=html.escape(name), amount=money(cents))
    return line


def render_page(plan: Plan, view: View, page_no: int, today: date, notice: str | None = None,
                undo_step: int | None = None) -> tuple[str, InlineKeyboardMarkup, int]:
    """Text, buttons and the page actually shown (clamped when the list got shorter)."""
    pages = build_pages(plan.goals, plan.steps, view)
    page_no = clamp_page(page_no, len(pages))
    page = pages[page_no]
    lines: list[str] = []
    if notice:
        lines += [notice, ""]
    title = _("Your steps") if view == "open" else _("What you have done")
    lines.append(f"<b>{title}</b>")
    if page.count > 1:
        lines.append(_("Page {page} of {count}").format(page=page_no + 1, count=page.count))
    if plan.status == "paused" and view == "open":
        # A reminder of the break, without any pressure: ticking works as always.
        lines.append(_("You are on a break until {day}. Type /verder to start again.").format(
            day=friendly_day(plan.paused_until, today)) if plan.paused_until else
            _("You are on a break. Type /verder to start again."))
    if view == "open" and any(step.tickable for step in page.step_rows):
        lines.append(_("Done with a step? Tap ✓ below."))
    rows: list[list[InlineKeyboardButton]] = []
    if undo_step is not None:
        rows.append([InlineKeyboardButton(
            _("↩ Undo: not done yet"),
            callback_data=StepUndo(step=undo_step, page=page_no, view=view).pack())])
    number = _first_number(pages, page_no, view)
    if not plan.goals:
        lines += ["", _("There are no steps yet. You make them with your coach, or add a goal "
                             "of your own below.")]
    for block in page.blocks:
        lines += ["", _goal_header(block)]
        for step in block.steps:
            shown = number if _numbered(step, view) else None
            lines.append(_step_line(shown, step, today))
            buttons = _step_buttons(number, step, page_no, view) if shown else []
            if buttons:
                rows.append(buttons)
            number += 1 if shown else 0
        if view == "open":
            if block.done_count:
                lines.append(ngettext("✔ {n} step done", "✔ {n} steps done",
                                      block.done_count).format(n=block.done_count))
            if not block.steps and not block.continued and not block.done_count:
                lines.append(_("No steps yet."))
    if view == "done" and not page.blocks:
        lines += ["", _("Nothing ticked off yet. That will come.")]
    rows += _navigation(plan, page, view)
    return "\n".join(lines), InlineKeyboardMarkup(rows), page_no


def _first_number(pages: list[Page], page_no: int, view: View) -> int:
    return 1 + sum(1 for p in pages[:page_no] for s in p.step_rows if _numbered(s, view))


def _goal_header(block: GoalBlock) -> str:
    text = f"🎯 <b>{html.escape(block.goal.text)}</b>"
    return text + (" " + _("(continued)") if block.continued else "")


def _step_buttons(number: int, step: StepItem, page_no: int, view: View
                  ) -> list[InlineKeyboardButton]:
    if view == "done":
        return [InlineKeyboardButton(
            _("↩ {n}. Not done yet").format(n=number),
            callback_data=StepUndo(step=step.id, page=page_no, view="done").pack())]
    if not step.tickable:
        return []
    return [
        InlineKeyboardButton(f"✓ {number}. {short(step.text)}",
                             callback_data=StepDone(step=step.id, page=page_no).pack()),
        InlineKeyboardButton(_("Not now"),
                             callback_data=StepStuck(step=step.id, page=page_no).pack()),
    ]


def _navigation(plan: Plan, page: Page, view: View) -> list[list[InlineKeyboardButton]]:
    rows: list[list[InlineKeyboardButton]] = []
    paging = []
    if page.number > 0:
        paging.append(InlineKeyboardButton(
            _("◀ Previous"), callback_data=StepList(view=view, page=page.number - 1).pack()))
    if page.number < page.count - 1:
        paging.append(InlineKeyboardButton(
            _("Next ▶"), callback_data=StepList(view=view, page=page.number + 1).pack()))
    if paging:
        rows.append(paging)
    done = sum(1 for s in plan.steps if s.status == "done")
    if view == "open":
        if done:
            rows.append([InlineKeyboardButton(
                _("✔ See what is done ({n})").format(n=done),
                callback_data=StepList(view="done", page=0).pack())])
        if plan.goals:
            rows.append([InlineKeyboardButton(_("➕ Add a step of my own"),
                                              callback_data=StepAdd(goal=None).pack())])
        rows.append([own_goal_button()])
    else:
        rows.append([InlineKeyboardButton(_("📋 Back to my steps"),
                                          callback_data=StepList(view="open", page=0).pack())])
    rows.append(menu_button_row())
    return [row for row in rows if row]
