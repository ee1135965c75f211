"""'You earned a reward' (queued by the reaction to `RewardEarned`): the overview as it is
when the message is sent."""

from __future__ import annotations

from bot.core import reminders as plan
from bot.flows import rewards
from bot.flows.rewards import ParticipantRewards
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Kind, Message, Row, Send, SendTime
from bot.ui.screens.rewards import render_reward_earned


async def decide(at: SendTime, row: Row[plan.RewardPayload]
                 ) -> Decision[ParticipantRewards | None]:
    held = rules.follow_up_hold(at)
    if held is not None:
        return held
    assert at.participant is not None
    return Send(await rewards.overview_in(at.uow, at.participant.id, at.now))


def render(overview: ParticipantRewards | None) -> Message:
    return Message(*render_reward_earned(overview))


KIND = Kind(plan.RewardPayload, decide, render, cancelled_when_blocked=True, purged=True)
