"""The access matrix, generated from the registered handlers: every button that carries an id
of someone's data, pressed with forged data by another participant, a coach of the same
organisation who is not theirs, a coach of another organisation and an unregistered user.
Each is refused kindly, changes nothing, shows nothing of the victim, and is audited. Every
registered command is tried by the same four with the victim's ids as arguments.

A new button with an integer field that bot/core/access.py does not list fails
`test_every_registered_id_has_its_access_case`."""

from __future__ import annotations

import typing
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.core.access import OWNED_IDS, PLAIN_NUMBERS
from bot.storage.models import (
    AuditEntry,
    Base,
    BrugMeasurement,
    Card,
    Meeting,
    Participant,
    RewardEntry,
)
from bot.ui.buttons.base import REGISTRY, CallbackData
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI, StoredMessage
from tests.support.updates import TgUser, UpdateFactory
from tests.test_presses import _bot_callback_classes

VICTIM = TgUser(id=1001, first_name="Fatima", language_code="nl")
ATTACKERS = {
    "other participant": TgUser(id=1002, first_name="Omar", language_code="nl"),
    "coach, not theirs": TgUser(id=9002, first_name="Piet", language_code="nl"),
    "coach, other organisation": TgUser(id=9003, first_name="Kees", language_code="nl"),
    "unregistered": TgUser(id=4242, first_name="Onbekend", language_code="nl"),
}
SECRETS = ("Fatima", "Rust in mijn schulden", "Schuldhulp aanvraag indienen",
           "Goed gedaan met de bank")
# Tables an attempt may write to: who tried what (audit) and which update was handled.
BOOKKEEPING = {"audit_log", "handled_updates"}


def _registered_classes(app: Any) -> list[type[CallbackData]]:
    handlers = [h for group in app.handlers.values() for h in group
                if isinstance(h, CallbackQueryHandler) and h.pattern is not None]
    return [cls for cls in _bot_callback_classes()
            if any(h.pattern.match(f"{cls.prefix}:") for h in handlers)]


def _int_fields(cls: type[CallbackData]) -> list[str]:
    out = []
    for name, info in cls.model_fields.items():
        args = typing.get_args(info.annotation) or (info.annotation,)
        flat = [typing.get_args(a)[0] if typing.get_origin(a) is typing.Annotated else a
                for a in args]
        if int in flat and bool not in flat:
            out.append(name)
    return out


def _actions(app: Any) -> list[tuple[type[CallbackData], str]]:
    return [(cls, field) for cls in _registered_classes(app) for field in _int_fields(cls)
            if (cls.prefix, field) in OWNED_IDS]


async def test_every_registered_id_has_its_access_case(app: Any) -> None:
    missing = [f"{cls.__name__}.{field}" for cls in _registered_classes(app)
               for field in _int_fields(cls)
               if (cls.prefix, field) not in OWNED_IDS
               and (cls.prefix, field) not in PLAIN_NUMBERS]
    assert missing == []
    assert len(_actions(app)) == len(OWNED_IDS)  # each listed id is on a registered button


async def test_a_new_button_without_its_access_case_is_found(app: Any) -> None:
    class Sneaky(CallbackData, prefix="zzsneak"):
        participant: int

    try:
        assert _int_fields(Sneaky) == ["participant"]
        assert ("zzsneak", "participant") not in OWNED_IDS | dict.fromkeys(PLAIN_NUMBERS)
    finally:
        del REGISTRY["zzsneak"]


async def _world(db: Any, now: datetime) -> dict[str, int]:
    org_a = await seed_coach(db, now, telegram_user_id=9001, coach_name="Sanne")
    victim = await seed_participant(db, org_a, now, name="Fatima", telegram_user_id=VICTIM.id)
    await seed_participant(db, org_a, now, name="Omar", telegram_user_id=1002)
    await seed_coach(db, now, telegram_user_id=9002, coach_name="Piet")  # same organisation
    await seed_coach(db, now, telegram_user_id=9003, org_name="Gemeente Elders",
                     coach_name="Kees")
    goal, (step,) = await seed_goal(db, victim, now, "Rust in mijn schulden",
                                    [StepSpec("Schuldhulp aanvraag indienen")])
    async with db.uow() as uow:
        card = Card(participant_id=victim, kind="coach", message="Goed gedaan met de bank",
                    dedupe_key="matrix-card", created_at=now)
        reward = RewardEntry(participant_id=victim, reward_kind="step", step_id=step,
                             amount_cents=500, budget_year=2026, status="tagged",
                             created_at=now)
        measurement = BrugMeasurement(participant_id=victim, instrument_key="brug-alphen",
                                      instrument_version=1, moment="intake",
                                      filled_by="participant", started_at=now)
        victim_coach = (await uow.session.get(Participant, victim)).coach_id
        meeting = Meeting(participant_id=victim, coach_id=victim_coach,
                          starts_at=now + timedelta(days=3), place="office",
                          note="Brieven van de schuldhulp mee", created_at=now,
                          updated_at=now)
        uow.session.add_all([card, reward, measurement, meeting])
        await uow.session.flush()
        ids = {"participant": victim, "goal": goal, "step": step, "card": card.id,
               "reward": reward.id, "measurement": measurement.id, "meeting": meeting.id}
        await uow.commit()
    return ids


def _forged(cls: type[CallbackData], target: str, ids: dict[str, int]) -> str:
    values: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        kind = OWNED_IDS.get((cls.prefix, name))
        literal = [a for a in typing.get_args(info.annotation) if isinstance(a, str)]
        if kind is not None:
            values[name] = ids[kind] if name == target or info.is_required() else None
        elif typing.get_origin(info.annotation) is typing.Literal:
            values[name] = typing.get_args(info.annotation)[0]
        elif literal:
            values[name] = literal[0]
        elif name in _int_fields(cls):
            values[name] = 1
        else:
            values[name] = None if not info.is_required() else "x"
    return cls.model_validate(values).pack()


async def _snapshot(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    async with db.uow() as uow:
        for table in Base.metadata.sorted_tables:
            if table.name in BOOKKEEPING:
                continue
            rows = await uow.session.execute(select(table).order_by(*table.primary_key))
            out[table.name] = [tuple(r) for r in rows]
    return out


async def _refusals(db: Any) -> int:
    async with db.uow() as uow:
        return int((await uow.session.execute(select(func.count()).select_from(AuditEntry)
                                              .where(AuditEntry.action == "access.refused"))
                    ).scalar_one())


def _leaks(calls: list[Any]) -> list[str]:
    return [f"{c.method}: {secret}" for c in calls for secret in SECRETS
            if secret in str(c.params)]


async def test_forged_presses_on_someone_elses_data_are_refused_and_audited(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    ids = await _world(db, clock.now())
    before = await _snapshot(db)
    checks = 0
    failures = []
    for role, attacker in ATTACKERS.items():
        message = StoredMessage(attacker.id, 1, "", None)
        for cls, field in _actions(app):
            data = _forged(cls, field, ids)
            audited = await _refusals(db)
            start = len(telegram_api.calls)
            await app.process_update(updates.press(attacker, data, message))
            made = telegram_api.calls[start:]
            case = f"{role} x {cls.__name__}.{field} ({data})"
            refusal = ("Deze deelnemer staat niet in je lijst." if role.startswith("coach")
                       else "Deze knop werkt niet meer.")
            if [c.method for c in made] != ["answerCallbackQuery"] or \
                    made[0].params.get("text") != refusal:
                failures.append(f"{case}: {[(c.method, c.text[:40]) for c in made]}")
            if _leaks(made):
                failures.append(f"{case}: shows {_leaks(made)}")
            if await _refusals(db) != audited + 1:
                failures.append(f"{case}: not audited")
            checks += 1
    assert failures == []
    assert await _snapshot(db) == before  # nothing changed anywhere
    assert checks == len(ATTACKERS) * len(_actions(app)) >= 4 * 25
    print(f"\naccess matrix: {len(ATTACKERS)} roles x {len(_actions(app))} actions = {checks}")


async def test_the_owner_and_their_coach_still_get_through(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    ids = await _world(db, clock.now())
    coach = TgUser(id=9001, first_name="Sanne", language_code="nl")
    await app.process_update(updates.command(VICTIM, "stappen"))
    await app.process_update(updates.press(VICTIM, f"std:{ids['step']}:0"))
    await app.process_update(updates.command(coach, "deelnemers"))
    await app.process_update(updates.press(coach, f"cp:{ids['participant']}"))
    assert "Fatima" in telegram_api.last_message(coach.id).text
    assert await _refusals(db) == 0
    async with db.uow() as uow:
        status = (await uow.session.execute(
            text("SELECT status FROM steps WHERE id = :i"), {"i": ids["step"]})).scalar_one()
    assert status == "done"


def _commands(app: Any) -> list[str]:
    return sorted({c for group in app.handlers.values() for h in group
                   if isinstance(h, CommandHandler) for c in h.commands})


@pytest.mark.parametrize("role", list(ATTACKERS))
async def test_commands_with_someone_elses_ids_show_and_change_nothing_of_theirs(
    role: str, app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any,
    clock: Any
) -> None:
    """Commands act on the sender only; ids typed after them are not obeyed."""
    ids = await _world(db, clock.now())
    attacker = ATTACKERS[role]
    before = await _snapshot(db)
    commands = _commands(app)
    assert len(commands) >= 20
    for command in commands:
        start = len(telegram_api.calls)
        await app.process_update(updates.command(attacker, command, str(ids["participant"]),
                                                 str(ids["step"])))
        await app.process_update(updates.command(attacker, "annuleer"))
        assert _leaks(telegram_api.calls[start:]) == [], command
    after = await _snapshot(db)
    victim_rows = ("goals", "steps", "cards", "reward_entries", "brug_measurements", "meetings")
    for table in victim_rows:
        assert after[table] == before[table], table
    assert [r for r in after["participants"] if r[0] == ids["participant"]] == \
        [r for r in before["participants"] if r[0] == ids["participant"]]


