"""Queries for handing a participant over to another coach."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Coach


async def coaches_of_organisation(session: AsyncSession, organisation_id: int) -> list[Coach]:
    result = await session.execute(
        select(Coach).where(Coach.organisation_id == organisation_id).order_by(Coach.id))
    return list(result.scalars())
