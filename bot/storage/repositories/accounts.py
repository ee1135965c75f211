from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import Account
from bot.storage.repositories.base import Repository


class AccountRepository(Repository[Account]):
    model = Account

    async def by_telegram_user(self, telegram_user_id: int) -> Account | None:
        result = await self.session.execute(
            select(Account).where(Account.telegram_user_id == telegram_user_id)
        )
        return result.scalar_one_or_none()

    async def mark_unreachable(self, account_id: int) -> None:
        account = await self.get(account_id)
        if account is not None and account.reachable:
            account.reachable = False
            await self.session.flush()
