"""A coach sends a participant a card: their own words (or a suggestion) and their name on it.

The coach reaches a participant only through `participants.owned_by`, checked again at every
step (a preview and a send are separate updates). A card is sent once per flow: the flow's nonce
is the card's dedupe key, so a double tap or a duplicate update never sends two cards.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.core.conversations import CardDraft
from bot.core.events import CardAwarded
from bot.flows.cards import CardShown
from bot.flows.conversation import _move
from bot.i18n import resolve_locale
from bot.storage.db import Database
from bot.storage.models import CardKind, Participant, ParticipantStatus
from bot.storage.uow import UnitOfWork


class CardRefusal(StrEnum):
    NOT_YOURS = "not_yours"  # another coach's participant, another organisation, or no such id
    NOT_JOINED = "not_joined"  # the participant has not opened their link yet
    NOT_ACTIVE = "not_active"  # ended or declined


@dataclass(frozen=True)
class CardTarget:
    participant_id: int
    participant_name: str
    nonce: str


@dataclass(frozen=True)
class CardSent:
    card_id: int
    new: bool  # False when this flow's card was already sent (second tap, duplicate update)
    reachable: bool = True  # False: they blocked the bot; the card waits in /kaartjes


# The conversation (flow_states) of writing a card: "write", then "preview".
FLOW = CardDraft.flow


def new_nonce() -> str:
    return secrets.token_hex(6)


def coach_card_key(coach_id: int, nonce: str) -> str:
    return f"coach:{coach_id}:{nonce}"


async def _reachable(uow: UnitOfWork, coach_id: int, participant_id: int
                     ) -> Participant | CardRefusal:
    participant = await uow.participants.owned_by(participant_id, coach_id)
    if participant is None:
        return CardRefusal.NOT_YOURS
    if participant.status in (ParticipantStatus.ENDED.value, ParticipantStatus.DECLINED.value):
        return CardRefusal.NOT_ACTIVE
    if participant.account_id is None:
        return CardRefusal.NOT_JOINED
    return participant


async def begin_card(db: Database, coach_id: int, account_id: int, participant_id: int,
                     now: datetime) -> CardTarget | CardRefusal:
    """Start writing a card: the conversation waits for the coach's words."""
    async with db.uow() as uow:
        found = await _reachable(uow, coach_id, participant_id)
        if isinstance(found, CardRefusal):
            return found
        target = CardTarget(found.id, found.display_name, new_nonce())
        await _move(uow, account_id, "write", CardDraft(
            participant_id=target.participant_id, name=target.participant_name,
            nonce=target.nonce), now)
        await uow.commit()
        return target


async def rewrite(db: Database, account_id: int, draft: CardDraft, now: datetime) -> None:
    """Back from the preview to writing (the previewed words are forgotten)."""
    async with db.uow() as uow:
        await _move(uow, account_id, "write", draft.model_copy(update={"message": None}), now)
        await uow.commit()


async def already_sent(db: Database, coach_id: int, nonce: str) -> bool:
    async with db.uow() as uow:
        return await uow.cards.by_dedupe_key(coach_card_key(coach_id, nonce)) is not None


@dataclass(frozen=True)
class Preview:
    card: CardShown
    nonce: str  # the "send" button of this preview sends exactly this picture


async def preview(db: Database, coach_id: int, account_id: int, draft: CardDraft,
                  message: str, now: datetime, default_locale: str) -> Preview | CardRefusal:
    """The picture exactly as the participant will get it (their language, the coach's name);
    the conversation moves to "preview" with a new nonce, or ends when the card is refused."""
    async with db.uow() as uow:
        found = await _reachable(uow, coach_id, draft.participant_id)
        if isinstance(found, CardRefusal):
            await uow.flows.clear(account_id)
            await uow.commit()
            return found
        # A new nonce per preview: an older preview's button no longer works, and a second tap
        # on this one finds the card already sent.
        nonce = new_nonce()
        await _move(uow, account_id, "preview",
                    draft.model_copy(update={"message": message, "nonce": nonce}), now)
        coach = await uow.coaches.get(coach_id)
        account = await uow.accounts.get(found.account_id) if found.account_id else None
        card = CardShown(
            card_id=None, chat_id=None, kind=CardKind.COACH.value, message=message,
            participant_name=found.display_name,
            coach_name=coach.display_name if coach else None, created_at=now,
            timezone=account.timezone if account else uow.defaults.timezone,
            locale=resolve_locale(account.locale if account else None, None, default_locale))
        await uow.commit()
    return Preview(card, nonce)


async def send_coach_card(db: Database, coach_id: int, account_id: int, participant_id: int,
                          message: str, nonce: str, now: datetime) -> CardSent | CardRefusal:
    """Store the card and queue it (CardAwarded -> outbox); the conversation ends here."""
    async with db.uow() as uow:
        await uow.flows.clear(account_id)
        sent = await _store_coach_card(uow, coach_id, participant_id, message, nonce, now)
        await uow.commit()
        return sent


async def _store_coach_card(uow: UnitOfWork, coach_id: int, participant_id: int, message: str,
                            nonce: str, now: datetime) -> CardSent | CardRefusal:
    """The card from the coach, once per nonce, queued for the participant (also the digest's
    one-tap card). Does not commit."""
    key = coach_card_key(coach_id, nonce)
    existing = await uow.cards.by_dedupe_key(key)
    if existing is not None:
        return CardSent(existing.id, new=False)
    found = await _reachable(uow, coach_id, participant_id)
    if isinstance(found, CardRefusal):
        return found
    coach = await uow.coaches.get(coach_id)
    card = await uow.cards.add(
        participant_id=found.id, kind=CardKind.COACH.value, message=message,
        author_coach_id=coach_id, dedupe_key=key, created_at=now,
    )
    await uow.audit.record(
        at=now, actor_account_id=coach.account_id if coach else None, action="card.sent",
        subject_type="card", subject_id=card.id, details={"participant_id": found.id},
    )
    uow.emit(CardAwarded(card.id, found.id, now))  # the outbox sends it (quiet hours...)
    account = await uow.accounts.get(found.account_id) if found.account_id else None
    return CardSent(card.id, new=True, reachable=account is not None and account.reachable)
