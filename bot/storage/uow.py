"""The unit of work: one transaction per use case, committed once by the use case itself."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage import repositories as repos


class UnitOfWork:
    session: AsyncSession

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, postgres: bool) -> None:
        self._sessions = sessions
        # Row locks (FOR UPDATE / SKIP LOCKED) exist on PostgreSQL; SQLite serialises writers.
        self.postgres = postgres

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self.accounts = repos.AccountRepository(self.session)
        self.organisations = repos.OrganisationRepository(self.session)
        self.coaches = repos.CoachRepository(self.session)
        self.participants = repos.ParticipantRepository(self.session)
        self.invites = repos.InviteRepository(self.session)
        self.audit = repos.AuditRepository(self.session)
        self.outbox = repos.OutboxRepository(self.session)
        self.flows = repos.FlowStateRepository(self.session)
        self.goals = repos.GoalRepository(self.session)
        self.steps = repos.StepRepository(self.session)
        self.step_events = repos.StepEventRepository(self.session)
        self.participant_events = repos.ParticipantEventRepository(self.session)
        self.brug = repos.BrugRepository(self.session)
        self.cards = repos.CardRepository(self.session)
        self.rewards = repos.RewardRepository(self.session)
        self.digest = repos.DigestRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Whatever was not committed explicitly is rolled back: half a use case never lands.
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()
