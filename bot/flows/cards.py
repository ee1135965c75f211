"""Appreciation cards: awarded for real effort, kept, and reopened as a picture.

A card is earned when a goal is achieved or a step marked challenging is done (seed 000 §2.6.4:
sincerity over volume; an ordinary step gets a short text acknowledgement from the tick, no card).
The card row stores a snapshot of what was done, so it reads the same years later even when the
step is edited; the words around it are rendered in the participant's language when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.events import CardAwarded
from bot.i18n import resolve_locale
from bot.storage.db import Database
from bot.storage.models import CardKind
from bot.storage.uow import UnitOfWork

PAGE_SIZE = 8
MESSAGE_MAX = 300


def goal_card_key(goal_id: int) -> str:
    return f"goal:{goal_id}:achieved"


def step_card_key(step_id: int) -> str:
    return f"step:{step_id}:challenging"


async def _award_for_tick(
    uow: UnitOfWork, participant_id: int, step_id: int, *, challenging: bool,
    goal_completed: bool, now: datetime,
) -> list[int]:
    """Cards earned by ticking this step, inside the tick's own transaction (does not commit).

    A goal achieved gives one goal card (its last step, even a challenging one, gives no second
    card: one sincere card is worth more than two). Each achievement has a dedupe key, so a
    repeated tick, an undo and redo, or a duplicate update never gives a second card. Returns the
    ids of the cards created now; each raises CardAwarded, which queues it for sending.
    """
    if not (goal_completed or challenging):
        return []  # most ticks: nothing to award, nothing to read
    step = await uow.steps.card_facts(step_id, participant_id)
    if step is None:
        return []
    if goal_completed:
        return await _award_for_goal(uow, participant_id, step.goal_id, now=now, step_id=step_id)
    if challenging and step.challenging:
        card_id = await _add_once(
            uow, step_card_key(step_id), participant_id=participant_id,
            kind=CardKind.CHALLENGING_STEP.value, message=step.text[:MESSAGE_MAX],
            goal_id=step.goal_id, step_id=step_id, now=now,
        )
        if card_id is not None:
            return [card_id]
    return []


async def _award_for_goal(uow: UnitOfWork, participant_id: int, goal_id: int, *, now: datetime,
                         step_id: int | None = None) -> list[int]:
    """The goal card, e.g. when the coach closes a goal as achieved (does not commit). Shares
    its dedupe key with the tick's goal card: one card per goal, whoever closes it first."""
    goal = await uow.goals.owned(goal_id, participant_id)
    if goal is None:
        return []
    card_id = await _add_once(
        uow, goal_card_key(goal.id), participant_id=participant_id,
        kind=CardKind.GOAL_ACHIEVED.value, message=goal.text[:MESSAGE_MAX],
        goal_id=goal.id, step_id=step_id, now=now,
    )
    return [card_id] if card_id is not None else []


async def _add_once(uow: UnitOfWork, key: str, *, participant_id: int, kind: str, message: str,
                    goal_id: int | None, step_id: int | None, now: datetime) -> int | None:
    """The new card's id; None when this achievement has its card already."""
    card_id = await uow.cards.add_once(
        participant_id=participant_id, kind=kind, message=message, author_coach_id=None,
        goal_id=goal_id, step_id=step_id, dedupe_key=key, created_at=now,
    )
    if card_id is None:
        return None
    await uow.audit.record(
        at=now, actor_account_id=None, action="card.awarded", subject_type="card",
        subject_id=card_id, details={"participant_id": participant_id, "kind": kind},
    )
    uow.emit(CardAwarded(card_id, participant_id, now))  # queued for the dispatcher
    return card_id


# --- showing a card ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CardShown:
    """What a card says, as stored, and whose language and zone it is drawn in (plain data;
    `bot.ui.screens.cards` turns it into the picture's words and the caption)."""

    card_id: int | None
    chat_id: int | None  # the participant's chat; None when they have not joined
    kind: str
    message: str
    participant_name: str
    coach_name: str | None
    created_at: datetime
    timezone: str
    locale: str


async def card_view(db: Database, card_id: int, participant_id: int, default_locale: str
                    ) -> CardShown | None:
    """The participant's own card, in the participant's language and zone.
    None when the card is not theirs (forged or stale id)."""
    async with db.uow() as uow:
        card = await uow.cards.owned(card_id, participant_id)
        participant = await uow.participants.get(participant_id)
        if card is None or participant is None:
            return None
        coach = await uow.coaches.get(card.author_coach_id) if card.author_coach_id else None
        account = (await uow.accounts.get(participant.account_id)
                   if participant.account_id else None)
        return CardShown(
            card_id=card.id, chat_id=account.chat_id if account else None, kind=card.kind,
            message=card.message, participant_name=participant.display_name,
            coach_name=coach.display_name if coach else None, created_at=card.created_at,
            timezone=account.timezone if account else uow.defaults.timezone,
            locale=resolve_locale(account.locale if account else None, None, default_locale),
        )


# --- the collection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CardItem:
    card_id: int
    kind: str
    created_at: datetime
    coach_name: str | None


@dataclass(frozen=True)
class CardPage:
    items: list[CardItem]
    page: int
    pages: int
    total: int


async def collection(db: Database, participant_id: int, page: int) -> CardPage:
    """One page of the participant's cards, newest first; a page out of range shows the last."""
    async with db.uow() as uow:
        total = await uow.cards.count_of(participant_id)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        cards = await uow.cards.page_of(participant_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
        names: dict[int, str] = {}
        for card in cards:
            if card.author_coach_id and card.author_coach_id not in names:
                coach = await uow.coaches.get(card.author_coach_id)
                names[card.author_coach_id] = coach.display_name if coach else ""
        items = [
            CardItem(card.id, card.kind, card.created_at,
                     names.get(card.author_coach_id) if card.author_coach_id else None)
            for card in cards
        ]
        return CardPage(items, page, pages, total)
