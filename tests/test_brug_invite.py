"""The Brug kept alive, end to end: a due 6-month measurement brings one calm outbox message
with a one-tap start (quiet hours apply, never twice); filling it in offers the target question
again; nothing is sent when it was filled in meanwhile."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.core.brug_invites import BRUG_INVITE
from bot.flows.brug_invites import plan_invitations
from bot.storage.models import BrugMeasurement, OutboxMessage
from bot.ui.buttons.brug import BrugFill
from tests.support.builders import seed_coach, seed_participant
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
AMS = ZoneInfo("Europe/Amsterdam")
JOINED = datetime(2025, 9, 1, 10, 0, tzinfo=AMS)
SIX_MONTHS_ON = datetime(2026, 3, 1, 12, 0, tzinfo=AMS)  # on the day the measurement falls due
INVITE = "tijd om even terug te kijken"


async def _world(db: Any, clock: Any) -> int:
    clock.set(JOINED)
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now(), telegram_user_id=FATIMA.id)
    async with db.uow() as uow:
        await uow.brug.add(participant_id=pid, instrument_key="brug-alphen",
                           instrument_version=1, moment="intake", filled_by="together",
                           started_at=clock.now(), completed_at=clock.now())
        participant = await uow.participants.get(pid)
        assert participant is not None
        await uow.commit()
    return pid


async def _invites(db: Any) -> list[tuple[str, str, datetime]]:
    async with db.uow() as uow:
        rows = await uow.session.execute(
            select(OutboxMessage.dedupe_key, OutboxMessage.status, OutboxMessage.due_at)
            .where(OutboxMessage.kind == BRUG_INVITE))
        return [(k, s, d.astimezone(AMS)) for k, s, d in rows.all()]


async def test_a_due_measurement_brings_one_calm_invitation_with_a_one_tap_start(
        app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI) -> None:
    pid = await _world(db, clock)
    clock.set(SIX_MONTHS_ON - timedelta(days=30))  # not due yet
    assert await plan_invitations(db, clock.now()) == 0
    clock.set(SIX_MONTHS_ON)
    assert await plan_invitations(db, clock.now()) == 1
    assert await plan_invitations(db, clock.now()) == 0  # planning again never doubles it
    [(key, status, due_at)] = await _invites(db)
    # At 12:00 the morning moment has passed: the next morning, 09:00.
    assert (key, status, due_at) == (f"p:{pid}:brug:six_months", "pending",
                                     datetime(2026, 3, 2, 9, 0, tzinfo=AMS))
    clock.set(datetime(2026, 3, 2, 9, 1, tzinfo=AMS))
    await deliver(app)
    invitation = telegram_api.last_message(FATIMA.id)
    assert invitation.text.startswith("Hoi Fatima, tijd om even terug te kijken.")
    assert "ongeveer een half jaar geleden" in invitation.text
    assert updates.buttons(FATIMA) == ["De Brug invullen"]
    assert [s for _, s, _ in await _invites(db)] == ["sent"]
    assert await plan_invitations(db, clock.now()) == 0  # sent once, never again

    # One tap starts the 6-month measurement; answering every part offers the targets again.
    await app.process_update(updates.tap(FATIMA, "De Brug invullen", invitation))
    async with db.uow() as uow:
        mid = (await uow.session.execute(select(BrugMeasurement.id).where(
            BrugMeasurement.participant_id == pid,
            BrugMeasurement.moment == "six_months"))).scalar_one()
    for index in range(8):
        await app.process_update(updates.press(FATIMA, BrugFill(k="a", m=mid, i=index,
                                                                v=2).pack()))
    assert "Ja, kies mijn wensen" in updates.buttons(FATIMA)


async def test_no_invitation_when_it_was_filled_in_before_sending(
        app: Any, db: Any, clock: Any, telegram_api: FakeBotAPI) -> None:
    pid = await _world(db, clock)
    clock.set(SIX_MONTHS_ON)
    await plan_invitations(db, clock.now())
    async with db.uow() as uow:
        await uow.brug.add(participant_id=pid, instrument_key="brug-alphen",
                           instrument_version=1, moment="six_months", filled_by="together",
                           started_at=clock.now(), completed_at=clock.now())
        await uow.commit()
    clock.set(datetime(2026, 3, 2, 9, 1, tzinfo=AMS))
    await deliver(app)
    assert not [m for m in telegram_api.messages.values() if INVITE in m.text]
    assert [s for _, s, _ in await _invites(db)] == ["skipped"]
    async with db.uow() as uow:
        count = len(list((await uow.session.execute(select(BrugMeasurement))).scalars()))
    assert count == 2
