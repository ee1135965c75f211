"""Rendering the coach's overview and a participant's card (HTML, all user text escaped)."""

from __future__ import annotations

import html
from datetime import date

from bot.core.dates import local_today
from bot.core.digest import Need
from bot.core.overview import OverviewLine
from bot.flows.caseload import BrugSummary, GoalView, ParticipantCard, StepView
from bot.i18n import N_, _, format_date, friendly_day, ngettext
from bot.ui.screens.digest import lesson_title, need_text, verdict_text
from bot.ui.screens.meetings import wish_line

# Telegram allows 4096 characters; leave room for the closing hint.
CARD_LIMIT = 3800

STATUS_LABELS = {
    "invited": N_("invited"),
    "active": N_("active"),
    "paused": N_("on a break"),
    "declined": N_("declined"),
    "unreachable": N_("unreachable"),
    "ended": N_("ended"),
}
OWNER_LABELS = {
    "participant": N_("participant"),
    "coach": N_("coach"),
    "together": N_("together"),
}
MOMENT_LABELS = {
    "intake": N_("intake"),
    "six_months": N_("6 months"),
    "twelve_months": N_("12 months"),
    "end": N_("end"),
    "extra": N_("extra"),
}


def status_label(status: str) -> str:
    return _(STATUS_LABELS.get(status, status))


def contact_text(days: int | None) -> str:
    if days is None:
        return _("no contact yet")
    if days == 0:
        return _("contact today")
    return ngettext("last contact {n} day ago", "last contact {n} days ago", days).format(n=days)


def overview_line(line: OverviewLine) -> str:
    parts = [f"<b>{html.escape(line.display_name)}</b>", status_label(line.status)]
    if line.status not in ("invited", "declined", "ended"):
        parts.append(ngettext("{n} step done this week", "{n} steps done this week",
                              line.done_this_week).format(n=line.done_this_week))
        if line.overdue:
            parts.append(ngettext("{n} step past its date", "{n} steps past their date",
                                  line.overdue).format(n=line.overdue))
        if line.help_asked:
            parts.append(ngettext("asked for help with {n} step", "asked for help with {n} steps",
                                  line.help_asked).format(n=line.help_asked))
        parts.append(contact_text(line.days_since_contact))
    return " · ".join(parts)


def overview_text(lines: list[OverviewLine]) -> str:
    if not lines:
        return _("You have no participants yet. Type /nieuw to add one.")
    shown: list[str] = []
    used = 0
    for line in lines:
        text = overview_line(line)
        if used + len(text) > CARD_LIMIT - 300:  # room for the heading and the closing line
            break
        shown.append(text)
        used += len(text) + 1
    hidden = len(lines) - len(shown)
    if hidden:
        shown.append(ngettext("… and {n} more: see the buttons below.",
                              "… and {n} more: see the buttons below.", hidden).format(n=hidden))
    body = "\n".join(shown)
    return _("<b>Your participants</b>\n\n{lines}\n\nTap a name to open the card.").format(
        lines=body)


def step_line(step: StepView, today: date) -> str:
    box = "☑" if step.status == "done" else "☐"
    parts = [f"{box} {html.escape(step.text)}"]
    if step.due_date is not None:
        parts.append(friendly_day(step.due_date, today))
    parts.append(_(OWNER_LABELS.get(step.owner, step.owner)))
    markers = []
    if step.challenging:
        markers.append(_("challenging"))
    if step.added_by_participant:
        markers.append(_("added by the participant"))
    if step.rescheduled:
        markers.append(_("rescheduled"))
    if step.help_asked:
        markers.append(_("help asked"))
    if step.status == "open" and step.due_date is not None and step.due_date < today:
        markers.append(_("past its date"))
    line = " · ".join(parts)
    return line + (f" <i>({', '.join(markers)})</i>" if markers else "")


def goal_text(goal: GoalView, today: date, *, full: bool = True, numbered: bool = False) -> str:
    lines = [f"<b>{html.escape(goal.text)}</b>"]
    if goal.own_idea:
        lines[0] += " <i>(" + _("their own idea") + ")</i>"
    if goal.status != "active":
        state = _("achieved") if goal.status == "achieved" else _("stopped")
        reason = f": {html.escape(goal.closed_reason)}" if goal.closed_reason else ""
        return f"{lines[0]} <i>({state}{reason})</i>"
    if full and goal.why:
        lines.append(_("Why: {text}").format(text=html.escape(goal.why)))
    details = []
    if goal.pillars:
        details.append(", ".join(html.escape(p) for p in goal.pillars))
    if goal.confidence is not None:
        details.append(_("confidence {n}/10").format(n=goal.confidence))
    if details:
        lines.append(" · ".join(details))
    # An if-then plan typed at once names its obstacle itself: shown once.
    if full and goal.obstacle and not (goal.if_then and goal.obstacle in goal.if_then):
        lines.append(_("Obstacle: {text}").format(text=html.escape(goal.obstacle)))
    if full and goal.if_then:
        lines.append(_("If-then: {text}").format(text=html.escape(goal.if_then)))
    if goal.steps:
        lines.extend((f"{number}. " if numbered else "") + step_line(step, today)
                     for number, step in enumerate(goal.steps, start=1))
    else:
        lines.append(_("No steps yet."))
    return "\n".join(lines)


def brug_text(brug: BrugSummary, timezone: str) -> str:
    """The latest Brug in a few lines, dated in the coach's zone (stored times are UTC)."""
    moment = _(MOMENT_LABELS.get(brug.moment, brug.moment))
    parts = [
        _("{pillar}: level {n} of 5").format(pillar=html.escape(label), n=level)
        if level is not None else _("{pillar}: skipped").format(pillar=html.escape(label))
        for label, level in brug.levels
    ]
    return _("<b>Latest Brug</b> ({moment}, {day})\n{levels}").format(
        moment=moment, day=format_date(local_today(brug.completed_at, timezone), "d MMM y"),
        levels="\n".join(parts))


def card_text(card: ParticipantCard, today: date, timezone: str) -> str:
    line = card.line
    head = [f"<b>{html.escape(line.display_name)}</b> · {status_label(line.status)}",
            contact_text(line.days_since_contact)]
    # The same flags as the digest, in the same words (invites are told below, a meeting they
    # cannot make under the open requests, with its buttons).
    flags = [_capital(need_text(item)) for item in card.flags.needs
             if item.need not in (Need.INVITE_UNUSED, Need.INVITE_EXPIRED, Need.MEETING)]
    if line.overdue:
        flags.append(ngettext("{n} step is past its date.", "{n} steps are past their date.",
                              line.overdue).format(n=line.overdue))
    if card.paused_until is not None:
        flags.append(_("On a break until {day} (including that day).").format(
            day=format_date(card.paused_until)))
    if line.status == "invited":
        if card.invite_expires_at is not None:
            flags.append(_("Invite valid until {day}.").format(
                day=format_date(card.invite_expires_at.date())))
        else:
            flags.append(_("No valid invite: make a new one below."))
    head.extend(f"⚑ {flag}" for flag in flags)
    sections = ["\n".join(head)]
    requests = request_lines(card)
    if requests:
        sections.append("<b>" + _("Open requests") + "</b>\n" + "\n".join(requests))
    if card.flags.feedback:
        sections.append("<b>" + _("Lessons") + "</b>\n" + "\n".join(
            "• " + _("{title}: {verdict}").format(title=html.escape(lesson_title(number)),
                                                   verdict=verdict_text(verdict).lower())
            for number, verdict in card.flags.feedback))
    active = [g for g in card.goals if g.status == "active"]
    closed = [g for g in card.goals if g.status != "active"]
    if not card.goals:
        sections.append(_("No goals yet."))
    sections.extend(goal_text(goal, today, full=False) for goal in active)
    if closed:
        sections.append(_("Closed goals:") + "\n" + "\n".join(
            goal_text(goal, today) for goal in closed[:5]))
    if card.brug is not None:
        sections.append(brug_text(card.brug, timezone))
    return fit("\n\n".join(sections))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def request_lines(card: ParticipantCard) -> list[str]:
    lines = []
    if card.requests.talk_asked_at is not None:
        lines.append("• " + _("Would like to talk with you (asked on {day}).").format(
            day=format_date(card.requests.talk_asked_at.date(), "d MMM")))
    lines.extend("• " + _("Asks for help with “{step}”.").format(step=html.escape(text))
                 for _sid, text in card.requests.help_steps)
    lines.extend("• " + _capital(html.escape(wish_line(wish)))
                 for wish in card.requests.meeting_wishes)
    return lines


def fit(text: str) -> str:
    """Cut at a line break below Telegram's limit, never inside a tag."""
    if len(text) <= CARD_LIMIT:
        return text
    cut = text.rfind("\n", 0, CARD_LIMIT)
    return text[:cut] + "\n" + _("(more in the goal screens)")
