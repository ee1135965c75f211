"""'Your coach changed your plan' (queued by the reaction to `PlanChanged`): names the
participant's coach as they are when it is sent."""

from __future__ import annotations

from bot.core import reminders as plan
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Kind, Message, Row, Send, SendTime
from bot.ui.screens.plan_notice import render_plan_notice


async def decide(at: SendTime, row: Row[plan.PlanNoticePayload]
                 ) -> Decision[tuple[str, int, str]]:
    held = rules.follow_up_hold(at)
    if held is not None:
        return held
    assert at.participant is not None
    coach = await at.uow.coaches.get(at.participant.coach_id)
    return Send((str(row.payload.change), row.payload.steps,
                 coach.display_name if coach else ""))


def render(facts: tuple[str, int, str]) -> Message:
    return Message(*render_plan_notice(*facts))


KIND = Kind(plan.PlanNoticePayload, decide, render, cancelled_when_blocked=True, purged=True)
