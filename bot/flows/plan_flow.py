"""The plan flow's use cases, one per answer: a typed message or a tap at the question the flow
is at. The rules are pure (bot/core/plan_flow.py); here the draft is read from the conversation
(a draft that cannot go on ends the flow), a tap that changes the draft in place is stored, and
"save" and "later" finish the flow (bot/flows/plans.py).

A question that follows is stored by `asked` once it is on screen, with the message that holds
its buttons (taken away when the coach types instead of tapping).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core import plan_flow as rules
from bot.core.conversations import PlanDraft
from bot.flows import conversation, plans
from bot.flows.conversation import Conversation
from bot.flows.plans import PlanSaved
from bot.storage.db import Database


@dataclass(frozen=True)
class Gone:
    """The stored draft cannot go on (garbled, or of a shape no version reads): the flow has
    ended, nothing saved."""


@dataclass(frozen=True)
class Saved:
    draft: PlanDraft
    plan: PlanSaved | None  # None: saved already (a second tap on "save")


@dataclass(frozen=True)
class LeftForLater:
    ended: bool  # False: the flow had ended already (the same tap delivered twice)


async def answer_text(db: Database, account_id: int, state: Conversation, text: str,
                      message_id: int, today: date) -> rules.Outcome | Gone:
    draft = await _draft(db, account_id, state)
    if draft is None:
        return Gone()
    return rules.typed(draft, state.step, text, message_id, today)


async def answer_tap(db: Database, coach_id: int, account_id: int, state: Conversation,
                     tap: rules.Tap, today: date, locale: str, now: datetime
                     ) -> rules.Outcome | Gone | Saved | LeftForLater:
    draft = await _draft(db, account_id, state)
    if draft is None:
        return Gone()
    outcome = rules.tapped(draft, state.step, tap, today, plans.pillar_choices(draft, locale))
    if isinstance(outcome, rules.Changed):
        await plans.advance(db, account_id, outcome.draft, outcome.step, now)
    elif isinstance(outcome, rules.SaveNow):
        return Saved(outcome.draft, await plans.save_plan(db, coach_id, account_id, now))
    elif isinstance(outcome, rules.Later):
        return LeftForLater(await plans.end_plan(db, account_id))
    return outcome


async def asked(db: Database, account_id: int, ask: rules.Ask, message_id: int, now: datetime
                ) -> None:
    """`ask`'s question is on screen in `message_id`: the flow is at its step now."""
    await plans.advance(db, account_id, ask.draft.model_copy(update={"ask_mid": message_id}),
                        ask.step, now)


async def _draft(db: Database, account_id: int, state: Conversation) -> PlanDraft | None:
    draft = rules.load(state.data, state.step)
    if draft is None:
        await conversation.end(db, account_id)
    return draft
