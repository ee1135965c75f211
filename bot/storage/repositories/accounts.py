from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import Account, Coach, Participant
from bot.storage.repositories.base import Repository


class AccountRepository(Repository[Account]):
    model = Account

    async def by_telegram_user(self, telegram_user_id: int) -> Account | None:
        result = await self.session.execute(
            select(Account).where(Account.telegram_user_id == telegram_user_id)
        )
        return result.scalar_one_or_none()

    async def with_roles(self, telegram_user_id: int
                         ) -> tuple[Account, int | None, int | None] | None:
        """The account with its coach id and participant id, in one query: this runs for every
        update, so it is kept to a single round trip."""
        result = await self.session.execute(
            select(Account, Coach.id, Participant.id)
            .outerjoin(Coach, Coach.account_id == Account.id)
            .outerjoin(Participant, Participant.account_id == Account.id)
            .where(Account.telegram_user_id == telegram_user_id)
        )
        row = result.first()
        return None if row is None else (row[0], row[1], row[2])

    async def mark_unreachable(self, account_id: int) -> None:
        account = await self.get(account_id)
        if account is not None and account.reachable:
            account.reachable = False
            await self.session.flush()
