from __future__ import annotations

from typing import Any

from sqlalchemy import Row, bindparam, select

from bot.storage.models import Account, Coach, FlowState, Participant
from bot.storage.repositories.base import Repository

_accounts, _coaches, _participants = Account.__table__, Coach.__table__, Participant.__table__
_flows = FlowState.__table__
# Built once: the identity lookup runs before every update.
_WITH_ROLES = (
    select(_accounts.c.id, _accounts.c.role, _accounts.c.locale, _accounts.c.timezone,
           _coaches.c.id, _participants.c.id,
           _flows.c.flow, _flows.c.step, _flows.c.data, _flows.c.updated_at)
    .outerjoin(_coaches, _coaches.c.account_id == _accounts.c.id)
    .outerjoin(_participants, _participants.c.account_id == _accounts.c.id)
    # The conversation in progress comes along: typed text needs no second transaction.
    .outerjoin(_flows, _flows.c.account_id == _accounts.c.id)
    .where(_accounts.c.telegram_user_id == bindparam("telegram_user_id"))
)


class AccountRepository(Repository[Account]):
    model = Account

    async def by_telegram_user(self, telegram_user_id: int) -> Account | None:
        result = await self.session.execute(
            select(Account).where(Account.telegram_user_id == telegram_user_id)
        )
        return result.scalar_one_or_none()

    async def with_roles(self, telegram_user_id: int) -> Row[Any] | None:
        """The account with its coach id and participant id, in one query: this runs for every
        update, so it is kept to a single round trip of plain columns. Row: (id, role, locale,
        timezone, coach_id, participant_id, flow, step, data, updated_at) - the last four of the
        conversation in progress, None when there is none."""
        result = await self.core(_WITH_ROLES, {"telegram_user_id": telegram_user_id})
        return result.first()

    async def mark_unreachable(self, account_id: int) -> None:
        account = await self.get(account_id)
        if account is not None and account.reachable:
            account.reachable = False
            await self.session.flush()
