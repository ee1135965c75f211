"""Rewards: a coach tags a step, the participant sees it, the coach confirms and hands it out.

Optional per organisation and off by default (Organisation.settings["rewards"]). The rules are
in `bot.core.rewards`; these use cases load the ledger, ask the rules, change one row and write
the audit entry (ids only) in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.core import rewards as rules
from bot.core.events import RewardEarned
from bot.core.rewards import Line, RewardList, RewardSettings
from bot.i18n import LOCALES_DIR, current_locale
from bot.storage.db import Database
from bot.storage.models import (
    Participant,
    RewardEntry,
    RewardStatus,
    Step,
    StepStatus,
)
from bot.storage.uow import UnitOfWork

log = logging.getLogger(__name__)
REWARDS_DIR = LOCALES_DIR / "rewards"


class RewardProblem(StrEnum):
    DISABLED = "disabled"
    NOT_YOURS = "not_yours"
    UNKNOWN_KIND = "unknown_kind"
    STEP_HAS_REWARD = "step_has_reward"
    STEP_NOT_OPEN = "step_not_open"
    KIND_USED = "kind_used"
    OVER_BUDGET = "over_budget"
    STEP_NOT_DONE = "step_not_done"
    WRONG_STATE = "wrong_state"  # already confirmed / handed out / cancelled


@dataclass(frozen=True)
class Refused:
    problem: RewardProblem
    budget_cents: int = 0
    committed_cents: int = 0
    amount_cents: int = 0

    @property
    def remaining_cents(self) -> int:
        return max(0, self.budget_cents - self.committed_cents)


@dataclass(frozen=True)
class Done:
    entry_id: int
    kind_name: str
    amount_cents: int
    participant_id: int
    changed: bool = True  # False when this was already so (second tap, duplicate update)


@dataclass(frozen=True)
class KindOption:
    key: str
    name: str
    tier: int
    amount_cents: int
    problem: RewardProblem | None  # why this kind cannot be chosen now, if so


@lru_cache(maxsize=8)
def reward_list(key: str) -> RewardList:
    return rules.load_reward_list(key, REWARDS_DIR)


async def _org_rewards(uow: UnitOfWork, participant: Participant
                       ) -> tuple[RewardSettings, RewardList] | None:
    org = await uow.organisations.get(participant.organisation_id)
    settings = RewardSettings.from_org(org.settings if org else None)
    if not settings.enabled:
        return None
    try:
        return settings, reward_list(settings.list_key)
    except rules.RewardListError:
        log.warning("organisation %s: reward list not found or invalid",
                    participant.organisation_id)
        return None


async def _local_day(uow: UnitOfWork, participant: Participant, now: datetime) -> date:
    account = await uow.accounts.get(participant.account_id) if participant.account_id else None
    return now.astimezone(ZoneInfo(account.timezone if account else uow.defaults.timezone)).date()


def _lines(entries: list[RewardEntry]) -> list[Line]:
    return [Line(e.reward_kind, e.amount_cents, e.budget_year, e.status, e.id) for e in entries]


def _name(rewards: RewardList, key: str) -> str:
    kind = rewards.kind(key)
    return kind.name_in(current_locale()) if kind else key


def _refusal(decision: rules.Decision, amount: int) -> Refused:
    problem = {rules.Refusal.KIND_USED: RewardProblem.KIND_USED,
               rules.Refusal.OVER_BUDGET: RewardProblem.OVER_BUDGET}.get(
        decision.refusal or rules.Refusal.NOT_TAGGED, RewardProblem.WRONG_STATE)
    return Refused(problem, decision.budget_cents, decision.committed_cents, amount)


# --- coach: tag a step ----------------------------------------------------------------------


async def tag_options(db: Database, coach_id: int, step_id: int, now: datetime
                      ) -> list[KindOption] | Refused:
    """The organisation's reward kinds for this step, each with whether it can be chosen."""
    async with db.uow() as uow:
        found = await _owned_step(uow, coach_id, step_id)
        if found is None:
            return Refused(RewardProblem.NOT_YOURS)
        _, participant = found
        org = await _org_rewards(uow, participant)
        if org is None:
            return Refused(RewardProblem.DISABLED)
        settings, rewards = org
        lines = _lines(await uow.rewards.of_participant(participant.id))
        day = await _local_day(uow, participant, now)
        options = []
        for kind in rewards.kinds:
            decision = rules.check_tag(lines, kind.key, kind.amount_cents, day,
                                       settings.budget(rewards))
            options.append(KindOption(
                kind.key, kind.name_in(current_locale()), kind.tier, kind.amount_cents,
                None if decision.allowed else _refusal(decision, kind.amount_cents).problem))
        return options


async def tag_step(db: Database, coach_id: int, step_id: int, kind_key: str, now: datetime
                   ) -> Done | Refused:
    async with db.uow() as uow:
        found = await _owned_step(uow, coach_id, step_id)
        if found is None:
            return Refused(RewardProblem.NOT_YOURS)
        step, participant = found
        org = await _org_rewards(uow, participant)
        if org is None:
            return Refused(RewardProblem.DISABLED)
        settings, rewards = org
        kind = rewards.kind(kind_key)
        if kind is None:
            return Refused(RewardProblem.UNKNOWN_KIND)
        current = await uow.rewards.live_for_step(step.id)
        if current is not None:
            if current.reward_kind == kind.key:  # the same tap again
                return Done(current.id, kind.name_in(current_locale()), current.amount_cents,
                            participant.id, changed=False)
            return Refused(RewardProblem.STEP_HAS_REWARD)
        if step.status != StepStatus.OPEN.value:
            return Refused(RewardProblem.STEP_NOT_OPEN)
        # Lock the participant's ledger rows, so two taps cannot both pass the budget check.
        existing = await uow.rewards.for_kind(participant.id, kind.key, for_update=uow.postgres)
        lines = _lines(await uow.rewards.of_participant(participant.id))
        decision = rules.check_tag(lines, kind.key, kind.amount_cents,
                                   await _local_day(uow, participant, now),
                                   settings.budget(rewards))
        if not decision.allowed:
            return _refusal(decision, kind.amount_cents)
        assert decision.budget_year is not None
        if existing is not None:  # a cancelled tag of this kind: one row per kind, reuse it
            existing.step_id, existing.amount_cents = step.id, kind.amount_cents
            existing.budget_year, existing.status = decision.budget_year, RewardStatus.TAGGED.value
            existing.created_at, existing.earned_at, existing.handed_out_at = now, None, None
            entry = existing
        else:
            entry = await uow.rewards.add(
                participant_id=participant.id, reward_kind=kind.key, step_id=step.id,
                amount_cents=kind.amount_cents, budget_year=decision.budget_year,
                status=RewardStatus.TAGGED.value, created_at=now,
            )
        step.reward_kind = kind.key
        step.updated_at = now
        await _audit(uow, coach_id, "reward.tagged", entry, now)
        await uow.commit()
        return Done(entry.id, kind.name_in(current_locale()), kind.amount_cents, participant.id)


async def untag_step(db: Database, coach_id: int, step_id: int, now: datetime) -> Done | Refused:
    """Take the reward off a step (only while it is not yet earned)."""
    async with db.uow() as uow:
        found = await _owned_step(uow, coach_id, step_id)
        if found is None:
            return Refused(RewardProblem.NOT_YOURS)
        step, participant = found
        entry = await uow.rewards.live_for_step(step.id)
        if entry is None or entry.status != RewardStatus.TAGGED.value:
            return Refused(RewardProblem.WRONG_STATE)
        entry.status = RewardStatus.CANCELLED.value
        step.reward_kind = None
        step.updated_at = now
        await _audit(uow, coach_id, "reward.cancelled", entry, now)
        await uow.commit()
        return Done(entry.id, entry.reward_kind, entry.amount_cents, participant.id)


# --- coach: confirm and hand out ------------------------------------------------------------


async def confirm(db: Database, coach_id: int, entry_id: int, now: datetime) -> Done | Refused:
    """The step is done and the coach confirms: the reward is earned."""
    async with db.uow() as uow:
        entry, participant = await _owned_entry(uow, coach_id, entry_id)
        if entry is None or participant is None:
            return Refused(RewardProblem.NOT_YOURS)
        org = await _org_rewards(uow, participant)
        if org is None:
            return Refused(RewardProblem.DISABLED)
        settings, rewards = org
        name = _name(rewards, entry.reward_kind)
        if entry.status in (RewardStatus.EARNED.value, RewardStatus.HANDED_OUT.value):
            return Done(entry.id, name, entry.amount_cents, participant.id, changed=False)
        step = await uow.steps.get(entry.step_id) if entry.step_id else None
        if entry.status == RewardStatus.TAGGED.value and (
            step is None or step.status != StepStatus.DONE.value
        ):
            return Refused(RewardProblem.STEP_NOT_DONE)
        lines = _lines(await uow.rewards.of_participant(participant.id))
        line = next(line for line in lines if line.entry_id == entry.id)
        decision = rules.check_earn(lines, line, await _local_day(uow, participant, now),
                                    settings.budget(rewards))
        if not decision.allowed:
            return _refusal(decision, entry.amount_cents)
        assert decision.budget_year is not None
        entry.status, entry.earned_at = RewardStatus.EARNED.value, now
        entry.budget_year = decision.budget_year
        await _audit(uow, coach_id, "reward.earned", entry, now)
        # The participant hears of it through the outbox (quiet hours, pause, 403).
        uow.emit(RewardEarned(entry.id, participant.id, now))
        await uow.commit()
        return Done(entry.id, name, entry.amount_cents, participant.id)


async def hand_out(db: Database, coach_id: int, entry_id: int, now: datetime) -> Done | Refused:
    async with db.uow() as uow:
        entry, participant = await _owned_entry(uow, coach_id, entry_id)
        if entry is None or participant is None:
            return Refused(RewardProblem.NOT_YOURS)
        org = await _org_rewards(uow, participant)
        name = _name(org[1], entry.reward_kind) if org else entry.reward_kind
        if entry.status == RewardStatus.HANDED_OUT.value:
            return Done(entry.id, name, entry.amount_cents, participant.id, changed=False)
        if entry.status != RewardStatus.EARNED.value:
            return Refused(RewardProblem.WRONG_STATE)
        entry.status, entry.handed_out_at = RewardStatus.HANDED_OUT.value, now
        await _audit(uow, coach_id, "reward.handed_out", entry, now)
        await uow.commit()
        return Done(entry.id, name, entry.amount_cents, participant.id)


async def _owned_step(uow: UnitOfWork, coach_id: int, step_id: int
                      ) -> tuple[Step, Participant] | None:
    step = await uow.steps.get(step_id)
    if step is None:
        return None
    participant = await uow.participants.owned_by(step.participant_id, coach_id)
    return (step, participant) if participant else None


async def _owned_entry(uow: UnitOfWork, coach_id: int, entry_id: int
                       ) -> tuple[RewardEntry | None, Participant | None]:
    entry = await uow.rewards.get(entry_id)
    if entry is None:
        return None, None
    participant = await uow.participants.owned_by(entry.participant_id, coach_id)
    return (entry, participant) if participant else (None, None)


async def _audit(uow: UnitOfWork, coach_id: int, action: str, entry: RewardEntry,
                 now: datetime) -> None:
    coach = await uow.coaches.get(coach_id)
    await uow.audit.record(
        at=now, actor_account_id=coach.account_id if coach else None, action=action,
        subject_type="reward_entry", subject_id=entry.id,
        details={"participant_id": entry.participant_id, "step_id": entry.step_id},
    )


# --- what people see ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RewardItem:
    entry_id: int
    participant_id: int
    participant_name: str
    kind_name: str
    amount_cents: int
    status: str
    step_text: str | None


@dataclass(frozen=True)
class CoachRewards:
    to_confirm: list[RewardItem]  # tagged, and the step is done
    to_hand_out: list[RewardItem]  # earned, not yet handed out


async def coach_overview(db: Database, coach_id: int) -> CoachRewards:
    async with db.uow() as uow:
        entries = await uow.rewards.of_coach(
            coach_id, [RewardStatus.TAGGED.value, RewardStatus.EARNED.value])
        to_confirm: list[RewardItem] = []
        to_hand_out: list[RewardItem] = []
        for entry in entries:
            participant = await uow.participants.get(entry.participant_id)
            step = await uow.steps.get(entry.step_id) if entry.step_id else None
            if participant is None:
                continue
            org = await _org_rewards(uow, participant)
            if org is None:
                continue
            item = RewardItem(entry.id, participant.id, participant.display_name,
                              _name(org[1], entry.reward_kind), entry.amount_cents, entry.status,
                              step.text if step else None)
            if entry.status == RewardStatus.EARNED.value:
                to_hand_out.append(item)
            elif step is not None and step.status == StepStatus.DONE.value:
                to_confirm.append(item)
        return CoachRewards(to_confirm, to_hand_out)


@dataclass(frozen=True)
class ParticipantRewards:
    earned: list[RewardItem]  # earned or handed out, oldest first
    coming: list[RewardItem]  # tagged on a step: earned once it is done and confirmed
    earned_this_year_cents: int
    earned_total_cents: int


async def participant_overview(db: Database, participant_id: int, now: datetime
                               ) -> ParticipantRewards | None:
    """None when the participant's organisation does not use rewards."""
    async with db.uow() as uow:
        return await overview_in(uow, participant_id, now)


async def overview_in(uow: UnitOfWork, participant_id: int, now: datetime
                      ) -> ParticipantRewards | None:
    """The overview inside an open unit of work (the dispatcher renders it at send time)."""
    participant = await uow.participants.get(participant_id)
    if participant is None:
        return None
    org = await _org_rewards(uow, participant)
    if org is None:
        return None
    entries = await uow.rewards.of_participant(participant_id)
    earned: list[RewardItem] = []
    coming: list[RewardItem] = []
    for entry in entries:
        if entry.status == RewardStatus.CANCELLED.value:
            continue
        step = await uow.steps.get(entry.step_id) if entry.step_id else None
        item = RewardItem(entry.id, participant_id, participant.display_name,
                          _name(org[1], entry.reward_kind), entry.amount_cents, entry.status,
                          step.text if step else None)
        (coming if entry.status == RewardStatus.TAGGED.value else earned).append(item)
    lines = _lines(entries)
    year = rules.budget_year(await _local_day(uow, participant, now))
    return ParticipantRewards(earned, coming, rules.earned_total(lines, year),
                              rules.earned_total(lines))


async def _step_rewards(uow: UnitOfWork, participant_id: int) -> dict[int, tuple[str, int]]:
    """For the participant's step list: step id -> (reward name, amount in cents) of steps
    that carry a reward not yet earned. Empty when the organisation does not use rewards."""
    tagged = await uow.rewards.tagged_on_steps(participant_id)
    if not tagged:  # the usual case: one small query and done
        return {}
    participant = await uow.participants.get(participant_id)
    org = participant and await _org_rewards(uow, participant)
    if not org:
        return {}
    return {step_id: (_name(org[1], kind), cents) for step_id, kind, cents in tagged}


async def enabled_for(db: Database, participant_id: int) -> bool:
    async with db.uow() as uow:
        participant = await uow.participants.get(participant_id)
        return participant is not None and await _org_rewards(uow, participant) is not None

