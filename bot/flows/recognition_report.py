"""Cards and rewards in the evaluation data: counts per participant pseudonym, no names."""

from __future__ import annotations

from bot.core.recognition import RecognitionCounts, recognition_counts
from bot.storage.db import Database


async def recognition_report(db: Database, organisation_id: int) -> list[RecognitionCounts]:
    async with db.uow() as uow:
        participants = await uow.participants.of_organisation(organisation_id)
        pseudonyms = {p.id: p.pseudonym for p in participants}
        ids = list(pseudonyms)
        return recognition_counts(
            pseudonyms, await uow.cards.kind_counts(ids), await uow.rewards.status_counts(ids)
        )
