"""Callback data of meetings: the coach's screens and the participant's answers."""

from __future__ import annotations

from typing import Literal

from bot.core.callbacks import CallbackData, Id


class MeetingCoach(CallbackData, prefix="mtc"):
    """list: the participant's meetings; new/move: choose a day; day: choose a time;
    time: choose where; place: save or add a note first; save; note: type a note; typed:
    type day and time; cancel/sure: cancel a meeting; held/nothold: mark it afterwards."""

    action: Literal["list", "new", "move", "day", "time", "place", "save", "note", "typed",
                    "cancel", "sure", "held", "nothold"]
    pid: Id
    m: Id | None = None  # the meeting (move, cancel, mark)
    day: int | None = None  # yyyymmdd on the participant's calendar
    hm: int | None = None  # hhmm on the participant's clock
    place: Literal["office", "home", "phone", "video"] | None = None


class MeetingAnswer(CallbackData, prefix="mta"):
    """The participant: coming / cannot; after cannot: another day, or please call."""

    a: Literal["coming", "cannot", "other_day", "call"]
    m: Id
