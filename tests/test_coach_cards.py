"""A coach sends a card: write or pick a suggestion, see the real picture, send once."""

from __future__ import annotations

from bot.storage.models import CardKind
from bot.ui.buttons.cards import CardConfirm, CardFor
from tests.support.builders import seed_coach, seed_participant
from tests.support.cards_read import colour_pixels, read_card
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI, StoredMessage
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
OTHER_COACH = TgUser(id=9002, first_name="Kees", language_code="nl")
FAR_COACH = TgUser(id=9003, first_name="Ans", language_code="nl")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")


def _participant_card(api: FakeBotAPI, chat_id: int, participant_id: int) -> StoredMessage:
    """Stands in for the coaches feature's participant view with its "send a card" button."""
    stored = StoredMessage(chat_id, 1, "Fatima", {"inline_keyboard": [[{
        "text": "Stuur een kaartje",
        "callback_data": CardFor(participant_id=participant_id).pack()}]]})
    api.messages[(chat_id, 1)] = stored
    return stored


async def _setup(db, clock):
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id, coach_name="Sanne")
    pid = await seed_participant(db, world, clock.now(), name="Fatima",
                                 telegram_user_id=FATIMA.id)
    return world, pid


async def _start(app, updates, api, pid, coach=COACH):
    await app.process_update(updates.press(coach, CardFor(participant_id=pid).pack(),
                                           message=_participant_card(api, coach.id, pid)))


async def _cards(db, pid):
    async with db.uow() as uow:
        return [(c.id, c.kind, c.message) for c in await uow.cards.of_participant(pid)]


async def test_coach_writes_previews_and_sends_once(app, db, clock, updates: UpdateFactory,
                                                    telegram_api: FakeBotAPI) -> None:
    _, pid = await _setup(db, clock)
    await _start(app, updates, telegram_api, pid)
    assert "Een kaartje voor Fatima" in telegram_api.last("sendMessage").params["text"]

    await app.process_update(updates.text(COACH, "x" * 301))
    assert "301 tekens" in telegram_api.last("sendMessage").params["text"]
    assert telegram_api.calls_to("sendPhoto") == []

    message = "Wat knap dat je <b>gebeld</b> hebt & doorzette 🎉"
    await app.process_update(updates.text(COACH, message))
    preview = telegram_api.last("sendPhoto")
    assert preview.params["chat_id"] == COACH.id
    assert "Zo ziet Fatima het kaartje" in preview.params["caption"]
    assert "&lt;b&gt;gebeld&lt;/b&gt;" in preview.params["caption"]  # the card's text, escaped
    assert await _cards(db, pid) == []  # a preview sends nothing

    confirm = updates.tap(COACH, "Verstuur dit kaartje")
    await app.process_update(confirm)
    assert "onderweg" in telegram_api.last("sendMessage").params["text"]
    await deliver(app)
    to_fatima = [c for c in telegram_api.calls_to("sendPhoto") if c.params["chat_id"] == FATIMA.id]
    assert len(to_fatima) == 1
    caption = await read_card(app, telegram_api, to_fatima[0])
    assert "&lt;b&gt;gebeld&lt;/b&gt; hebt &amp; doorzette" in caption
    assert "Sanne, je coach" in caption

    # The same tap again (a second tap or a duplicate update): nothing new.
    await app.process_update(updates.press(COACH, confirm.callback_query.data,
                                           message=telegram_api.last_message(COACH.id)))
    assert telegram_api.last("answerCallbackQuery").params["text"] == (
        "Dit kaartje is al verstuurd.")
    stored = await _cards(db, pid)
    assert len(stored) == 1
    assert stored[0][1:] == (CardKind.COACH.value, message)
    async with db.uow() as uow:
        audit = [(a.action, a.details) for a in await uow.audit.for_subject("card", stored[0][0])]
    assert audit == [("card.sent", {"participant_id": pid})]


async def test_suggestion_then_stop_sends_nothing(app, db, clock, updates: UpdateFactory,
                                                  telegram_api: FakeBotAPI) -> None:
    _, pid = await _setup(db, clock)
    await _start(app, updates, telegram_api, pid)
    await app.process_update(updates.tap(COACH, "Ik zie hoe hard je werkt"))
    assert "Zo ziet Fatima" in telegram_api.last("sendPhoto").params["caption"]
    await app.process_update(updates.tap(COACH, "Opnieuw schrijven"))
    await app.process_update(updates.tap(COACH, "Dank je voor je inzet"))
    await app.process_update(updates.tap(COACH, "Stoppen"))
    assert "geen kaartje verstuurd" in telegram_api.last("sendMessage").params["text"]
    assert await _cards(db, pid) == []
    assert [c for c in telegram_api.calls_to("sendPhoto") if c.params["chat_id"] == FATIMA.id
            ] == []


async def test_suggestion_is_stored_as_the_message(app, db, clock, updates: UpdateFactory,
                                                   telegram_api: FakeBotAPI) -> None:
    _, pid = await _setup(db, clock)
    await _start(app, updates, telegram_api, pid)
    await app.process_update(updates.tap(COACH, "Je gaf niet op"))
    await app.process_update(updates.tap(COACH, "Verstuur"))
    [(_, _, stored)] = await _cards(db, pid)
    assert stored == "Je gaf niet op, ook niet toen het moeilijk was. Ik ben trots op je."


async def test_another_coach_and_another_organisation_are_refused_kindly(
    app, db, clock, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    _, pid = await _setup(db, clock)
    await seed_coach(db, clock.now(), telegram_user_id=OTHER_COACH.id, coach_name="Kees")
    await seed_coach(db, clock.now(), telegram_user_id=FAR_COACH.id, coach_name="Ans",
                     org_name="Gemeente Elders")
    for coach in (OTHER_COACH, FAR_COACH):
        await _start(app, updates, telegram_api, pid, coach=coach)
        assert telegram_api.last("answerCallbackQuery").params["text"] == (
            "Deze deelnemer staat niet in je lijst.")
        # Forging the send button of this participant's flow does not help either.
        await app.process_update(updates.press(coach, CardConfirm(nonce="ab" * 6).pack()))
        assert telegram_api.last("answerCallbackQuery").params["text"] == (
            "Deze knop werkt niet meer.")
    assert await _cards(db, pid) == []


async def test_participant_and_forged_data_are_refused(app, db, clock, updates: UpdateFactory,
                                                       telegram_api: FakeBotAPI) -> None:
    _, pid = await _setup(db, clock)
    await _start(app, updates, telegram_api, pid, coach=FATIMA)
    assert telegram_api.last("answerCallbackQuery").params["text"] == (
        "Deze knoppen zijn voor coaches.")
    view = _participant_card(telegram_api, COACH.id, pid)
    await app.process_update(updates.press(COACH, "cdn:-5", message=view))
    assert telegram_api.last("answerCallbackQuery").params["text"] == "Deze knop werkt niet meer."
    await app.process_update(updates.press(COACH, "cdn:99999", message=view))
    assert "eigen deelnemers" in telegram_api.last("sendMessage").params["text"]


async def test_not_yet_joined_participant(app, db, clock, updates: UpdateFactory,
                                          telegram_api: FakeBotAPI) -> None:
    world, _ = await _setup(db, clock)
    invited = await seed_participant(db, world, clock.now(), name="Nog niet",
                                     telegram_user_id=None, status="invited")
    await _start(app, updates, telegram_api, invited)
    assert "doet nog niet mee" in telegram_api.last("sendMessage").params["text"]


async def test_empty_message_and_html_only_are_handled(app, db, clock, updates: UpdateFactory,
                                                       telegram_api: FakeBotAPI) -> None:
    _, pid = await _setup(db, clock)
    await _start(app, updates, telegram_api, pid)
    await app.process_update(updates.text(COACH, "   "))
    assert "paar woorden" in telegram_api.last("sendMessage").params["text"]
    # Only emoji: stored as typed; the picture simply has no emoji (never a box).
    await app.process_update(updates.text(COACH, "🎉🎉"))
    assert telegram_api.last("sendPhoto").params["chat_id"] == COACH.id


async def test_an_older_preview_cannot_send_a_newer_message(app, db, clock,
                                                            updates: UpdateFactory,
                                                            telegram_api: FakeBotAPI) -> None:
    _, pid = await _setup(db, clock)
    await _start(app, updates, telegram_api, pid)
    await app.process_update(updates.text(COACH, "Eerste versie"))
    old_preview = telegram_api.last_message(COACH.id)
    await app.process_update(updates.text(COACH, "Tweede versie"))
    await app.process_update(updates.tap(COACH, "Verstuur", message=old_preview))
    assert telegram_api.last("answerCallbackQuery").params["text"] == "Deze knop werkt niet meer."
    assert await _cards(db, pid) == []
    await app.process_update(updates.tap(COACH, "Verstuur"))
    assert [m for _, _, m in await _cards(db, pid)] == ["Tweede versie"]


async def test_emoji_the_coach_types_are_drawn_on_the_card(
    app, db, clock, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    _, pid = await _setup(db, clock)
    await _start(app, updates, telegram_api, pid)
    await app.process_update(updates.text(COACH, "Wat knap dat je gebeld hebt"))
    plain = telegram_api.last("sendPhoto")
    await app.process_update(updates.tap(COACH, "Opnieuw schrijven"))
    await app.process_update(updates.text(COACH, "Wat knap dat je gebeld hebt 💪🏽🎉"))
    preview = telegram_api.last("sendPhoto")
    assert colour_pixels(next(iter(plain.files.values()))) == 0
    assert colour_pixels(next(iter(preview.files.values()))) > 1000
    await app.process_update(updates.tap(COACH, "Verstuur dit kaartje"))
    await deliver(app)
    [sent] = [c for c in telegram_api.calls_to("sendPhoto") if c.params["chat_id"] == FATIMA.id]
    # What Fatima gets is drawn again by the outbox's worker, emoji and all.
    assert colour_pixels(next(iter(sent.files.values()))) > 1000
    assert [m for _, _, m in await _cards(db, pid)] == ["Wat knap dat je gebeld hebt 💪🏽🎉"]

