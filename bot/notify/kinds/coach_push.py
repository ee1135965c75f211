"""The coach's push about open requests (help with a step, a wish to talk, a meeting the
participant cannot make; queued by flows/requests.py): within the coach's working hours, naming
the requests still open when it is sent."""

from __future__ import annotations

from bot.core.digest import PushPayload, next_work_moment
from bot.flows import digest as digest_flow
from bot.flows.requests import CoachRequest, open_for_coach
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Defer, Kind, Message, Row, Send, SendTime, Skip
from bot.ui.screens import digest as screen


async def decide(at: SendTime, row: Row[PushPayload]) -> Decision[list[CoachRequest]]:
    coach = await rules.coach_of_account(at, row.payload.coach_id)
    if coach is None:
        return Skip("no_coach")
    zone = at.account.timezone
    start = next_work_moment(digest_flow.schedule_of(coach, digest_flow.zone_or_default(zone,
                                                                                        zone)),
                             at.now)
    if start > at.now:  # the bot was down, or the hours changed: wait for working hours
        return Defer(start)
    found = await open_for_coach(at.uow, coach.id, at.now)
    if not found:
        return Skip("handled")
    return Send(found)


def render(found: list[CoachRequest]) -> Message:
    page = screen.render_push(found)
    return Message(page.text, page.markup)


KIND = Kind(PushPayload, decide, render)
