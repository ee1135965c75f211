"""Cards and rewards in the evaluation data: counts per participant pseudonym, no names.

Counted in SQL per organisation (a join, never a list of ids as parameters), so an organisation
with 100,000 participants works on PostgreSQL. The totals are part of the cohort report
(bot.flows.report); these per-participant rows go into the research export."""

from __future__ import annotations

from bot.core.recognition import RecognitionCounts, recognition_counts
from bot.flows.pseudonyms import pseudonymiser
from bot.storage.db import Database


async def recognition_report(db: Database, organisation_id: int) -> list[RecognitionCounts]:
    async with db.uow() as uow:
        org = await uow.organisations.get(organisation_id)
        if org is None:
            return []
        name = await pseudonymiser(uow, org)
        ids = await uow.participants.ids_in_organisation(organisation_id)
        pseudonyms = {pid: name(pid) for pid in ids}
        cards, rewards = await uow.report.recognition_per_participant(organisation_id)
        await uow.commit()  # a lazily made pseudonym secret is kept
        return recognition_counts(pseudonyms, cards, rewards)
