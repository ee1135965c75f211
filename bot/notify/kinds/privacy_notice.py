"""To the coach: a participant stopped, or had their data erased (flows/privacy.py). The name
travels in the payload, which is emptied once the message is sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core.privacy import PrivacyNoticePayload
from bot.notify.claimed import Claimed
from bot.notify.kinds.base import Decision, Kind, Message, Row, Send, SendTime
from bot.storage.uow import UnitOfWork
from bot.ui.screens.privacy_notice import render_privacy_notice


async def decide(at: SendTime, row: Row[PrivacyNoticePayload]) -> Decision[PrivacyNoticePayload]:
    return Send(row.payload)  # to a coach: no participant status to check


def render(payload: PrivacyNoticePayload) -> Message:
    return Message(render_privacy_notice(payload.what, payload.name))


async def forget_the_name(uow: UnitOfWork, rows: Sequence[Claimed], _now: datetime) -> None:
    await uow.outbox.forget_payloads([r.id for r in rows])


KIND = Kind(PrivacyNoticePayload, decide, render, after_sent=forget_the_name)
