"""/pauze and /verder: stop all non-urgent messages for a while, and start again."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from bot.core.events import Paused, Resumed
from bot.storage.db import Database
from bot.storage.models import ParticipantStatus


class PauseOutcome(StrEnum):
    PAUSED = "paused"
    RESUMED = "resumed"
    NOT_PAUSED = "not_paused"
    UNAVAILABLE = "unavailable"  # not an active participant (not agreed, ended)


async def pause(db: Database, participant_id: int, until: date | None, now: datetime, *,
                end_flow_of: int | None = None) -> PauseOutcome:
    """Pause until `until` (inclusive) or, with None, until /verder. Pausing again replaces the
    end date. `end_flow_of`: the date was typed in a conversation, which ends here."""
    async with db.uow() as uow:
        if end_flow_of is not None:
            await uow.flows.clear(end_flow_of)
        participant = await uow.participants.get(participant_id)
        if participant is None or participant.status not in (
            ParticipantStatus.ACTIVE.value, ParticipantStatus.PAUSED.value
        ):
            await uow.commit()
            return PauseOutcome.UNAVAILABLE
        participant.status = ParticipantStatus.PAUSED.value
        participant.paused_until = until
        participant.last_interaction_at = now
        await uow.participant_events.record(
            participant_id, "paused", now, {"until": until.isoformat() if until else None}
        )
        uow.emit(Paused(participant_id, now))  # nothing is planned while paused
        await uow.commit()
        return PauseOutcome.PAUSED


async def resume(db: Database, participant_id: int, now: datetime) -> PauseOutcome:
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        if participant is None:
            return PauseOutcome.UNAVAILABLE
        if participant.status != ParticipantStatus.PAUSED.value:
            return PauseOutcome.NOT_PAUSED
        participant.status = ParticipantStatus.ACTIVE.value
        participant.paused_until = None
        participant.last_interaction_at = now
        await uow.participant_events.record(participant_id, "resumed", now)
        uow.emit(Resumed(participant_id, now))
        await uow.commit()
        return PauseOutcome.RESUMED
