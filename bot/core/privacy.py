"""The coach's notice when a participant stops or has their data erased (outbox kind)."""

from __future__ import annotations

from typing import Final, Literal

from bot.core.outbox import Payload

PRIVACY_NOTICE: Final = "privacy_notice"
What = Literal["withdrawn", "erased"]


class PrivacyNoticePayload(Payload, kind=PRIVACY_NOTICE):
    """The name travels in the payload (an erased participant has none any more); the
    dispatcher empties the payload once the message is sent."""

    what: str | None = None
    name: str | None = None


def notice_key(participant_id: int, what: str) -> str:
    return f"privacy:{participant_id}:{what}"
