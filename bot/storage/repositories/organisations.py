from __future__ import annotations

from sqlalchemy import func, select

from bot.storage.models import Organisation
from bot.storage.repositories.base import Repository


class OrganisationRepository(Repository[Organisation]):
    model = Organisation

    async def by_name(self, name: str) -> Organisation | None:
        result = await self.session.execute(
            select(Organisation).where(func.lower(Organisation.name) == name.lower())
        )
        return result.scalar_one_or_none()
