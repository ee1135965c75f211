"""The unit of work: one transaction per use case, committed once by the use case itself.

It also collects the domain events the use case raises (`emit`); `commit` first runs the
reactions registered for them (which may raise more events) and then commits everything at once,
so a change and its consequences (re-planned reminders, a card, a queued message) land together.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Defaults
from bot.storage import handled_updates
from bot.storage import repositories as repos

Reaction = Callable[["UnitOfWork", Any], Awaitable[None]]
Reactions = Mapping[type, Sequence[Reaction]]

# Set when a committed unit of work queued an outbox message that is due now. Read (and reset)
# at the end of handling an update, so the dispatcher is woken after the person's own answer
# went out: the card follows the edited list, never overtakes it.
outbox_due_now: ContextVar[bool] = ContextVar("outbox_due_now", default=False)

MAX_REACTION_ROUNDS = 1000


class UnitOfWork:
    session: AsyncSession

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, postgres: bool,
                 reactions: Reactions | None, defaults: Defaults) -> None:
        self._sessions = sessions
        self.defaults = defaults
        # Row locks (FOR UPDATE / SKIP LOCKED) exist on PostgreSQL; SQLite serialises writers.
        self.postgres = postgres
        self._reactions = reactions
        self.events: list[object] = []

    def emit(self, event: object) -> None:
        """Record that something changed; its reactions run at commit, in this transaction."""
        self.events.append(event)

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
        self.meetings = repos.MeetingRepository(self.session)
        self.privacy = repos.PrivacyRepository(self.session)
        self.paper = repos.PaperRepository(self.session)
        self.report = repos.ReportRepository(self.session)
        self.research = repos.ResearchRepository(self.session)
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

    async def flush(self) -> None:
        """Send the changes made to loaded rows now (ids, constraints), without committing."""
        await self.session.flush()

    async def commit(self) -> None:
        await self._react()
        # The update being handled, if not recorded yet, is recorded with this change: one
        # transaction per update instead of two (bot/storage/handled_updates.py).
        update = handled_updates.pending()
        if update is not None:
            await handled_updates.record_in(self.session, update)
        await self.session.commit()
        if update is not None:
            update.recorded = True
        if self.outbox.due_now:  # a message queued to be due now: wake the dispatcher
            self.outbox.due_now = False
            outbox_due_now.set(True)

    async def _react(self) -> None:
        rounds = 0
        while self.events:
            if self._reactions is None:
                # A database without the reactions installed would silently drop them.
                raise RuntimeError("domain events raised but no reactions are installed")
            rounds += 1
            if rounds > MAX_REACTION_ROUNDS:
                raise RuntimeError("reactions keep raising events")
            event = self.events.pop(0)
            for reaction in self._reactions.get(type(event), ()):
                await reaction(self, event)
