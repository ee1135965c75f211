"""The coach's digest as Telegram pages: the same text for the weekly message and /overzicht.

Rendered in the current language (the caller sets the coach's with `using_locale`); all user
text is escaped. A large caseload is split into pages that each fit Telegram's limits (4096
characters, 100 buttons), with buttons to turn the page. The first line is a heading without
names or step texts, so a lock screen shows nothing personal.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import digest as rules
from bot.flows.digest import CoachDigest
from bot.flows.pillars import pillar_labels
from bot.flows.reminders import lesson_series
from bot.flows.requests import CoachRequest
from bot.i18n import N_, _, current_locale, format_date, ngettext
from bot.ui.buttons.cards import CardFor
from bot.ui.buttons.coach import CoachCard
from bot.ui.buttons.digest import DigestCard, DigestPage
from bot.ui.screens.meetings import wish_line, wish_rows

# Room under Telegram's 4096 characters for the page line; and well under 100 buttons.
PAGE_CHARS = 3600
PAGE_ROWS = 30

MOMENTS = {
    "intake": N_("intake"),
    "six_months": N_("6 months"),
    "twelve_months": N_("12 months"),
    "end": N_("end"),
    "extra": N_("extra"),
}


@dataclass(frozen=True)
class Page:
    text: str
    markup: InlineKeyboardMarkup | None


Rows = tuple[tuple[InlineKeyboardButton, ...], ...]


@dataclass(frozen=True)
class _Block:
    section: str  # the section title this line belongs to ("" for the headline)
    text: str
    # How many button rows, and how to make them: only the page being shown makes its own.
    height: int = 0
    rows: Callable[[], Rows] | None = None


def _quote(text: str) -> str:
    return "“" + html.escape(text) + "”"


def _name(name: str) -> str:
    return f"<b>{html.escape(name)}</b>"


def need_text(item: rules.NeedItem) -> str:
    step = _quote(item.step_text or "")
    n = item.number or 0
    texts = {
        rules.Need.CRISIS: lambda: ngettext(
            "typed words to the bot on {day} that can mean things are very hard; the bot "
            "showed the help numbers",
            "typed such words {n} times, last on {day}; the bot showed the help numbers",
            n).format(n=n, day=format_date(item.at.date(), "EEE d MMM") if item.at else ""),
        rules.Need.MEETING: lambda: html.escape(wish_line(item.wish)) if item.wish else "",
        rules.Need.HELP: lambda: _("asks for help with {step}").format(step=step),
        rules.Need.TALK: lambda: _("would like to talk with you"),
        rules.Need.SILENT: lambda: ngettext(
            "nothing heard for {n} day; maybe call rather than text",
            "nothing heard for {n} days; maybe call rather than text", n).format(n=n),
        rules.Need.UNREACHABLE: lambda: _("messages from the bot no longer arrive (the bot "
                                          "was blocked or the chat deleted)"),
        rules.Need.INVITE_UNUSED: lambda: _("has not used the invite for a week"),
        rules.Need.INVITE_EXPIRED: lambda: _("the invite has expired; make a new one on the "
                                             "card"),
        rules.Need.TOO_BIG: lambda: _("{step} keeps moving; maybe make an if-then plan or a "
                                      "smaller step together").format(step=step),
        rules.Need.MANY_DUE: lambda: ngettext(
            "{n} step due this week: a lot for one week",
            "{n} steps due this week: a lot for one week", n).format(n=n),
    }
    return texts[item.need]()


def win_text(win: rules.Celebration, labels: dict[str, str]) -> str:
    if win.win == rules.Win.GOAL:
        return _("reached a goal: {goal}").format(goal=_quote(win.text))
    if win.win == rules.Win.STEP:
        return _("took a hard step: {step}").format(step=_quote(win.text))
    return _("Brug went up: {pillar} {before} → {after}").format(
        pillar=html.escape(labels.get(win.text, win.text)), before=win.before, after=win.after)


# Per kind of need at most this many steps on one line (the card shows them all).
STEPS_PER_LINE = 3


def _needs_of(items: tuple[rules.NeedItem, ...]) -> list[str]:
    """The texts of one line, with at most STEPS_PER_LINE steps per kind of need, so one line
    stays well within a page whatever the number of steps."""
    out: list[str] = []
    count: dict[rules.Need, int] = {}
    for item in items:
        count[item.need] = count.get(item.need, 0) + 1
        if count[item.need] <= STEPS_PER_LINE:
            out.append(need_text(item))
    for n in count.values():
        if n > STEPS_PER_LINE:
            more = n - STEPS_PER_LINE
            out.append(ngettext("and {n} more step", "and {n} more steps", more).format(n=more))
    return out


def coming_text(line: rules.ComingLine) -> str:
    parts = []
    if line.steps_due:
        parts.append(ngettext("{n} step in the next 7 days", "{n} steps in the next 7 days",
                              line.steps_due).format(n=line.steps_due))
    if line.brug_due:
        parts.append(_("time to fill in the Brug again ({moment})").format(
            moment=_(MOMENTS.get(line.brug_due, line.brug_due))))
    if line.rewards_to_confirm:
        parts.append(ngettext("{n} reward to confirm", "{n} rewards to confirm",
                              line.rewards_to_confirm).format(n=line.rewards_to_confirm))
    if line.rewards_to_hand_out:
        parts.append(ngettext("{n} reward to hand out", "{n} rewards to hand out",
                              line.rewards_to_hand_out).format(n=line.rewards_to_hand_out))
    return " · ".join(parts)


def lesson_title(number: int) -> str:
    series = lesson_series()
    if 0 <= number < series.count:
        return series.get(number, current_locale()).title
    return str(number + 1)


def verdict_text(verdict: str) -> str:
    return _("Sounds familiar") if verdict == "yes" else _("Less for me")


def headline(digest: rules.Digest) -> str:
    if digest.steps_done == 0:
        return _("No steps were ticked off in these 7 days.")
    steps = ngettext("{n} step done", "{n} steps done", digest.steps_done).format(
        n=digest.steps_done)
    return ngettext("{steps} by {k} of your {total} participant.",
                    "{steps} by {k} of your {total} participants.", digest.caseload).format(
        steps=steps, k=digest.people_done, total=digest.caseload)


def _period(digest: rules.Digest, zone: str) -> str:
    tz = ZoneInfo(zone)
    return "{} – {}".format(format_date(digest.since.astimezone(tz).date(), "d MMM"),
                            format_date(digest.until.astimezone(tz).date(), "d MMM"))


def _labels(instrument: str) -> dict[str, str]:
    try:
        return pillar_labels(instrument, current_locale())
    except ValueError:
        return {}


def blocks(built: CoachDigest) -> list[_Block]:
    digest = built.digest
    out: list[_Block] = []
    if digest.empty_caseload:
        out.append(_Block("", _("You have no participants yet. Add someone with /nieuw; from "
                                "then on this overview tells you each week how they are "
                                "doing.")))
        return out
    if digest.quiet:
        out.append(_Block("", _("A quiet week: nothing new from your participants. The steps "
                                "and dates are as they were.")))
        return out
    out.append(_Block("", headline(digest)))
    section = "<b>" + _("Needs you") + "</b>"
    for line in digest.needs:
        text = f"• {_name(line.name)}: " + "; ".join(_needs_of(line.items))
        out.append(_Block(section, text, 1, partial(_open_row, line.name, line.participant_id)))
    section = "<b>" + _("To celebrate") + "</b>"
    labels = _labels(built.instrument_key)
    for win in digest.celebrate:
        text = f"• {_name(win.name)}: {win_text(win, labels)}"
        out.append(_Block(section, text, 1, partial(_card_row, win)))
    section = "<b>" + _("Coming up") + "</b>"
    for coming in digest.coming:
        out.append(_Block(section, f"• {_name(coming.name)}: {coming_text(coming)}"))
    section = "<b>" + _("What resonated") + "</b>"
    for heard in digest.resonated:
        items = "; ".join(_("lesson {title}: {verdict}").format(
            title=_quote(lesson_title(number)), verdict=verdict_text(verdict).lower())
            for number, verdict in heard.items)
        out.append(_Block(section, f"• {_name(heard.name)}: {items}"))
    section = "<b>" + _("No longer taking part") + "</b>"
    for farewell in digest.farewells:
        reason = _("ended") if farewell.status == "ended" else _("declined")
        out.append(_Block(section, f"• {_name(farewell.name)}: {reason}"))
    return out


def _open_row(name: str, participant_id: int) -> Rows:
    return ((InlineKeyboardButton(_("Open {name}").format(name=name)[:60],
                                  callback_data=CoachCard(pid=participant_id).pack()),),)


def _card_row(win: rules.Celebration) -> Rows:
    send = InlineKeyboardButton(
        _("Send {name} a card").format(name=win.name)[:60],
        callback_data=DigestCard(pid=win.participant_id, win=win.win.value, ref=win.ref).pack())
    own = InlineKeyboardButton(_("Write my own"), callback_data=CardFor(
        participant_id=win.participant_id).pack())
    return ((send, own),)


def render_page(built: CoachDigest, number: int, *, weekly: bool = False) -> Page:
    """One page (the last one when `number` is past the end): only its buttons are made."""
    return render_pages(built, weekly=weekly, only=number)[0]


def render_pages(built: CoachDigest, *, weekly: bool = False, only: int | None = None
                 ) -> list[Page]:
    """All pages of the digest (or only page `only`), each within Telegram's limits."""
    title = "<b>" + (_("Your week in short") if weekly else _("Your overview")) + "</b>"
    top = f"{title}\n{_period(built.digest, built.zone)}"
    pages: list[tuple[list[str], list[_Block]]] = []
    lines: list[str] = [top]
    placed: list[_Block] = []
    size = len(top)
    height = 0
    current = None
    for block in blocks(built):
        head = [] if block.section == current else ["", block.section] if block.section \
            else [""]
        extra = sum(len(x) + 1 for x in head) + len(block.text) + 1
        if len(lines) > 1 and (size + extra > PAGE_CHARS or height + block.height > PAGE_ROWS):
            pages.append((lines, placed))
            lines, placed, size, height = [top], [], len(top), 0
            head = ["", block.section] if block.section else [""]
            extra = sum(len(x) + 1 for x in head) + len(block.text) + 1
        current = block.section
        lines.extend(head)
        lines.append(block.text)
        placed.append(block)
        size += extra
        height += block.height
    pages.append((lines, placed))
    total = len(pages)
    wanted = range(total) if only is None else [min(max(only, 0), total - 1)]
    out = []
    for number in wanted:
        page_lines, page_blocks = pages[number]
        text = "\n".join(page_lines)
        keyboard = [row for block in page_blocks if block.rows for row in block.rows()]
        if total > 1:
            text += "\n\n" + _("Page {n} of {total}").format(n=number + 1, total=total)
            keyboard.append(tuple(_nav(built.digest, number, total)))
        out.append(Page(text, InlineKeyboardMarkup(keyboard) if keyboard else None))
    return out


def _nav(digest: rules.Digest, number: int, total: int) -> list[InlineKeyboardButton]:
    since, until = _minutes(digest.since), _minutes(digest.until)
    buttons = []
    if number > 0:
        buttons.append(InlineKeyboardButton(
            _("◀ Previous"), callback_data=DigestPage(page=number - 1, since=since,
                                                      until=until).pack()))
    if number < total - 1:
        buttons.append(InlineKeyboardButton(
            _("Next ▶"), callback_data=DigestPage(page=number + 1, since=since,
                                                  until=until).pack()))
    return buttons


def _minutes(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def from_minutes(minutes: int) -> datetime:
    return datetime.fromtimestamp(minutes * 60, UTC)


def render_push(found: list[CoachRequest]) -> Page:
    """Requests that reached the coach since the last push: one line each, a button to the
    card, as many as fit one message. The first line names nobody (lock screens)."""
    lines = ["<b>" + _("Your participants asked for you") + "</b>", ""]
    rows: list[tuple[InlineKeyboardButton, ...]] = []
    size = sum(len(line) + 1 for line in lines)
    for shown, request in enumerate(found):
        parts = []
        if request.talk:
            parts.append(_("would like to talk with you"))
        parts.extend(html.escape(wish_line(wish)) for wish in request.meeting_wishes)
        parts.extend(_("asks for help with {step}").format(step=_quote(text))
                     for text in request.help_steps[:STEPS_PER_LINE])
        if len(request.help_steps) > STEPS_PER_LINE:
            more = len(request.help_steps) - STEPS_PER_LINE
            parts.append(ngettext("and {n} more step", "and {n} more steps", more).format(
                n=more))
        line = f"• {_name(request.name)}: " + "; ".join(parts)
        if size + len(line) > PAGE_CHARS or len(rows) >= PAGE_ROWS:
            lines.append(_("And {n} more: see /overzicht.").format(n=len(found) - shown))
            break
        lines.append(line)
        size += len(line) + 1
        for wish in request.meeting_wishes:
            rows.extend(tuple(row) for row in wish_rows(wish, request.participant_id))
        rows.append((InlineKeyboardButton(_("Open {name}").format(name=request.name)[:60],
                                          callback_data=CoachCard(
                                              pid=request.participant_id).pack()),))
    lines += ["", _("Mark a request as handled on the card; then it leaves your overview.")]
    return Page("\n".join(lines), InlineKeyboardMarkup(rows) if rows else None)
