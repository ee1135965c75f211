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
