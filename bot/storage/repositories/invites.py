from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import Invite
from bot.storage.repositories.base import Repository


class InviteRepository(Repository[Invite]):
    model = Invite

    async def by_hash(self, code_hash: str, *, for_update: bool = False) -> Invite | None:
        query = select(Invite).where(Invite.code_hash == code_hash)
        if for_update:
            query = query.with_for_update()
        result = await self.session.execute(query)
        return result.scalar_one_or_none()

    async def open_for_participant(self, participant_id: int) -> list[Invite]:
        result = await self.session.execute(
            select(Invite).where(
                Invite.participant_id == participant_id,
                Invite.used_at.is_(None),
                Invite.revoked_at.is_(None),
            )
        )
        return list(result.scalars())

    async def latest_open_for_participant(self, participant_id: int) -> Invite | None:
        result = await self.session.execute(
            select(Invite)
            .where(Invite.participant_id == participant_id, Invite.used_at.is_(None),
                   Invite.revoked_at.is_(None))
            .order_by(Invite.id.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()
