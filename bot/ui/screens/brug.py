"""How the Brug looks in the chat: the picture's input, the caption (its text alternative),
the questions and the buttons. Text in the current language; user text escaped for HTML."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Final, Literal
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.brug import Change, compare, is_mostly_low
from bot.flows.brug import BrugView, History, NoMeasurement, Question, Snapshot, Timeline
from bot.i18n import N_, _, current_locale, format_date, ngettext
from bot.render.brug import BrugPicture, PictureLegend, PicturePillar
from bot.render.brug_timeline import MAX_TIMES, TimelinePicture, TimelinePillar
from bot.ui.buttons.brug import BrugCoach, BrugFill, BrugMine

CAPTION_LIMIT: Final = 1024
LIST_LIMIT: Final = 20  # newest measurements offered as buttons

MOMENTS: Final = {
    "intake": N_("Start"),
    "six_months": N_("After 6 months"),
    "twelve_months": N_("After 12 months"),
    "end": N_("End"),
    "extra": N_("In between"),
}


def moment_label(moment: str) -> str:
    return _(MOMENTS.get(moment, MOMENTS["extra"]))


def _day(moment: datetime, timezone: str) -> str:
    return format_date(moment.astimezone(ZoneInfo(timezone)).date(), "long")


def framing_line() -> str:
    """One encouraging line for a mostly-low Brug: what the Brug is for, not a grade."""
    return _("The Brug is an overview, not a grade. It shows where you are now, "
             "so you can choose what to work on.")


def _gentle(view: BrugView) -> bool:
    return not view.by_coach and is_mostly_low(view.current.levels)


# --- the picture -----------------------------------------------------------------------------


def picture(view: BrugView, timezone: str) -> BrugPicture:
    lang = current_locale()
    current, previous = view.current, view.previous
    date_label = f"{moment_label(current.moment)} · {_day(current.completed_at, timezone)}"
    if view.by_coach:
        date_label = f"{view.participant_name} · {date_label}"
    before = (
        _("First time ({date})") if view.mode == "compare" else _("Last time ({date})")
    ).format(date=_day(previous.completed_at, timezone)) if previous else ""
    return BrugPicture(
        title=view.instrument.name_in(lang),
        date_label=date_label,
        subtitle=framing_line() if _gentle(view) else "",
        legend=PictureLegend(
            now=_("Now"), before=before, target=_("Target"),
            # The coach looks at someone else's Brug: the legend speaks about them.
            working_on=_("They are working on this") if view.by_coach
            else _("Working on this"),
        ),
        pillars=tuple(
            PicturePillar(
                label=pillar.label_in(lang),
                current=current.levels.get(pillar.key),
                previous=previous.levels.get(pillar.key) if previous else None,
                target=current.targets.get(pillar.key),
                has_active_goal=pillar.key in view.goal_pillars,
            )
            for pillar in view.instrument.pillars
        ),
    )


# --- the caption: the picture in words -------------------------------------------------------


def caption(view: BrugView, timezone: str) -> str:
    """A line per pillar (now, before, target), within Telegram's 1024 characters.

    Falls back to a compact form for instruments with many long pillar names."""
    for compact in (False, True):
        text = _caption(view, timezone, compact)
        if len(_plain(text)) <= CAPTION_LIMIT:
            return text
    return _cut(text)


def _caption(view: BrugView, timezone: str, compact: bool) -> str:
    lang = current_locale()
    current, previous = view.current, view.previous
    title = (
        _("Brug of {name}").format(name=html.escape(view.participant_name))
        if view.by_coach else _("Your Brug")
    )
    lines = [f"<b>{title}</b> · {moment_label(current.moment)} · "
             f"{_day(current.completed_at, timezone)}"]
    if previous is not None:
        template = (_("Compared with the first time: {date}") if view.mode == "compare"
                    else _("Compared with last time: {date}"))
        lines.append(template.format(date=_day(previous.completed_at, timezone)))
    if _gentle(view):
        lines.append(framing_line())
    lines.append("")
    changes = compare(previous.levels, current.levels) if previous else {}
    for pillar in view.instrument.pillars:
        key = pillar.key
        label = html.escape(pillar.label_in(lang))
        line = _pillar_line(
            current.levels.get(key), previous.levels.get(key) if previous else None,
            current.targets.get(key), changes.get(key), view.mode == "compare",
            has_previous=previous is not None, compact=compact,
        )
        lines.append(f"{label}: {line}")
    lines.append("")
    lines.append(_("Steps go from 1 (lowest) to 5 (highest)."))
    return "\n".join(lines)


CHANGES: Final = {"better": N_("higher"), "same": N_("the same"), "worse": N_("lower")}


def _pillar_line(
    now: int | None, before: int | None, target: int | None, change: Change | None,
    first_time: bool, *, has_previous: bool, compact: bool,
) -> str:
    if compact:
        parts = [str(now) if now is not None else "–"]
        if has_previous:
            parts.append(f"({before if before is not None else '–'})")
        if target is not None:
            parts.append(f"→ {target}")
        return " ".join(parts)
    parts = [_("now {step}").format(step=now) if now is not None else _("not filled in")]
    if has_previous and before is not None:
        template = _("first time {step}") if first_time else _("last time {step}")
        parts.append(template.format(step=before))
        if change in CHANGES:
            parts[-1] += f" ({_(CHANGES[change])})"
    if target is not None:
        parts.append(_("target {step}").format(step=target))
    return ", ".join(parts)


def _plain(text: str) -> str:
    """What Telegram counts: the text after entity parsing (our tags gone, entities decoded)."""
    for tag in ("<b>", "</b>"):
        text = text.replace(tag, "")
    return html.unescape(text)


def _cut(text: str) -> str:
    lines = text.split("\n")
    while len(_plain("\n".join(lines))) > CAPTION_LIMIT - 2 and len(lines) > 1:
        lines.pop()
    return "\n".join(lines) + "\n…"


# --- over time: every time the Brug was filled in ---------------------------------------------


def _shown_times(timeline: Timeline) -> tuple[Snapshot, ...]:
    """All of them, up to what the picture can hold: then the first and the latest ones."""
    items = timeline.items
    return items if len(items) <= MAX_TIMES else (items[0], *items[-(MAX_TIMES - 1):])


def timeline_picture(timeline: Timeline, timezone: str) -> TimelinePicture:
    lang = current_locale()
    shown = _shown_times(timeline)
    title = (_("Brug of {name} over time").format(name=timeline.participant_name)
             if timeline.by_coach else _("Your Brug over time"))
    first, latest = shown[0], shown[-1]
    count = ngettext("{n} time", "{n} times", len(timeline.items)).format(
        n=len(timeline.items))
    dates = f"{_day(first.completed_at, timezone)} – {_day(latest.completed_at, timezone)}" \
        f" · {count}"
    return TimelinePicture(
        title=title, dates=dates,
        times=tuple(_short_day(s.completed_at, timezone) for s in shown),
        legend_line=_("Each time the Brug was filled in") if timeline.by_coach
        else _("Each time you filled in the Brug"),
        legend_wish=_("Wish"),
        pillars=tuple(
            TimelinePillar(label=pillar.label_in(lang),
                           levels=tuple(s.levels.get(pillar.key) for s in shown),
                           wish=latest.targets.get(pillar.key))
            for pillar in timeline.instrument.pillars),
    )


def _short_day(moment: datetime, timezone: str) -> str:
    return format_date(moment.astimezone(ZoneInfo(timezone)).date(), "MMM y")


def timeline_caption(timeline: Timeline, timezone: str) -> str:
    """The picture in words: each time with its date, then a line per pillar with the level
    of every time (– skipped) and the wish. Within Telegram's 1024 characters: else only the
    first, the one before the latest and the latest."""
    for compact in (False, True):
        text = _timeline_caption(timeline, timezone, compact)
        if len(_plain(text)) <= CAPTION_LIMIT:
            return text
    return _cut(text)


def _timeline_caption(timeline: Timeline, timezone: str, compact: bool) -> str:
    lang = current_locale()
    items = timeline.items
    numbered = list(enumerate(items, start=1))
    if compact and len(items) > 3:
        numbered = [numbered[0], numbered[-2], numbered[-1]]
    title = (_("Brug of {name} over time").format(name=html.escape(timeline.participant_name))
             if timeline.by_coach else _("Your Brug over time"))
    lines = [f"<b>{title}</b>"]
    lines += [f"{n}. {moment_label(s.moment)} · {_day(s.completed_at, timezone)}"
              for n, s in numbered]
    lines.append("")
    latest = items[-1]
    for pillar in timeline.instrument.pillars:
        levels = [s.levels.get(pillar.key) for _n, s in numbered]
        shown = [str(level) if level is not None else "–" for level in levels]
        chain = " → ".join(shown)
        if compact and len(items) > 3:
            chain = f"{shown[0]} → … → {shown[1]} → {shown[2]}"
        line = f"{html.escape(pillar.label_in(lang))}: {chain}"
        wish = latest.targets.get(pillar.key)
        if wish is not None:
            line += " · " + _("wish {level}").format(level=wish)
        lines.append(line)
    lines.append("")
    lines.append(_("Levels go from 1 (lowest) to 5 (highest); – means skipped."))
    return "\n".join(lines)


def timeline_keyboard(timeline: Timeline) -> InlineKeyboardMarkup:
    rows = [[_button(_("Show the latest"), timeline, "latest")],
            [_button(_("All measurements"), timeline, "list")]]
    if timeline.by_coach:
        rows.append([_button(_("Fill in a new measurement"), timeline, "start")])
    else:
        rows.append([_button(_("Fill in again"), timeline, "fill")])
    return InlineKeyboardMarkup(rows)


# --- buttons under the picture ---------------------------------------------------------------


def view_keyboard(view: BrugView) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if view.count > 1:
        if view.mode != "compare":
            rows.append([_button(_("Compare first and now"), view, "compare")])
        else:
            rows.append([_button(_("Show the latest"), view, "latest")])
        rows.append([_button(_("Every time, in one picture"), view, "time")])
        rows.append([_button(_("All measurements"), view, "list")])
    if view.by_coach:
        rows.append([_button(_("Fill in a new measurement"), view, "start")])
    else:
        rows.append([_button(_("Fill in again"), view, "fill")])
    return InlineKeyboardMarkup(rows)


def _button(text: str, view: BrugView | History | NoMeasurement | Timeline, action: str,
            measurement_id: int | None = None) -> InlineKeyboardButton:
    if view.by_coach:
        data = BrugCoach(a=action, p=view.participant_id, m=measurement_id).pack()  # type: ignore[arg-type]
    else:
        data = BrugMine(a=action, m=measurement_id).pack()  # type: ignore[arg-type]
    return InlineKeyboardButton(text, callback_data=data)


def history_text(history: History, timezone: str) -> str:
    if history.by_coach:
        head = _("Measurements of {name}").format(name=html.escape(history.participant_name))
    else:
        head = _("Your measurements")
    return f"<b>{head}</b>\n" + _("Tap one to see it.")


def history_keyboard(history: History, timezone: str) -> InlineKeyboardMarkup:
    newest = list(reversed(history.items))[:LIST_LIMIT]
    rows = [[_button(_snapshot_label(s, timezone), history, "open", s.measurement_id)]
            for s in newest]
    return InlineKeyboardMarkup(rows)


def _snapshot_label(snapshot: Snapshot, timezone: str) -> str:
    return f"{_day(snapshot.completed_at, timezone)} · {moment_label(snapshot.moment)}"


def offer_text(result: NoMeasurement) -> str:
    if result.by_coach:
        name = html.escape(result.participant_name)
        if result.has_open:
            return _("{name} has started a Brug but not finished it yet.").format(name=name)
        return _("{name} has no Brug yet.").format(name=name)
    if result.has_open:
        return _("You started filling in your Brug. Do you want to go on where you stopped?")
    return _(
        "You have not filled in your Brug yet.\n\n"
        "The Brug gives an overview of where you are now, part by part. "
        "It takes about five minutes. You can skip a question, and stop and go on later."
    )


def offer_keyboard(result: NoMeasurement) -> InlineKeyboardMarkup:
    if result.by_coach:
        return InlineKeyboardMarkup([[_button(_("Fill in together"), result, "start")]])
    label = _("Go on") if result.has_open else _("Fill in my Brug")
    return InlineKeyboardMarkup([[_button(label, result, "fill")]])


def coach_card_button(participant_id: int) -> InlineKeyboardButton:
    """The button on a participant's card in the coach menu: opens their latest Brug."""
    return InlineKeyboardButton(_("Brug"), callback_data=BrugCoach(a="latest",
                                                                   p=participant_id).pack())


def start_choice_keyboard(participant_id: int, name: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(_("Together with {name}").format(name=name),
                              callback_data=BrugCoach(a="together", p=participant_id).pack())],
        [InlineKeyboardButton(_("I enter it for them"),
                              callback_data=BrugCoach(a="coach", p=participant_id).pack())],
    ])


# --- filling in ------------------------------------------------------------------------------


def question_text(question: Question) -> str:
    lang = current_locale()
    pillar = question.instrument.pillars[question.index]
    total = len(question.instrument.pillars)
    lines = []
    if question.by_coach:
        lines.append(_("Brug of {name}").format(name=html.escape(question.participant_name)))
    label = html.escape(pillar.label_in(lang))
    if question.phase == "level":
        lines.append(_("<b>{label}</b> (part {number} of {total})").format(
            label=label, number=question.index + 1, total=total))
        if hint := pillar.hint_in(lang):
            lines.append(f"<i>{html.escape(hint)}</i>")
        lines.append("")
        lines.append(
            _("Which sentence fits {name} best right now?").format(
                name=html.escape(question.participant_name))
            if question.by_coach else _("Which sentence fits you best right now?")
        )
    else:
        lines.append(_("<b>{label}</b>: now step {step}.").format(label=label,
                                                                 step=question.level))
        lines.append("")
        lines.append(_("Where do you want to be in six months?"))
    lines.append("")
    for level in question.choices:
        lines.append(f"{level}. {html.escape(pillar.statement(level, lang))}")
    if question.phase == "level" and question.index == 0 and question.back_to is None:
        lines.append("")
        lines.append(_("You can stop at any time and go on later with /brug."))
    return "\n".join(lines)


CHOSEN: Final = "✓ "


def question_keyboard(question: Question) -> InlineKeyboardMarkup:
    lang = current_locale()
    pillar = question.instrument.pillars[question.index]
    kind: Literal["a", "t"] = "a" if question.phase == "level" else "t"
    back_kind: Literal["q", "tq"] = "q" if question.phase == "level" else "tq"
    rows = []
    for level in question.choices:
        # The number and a key word only: a whole statement is cut off on a phone before the
        # words that tell it apart. The statements stand in full in the question above.
        mark = CHOSEN if question.chosen == level else ""
        keyword = pillar.keyword(level, lang)
        rows.append([InlineKeyboardButton(
            f"{mark}{level} · {keyword}" if keyword else f"{mark}{level}",
            callback_data=BrugFill(k=kind, m=question.measurement_id, i=question.index,
                                   v=level).pack(),
        )])
    last = []
    if question.back_to is not None:
        last.append(InlineKeyboardButton(
            _("Back"), callback_data=BrugFill(k=back_kind, m=question.measurement_id,
                                              i=question.back_to).pack()))
    skip = _("Skip") if question.phase == "level" else _("No target")
    last.append(InlineKeyboardButton(
        skip, callback_data=BrugFill(k=kind, m=question.measurement_id, i=question.index,
                                     v=0).pack()))
    rows.append(last)
    return InlineKeyboardMarkup(rows)


def levels_done_text(by_coach: bool, can_set_targets: bool) -> str:
    text = _("Thank you, the Brug is saved.")
    if can_set_targets:
        text += "\n\n" + _("Do you want to choose, part by part, where you want to be "
                           "in six months? You can also skip this.")
    return text


def targets_keyboard(measurement_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(_("Yes, choose targets"),
                              callback_data=BrugFill(k="tq", m=measurement_id).pack())],
        [InlineKeyboardButton(_("No, show the Brug"),
                              callback_data=BrugFill(k="tn", m=measurement_id).pack())],
    ])
