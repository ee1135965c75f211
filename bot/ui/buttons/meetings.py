"""Callback data of meetings: the coach's screens and the participant's answers."""

from __future__ import annotations

from typing import Literal

from bot.ui.buttons.base import CallbackData, Id


class MeetingCoach(CallbackData, prefix="mtc", route="action"):
    """list: the participant's meetings; new/move: choose a day; day: choose a time;
    time: choose where; place: save or add a note first; save; note: type a note; typed:
    type day and time; cancel/sure: cancel a meeting; held/nothold: mark it afterwards.
    On a participant's wish: accept (move to `day` at `hm` in one tap), other (choose a time
    on `day` in a new message), handled (the coach arranged it otherwise)."""

    action: Literal["list", "new", "move", "day", "time", "place", "save", "note", "typed",
                    "cancel", "sure", "held", "nothold", "accept", "other", "handled"]
    pid: Id
    m: Id | None = None  # the meeting (move, cancel, mark)
    day: int | None = None  # yyyymmdd on the participant's calendar
    hm: int | None = None  # hhmm on the participant's clock
    place: Literal["office", "home", "phone", "video"] | None = None


class MeetingAnswer(CallbackData, prefix="mta", route="a"):
    """The participant: coming / cannot; after cannot: another day (the days offered), or
    please call; type_day: type a date instead of the days offered."""

    a: Literal["coming", "cannot", "other_day", "call", "type_day"]
    m: Id


class MeetingWish(CallbackData, prefix="mtw"):
    """The participant picked a day and a part of it for a meeting they cannot make."""

    m: Id
    day: int  # yyyymmdd on the participant's calendar
    part: Literal["morning", "afternoon", "evening"]
