"""Automatic cards, sending a stored card, and /kaartjes, through the real bot and database."""

from __future__ import annotations

import asyncio
import io
import os

from PIL import Image

from bot.flows import cards
from bot.notify import drawing
from bot.storage.models import CardKind
from bot.ui.buttons.base import Home
from bot.ui.buttons.cards import CardOpen, CardsPage
from bot.ui.screens import cards as card_screens
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.cards_read import read_card
from tests.support.outbox import deliver, woken
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
OTHER = TgUser(id=1002, first_name="Bram", language_code="nl")


async def _world(db, clock):
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now(), name="Fatima")
    goal_id, steps = await seed_goal(db, pid, clock.now(), "Mijn schulden op een rij", [
        StepSpec("Brieven sorteren"),
        StepSpec("Bellen met <Belastingdienst> & vragen", challenging=True),
    ])
    return world, pid, goal_id, steps


async def _tick(db, clock, pid, step_id, *, challenging=False, goal_completed=False):
    async with db.uow() as uow:
        ids = await cards._award_for_tick(uow, pid, step_id, challenging=challenging,
                                         goal_completed=goal_completed, now=clock.now())
        await uow.commit()
    return ids


async def test_ordinary_step_gives_no_card_challenging_step_gives_one_once(db, clock) -> None:
    _, pid, _, steps = await _world(db, clock)
    assert await _tick(db, clock, pid, steps[0]) == []
    first = await _tick(db, clock, pid, steps[1], challenging=True)
    assert len(first) == 1
    # The same achievement again (duplicate update, undo and redo): never a second card.
    assert await _tick(db, clock, pid, steps[1], challenging=True) == []
    async with db.uow() as uow:
        stored = await uow.cards.of_participant(pid)
        assert [c.kind for c in stored] == [CardKind.CHALLENGING_STEP.value]
        assert stored[0].message == "Bellen met <Belastingdienst> & vragen"
        audit = await uow.audit.for_subject("card", first[0])
        assert [a.action for a in audit] == ["card.awarded"]
        assert audit[0].details == {"participant_id": pid, "kind": "challenging_step"}


async def test_goal_achieved_gives_one_goal_card_even_on_a_challenging_last_step(db, clock
                                                                                  ) -> None:
    _, pid, goal_id, steps = await _world(db, clock)
    ids = await _tick(db, clock, pid, steps[1], challenging=True, goal_completed=True)
    assert await _tick(db, clock, pid, steps[1], challenging=True, goal_completed=True) == []
    async with db.uow() as uow:
        card = await uow.cards.get(ids[0])
        assert card is not None
        assert (card.kind, card.goal_id, card.message) == (
            CardKind.GOAL_ACHIEVED.value, goal_id, "Mijn schulden op een rij")
        assert await uow.cards.count_of(pid) == 1


async def test_someone_elses_step_gives_no_card(db, clock) -> None:
    world, _, _, steps = await _world(db, clock)
    other = await seed_participant(db, world, clock.now(), name="Bram", telegram_user_id=1002)
    assert await _tick(db, clock, other, steps[1], challenging=True) == []


async def test_new_card_is_sent_as_photo_with_escaped_caption(app, db, clock,
                                                              telegram_api: FakeBotAPI) -> None:
    _, pid, _, steps = await _world(db, clock)
    await _tick(db, clock, pid, steps[1], challenging=True)
    assert (await deliver(app)).sent == 1  # the award queued it in the outbox
    sent = telegram_api.last("sendPhoto")
    assert sent.params["chat_id"] == FATIMA.id
    assert "Geld" not in sent.params["caption"]  # neutral: the picture may show the step
    caption = await read_card(app, telegram_api, sent)
    assert "<b>Voor Fatima</b>" in caption
    assert "&lt;Belastingdienst&gt; &amp; vragen" in caption
    assert "moeilijke stap" in caption
    image = Image.open(io.BytesIO(next(iter(sent.files.values()))))
    assert image.width >= 1080


async def test_blocked_participant_loses_nothing(app, db, clock, telegram_api: FakeBotAPI
                                                 ) -> None:
    _, pid, _, steps = await _world(db, clock)
    await _tick(db, clock, pid, steps[1], challenging=True)
    telegram_api.fail_next("sendPhoto", 403, "Forbidden: bot was blocked by the user")
    assert (await deliver(app)).blocked == 1
    async with db.uow() as uow:
        assert await uow.cards.count_of(pid) == 1  # still in /kaartjes
        participant = await uow.participants.get(pid)
        assert participant is not None and participant.account_id is not None
        account = await uow.accounts.get(participant.account_id)
        assert account is not None and account.reachable is False  # the coach sees it


async def test_kaartjes_empty_explains_kindly(app, db, clock, updates: UpdateFactory,
                                              telegram_api: FakeBotAPI) -> None:
    await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "kaartjes"))
    assert "Je hebt nog geen kaartjes" in telegram_api.last("sendMessage").params["text"]


async def test_collection_newest_first_reopen_and_paging(app, db, clock, updates: UpdateFactory,
                                                         telegram_api: FakeBotAPI) -> None:
    _, pid, _, _ = await _world(db, clock)
    _, many = await seed_goal(db, pid, clock.now(), "Veel stappen",
                              [StepSpec(f"Stap {i}", challenging=True) for i in range(10)])
    for step_id in many:
        clock.advance(days=1)
        await _tick(db, clock, pid, step_id, challenging=True)
    await app.process_update(updates.press(FATIMA, Home(target="cards").pack(),
                                           message=_fake_message(telegram_api, FATIMA.id)))
    first = telegram_api.last("sendMessage")
    labels = [b["text"] for b in first.buttons]
    assert len(labels) == cards.PAGE_SIZE + 1 and labels[-1] == "Ouder ›"
    assert "Pagina 1 van 2" in first.params["text"]
    newest = CardOpen.unpack(first.buttons[0]["callback_data"]).card_id
    async with db.uow() as uow:
        assert newest == max(c.id for c in await uow.cards.of_participant(pid))
    await app.process_update(updates.tap(FATIMA, "Ouder"))
    edited = telegram_api.last("editMessageText")
    assert len(edited.buttons) == 2 + 1 and edited.buttons[-1]["text"] == "‹ Nieuwer"
    # Reopen the oldest card as its picture.
    await app.process_update(updates.press(FATIMA, edited.buttons[1]["callback_data"]))
    # The card shown in answer (a queued card may go out at the same time, with its neutral
    # caption): the one with the card's words.
    photo = [c for c in telegram_api.calls_to("sendPhoto")
             if c.params["caption"].startswith("<b>")][-1]
    assert "Stap 0" in photo.params["caption"]
    # A page far out of range shows the last page instead of failing; pressed on the picture
    # (an old button, a forged press) it answers with a new list message.
    await app.process_update(updates.press(FATIMA, CardsPage(page=99).pack()))
    assert "Pagina 2 van 2" in telegram_api.last("sendMessage").params["text"]


async def test_someone_elses_card_id_reveals_nothing(app, db, clock, updates: UpdateFactory,
                                                     telegram_api: FakeBotAPI) -> None:
    world, pid, _, steps = await _world(db, clock)
    await seed_participant(db, world, clock.now(), name="Bram", telegram_user_id=OTHER.id)
    [card_id] = await _tick(db, clock, pid, steps[1], challenging=True)
    await app.process_update(updates.command(OTHER, "kaartjes"))
    await app.process_update(updates.press(OTHER, CardOpen(card_id=card_id).pack()))
    assert telegram_api.last("answerCallbackQuery").params["text"] == (
        "Deze knop werkt niet meer.")
    assert telegram_api.calls_to("sendPhoto") == []
    await app.process_update(updates.press(OTHER, "cdo:abc"))
    assert telegram_api.last("answerCallbackQuery").params["text"] == "Deze knop werkt niet meer."


async def test_kaartjes_for_a_coach_and_a_stranger(app, db, clock, updates: UpdateFactory,
                                                   telegram_api: FakeBotAPI) -> None:
    await _world(db, clock)
    await app.process_update(updates.command(TgUser(id=9001), "kaartjes"))
    assert "/deelnemers" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(TgUser(id=4242), "kaartjes"))
    assert "persoonlijke link" in telegram_api.last("sendMessage").params["text"]


async def test_card_picture_fits_the_longest_goal(db, clock) -> None:
    from bot.render.card import layout_card, sanitised

    picture = card_screens.card_texts(CardKind.GOAL_ACHIEVED.value, "x" * 20 + " lang" * 56,
                               "Maria-Magdalena Wilhelmina van den Hoogenband", None,
                               clock.now(), "Europe/Amsterdam")
    assert "…" not in layout_card(sanitised(picture)).drawn_text()


def _fake_message(api: FakeBotAPI, chat_id: int):
    """The home menu belongs to another feature: stand in for its message here."""
    from tests.support.telegram_fake import StoredMessage

    stored = StoredMessage(chat_id, 1, "Menu", None)
    api.messages[(chat_id, 1)] = stored
    return stored


async def test_goal_closed_by_the_coach_gives_the_same_single_goal_card(db, clock) -> None:
    _, pid, goal_id, steps = await _world(db, clock)
    async with db.uow() as uow:
        first = await cards._award_for_goal(uow, pid, goal_id, now=clock.now())
        assert await cards._award_for_goal(uow, pid + 1000, goal_id, now=clock.now()) == []
        await uow.commit()
    assert len(first) == 1
    # The last step ticked afterwards: the goal already has its card.
    assert await _tick(db, clock, pid, steps[1], challenging=True, goal_completed=True) == []


async def test_ticking_through_the_action_list_sends_a_card_once(
    app, db, clock, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    """The participants' tick stores the card in its own transaction and sends it after."""
    _, pid, _, _ = await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.tap(FATIMA, "Brieven sorteren"))  # ordinary: no card
    assert telegram_api.calls_to("sendPhoto") == []
    await app.process_update(updates.command(FATIMA, "stappen"))
    tick = updates.tap(FATIMA, "Bellen met")  # challenging, and the goal's last open step
    await app.process_update(tick)
    # Handling the tap did not wait for the picture: the list is edited, the card still queued.
    assert telegram_api.calls_to("sendPhoto") == []
    edit = telegram_api.last("editMessageText")
    await woken(app)  # the dispatcher was woken when the update was handled; no timer tick
    [photo] = telegram_api.calls_to("sendPhoto")
    assert photo.params["chat_id"] == FATIMA.id
    order = [id(c) for c in telegram_api.calls]
    assert order.index(id(edit)) < order.index(id(photo))  # the card follows the edited list
    # Telegram delivers the same tap again: no second card.
    await app.process_update(updates.press(FATIMA, tick.callback_query.data))
    await deliver(app)
    assert len(telegram_api.calls_to("sendPhoto")) == 1
    async with db.uow() as uow:
        assert [c.kind for c in await uow.cards.of_participant(pid)] == ["goal_achieved"]
    assert "Je hebt je doel bereikt" in await read_card(app, telegram_api, photo)  # one card


async def test_the_home_menu_button_opens_the_collection(app, db, clock, updates: UpdateFactory,
                                                         telegram_api: FakeBotAPI) -> None:
    await _world(db, clock)
    await app.process_update(updates.command(FATIMA, "menu"))
    await app.process_update(updates.tap(FATIMA, "Mijn kaartjes"))
    assert "Je hebt nog geen kaartjes" in telegram_api.last("sendMessage").params["text"]


async def test_cards_are_drawn_at_a_lower_cpu_priority_than_the_bot() -> None:
    """A picture may wait a moment; the answer to a tap may not: the drawing worker yields the
    CPU to the bot's own process (the tick benchmark's p95, docs/participants.md)."""
    loop = asyncio.get_running_loop()
    try:
        worker = await loop.run_in_executor(drawing._executor(), os.nice, 0)
    finally:
        drawing.shutdown()
    assert worker == min(19, os.nice(0) + drawing.WORKER_NICENESS)
