from __future__ import annotations

from typing import Any, Generic, TypeVar

from sqlalchemy import Executable, Result
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Base

M = TypeVar("M", bound=Base)


class Queries:
    """A repository over several tables (a report, an export, a person's data): the unit of
    work's session and the helpers every repository shares. One aggregate: `Repository`."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def core(self, statement: Executable, params: dict[str, Any] | None = None
                   ) -> Result[Any]:
        """Run a Core statement (on `Model.__table__`, usually built once at import): no ORM
        compile step and no ORM row objects, which is most of the cost of a small statement.
        Pending ORM changes are flushed first, as the ORM's autoflush would do."""
        await self.session.flush()
        return await self.session.execute(statement, params)

    @property
    def postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def loaded(self, model: type[Base], ident: int) -> bool:
        """Whether this unit of work holds `model` row `ident` as an object: an UPDATE must
        then go through the ORM so the object sees the change."""
        return self.session.identity_key(model, ident) in self.session.identity_map


class Repository(Queries, Generic[M]):
    """Queries and inserts for one aggregate (`model`)."""

    model: type[M]

    async def get(self, ident: int) -> M | None:
        return await self.session.get(self.model, ident)

    async def add(self, **values: Any) -> M:
        row = self.model(**values)
        self.session.add(row)
        await self.session.flush()
        return row
