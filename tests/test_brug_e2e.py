"""The Brug end to end: a participant fills it in through the buttons, reopens it, compares;
a coach opens their own participant's Brug and fills one in together; forged ids are refused."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from bot.storage.models import BrugMeasurement, BrugScore
from bot.ui.buttons.base import Home
from bot.ui.buttons.brug import BrugCoach, BrugFill, BrugMine
from tests.support.builders import World, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
SAM = TgUser(id=1002, first_name="Sam", language_code="en")
COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
OTHER_COACH = TgUser(id=9002, first_name="Kees", language_code="nl")
FAR_COACH = TgUser(id=9003, first_name="Ria", language_code="nl")


async def _world(db, clock) -> tuple[World, int]:
    world = await seed_coach(db, clock.now())
    participant_id = await seed_participant(db, world, clock.now())
    return world, participant_id


async def _fill(app, updates: UpdateFactory, user: TgUser, steps: list[int | None]) -> None:
    """Tap a step (or Skip) for each pillar, in the order the bot asks."""
    for step in steps:
        if step is None:
            await app.process_update(updates.tap(user, "Overslaan"))
        else:
            await app.process_update(updates.tap(user, f"{step} · "))


async def _scores(db, measurement_id: int) -> dict[str, tuple[int | None, int | None]]:
    async with db.uow() as uow:
        rows = (await uow.session.execute(
            select(BrugScore).where(BrugScore.measurement_id == measurement_id))).scalars()
        return {r.pillar_key: (r.level, r.target) for r in rows}


async def _measurements(db, participant_id: int) -> list[SimpleNamespace]:
    """Plain copies of the rows (ORM rows expire when the unit of work closes)."""
    async with db.uow() as uow:
        rows = await uow.brug.of_participant(participant_id, completed_only=False)
        return [SimpleNamespace(**{c.key: getattr(r, c.key) for c in
                                   BrugMeasurement.__table__.columns}) for r in rows]


async def test_no_brug_yet_gets_a_kind_offer_then_fill_in_with_skip_back_and_targets(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _, participant_id = await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "brug"))
    offer = telegram_api.last("sendMessage")
    assert offer.text.startswith("Wil je je Brug invullen?")
    assert not telegram_api.calls_to("sendPhoto")

    await app.process_update(updates.tap(FATIMA, "Vul mijn Brug in"))
    first = telegram_api.last_message(FATIMA.id)
    assert "Gezinsstabiliteit" in first.text and "deel 1 van 8" in first.text
    assert "1. Zorg voor mijn gezin laat geen ruimte" in first.text
    assert len(updates.buttons(FATIMA)) == 6  # five statements, then Skip (no Back yet)

    await _fill(app, updates, FATIMA, [3, 4])
    # Back to pillar 2: the chosen answer is marked, and changing it replaces it.
    await app.process_update(updates.tap(FATIMA, "Terug"))
    assert "Sociaal netwerk" in telegram_api.last_message(FATIMA.id).text
    assert "✓ 4 · meestal" in " ".join(updates.buttons(FATIMA))
    await _fill(app, updates, FATIMA, [5])
    # A break: the answers so far are stored; /brug offers to go on where we stopped.
    [open_one] = await _measurements(db, participant_id)
    assert open_one.completed_at is None and open_one.moment == "intake"
    assert open_one.filled_by == "participant"
    assert await _scores(db, open_one.id) == {
        "family_stability": (3, None), "social_network": (5, None)}
    await app.process_update(updates.command(FATIMA, "brug"))
    assert "verder" in telegram_api.last("sendMessage").text
    await app.process_update(updates.tap(FATIMA, "Ga verder"))
    assert "Huisvesting" in telegram_api.last_message(FATIMA.id).text

    await _fill(app, updates, FATIMA, [4, None, 3, 2, 1, 2])
    done = telegram_api.last_message(FATIMA.id)
    assert "opgeslagen" in done.text and "over een half jaar" in done.text
    [measurement] = await _measurements(db, participant_id)
    assert measurement.completed_at is not None
    scores = await _scores(db, measurement.id)
    assert scores["education"] == (None, None)  # skipped
    assert len(scores) == 8

    # Targets: family stability is asked first (pillars at step 5 are passed over).
    await app.process_update(updates.tap(FATIMA, "Ja, kies mijn wensen"))
    question = telegram_api.last_message(FATIMA.id)
    assert "Gezinsstabiliteit" in question.text and "over een half jaar" in question.text
    assert [b[:2] for b in updates.buttons(FATIMA)] == ["3 ", "4 ", "5 ", "Ge"]
    await app.process_update(updates.tap(FATIMA, "4 · "))
    # Social network (5) and education (skipped) have no target question: housing is next.
    assert "Huisvesting" in telegram_api.last_message(FATIMA.id).text
    for _ in range(4):
        await app.process_update(updates.tap(FATIMA, "Geen wens"))
    await app.process_update(updates.tap(FATIMA, "3 · "))  # income from 2 to 3
    photo = telegram_api.last("sendPhoto")
    assert photo.files, "the first picture is uploaded"
    assert (await _scores(db, measurement.id))["family_stability"] == (3, 4)
    assert (await _scores(db, measurement.id))["income"] == (2, 3)
    caption = photo.text
    assert "Gezinsstabiliteit: nu 3, wens 4" in caption
    assert "Opleiding: niet ingevuld" in caption
    assert len(caption) <= 1024


async def test_reopening_sends_the_same_picture_by_file_id_without_drawing_again(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    await _world(db, clock)
    await app.process_update(updates.press(FATIMA, BrugMine(a="fill").pack(),
                                           message=_any_message(telegram_api, FATIMA)))
    await _fill(app, updates, FATIMA, [3, 4, 4, 2, 3, 2, 1, 2])
    await app.process_update(updates.tap(FATIMA, "Nee, laat de Brug zien"))
    first = telegram_api.last("sendPhoto")
    cache = app.bot_data["brug_pictures"]
    assert first.files and cache.renders == 1

    await app.process_update(updates.command(FATIMA, "brug"))
    await app.process_update(updates.press(FATIMA, Home(target="brug").pack()))
    again = telegram_api.calls_to("sendPhoto")[-2:]
    for call in again:
        assert not call.files
        assert call.params["photo"] == "photo" + str(_message_id_of(telegram_api, first))
        assert call.text == first.text
    assert cache.renders == 1

    # Telegram forgot the file: the cached bytes are uploaded again, still not redrawn.
    telegram_api.fail_next("sendPhoto", 400, "Bad Request: wrong file identifier")
    await app.process_update(updates.command(FATIMA, "brug"))
    last = telegram_api.last("sendPhoto")
    assert last.files and next(iter(last.files.values())) == next(iter(first.files.values()))
    assert cache.renders == 1


def _message_id_of(api: FakeBotAPI, call) -> int:
    photos = [m for m in api.messages.values() if m.kind == "photo"]
    return min(m.message_id for m in photos)


def _any_message(api: FakeBotAPI, user: TgUser):
    from tests.support.telegram_fake import StoredMessage

    message = StoredMessage(user.id, 1, "menu", None)
    api.messages[(user.id, 1)] = message
    return message


async def test_second_measurement_compare_list_and_mostly_low_framing(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _, participant_id = await _world(db, clock)
    await seed_goal(db, participant_id, clock.now(), "Schulden op een rij", [],
                    pillars=["debts"])
    await app.process_update(updates.command(FATIMA, "brug"))
    await app.process_update(updates.tap(FATIMA, "Vul mijn Brug in"))
    await _fill(app, updates, FATIMA, [2, 3, 2, 1, 2, 1, 1, 2])
    await app.process_update(updates.tap(FATIMA, "Nee, laat de Brug zien"))
    low = telegram_api.last("sendPhoto").text
    assert "overzicht, geen cijfer" in low
    assert "Schulden: nu 1" in low

    clock.advance(days=180)
    await app.process_update(updates.command(FATIMA, "brug"))
    await app.process_update(updates.tap(FATIMA, "Vul opnieuw in"))
    await _fill(app, updates, FATIMA, [3, 3, 2, 2, 3, 2, 1, 3])
    await app.process_update(updates.tap(FATIMA, "Nee, laat de Brug zien"))
    later = telegram_api.last("sendPhoto").text
    assert "Na 6 maanden" in later
    assert "Gezinsstabiliteit: nu 3, vorige keer 2 (hoger)" in later
    assert "Sociaal netwerk: nu 3, vorige keer 3 (gelijk)" in later
    assert "overzicht, geen cijfer" not in later
    measurements = await _measurements(db, participant_id)
    assert [m.moment for m in measurements] == ["intake", "six_months"]

    await app.process_update(updates.tap(FATIMA, "Vergelijk eerste keer en nu"))
    assert "eerste keer" in telegram_api.last("sendPhoto").text
    await app.process_update(updates.tap(FATIMA, "Alle keren ingevuld"))
    assert len(updates.buttons(FATIMA)) == 2
    await app.process_update(updates.tap(FATIMA, "Start"))
    reopened = telegram_api.last("sendPhoto").text
    assert reopened.startswith("<b>Jouw Brug</b> · Start")


async def test_a_second_delivery_of_the_last_answer_changes_nothing(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _, participant_id = await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "brug"))
    await app.process_update(updates.tap(FATIMA, "Vul mijn Brug in"))
    await _fill(app, updates, FATIMA, [3, 4, 4, 2, 3, 2, 1])
    last = updates.tap(FATIMA, "2 · ")
    await app.process_update(last)
    calls = len(telegram_api.calls)
    await app.process_update(last)  # Telegram delivers it again: recognised, not answered
    assert len(telegram_api.calls) == calls
    # A second tap on the same button (a new press) hears that it was saved.
    await app.process_update(updates.press(FATIMA, last.callback_query.data,
                                           telegram_api.messages[
                                               (FATIMA.id,
                                                last.callback_query.message.message_id)]))
    answers = [c for c in telegram_api.calls_to("answerCallbackQuery")
               if c.params.get("text")]
    assert "al opgeslagen" in answers[-1].params["text"]
    [measurement] = await _measurements(db, participant_id)
    assert measurement.completed_at is not None
    assert (await _scores(db, measurement.id))["income"] == (2, None)
    async with db.uow() as uow:
        actions = [a.action for a in await _audit(uow)]
    assert actions.count("brug.completed") == 1


async def _audit(uow):
    from bot.storage.models import AuditEntry

    return list((await uow.session.execute(select(AuditEntry))).scalars())


async def test_coach_opens_and_fills_in_together_but_not_another_coachs_participant(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world, participant_id = await _world(db, clock)
    colleague = await seed_coach(db, clock.now(), telegram_user_id=OTHER_COACH.id,
                                 coach_name="Kees")
    elsewhere = await seed_coach(db, clock.now(), telegram_user_id=FAR_COACH.id,
                                 org_name="Gemeente Elders", coach_name="Ria")
    other_participant = await seed_participant(db, colleague, clock.now(), name="Piet",
                                               telegram_user_id=1005)
    far_participant = await seed_participant(db, elsewhere, clock.now(), name="Ans",
                                             telegram_user_id=1006)
    menu = _any_message(telegram_api, COACH)

    await app.process_update(updates.press(COACH, BrugCoach(a="latest", p=participant_id).pack(),
                                           message=menu))
    assert "Fatima heeft nog geen Brug" in telegram_api.last("sendMessage").text
    await app.process_update(updates.tap(COACH, "Samen invullen"))
    await app.process_update(updates.tap(COACH, "Samen met Fatima"))
    question = telegram_api.last_message(COACH.id)
    assert "Brug van Fatima" in question.text and "het best bij Fatima" in question.text
    await _fill(app, updates, COACH, [3, 4, 4, 2, 3, 2, 1, 2])
    await app.process_update(updates.tap(COACH, "Nee, laat de Brug zien"))
    coach_view = telegram_api.last("sendPhoto")
    assert coach_view.params["chat_id"] == COACH.id
    assert coach_view.text.startswith("<b>Brug van Fatima</b>")
    [measurement] = await _measurements(db, participant_id)
    assert measurement.filled_by == "together"
    assert measurement.entered_by_account_id == world.coach_account_id

    # The participant sees the same measurement as their own.
    await app.process_update(updates.command(FATIMA, "brug"))
    assert telegram_api.last("sendPhoto").params["chat_id"] == FATIMA.id

    # Forged ids: Kees (same organisation) and Ria (another organisation) try Fatima's Brug;
    # Sanne tries Kees's participant and Ria's.
    sent_before = len(telegram_api.calls)
    forged = [
        (OTHER_COACH, BrugCoach(a="latest", p=participant_id)),
        (OTHER_COACH, BrugCoach(a="list", p=participant_id)),
        (OTHER_COACH, BrugCoach(a="compare", p=participant_id)),
        (OTHER_COACH, BrugCoach(a="open", p=participant_id, m=measurement.id)),
        (OTHER_COACH, BrugCoach(a="open", p=other_participant, m=measurement.id)),
        (FAR_COACH, BrugCoach(a="latest", p=participant_id)),
        (FAR_COACH, BrugCoach(a="start", p=participant_id)),
        (FAR_COACH, BrugCoach(a="together", p=participant_id)),
        (COACH, BrugCoach(a="latest", p=other_participant)),
        (COACH, BrugCoach(a="start", p=far_participant)),
        (COACH, BrugCoach(a="coach", p=far_participant)),
        (FATIMA, BrugCoach(a="latest", p=participant_id)),  # not a coach
    ]
    for user, data in forged:
        await app.process_update(updates.press(user, data.pack(),
                                               message=_any_message(telegram_api, user)))
    refusals = telegram_api.calls[sent_before:]
    assert [c.method for c in refusals] == ["answerCallbackQuery"] * len(forged)
    # The access guard (bot/telegram/handlers/access.py) refuses them before the Brug sees them.
    assert all(c.params["text"] == "Deze deelnemer staat niet in je lijst."
               for c in refusals[:-1])
    # A participant pressing a coach's button hears whom the buttons are for.
    assert "voor coaches" in refusals[-1].params["text"]
    assert len(await _measurements(db, other_participant)) == 0
    assert len(await _measurements(db, far_participant)) == 0
    assert len(await _measurements(db, participant_id)) == 1


async def test_a_participant_cannot_reach_someone_elses_measurement(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world, fatima = await _world(db, clock)
    sam = await seed_participant(db, world, clock.now(), name="Sam", telegram_user_id=SAM.id,
                                 locale="en")
    await app.process_update(updates.command(SAM, "brug"))
    await app.process_update(updates.tap(SAM, "Fill in my Brug"))
    [sams] = await _measurements(db, sam)
    menu = _any_message(telegram_api, FATIMA)
    before = len(telegram_api.calls)
    for data in (
        BrugFill(k="a", m=sams.id, i=0, v=1).pack(),
        BrugFill(k="q", m=sams.id, i=0).pack(),
        BrugMine(a="open", m=sams.id).pack(),
        BrugCoach(a="latest", p=sam).pack(),
        "brf:a:999999:0:1",
        "brf:a:1:0:9",  # a step that does not exist
        "brm:delete:",
    ):
        await app.process_update(updates.press(FATIMA, data, message=menu))
    assert {c.method for c in telegram_api.calls[before:]} == {"answerCallbackQuery"}
    assert await _scores(db, sams.id) == {}
    assert len(await _measurements(db, fatima)) == 0


async def test_brug_is_in_the_participant_command_menu() -> None:
    from bot.telegram.handlers.commands import PARTICIPANT_COMMANDS

    assert "brug" in [name for name, _ in PARTICIPANT_COMMANDS]


async def test_coach_card_button_opens_the_brug_and_an_old_unfinished_one_is_not_resumed(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    from bot.ui.screens.brug import coach_card_button

    _, participant_id = await _world(db, clock)
    # The participant starts, answers two pillars, and the coach carries on: "together".
    await app.process_update(updates.command(FATIMA, "brug"))
    await app.process_update(updates.tap(FATIMA, "Vul mijn Brug in"))
    await _fill(app, updates, FATIMA, [3, 4])
    menu = _any_message(telegram_api, COACH)
    button = coach_card_button(participant_id)
    assert button.callback_data == f"brc:latest:{participant_id}:"
    await app.process_update(updates.press(COACH, str(button.callback_data), message=menu))
    assert "Fatima is begonnen met de Brug" in telegram_api.last("sendMessage").text
    await app.process_update(updates.tap(COACH, "Samen invullen"))
    await app.process_update(updates.tap(COACH, "Ik vul hem in"))
    assert "Huisvesting" in telegram_api.last_message(COACH.id).text  # resumed at pillar 3
    [resumed] = await _measurements(db, participant_id)
    assert resumed.filled_by == "together"

    # Five weeks later the half-done one is not offered again: a fresh one starts.
    clock.advance(days=35)
    await app.process_update(updates.command(FATIMA, "brug"))
    assert "Wil je je Brug invullen?" in telegram_api.last("sendMessage").text
    await app.process_update(updates.tap(FATIMA, "Vul mijn Brug in"))
    assert "deel 1 van 8" in telegram_api.last_message(FATIMA.id).text
    measurements = await _measurements(db, participant_id)
    assert len(measurements) == 2 and all(m.completed_at is None for m in measurements)


async def test_a_second_delivery_of_fill_in_starts_one_measurement_and_sends_nothing_new(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _, participant_id = await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "brug"))
    press = updates.tap(FATIMA, "Vul mijn Brug in")
    await app.process_update(press)
    calls = len(telegram_api.calls)
    await app.process_update(press)  # Telegram delivers it again: recognised, nothing sent
    assert len(telegram_api.calls) == calls
    assert len(telegram_api.calls_to("sendMessage")) == 1
    assert "deel 1 van 8" in telegram_api.last_message(FATIMA.id).text
    assert len(await _measurements(db, participant_id)) == 1
