"""'From now on X is your coach' (queued by the reaction to `CoachChanged`): the coach of the
moment it is sent, so after two quick handovers the participant hears the last one."""

from __future__ import annotations

from bot.core import reminders as plan
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Kind, Message, Row, Send, SendTime
from bot.ui.screens.handover import render_handover


async def decide(at: SendTime, row: Row[plan.HandoverPayload]) -> Decision[tuple[str, str]]:
    held = rules.follow_up_hold(at)
    if held is not None:
        return held
    assert at.participant is not None
    coach = await at.uow.coaches.get(at.participant.coach_id)
    return Send((at.participant.display_name, coach.display_name if coach else ""))


def render(facts: tuple[str, str]) -> Message:
    return Message(render_handover(*facts))


KIND = Kind(plan.HandoverPayload, decide, render, cancelled_when_blocked=True, purged=True)
