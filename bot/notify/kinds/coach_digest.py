"""The coach's weekly digest (planned by flows/digest.py): built from the caseload as it is
when it is sent, in the coach's zone."""

from __future__ import annotations

from bot.core.digest import DigestPayload
from bot.flows import digest as digest_flow
from bot.flows.digest import CoachDigest
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Kind, Message, Row, Send, SendTime, Skip
from bot.ui.screens import digest as screen


async def decide(at: SendTime, row: Row[DigestPayload]) -> Decision[CoachDigest]:
    coach = await rules.coach_of_account(at, row.payload.coach_id)
    if coach is None:
        return Skip("no_coach")
    if not coach.digest_enabled:
        return Skip("digest_off")
    built = await digest_flow.build(at.uow, coach.id, at.now, at.account.timezone)
    if built is None:
        return Skip("no_coach")
    return Send(built)


def render(built: CoachDigest) -> Message:
    page = screen.render_page(built, 0, weekly=True)
    return Message(page.text, page.markup)


KIND = Kind(DigestPayload, decide, render)
