"""Cards and rewards in the evaluation data: counts per participant pseudonym, no names.

Counted in SQL per organisation (a join, never a list of ids as parameters), so an organisation
with 100,000 participants works on PostgreSQL. The totals are part of the cohort report
(bot.flows.report); these per-participant rows go into the research export."""

from __future__ import annotations

from sqlalchemy import select

from bot.core.recognition import RecognitionCounts, recognition_counts
from bot.flows.pseudonyms import pseudonymiser
from bot.storage.db import Database
from bot.storage.models import Organisation, Participant
from bot.storage.repositories.report import ReportRepository


async def recognition_report(db: Database, organisation_id: int) -> list[RecognitionCounts]:
    async with db.uow() as uow:
        org = await uow.session.get(Organisation, organisation_id)
        if org is None:
            return []
        name = await pseudonymiser(uow, org)
        ids = await uow.session.scalars(
            select(Participant.id).where(Participant.organisation_id == organisation_id))
        pseudonyms = {pid: name(pid) for pid in ids}
        cards, rewards = await ReportRepository(uow.session).recognition_per_participant(
            organisation_id)
        await uow.commit()  # a lazily made pseudonym secret is kept
        return recognition_counts(pseudonyms, cards, rewards)
