"""The one calm closing message after a trajectory ended (flows/trajectory.py): only to an
ended trajectory, and like every planned message not in quiet hours."""

from __future__ import annotations

from bot.core.trajectory import FarewellPayload
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Kind, Message, Row, Send, SendTime
from bot.ui.screens.farewell import render_farewell


async def decide(at: SendTime, row: Row[FarewellPayload]) -> Decision[str]:
    held = rules.planned_hold(at, row.kind)
    if held is not None:
        return held
    assert at.participant is not None
    return Send(at.participant.display_name)


def render(name: str) -> Message:
    return Message(render_farewell(name))


KIND = Kind(FarewellPayload, decide, render)
