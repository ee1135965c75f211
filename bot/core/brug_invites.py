"""Inviting a participant to the Brug again when a measurement is due (about 6 and 12 months).

Only 35 of 112 participants got a second Brug in the pilot, yet everyone who did remembered it
(seed 003 §2.3, 000 §2.6.2). One calm message per due measurement, never more: the outbox key
names the participant and the moment, and the outbox key is UNIQUE.
"""

from __future__ import annotations

from typing import Final

from bot.core.outbox import Payload

BRUG_INVITE: Final = "brug_invite"
# The intake is filled in with the coach; the later ones are what tends to be forgotten.
INVITED_MOMENTS: Final = frozenset({"six_months", "twelve_months"})


class BrugInvitePayload(Payload, kind=BRUG_INVITE):
    participant_id: int = 0
    moment: str = ""  # the measurement it invites to (still the one due when sent?)


def invite_key(participant_id: int, moment: str) -> str:
    return f"p:{participant_id}:brug:{moment}"
