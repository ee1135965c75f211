"""The coach's notice when a participant stops or has their data erased (outbox kind)."""

from __future__ import annotations

from typing import Final, Literal

PRIVACY_NOTICE: Final = "privacy_notice"
What = Literal["withdrawn", "erased"]


def notice_key(participant_id: int, what: str) -> str:
    return f"privacy:{participant_id}:{what}"
