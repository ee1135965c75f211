"""An invitation to fill in the Brug again when a measurement is due (planned by
flows/brug_invites.py): not sent when it was filled in meanwhile."""

from __future__ import annotations

from bot.core.brug_invites import BrugInvitePayload
from bot.flows import brug_invites
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Kind, Message, Row, Send, SendTime, Skip
from bot.ui.screens.brug_invite import render_brug_invite


async def decide(at: SendTime, row: Row[BrugInvitePayload]) -> Decision[tuple[str, str]]:
    held = rules.planned_hold(at, row.kind)
    if held is not None:
        return held
    assert at.participant is not None
    if rules.silent(at):
        return Skip("silent")  # after a silence only the welcome back speaks
    moment = row.payload.moment
    if await brug_invites.still_due(at.uow, at.participant, at.account, moment, at.now) is None:
        return Skip("filled_in")
    return Send((at.participant.display_name, moment))


def render(facts: tuple[str, str]) -> Message:
    return Message(*render_brug_invite(*facts))


KIND = Kind(BrugInvitePayload, decide, render)
