"""Privacy rights, end to end through the real Application and the fake Bot API: /privacy,
/mijngegevens (two documents), /verwijder (asks twice), stopping (withdrawing consent), the
coach told through the outbox, and the retention job."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.core.retention import ERASED
from bot.flows.privacy import retention_sweep
from bot.flows.reminders import _replan_participant
from bot.storage.models import (
    Account,
    Goal,
    OutboxMessage,
    Participant,
    ParticipantEvent,
    Step,
)
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
OMAR = TgUser(id=1002, first_name="Omar", language_code="nl")
COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
TUESDAY = date(2026, 3, 10)


async def _world(db: Any, clock: Any) -> tuple[Any, int, int]:
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id)
    fatima = await seed_participant(db, world, clock.now(), name="Fatima")
    omar = await seed_participant(db, world, clock.now(), name="Omar",
                                  telegram_user_id=OMAR.id)
    await seed_goal(db, fatima, clock.now(), "Rust in mijn schulden", [
        StepSpec("Schuldhulp aanvraag indienen", due=TUESDAY + timedelta(days=2))])
    await seed_goal(db, omar, clock.now(), "Omar zijn eigen doel", [StepSpec("Omar stap")])
    async with db.uow() as uow:
        await _replan_participant(uow, fatima, clock.now())
        await uow.commit()
    return world, fatima, omar


def _documents(api: FakeBotAPI, chat_id: int) -> dict[str, bytes]:
    out = {}
    for call in api.sent_to(chat_id, ("sendDocument",)):
        ((_, content),) = call.files.items()
        name = "json" if content.lstrip().startswith(b"{") else "txt"
        out[name] = content
    return out


async def test_privacy_explains_who_sees_what_with_the_choices(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "privacy"))
    text = telegram_api.last_message(FATIMA.id).text
    assert "Onderzoekers" in text and "12 maanden" in text and "/verwijder" in text
    assert updates.buttons(FATIMA) == ["Mijn gegevens als bestand",
                                       "Toon mijn stappen in herinneringen",
                                       "Stoppen met de bot", "Mijn gegevens verwijderen"]


async def test_export_holds_all_own_data_and_nobody_elses(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "mijngegevens"))
    files = _documents(telegram_api, FATIMA.id)
    text, data = files["txt"].decode(), json.loads(files["json"])
    assert "Naam: Fatima" in text and "Coach: Sanne" in text
    assert "Doel: Rust in mijn schulden (active)" in text
    assert "Schuldhulp aanvraag indienen (open, uiterlijk 2026-03-12)" in text
    assert data["participant"]["display_name"] == "Fatima"
    assert data["goals"][0]["steps"][0]["text"] == "Schuldhulp aanvraag indienen"
    assert {m["kind"] for m in data["messages"]} >= {"remind"}
    assert "Omar" not in text and "Omar" not in files["json"].decode()
    # A stranger has nothing stored, and is told so.
    stranger = TgUser(id=4242, first_name="X", language_code="nl")
    await app.process_update(updates.command(stranger, "mijngegevens"))
    assert telegram_api.last_message(stranger.id).text == "In deze bot staat niets over jou."


async def _count(db: Any, model: Any, *where: Any) -> int:
    async with db.uow() as uow:
        return int((await uow.session.execute(
            select(func.count()).select_from(model).where(*where))).scalar_one())


async def test_delete_asks_twice_then_erases_and_tells_the_coach(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    _, fatima, omar = await _world(db, clock)
    steps_before = await _count(db, Step)
    await app.process_update(updates.command(FATIMA, "verwijder"))
    assert "Wil je je gegevens verwijderen?" in telegram_api.last_message(FATIMA.id).text
    await app.process_update(updates.tap(FATIMA, "Ja, verwijderen"))
    assert "Weet je het zeker?" in telegram_api.last_message(FATIMA.id).text
    async with db.uow() as uow:  # nothing changed yet
        assert (await uow.session.get(Participant, fatima)).display_name == "Fatima"
    await app.process_update(updates.tap(FATIMA, "Ja, alles voorgoed verwijderen"))
    assert "Je gegevens zijn verwijderd" in telegram_api.last_message(FATIMA.id).text

    async with db.uow() as uow:
        person = await uow.session.get(Participant, fatima)
        assert (person.display_name, person.status, person.account_id) == (
            ERASED, "ended", None)
        assert person.ended_reason == "does_not_continue"
        texts = (await uow.session.execute(select(Goal.text, Step.text).join(
            Step, Step.goal_id == Goal.id).where(Goal.participant_id == fatima))).all()
        assert texts == [(ERASED, ERASED)]
        other = (await uow.session.execute(select(Goal.text).where(
            Goal.participant_id == omar))).scalar_one()
        assert other == "Omar zijn eigen doel"
        assert (await uow.accounts.by_telegram_user(FATIMA.id)) is None
    # The counts the evaluation report uses stay; Fatima's messages are gone.
    assert await _count(db, Step) == steps_before
    assert await _count(db, ParticipantEvent, ParticipantEvent.participant_id == fatima,
                        ParticipantEvent.kind == "personal_data_erased") == 1
    notices = await _count(db, OutboxMessage, OutboxMessage.kind == "privacy_notice")
    assert notices == 1
    assert await _count(db, OutboxMessage, OutboxMessage.kind != "privacy_notice") == 0

    telegram_api.clear()
    await app.bot_data["dispatcher"].tick()
    (sent,) = telegram_api.sent_to(COACH.id)
    assert html_to_plain(sent.text).splitlines()[0] == (
        "Fatima heeft de eigen gegevens laten verwijderen.")
    async with db.uow() as uow:  # the name is not kept once the notice is sent
        payload = (await uow.session.execute(select(OutboxMessage.payload))).scalar_one()
        assert payload == {}
    # Afterwards she is a stranger: her next press or command finds nothing of her.
    await app.process_update(updates.command(FATIMA, "mijngegevens"))
    assert telegram_api.last_message(FATIMA.id).text == "In deze bot staat niets over jou."


async def test_no_keeps_everything(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    _, fatima, _ = await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "verwijder"))
    await app.process_update(updates.tap(FATIMA, "Ja, verwijderen"))
    await app.process_update(updates.tap(FATIMA, "Nee, bewaar mijn gegevens"))
    assert telegram_api.last_message(FATIMA.id).text == "Goed. Er is niets veranderd."
    async with db.uow() as uow:
        assert (await uow.session.get(Participant, fatima)).status == "active"


async def test_stopping_ends_the_trajectory_keeps_the_data_and_tells_the_coach(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    _, fatima, _ = await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "privacy"))
    await app.process_update(updates.tap(FATIMA, "Stoppen met de bot"))
    confirm = telegram_api.last_message(FATIMA.id)
    await app.process_update(updates.tap(FATIMA, "Ja, stoppen"))
    assert "Je bent gestopt" in telegram_api.last_message(FATIMA.id).text
    async with db.uow() as uow:
        person = await uow.session.get(Participant, fatima)
        assert (person.status, person.ended_reason, person.display_name) == (
            "ended", "does_not_continue", "Fatima")
        rows = (await uow.session.execute(select(OutboxMessage.kind, OutboxMessage.status)
                                          .order_by(OutboxMessage.id))).all()
    assert ("privacy_notice", "pending") in rows
    assert {status for kind, status in rows if kind != "privacy_notice"} == {"cancelled"}
    telegram_api.clear()
    await app.bot_data["dispatcher"].tick()
    assert [html_to_plain(c.text).splitlines()[0] for c in telegram_api.sent_to(COACH.id)] == [
        "Fatima is gestopt met de bot."]
    assert telegram_api.sent_to(FATIMA.id) == []  # nothing more for her
    # A second tap on the old button changes nothing and says so.
    await app.process_update(updates.press(FATIMA, "priv:stop_yes", confirm))
    assert "Je bent al gestopt" in telegram_api.last_message(FATIMA.id).text


async def test_a_coach_with_participants_cannot_erase_yet(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    await _world(db, clock)
    await app.process_update(updates.command(COACH, "verwijder"))
    await app.process_update(updates.tap(COACH, "Ja, verwijderen"))
    await app.process_update(updates.tap(COACH, "Ja, alles voorgoed verwijderen"))
    assert "Je hebt nog 2 deelnemers" in telegram_api.last_message(COACH.id).text
    async with db.uow() as uow:
        assert (await uow.accounts.by_telegram_user(COACH.id)) is not None


async def test_retention_erases_after_the_period_and_drops_old_outbox_rows(
    db: Any, clock: Any, app: Any
) -> None:
    world = await seed_coach(db, clock.now())
    now = clock.now()
    old = await seed_participant(db, world, now, name="Oud", telegram_user_id=2001)
    recent = await seed_participant(db, world, now, name="Recent", telegram_user_id=2002)
    await seed_goal(db, old, now, "Oud doel", [StepSpec("Oude stap")])
    async with db.uow() as uow:
        for pid, months_ago in ((old, 13), (recent, 11)):
            person = await uow.session.get(Participant, pid)
            person.status, person.ended_reason = "ended", "moved"
            person.ended_at = now - timedelta(days=31 * months_ago)
        account = await uow.accounts.by_telegram_user(2002)
        for key, status, days_ago in (("a", "sent", 31), ("b", "sent", 29),
                                      ("c", "pending", 40), ("d", "cancelled", 45)):
            await uow.outbox.enqueue(account_id=account.id, kind="remind",
                                     due_at=now - timedelta(days=days_ago),
                                     dedupe_key=key, payload={}, now=now)
            row = (await uow.session.execute(select(OutboxMessage).where(
                OutboxMessage.dedupe_key == key))).scalar_one()
            row.status = status
        await uow.commit()
    swept = await retention_sweep(db, now, 12)
    assert (swept.erased, swept.outbox_dropped) == (1, 2)
    async with db.uow() as uow:
        names = dict((await uow.session.execute(
            select(Participant.id, Participant.display_name))).all())
        keys = set((await uow.session.execute(select(OutboxMessage.dedupe_key))).scalars())
        old_account = (await uow.session.execute(select(Account).where(
            Account.telegram_user_id == 2001))).scalar_one_or_none()
    assert names[old] == ERASED and names[recent] == "Recent"
    assert keys == {"b", "c"} and old_account is None
    # Running again finds nothing more to do.
    assert (await retention_sweep(db, now, 12)).erased == 0
