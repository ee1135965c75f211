"""/deelnemers, the participant card, /nieuw with invite and QR code: end to end, with access
checks against forged ids of another coach and another organisation."""

import io
from datetime import timedelta

from PIL import Image
from sqlalchemy import event, select

from bot.flows.invites import _redeem_participant_invite
from bot.storage.models import AuditEntry, Invite
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="en")
OTHER_COACH = TgUser(id=9002, first_name="Piet", language_code="en")
PARTICIPANT = TgUser(id=1001, first_name="Fatima", language_code="en")


async def _world(db, clock, locale="en"):
    world = await seed_coach(db, clock.now(), locale=locale)
    return world


async def _audits(db, action: str) -> list[tuple]:
    async with db.uow() as uow:
        result = await uow.session.execute(select(AuditEntry).where(AuditEntry.action == action))
        return [(a.subject_id, a.actor_account_id, a.details) for a in result.scalars()]


async def test_overview_shows_one_line_per_participant_with_the_numbers(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await _world(db, clock)
    now = clock.now()  # Tuesday 10 March 2026
    fatima = await seed_participant(db, world, now, name="Fatima <3")
    await seed_participant(db, world, now, name="Jan", telegram_user_id=None, status="invited")
    today = now.date()
    _, steps = await seed_goal(db, fatima, now, "Rust in mijn geldzaken", [
        StepSpec("Done step"), StepSpec("Late step", due=today - timedelta(days=2)),
        StepSpec("Help step", due=today + timedelta(days=3)),
    ])
    async with db.uow() as uow:
        done = await uow.steps.get(steps[0])
        done.status, done.done_at = "done", now - timedelta(hours=1)
        helped = await uow.steps.get(steps[2])
        helped.help_asked_at = now
        person = await uow.participants.get(fatima)
        person.last_interaction_at = now - timedelta(days=3)
        await uow.commit()
    await app.process_update(updates.command(COACH, "deelnemers"))
    text = telegram_api.last("sendMessage").params["text"]
    assert "<b>Fatima &lt;3</b> · active · 1 step done this week · 1 step past its date · " \
           "asked for help with 1 step · last contact 3 days ago" in text
    assert "<b>Jan</b> · invited" in text
    # Help asked sorts first.
    assert text.index("Fatima") < text.index("Jan")
    assert updates.buttons(COACH) == ["Fatima <3", "Jan"]
    assert len(await _audits(db, "participants.listed")) == 1


async def test_overview_queries_do_not_grow_with_the_caseload(app, db, clock) -> None:
    from bot.flows.caseload import list_participants

    world = await _world(db, clock)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    for i in range(2):
        pid = await seed_participant(db, world, clock.now(), name=f"P{i}",
                                     telegram_user_id=2000 + i)
        await seed_goal(db, pid, clock.now(), "goal", [StepSpec("a"), StepSpec("b")])
    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    await list_participants(db, world.coach_id, world.coach_account_id, clock.now(),
                            "Europe/Amsterdam")
    few = len(statements)
    for i in range(2, 12):
        pid = await seed_participant(db, world, clock.now(), name=f"P{i}",
                                     telegram_user_id=2000 + i)
        await seed_goal(db, pid, clock.now(), "goal", [StepSpec("a"), StepSpec("b")])
    statements.clear()
    lines = await list_participants(db, world.coach_id, world.coach_account_id, clock.now(),
                                    "Europe/Amsterdam")
    event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    assert len(lines) == 12
    assert len(statements) == few


async def test_card_shows_goals_steps_markers_brug_and_writes_an_audit_entry(
    app, updates, telegram_api, db, clock
) -> None:
    world = await _world(db, clock)
    now = clock.now()
    fatima = await seed_participant(db, world, now)
    _, steps = await seed_goal(db, fatima, now, "Rust <i>in</i> geld", [
        StepSpec("Bel de bank", due=now.date() + timedelta(days=1), challenging=True),
        StepSpec("Zelf toegevoegd"),
    ], pillars=["housing", "debts"])
    async with db.uow() as uow:
        own = await uow.steps.get(steps[1])
        own.created_by_role = "participant"
        await uow.step_events.add(step_id=steps[0], participant_id=fatima, kind="rescheduled",
                                  at=now, data={})
        measurement = await uow.brug.add(
            participant_id=fatima, instrument_key="brug-alphen", instrument_version=1,
            moment="intake", filled_by="together", started_at=now, completed_at=now)
        await uow.session.flush()
        from bot.storage.models import BrugScore
        uow.session.add(BrugScore(measurement_id=measurement.id, pillar_key="housing", level=3))
        uow.session.add(BrugScore(measurement_id=measurement.id, pillar_key="debts", level=None))
        await uow.commit()
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    text = telegram_api.last("editMessageText").params["text"]
    assert "<b>Rust &lt;i&gt;in&lt;/i&gt; geld</b>" in text
    assert "Housing, Debts" in text
    assert "☐ Bel de bank · tomorrow · participant <i>(challenging, rescheduled)</i>" in text
    assert "Zelf toegevoegd · participant <i>(added by the participant)</i>" in text
    assert "Latest Brug" in text and "Housing: level 3 of 5" in text and "Debts: skipped" in text
    # The Brug feature's button sits on the card and answers.
    assert "Brug" in updates.buttons(COACH)
    before = len(telegram_api.calls)
    await app.process_update(updates.tap(COACH, "Brug"))
    assert [c.method for c in telegram_api.calls[before:]] == ["sendPhoto", "answerCallbackQuery"]
    assert "Brug of Fatima" in telegram_api.last("sendPhoto").text
    viewed = await _audits(db, "participant.viewed")
    assert viewed[:1] == [
        (fatima, world.coach_account_id, {})]


async def test_forged_card_ids_of_another_coach_and_organisation_are_refused(
    app, updates, telegram_api, db, clock
) -> None:
    world = await _world(db, clock)
    colleague = await seed_coach(db, clock.now(), telegram_user_id=OTHER_COACH.id,
                                 coach_name="Piet")
    elsewhere = await seed_coach(db, clock.now(), telegram_user_id=9003, org_name="Elders")
    theirs = await seed_participant(db, colleague, clock.now(), name="Secret Name",
                                    telegram_user_id=3001)
    far = await seed_participant(db, elsewhere, clock.now(), name="Far Name",
                                 telegram_user_id=3002)
    await seed_participant(db, world, clock.now(), name="Mine")
    await app.process_update(updates.command(COACH, "deelnemers"))
    assert "Secret Name" not in telegram_api.last("sendMessage").params["text"]
    for pid in (theirs, far, 999999):
        for data in (f"cp:{pid}", f"ci:new:{pid}", f"ci:revoke:{pid}"):
            await app.process_update(updates.press(COACH, data))
            answer = telegram_api.last("answerCallbackQuery").params
            assert "not in your list" in answer.get("text", "") or \
                "not waiting to join" in answer.get("text", "")
    for garbage in ("cp:abc", "cp:1:2", "ci:steal:1", "cp:"):
        await app.process_update(updates.press(COACH, garbage))
        assert "no longer works" in telegram_api.last("answerCallbackQuery").params["text"]
    assert all("Secret" not in c.text and "Far Name" not in c.text for c in telegram_api.calls)
    assert await _audits(db, "participant.viewed") == []
    async with db.uow() as uow:
        assert await uow.invites.open_for_participant(theirs) == []
    # A participant (Mine, Dutch) pressing a coach button gets nothing either.
    message = telegram_api.last_message(COACH.id)
    await app.process_update(updates.press(PARTICIPANT, f"cp:{theirs}", message))
    assert telegram_api.last("answerCallbackQuery").params["text"] == "Deze knop werkt niet meer."


async def test_new_participant_gets_a_one_time_invite_with_qr_code(
    app, updates, telegram_api, db, clock
) -> None:
    world = await _world(db, clock)
    await app.process_update(updates.command(COACH, "nieuw"))
    await app.process_update(updates.text(COACH, "x" * 81))
    assert "under 80" in telegram_api.last("sendMessage").params["text"]
    name_update = updates.text(COACH, "Ayşe <b>&</b> 🌻")
    await app.process_update(name_update)
    await app.process_update(name_update)  # delivered twice: still one participant
    photo = telegram_api.last("sendPhoto")
    caption = photo.params["caption"]
    assert "Invite for <b>Ayşe &lt;b&gt;&amp;&lt;/b&gt; 🌻</b>" in caption
    link = caption.split("https://t.me/BrugTestBot?start=")[1].split("\n")[0]
    assert 20 <= len(link) <= 64
    image = Image.open(io.BytesIO(next(iter(photo.files.values()))))
    assert min(image.size) >= 300
    assert "March 24, 2026" in caption  # 14 days
    async with db.uow() as uow:
        participants = await uow.participants.of_coach(world.coach_id)
        assert [p.display_name for p in participants] == ["Ayşe <b>&</b> 🌻"]
        joined = await _redeem_participant_invite(
            uow, link, telegram_user_id=PARTICIPANT.id, chat_id=PARTICIPANT.id, locale="nl",
            timezone="Europe/Amsterdam", now=clock.now())
        assert joined.participant_id == participants[0].id
    # Straight on from the QR code to the first goal.
    assert "New goal for <b>Ayşe &lt;b&gt;&amp;&lt;/b&gt; 🌻</b>" in telegram_api.last(
        "sendMessage").params["text"]
    await app.process_update(updates.command(COACH, "annuleer"))
    # The flow ended: the next text is not a new participant.
    await app.process_update(updates.text(COACH, "Another"))
    async with db.uow() as uow:
        assert len(await uow.participants.of_coach(world.coach_id)) == 1


async def test_regenerate_and_revoke_from_the_card(app, updates, telegram_api, db, clock) -> None:
    world = await _world(db, clock)
    await app.process_update(updates.command(COACH, "nieuw"))
    await app.process_update(updates.text(COACH, "Jan"))
    first = telegram_api.last("sendPhoto").params["caption"]
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Jan"))
    card = telegram_api.last("editMessageText").params["text"]
    assert "Invite valid until March 24, 2026" in card
    clock.advance(days=15)
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Jan"))
    assert "No valid invite" in telegram_api.last("editMessageText").params["text"]
    clock.advance(days=-14)
    await app.process_update(updates.tap(COACH, "New invite"))
    second = telegram_api.last("sendPhoto").params["caption"]
    assert first != second and "March 25, 2026" in second
    async with db.uow() as uow:
        pid = (await uow.participants.of_coach(world.coach_id))[0].id
        assert len(await uow.invites.open_for_participant(pid)) == 1
    await app.process_update(updates.press(COACH, f"ci:revoke:{pid}"))
    assert "no longer works" in telegram_api.last("answerCallbackQuery").params["text"]
    await app.process_update(updates.press(COACH, f"ci:revoke:{pid}"))
    assert "no open invite" in telegram_api.last("answerCallbackQuery").params["text"]
    async with db.uow() as uow:
        rows = (await uow.session.execute(select(Invite))).scalars().all()
        assert all(row.revoked_at is not None for row in rows)


async def test_a_very_large_caseload_still_fits_in_one_message(app, updates, telegram_api, db,
                                                               clock) -> None:
    world = await _world(db, clock)
    for i in range(60):
        await seed_participant(db, world, clock.now(), name=f"Deelnemer met een lange naam {i}",
                               telegram_user_id=5000 + i)
    await app.process_update(updates.command(COACH, "deelnemers"))
    sent = telegram_api.last("sendMessage")
    assert "more: see the buttons below" in sent.text
    assert len(sent.buttons) == 60
