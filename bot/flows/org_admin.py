"""Operator use cases for an organisation's settings, a coach's phone and a handover
(`python -m bot admin org | coach-phone | handover`). Values are parsed and checked in
bot.core.org_settings; a problem is an AdminError with one clear line.

The digest default applies to every coach of the organisation who has not chosen their own
digest settings (`coaches.digest_own`): it is written to them and their digest row is planned
again in the same transaction (`CoachSettingsChanged`); a coach who joins later starts with it
(flows/invites.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from bot.core import org_settings
from bot.core.brug import available_instruments
from bot.core.events import CoachSettingsChanged
from bot.core.rewards import RewardSettings
from bot.flows import handover
from bot.flows.admin import AdminError, organisation_named
from bot.flows.brug import INSTRUMENTS_DIR
from bot.storage.db import Database
from bot.storage.models import Organisation


@dataclass(frozen=True)
class Change:
    """What the operator asked to change (None: leave as it is)."""

    instrument: str | None = None
    rewards: bool | None = None
    budget_cents: int | None = None
    digest: bool | None = None
    digest_weekday: int | None = None
    digest_time: time | None = None
    crisis: tuple[org_settings.CrisisNumber, ...] = ()
    clear_crisis: bool = False
    coach_phone_visible: bool | None = None

    @property
    def empty(self) -> bool:
        return self == Change()


def describe(org: Organisation, coaches: list[tuple[int, str, str | None, bool]]
             ) -> list[str]:
    """The settings as lines for the terminal."""
    settings: dict[str, Any] = dict(org.settings or {})
    rewards = RewardSettings.from_org(settings)
    digest = org_settings.digest_default(settings)
    numbers = org_settings.crisis_numbers(settings)
    lines = [
        f"organisation {org.id}: {org.name}",
        f"  instrument:          {org.instrument_key}",
        f"  rewards:             {'on' if rewards.enabled else 'off'}",
        "  reward budget:       " + (f"{rewards.annual_budget_cents / 100:.2f} euro a year"
                                     if rewards.annual_budget_cents else "the list's budget"),
        f"  digest default:      {'on' if digest.enabled else 'off'}, "
        f"day {digest.weekday} (0 = Monday), {digest.at.strftime('%H:%M')}",
        f"  coach phone visible: {'yes' if org_settings.coach_phone_visible(settings) else 'no'}",
        "  crisis numbers:      " + ("none" if not numbers else ""),
    ]
    lines += [f"    {n.label}: {n.number}" for n in numbers]
    lines.append("  coaches:")
    lines += [f"    {cid}: {name} (phone {phone or 'not set'}; digest "
              f"{'their own' if own else 'the default'})" for cid, name, phone, own in coaches]
    return lines


async def show_or_change(db: Database, organisation: str, change: Change, now: datetime
                         ) -> list[str]:
    async with db.uow() as uow:
        org = await organisation_named(uow, organisation)
        if not change.empty:
            if change.instrument is not None:
                known = available_instruments(INSTRUMENTS_DIR)
                if change.instrument not in known:
                    raise AdminError(f"no instrument {change.instrument!r}; choose one of: "
                                     f"{', '.join(sorted(known))}")
                org.instrument_key = change.instrument
            try:
                org.settings = org_settings.apply(
                    org.settings, rewards=change.rewards, budget_cents=change.budget_cents,
                    digest=change.digest, digest_weekday=change.digest_weekday,
                    digest_time=change.digest_time, crisis=list(change.crisis),
                    clear_crisis=change.clear_crisis, coach_phone=change.coach_phone_visible)
            except org_settings.SettingError as exc:
                raise AdminError(str(exc)) from exc
            await uow.audit.record(
                at=now, actor_account_id=None, action="organisation.settings_changed",
                subject_type="organisation", subject_id=org.id,
                details={"fields": sorted(k for k, v in vars(change).items()
                                          if v not in (None, (), False))})
        found = await uow.coaches.of_organisation(org.id)
        if (change.digest, change.digest_weekday, change.digest_time) != (None, None, None):
            default = org_settings.digest_default(org.settings)
            for coach in found:
                if not coach.digest_own:
                    coach.digest_enabled, coach.digest_weekday, coach.digest_time = (
                        default.enabled, default.weekday, default.at)
                    uow.emit(CoachSettingsChanged(coach.id, now))  # their digest row follows
        coaches = [(c.id, c.display_name, c.phone, c.digest_own) for c in found]
        lines = describe(org, coaches)
        await uow.commit()
        return lines


async def set_coach_phone(db: Database, coach_id: int, phone: str | None, now: datetime) -> str:
    try:
        number = org_settings.valid_phone(phone) if phone is not None else None
    except org_settings.SettingError as exc:
        raise AdminError(str(exc)) from exc
    async with db.uow() as uow:
        coach = await uow.coaches.get(coach_id)
        if coach is None:
            raise AdminError(f"no coach {coach_id}")
        coach.phone = number
        await uow.audit.record(at=now, actor_account_id=None, action="coach.phone_changed",
                               subject_type="coach", subject_id=coach.id)
        await uow.commit()
        return f"coach {coach_id}: phone {number or 'removed'}"


HANDOVER_REFUSALS = {
    "not_yours": "no such participant",
    "ended": "this participant's trajectory has ended",
    "no_such_coach": "no such active coach",
    "other_organisation": "that coach works for another organisation: refused",
    "same_coach": "that is already the participant's coach",
}


async def hand_over(db: Database, participant_id: int, coach_id: int, now: datetime) -> str:
    done = await handover.hand_over(db, participant_id, coach_id, now, actor_account_id=None)
    if isinstance(done, handover.Refused):
        raise AdminError(HANDOVER_REFUSALS[done.why])
    return (f"participant {done.participant_id} moved from coach {done.from_coach_id} "
            f"to coach {done.to_coach_id}")
