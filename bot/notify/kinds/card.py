"""An appreciation card, sent as a picture as soon as it is awarded (queued by the reaction to
`CardAwarded`, flows/reactions.py); quiet hours and a pause hold it back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core import reminders as plan
from bot.notify.kinds import rules
from bot.notify.kinds.base import Decision, Kind, Message, Row, Send, SendTime, Skip
from bot.ui.screens.cards import card_texts, render_card_notice


@dataclass(frozen=True)
class Facts:
    card_id: int
    kind: str
    message: str
    name: str
    coach_name: str | None
    created_at: datetime
    timezone: str


async def decide(at: SendTime, row: Row[plan.CardPayload]) -> Decision[Facts]:
    held = rules.follow_up_hold(at)
    if held is not None:
        return held
    assert at.participant is not None
    card = await at.uow.cards.owned(row.payload.card_id, at.participant.id)
    if card is None:
        return Skip("gone")
    coach = await at.uow.coaches.get(card.author_coach_id) if card.author_coach_id else None
    return Send(Facts(card.id, card.kind, card.message, at.participant.display_name,
                      coach.display_name if coach else None, card.created_at,
                      at.account.timezone))


def render(facts: Facts) -> Message:
    picture = card_texts(facts.kind, facts.message, facts.name, facts.coach_name,
                         facts.created_at, facts.timezone)
    return Message(*render_card_notice(facts.name, facts.card_id), picture=picture)


KIND = Kind(plan.CardPayload, decide, render, cancelled_when_blocked=True, purged=True)
