from __future__ import annotations

from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Base

M = TypeVar("M", bound=Base)


class Repository(Generic[M]):
    model: type[M]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, ident: int) -> M | None:
        return await self.session.get(self.model, ident)

    async def add(self, **values: Any) -> M:
        row = self.model(**values)
        self.session.add(row)
        await self.session.flush()
        return row
