"""Aggregates for the cohort report, one organisation at a time.

Every query filters by joining participants on their organisation (and optionally the date they
were added), never by a list of participant ids: one bound parameter per participant fails above
32,767 on PostgreSQL and is slow long before. Results are counts, a few rows per pillar.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    or_,
    select,
)

from bot.core.report import (
    GoalFacts,
    RecognitionFacts,
    RetentionFacts,
    StepFacts,
    StepGroup,
)
from bot.storage.models import (
    BrugMeasurement,
    BrugScore,
    Card,
    Goal,
    Meeting,
    Participant,
    ParticipantStatus,
    RewardEntry,
    Step,
    StepStatus,
)
from bot.storage.repositories.base import Queries


@dataclass(frozen=True)
class Cohort:
    """Participants of one organisation, optionally only those added in [start, end)."""

    organisation_id: int
    start: datetime | None = None
    end: datetime | None = None

    def where(self) -> ColumnElement[bool]:
        clauses = [Participant.organisation_id == self.organisation_id]
        if self.start is not None:
            clauses.append(Participant.created_at >= self.start)
        if self.end is not None:
            clauses.append(Participant.created_at < self.end)
        return and_(*clauses)


class ReportRepository(Queries):
    def _ranked(self, cohort: Cohort) -> Any:
        """Completed measurements with their rank from each participant's first (1)."""
        order_first = (BrugMeasurement.completed_at, BrugMeasurement.id)
        by = BrugMeasurement.participant_id
        return (
            select(
                BrugMeasurement.id.label("mid"),
                func.row_number().over(partition_by=by, order_by=order_first).label("nth"),
            )
            .join(Participant, Participant.id == BrugMeasurement.participant_id)
            .where(cohort.where(), BrugMeasurement.completed_at.is_not(None))
            .subquery()
        )

    async def start_counts(self, cohort: Cohort) -> dict[str, list[int]]:
        """pillar -> counts of steps 1..5 at each participant's first measurement."""
        ranked = self._ranked(cohort)
        rows = await self.session.execute(
            select(BrugScore.pillar_key, BrugScore.level, func.count())
            .join(ranked, ranked.c.mid == BrugScore.measurement_id)
            .where(ranked.c.nth == 1, BrugScore.level.is_not(None))
            .group_by(BrugScore.pillar_key, BrugScore.level)
        )
        table: dict[str, list[int]] = defaultdict(lambda: [0] * 5)
        for pillar, level, n in rows.all():
            table[str(pillar)][int(level) - 1] = int(n)
        return dict(table)

    def _first_and_latest(self, cohort: Cohort) -> Any:
        """Per participant with two or more completed measurements: the first and the latest
        (one scan with window functions; joining two ranked subqueries on the participant
        has no index to use and took seconds per 10,000 participants on SQLite)."""
        by = BrugMeasurement.participant_id
        order_first = (BrugMeasurement.completed_at, BrugMeasurement.id)
        order_last = (BrugMeasurement.completed_at.desc(), BrugMeasurement.id.desc())
        ranked = (
            select(
                by.label("pid"),
                func.row_number().over(partition_by=by, order_by=order_first).label("nth"),
                func.first_value(BrugMeasurement.id).over(
                    partition_by=by, order_by=order_first).label("first_mid"),
                func.first_value(BrugMeasurement.id).over(
                    partition_by=by, order_by=order_last).label("last_mid"),
            )
            .join(Participant, Participant.id == BrugMeasurement.participant_id)
            .where(cohort.where(), BrugMeasurement.completed_at.is_not(None))
            .subquery()
        )
        return (select(ranked.c.first_mid, ranked.c.last_mid)
                .where(ranked.c.nth == 1, ranked.c.first_mid != ranked.c.last_mid)
                .subquery())

    async def change_counts(self, cohort: Cohort) -> dict[str, tuple[int, int, int]]:
        """pillar -> (worse, same, better) between each participant's first and latest
        measurement, for participants with two or more who filled in the pillar both times."""
        pairs = self._first_and_latest(cohort)
        s1, s2 = BrugScore.__table__.alias("s1"), BrugScore.__table__.alias("s2")
        rows = await self.session.execute(
            select(
                s1.c.pillar_key,
                func.sum(case((s2.c.level < s1.c.level, 1), else_=0)),
                func.sum(case((s2.c.level == s1.c.level, 1), else_=0)),
                func.sum(case((s2.c.level > s1.c.level, 1), else_=0)),
            )
            .select_from(pairs)
            .join(s1, s1.c.measurement_id == pairs.c.first_mid)
            .join(s2, and_(s2.c.measurement_id == pairs.c.last_mid,
                           s2.c.pillar_key == s1.c.pillar_key))
            .where(s1.c.level.is_not(None), s2.c.level.is_not(None))
            .group_by(s1.c.pillar_key)
        )
        return {str(p): (int(w), int(s), int(b)) for p, w, s, b in rows.all()}

    async def measured(self, cohort: Cohort) -> tuple[int, int]:
        """Participants with a first and with a second completed measurement."""
        ranked = self._ranked(cohort)
        row = (await self.session.execute(
            select(func.sum(case((ranked.c.nth == 1, 1), else_=0)),
                   func.sum(case((ranked.c.nth == 2, 1), else_=0)))
        )).one()
        return int(row[0] or 0), int(row[1] or 0)

    async def goal_facts(self, cohort: Cohort, pillars: list[str]) -> GoalFacts:
        # Goal.pillars is a JSON list of snake_case keys. Matching the quoted key in its text
        # works alike on SQLite and PostgreSQL without unnesting JSON (which differs per
        # database); autoescape keeps "_" literal.
        text = cast(Goal.pillars, String)
        per_pillar = [func.sum(case((text.contains(f'"{key}"', autoescape=True), 1), else_=0))
                      for key in pillars]
        row = (await self.session.execute(
            select(func.count(Goal.id), *per_pillar)
            .join(Participant, Participant.id == Goal.participant_id)
            .where(cohort.where())
        )).one()
        nth = func.row_number().over(partition_by=Goal.participant_id,
                                     order_by=(Goal.created_at, Goal.id)).label("nth")
        ranked = (select(Goal.confidence.label("confidence"), nth)
                  .join(Participant, Participant.id == Goal.participant_id)
                  .where(cohort.where()).subquery())
        first = ranked.c.nth == 1
        conf = (await self.session.execute(
            select(
                func.sum(case((first, ranked.c.confidence), else_=0)),
                func.count(case((first, ranked.c.confidence))),
                func.sum(case((~first, ranked.c.confidence), else_=0)),
                func.count(case((~first, ranked.c.confidence))),
            ).where(ranked.c.confidence.is_not(None))
        )).one()
        return GoalFacts(
            int(row[0]), {key: int(n or 0) for key, n in zip(pillars, row[1:], strict=True)},
            int(conf[0] or 0), int(conf[1] or 0), int(conf[2] or 0), int(conf[3] or 0),
        )

    def _days_to_done(self) -> ColumnElement[int]:
        if self.postgres:
            seconds = func.extract("epoch", Step.done_at - Step.created_at)
            return cast(func.floor(seconds / 86400), Integer)
        return cast(func.julianday(Step.done_at) - func.julianday(Step.created_at), Integer)

    async def step_facts(self, cohort: Cohort) -> StepFacts:
        tagged = Step.reward_kind.is_not(None)
        done = and_(Step.status == StepStatus.DONE.value, Step.done_at.is_not(None))
        # One scan of the steps: per reward tag and whole days to done (NULL: not done).
        days = case((done, self._days_to_done()))
        rows = await self.session.execute(
            select(tagged, days, func.count())
            .join(Participant, Participant.id == Step.participant_id)
            .where(cohort.where())
            .group_by(tagged, days)
        )
        has_steps = select(Step.id).where(Step.participant_id == Participant.id).exists()
        participants = (await self.session.execute(
            select(func.count()).select_from(Participant).where(cohort.where(), has_steps)
        )).scalar_one()
        groups: dict[bool, tuple[int, int, dict[int, int]]] = {
            True: (0, 0, {}), False: (0, 0, {})}
        for is_tagged, day, n in rows.all():
            planned, n_done, histogram = groups[bool(is_tagged)]
            if day is not None:
                histogram[max(0, int(day))] = histogram.get(max(0, int(day)), 0) + int(n)
                n_done += int(n)
            groups[bool(is_tagged)] = (planned + int(n), n_done, histogram)
        return StepFacts(int(participants), StepGroup(*groups[True]), StepGroup(*groups[False]))

    async def retention_facts(self, cohort: Cohort) -> RetentionFacts:
        joined = or_(Participant.account_id.is_not(None), Participant.consent_at.is_not(None))
        rows = await self.session.execute(
            select(Participant.status, Participant.ended_reason, func.count(),
                   func.sum(case((joined, 1), else_=0)))
            .where(cohort.where())
            .group_by(Participant.status, Participant.ended_reason)
        )
        invited = n_joined = active = paused = 0
        ended: dict[str, int] = {}
        for status, reason, n, n_in in rows.all():
            invited += int(n)
            n_joined += int(n_in or 0)
            if status == ParticipantStatus.ACTIVE.value:
                active += int(n)
            elif status == ParticipantStatus.PAUSED.value:
                paused += int(n)
            elif status == ParticipantStatus.ENDED.value:
                key = str(reason or "other")
                ended[key] = ended.get(key, 0) + int(n)
        first, second = await self.measured(cohort)
        return RetentionFacts(invited, n_joined, active, paused, ended, first, second)

    async def recognition_facts(self, cohort: Cohort) -> RecognitionFacts:
        cards = await self.session.execute(
            select(Card.kind, func.count())
            .join(Participant, Participant.id == Card.participant_id)
            .where(cohort.where())
            .group_by(Card.kind)
        )
        with_card = (await self.session.execute(
            select(func.count(distinct(Card.participant_id)))
            .join(Participant, Participant.id == Card.participant_id)
            .where(cohort.where())
        )).scalar_one()
        earned = RewardEntry.status.in_(("earned", "handed_out"))
        rewards = await self.session.execute(
            select(RewardEntry.status, func.count(),
                   func.sum(case((earned, RewardEntry.amount_cents), else_=literal(0))))
            .join(Participant, Participant.id == RewardEntry.participant_id)
            .where(cohort.where())
            .group_by(RewardEntry.status)
        )
        reward_rows = rewards.all()
        return RecognitionFacts(
            {str(kind): int(n) for kind, n in cards.all()}, int(with_card),
            {str(status): int(n) for status, n, _ in reward_rows},
            sum(int(cents or 0) for _, _, cents in reward_rows),
        )

    async def recognition_per_participant(self, organisation_id: int
                                          ) -> tuple[list[tuple[int, str, int]],
                                                     list[tuple[int, str, int, int]]]:
        """(participant, card kind, count) and (participant, reward status, count, cents) of
        one organisation, for the per-participant evaluation rows."""
        of_org = Participant.organisation_id == organisation_id
        cards = await self.session.execute(
            select(Card.participant_id, Card.kind, func.count(Card.id))
            .join(Participant, Participant.id == Card.participant_id)
            .where(of_org)
            .group_by(Card.participant_id, Card.kind)
        )
        rewards = await self.session.execute(
            select(RewardEntry.participant_id, RewardEntry.status, func.count(RewardEntry.id),
                   func.coalesce(func.sum(RewardEntry.amount_cents), 0))
            .join(Participant, Participant.id == RewardEntry.participant_id)
            .where(of_org)
            .group_by(RewardEntry.participant_id, RewardEntry.status)
        )
        return ([(int(p), str(k), int(n)) for p, k, n in cards.all()],
                [(int(p), str(s), int(n), int(a)) for p, s, n, a in rewards.all()])

    async def meeting_counts(self, cohort: Cohort) -> dict[str, int]:
        """Meetings per status of the cohort's participants."""
        result = await self.session.execute(
            select(Meeting.status, func.count())
            .join(Participant, Participant.id == Meeting.participant_id)
            .where(cohort.where()).group_by(Meeting.status))
        return {status: int(n) for status, n in result.all()}
