"""The action list end to end: find and tick, undo, second taps, forged data, "not now",
own steps, paging, pause. Driven like a person through the real Application."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event

from bot.flows import conversation
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI, StoredMessage, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
PIET = TgUser(id=1002, first_name="Piet", language_code="nl")
TODAY = date(2026, 3, 10)  # the FakeClock's day, a Tuesday


async def setup(db, clock, steps=None, goal="Mijn schulden op een rij"):
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    goal_id, step_ids = await seed_goal(db, pid, clock.now(), goal, steps or [
        StepSpec("Bel de bank", date(2026, 3, 11)),
        StepSpec("Brief van de Belastingdienst openen", date(2026, 3, 13), challenging=True),
        StepSpec("Afspraak maken bij de schuldhulp", owner="coach"),
    ])
    return world, pid, goal_id, step_ids


async def step_row(db, step_id):
    async with db.uow() as uow:
        step = await uow.steps.get(step_id)
        return step.status, step.done_at, step.due_date, step.help_asked_at


async def events(db, pid):
    async with db.uow() as uow:
        return [(e.step_id, e.kind) for e in await uow.step_events.of_participant(pid)]


def plain(call) -> str:
    return html_to_plain(call.params["text"])


@contextmanager
def recorded_transactions(db) -> Iterator[list[dict[str, Any]]]:
    """One entry per transaction begun meanwhile: its statements and whether it committed."""
    transactions: list[dict[str, Any]] = []
    engine = db.engine.sync_engine

    def on_begin(conn: object) -> None:
        transactions.append({"statements": [], "committed": False})

    def on_statement(conn, cursor, statement, parameters, context, executemany) -> None:
        if transactions:
            transactions[-1]["statements"].append(statement)

    def on_commit(conn: object) -> None:
        transactions[-1]["committed"] = True

    event.listen(engine, "begin", on_begin)
    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine, "commit", on_commit)
    try:
        yield transactions
    finally:
        event.remove(engine, "begin", on_begin)
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine, "commit", on_commit)


def writes(tx: dict[str, Any]) -> list[str]:
    return [s for s in tx["statements"] if not s.lstrip().upper().startswith("SELECT")]


async def test_list_shows_goals_friendly_dates_and_coach_steps(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    await setup(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    text = plain(telegram_api.last("sendMessage"))
    assert "Mijn schulden op een rij" in text
    assert "1. Bel de bank — morgen" in text
    assert "2. Brief van de Belastingdienst openen — vrijdag" in text
    assert "Je coach regelt: Afspraak maken bij de schuldhulp" in text
    labels = updates.buttons(FATIMA)
    assert "✓ 1. Bel de bank" in labels
    assert not any("Afspraak" in label for label in labels)  # the coach's step: no tick


async def test_five_goals_forty_steps_find_and_tick_in_two_taps(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    target = None
    for g in range(5):
        _gid, ids = await seed_goal(db, pid, clock.now(), f"Doel nummer {g}", [
            StepSpec(f"Stap {g}-{i}: iets regelen met de gemeente", date(2026, 3, 11 + i))
            for i in range(8)
        ])
        target = ids[5] if g == 3 else target
    await app.process_update(updates.command(FATIMA, "menu"))
    await app.process_update(updates.tap(FATIMA, "Mijn stappen"))  # tap 1
    await app.process_update(updates.tap(FATIMA, "Stap 3-5"))  # tap 2
    status, done_at, _due, _help = await step_row(db, target)
    assert status == "done" and done_at == clock.now()


async def test_tick_edits_in_place_acknowledges_and_undo_works(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _w, pid, _g, ids = await setup(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    list_message = telegram_api.last_message(FATIMA.id)
    sends = len(telegram_api.calls_to("sendMessage"))
    await app.process_update(updates.tap(FATIMA, "Bel de bank"))
    edited = telegram_api.last("editMessageText")
    assert edited.params["message_id"] == list_message.message_id
    assert len(telegram_api.calls_to("sendMessage")) == sends  # edited, not a new message
    answer = telegram_api.last("answerCallbackQuery").params["text"]
    assert answer and answer in plain(edited)
    assert "✔ 1 stap klaar" in plain(edited)
    assert (await step_row(db, ids[0]))[0] == "done"
    await app.process_update(updates.tap(FATIMA, "toch nog niet klaar"))
    assert (await step_row(db, ids[0]))[:2] == ("open", None)
    assert await events(db, pid) == [(ids[0], "done"), (ids[0], "undone")]


async def test_second_tap_old_button_and_duplicate_update_tick_once(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _w, pid, _g, ids = await setup(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    old = telegram_api.last_message(FATIMA.id)
    press = updates.press(FATIMA, f"std:{ids[0]}:0", old)
    await app.process_update(press)
    # Telegram delivers the very same update again: recognised by its id, nothing happens.
    calls = len(telegram_api.calls)
    edits = len(telegram_api.calls_to("editMessageText"))
    await app.process_update(press)
    assert len(telegram_api.calls) == calls
    # A second tap on the old message's button.
    await app.process_update(updates.press(FATIMA, f"std:{ids[0]}:0", old))
    assert "al klaar" in telegram_api.last("answerCallbackQuery").params["text"]
    assert len(telegram_api.calls_to("editMessageText")) == edits
    assert await events(db, pid) == [(ids[0], "done")]


async def test_someone_elses_step_forged_data_and_coach_steps_change_nothing(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world, pid, _g, ids = await setup(db, clock)
    other = await seed_participant(db, world, clock.now(), name="Piet", telegram_user_id=PIET.id)
    _g2, other_ids = await seed_goal(db, other, clock.now(), "Ander doel",
                                     [StepSpec("Geheime stap")])
    await app.process_update(updates.command(FATIMA, "stappen"))
    for data in (f"std:{other_ids[0]}:0", f"std:{ids[2]}:0", "std:abc:0", "std:-1:0",
                 "std:99999999999999:0", "std:1", "stu:1:0:x", f"sth:{other_ids[0]}",
                 f"stm:{other_ids[0]}:tomorrow", f"sts:{other_ids[0]}:0", "sta:99999",
                 "stl:open:500"):
        await app.process_update(updates.press(FATIMA, data))
        assert telegram_api.last("answerCallbackQuery")
    assert "Geheime stap" not in " ".join(c.text for c in telegram_api.calls)
    assert await events(db, pid) == []
    assert await events(db, other) == []
    assert (await step_row(db, other_ids[0]))[0] == "open"
    assert (await step_row(db, ids[2]))[0] == "open"


def _choices(api: FakeBotAPI) -> StoredMessage:
    """The message that shows the "not now" choices (the newest one)."""
    return [m for m in api.messages.values() if "Lukt het nu niet" in m.text][-1]


async def test_not_now_new_date_help_and_smaller(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _world, pid, _g, ids = await setup(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.tap(FATIMA, "Lukt nu niet"))
    assert "Dat is oké" in plain(telegram_api.last("editMessageText"))
    await app.process_update(updates.tap(FATIMA, "Volgende week"))
    # Next week's Friday, as for the coach's "Next week" (core/dates.deadline).
    assert (await step_row(db, ids[0]))[2] == date(2026, 3, 20)
    # A typed Dutch date.
    await app.process_update(updates.press(FATIMA, f"sts:{ids[0]}:0"))
    # A second "not now" on this step also brings the help after a setback (tests/test_setbacks)
    # as a message of its own, under the choices.
    await app.process_update(updates.tap(FATIMA, "Andere dag", _choices(telegram_api)))
    await app.process_update(updates.text(FATIMA, "31-2"))
    assert "begrijp ik niet" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.text(FATIMA, "12 maart"))
    assert (await step_row(db, ids[0]))[2] == date(2026, 3, 12)
    assert "Nieuwe dag: donderdag" in plain(telegram_api.last("sendMessage"))
    # Ask the coach for help, twice: flagged once.
    await app.process_update(updates.press(FATIMA, f"sts:{ids[0]}:0"))
    await app.process_update(updates.tap(FATIMA, "Vraag mijn coach"))
    assert (await step_row(db, ids[0]))[3] == clock.now()
    await app.process_update(updates.press(FATIMA, f"sth:{ids[0]}"))
    assert "al om hulp gevraagd" in plain(telegram_api.last("editMessageText"))
    # Make it smaller: a new step before it, through the typed-text flow.
    await app.process_update(updates.press(FATIMA, f"sts:{ids[0]}:0"))
    await app.process_update(updates.tap(FATIMA, "kleiner"))
    await app.process_update(updates.text(FATIMA, "x" * 201))
    assert "beetje lang" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.text(FATIMA, "Nummer van de bank opzoeken"))
    text = plain(telegram_api.last("sendMessage"))
    assert text.index("Nummer van de bank opzoeken") < text.index("Bel de bank")
    kinds = [k for _s, k in await events(db, pid)]
    assert kinds == ["rescheduled", "rescheduled", "help_asked", "created", "made_smaller"]
    async with db.uow() as uow:
        account_id = (await uow.accounts.by_telegram_user(FATIMA.id)).id
    assert await conversation.current(db, account_id, clock.now()) is None


async def test_own_step_with_html_emoji_rtl_and_limits(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _w, pid, goal_id, _ids = await setup(db, clock)
    await seed_goal(db, pid, clock.now(), "Tweede doel", [])
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.tap(FATIMA, "Zelf een stap"))
    await app.process_update(updates.tap(FATIMA, "Mijn schulden"))
    await app.process_update(updates.text(FATIMA, "a" * 201))
    assert "hooguit 200 tekens" in telegram_api.last("sendMessage").params["text"]
    own = "<b>Bel</b> & mama 🙂 مرحبا e\u0301"
    await app.process_update(updates.text(FATIMA, own))
    await app.process_update(updates.tap(FATIMA, "Andere dag"))
    await app.process_update(updates.text(FATIMA, "vrijdag"))
    sent = telegram_api.last("sendMessage")
    assert own in plain(sent)  # shown literally, unchanged
    async with db.uow() as uow:
        steps = [s for s in await uow.steps.of_goal(goal_id) if s.text == own]
        assert len(steps) == 1
        assert steps[0].created_by_role == "participant"
        assert steps[0].due_date == date(2026, 3, 13)
        assert not [s for s in await uow.steps.of_goal(goal_id) if len(s.text) > 200]


async def test_long_lists_page_within_telegram_limits(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    for g in range(5):
        await seed_goal(db, pid, clock.now(), "D" * 290 + str(g), [
            StepSpec("<&>" * 66 + str(i), date(2026, 3, 11)) for i in range(12)])
    await app.process_update(updates.command(FATIMA, "stappen"))
    seen = 0
    for _ in range(20):
        text = html_to_plain(telegram_api.last_message(FATIMA.id).text)
        seen += text.count("<&>" * 66)
        if "Verder ▶" not in updates.buttons(FATIMA):
            break
        await app.process_update(updates.tap(FATIMA, "Verder ▶"))
    assert seen == 60  # every step shown once; the fake refused nothing (checked after the test)


async def test_pause_until_a_typed_day_and_resume(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _w, pid, _g, _ids = await setup(db, clock)
    await app.process_update(updates.command(FATIMA, "pauze"))
    await app.process_update(updates.tap(FATIMA, "Tot een dag die ik typ"))
    await app.process_update(updates.text(FATIMA, "vrijdag"))
    assert "tot en met vrijdag" in telegram_api.last("sendMessage").params["text"]
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        assert (participant.status, participant.paused_until) == ("paused", date(2026, 3, 13))
    await app.process_update(updates.command(FATIMA, "verder"))
    assert "weer bent" in telegram_api.last("sendMessage").params["text"]
    await app.process_update(updates.command(FATIMA, "pauze"))
    await app.process_update(updates.tap(FATIMA, "Tot ik /verder typ"))
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        assert (participant.status, participant.paused_until) == ("paused", None)
        kinds = [e.kind for e in await uow.participant_events.of_participant(pid)]
        assert kinds == ["paused", "resumed", "paused"]
        assert participant.last_interaction_at == clock.now()


async def test_done_view_lists_done_steps_and_undo_there(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _w, _pid, _g, ids = await setup(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.tap(FATIMA, "Bel de bank"))
    await app.process_update(updates.tap(FATIMA, "Bekijk wat klaar is (1)"))
    text = plain(telegram_api.last("editMessageText"))
    assert "Wat je al gedaan hebt" in text and "1. Bel de bank" in text
    assert "Brief" not in text
    await app.process_update(updates.tap(FATIMA, "1. Toch nog niet klaar"))
    assert (await step_row(db, ids[0]))[0] == "open"
    assert "Nog niets afgevinkt" in plain(telegram_api.last("editMessageText"))
    await app.process_update(updates.tap(FATIMA, "Terug naar mijn stappen"))
    assert "1. Bel de bank — morgen" in plain(telegram_api.last("editMessageText"))


async def test_last_step_of_a_goal_gets_the_warm_goal_line_and_ticks_while_paused(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    from bot.core.acknowledgements import POOLS
    from bot.i18n import _, using_locale

    _w, pid, _g, _ids = await setup(db, clock, [StepSpec("Enige stap", challenging=True)])
    await app.process_update(updates.command(FATIMA, "pauze"))
    await app.process_update(updates.tap(FATIMA, "Een week"))
    await app.process_update(updates.command(FATIMA, "stappen"))
    assert "pauze tot en met dinsdag 17 maart" in plain(telegram_api.last("sendMessage"))
    await app.process_update(updates.tap(FATIMA, "Enige stap"))
    answer = telegram_api.last("answerCallbackQuery").params["text"]
    with using_locale("nl"):
        assert answer in {_(line) for line in POOLS["goal"]}
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        assert participant.paused_until == date(2026, 3, 17)


async def test_a_typed_day_at_the_when_question_is_understood(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _w, pid, goal_id, _ids = await setup(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.tap(FATIMA, "Zelf een stap"))
    await app.process_update(updates.text(FATIMA, "Formulier ophalen"))
    await app.process_update(updates.text(FATIMA, "morgen"))
    async with db.uow() as uow:
        [step] = [s for s in await uow.steps.of_goal(goal_id) if s.text == "Formulier ophalen"]
        assert step.due_date == date(2026, 3, 11)
        participant = await uow.participants.get(pid)
        assert participant.last_interaction_at == clock.now()


async def test_two_concurrent_deliveries_of_one_tap_tick_once(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    import asyncio

    _w, pid, _g, ids = await setup(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    first = updates.press(FATIMA, f"std:{ids[1]}:0")
    second = updates.press(FATIMA, f"std:{ids[1]}:0")
    await asyncio.gather(app.process_update(first), app.process_update(second))
    assert await events(db, pid) == [(ids[1], "done")]
    answers = [c.params.get("text") for c in telegram_api.calls_to("answerCallbackQuery")]
    assert sum(1 for a in answers if a and "al klaar" in a) == 1


async def test_a_coach_step_done_by_the_coach_cannot_be_undone_by_the_participant(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    _w, _pid, _g, ids = await setup(db, clock, [StepSpec("Mijn stap"), StepSpec(
        "Coach belt de woningbouw", owner="coach")])
    async with db.uow() as uow:
        step = await uow.steps.get(ids[1])
        step.status, step.done_at = "done", clock.now()
        await uow.commit()
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.tap(FATIMA, "Bekijk wat klaar is (1)"))
    assert "Je coach regelt: Coach belt de woningbouw" in plain(
        telegram_api.last("editMessageText"))
    assert not any("Toch nog niet klaar" in b for b in updates.buttons(FATIMA))
    await app.process_update(updates.press(FATIMA, f"stu:{ids[1]}:0:done"))
    assert "doet je coach" in telegram_api.last("answerCallbackQuery").params["text"]
    assert (await step_row(db, ids[1]))[0] == "done"


async def test_a_typed_date_costs_one_write_transaction(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    """Identity and the conversation are read together; the new date, its reminders and the end
    of the conversation are one transaction (was four units of work)."""
    _world, _pid, _g, ids = await setup(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    await app.process_update(updates.press(FATIMA, f"sts:{ids[0]}:0"))
    # A second "not now" on this step also brings the help after a setback (tests/test_setbacks)
    # as a message of its own, under the choices.
    await app.process_update(updates.tap(FATIMA, "Andere dag", _choices(telegram_api)))
    with recorded_transactions(db) as transactions:
        await app.process_update(updates.text(FATIMA, "12 maart"))
    assert (await step_row(db, ids[0]))[2] == date(2026, 3, 12)
    async with db.uow() as uow:
        account_id = (await uow.accounts.by_telegram_user(FATIMA.id)).id
    assert await conversation.current(db, account_id, clock.now()) is None

    # One write transaction: the use case (date, reminders, conversation ended) with the
    # update ledger's row (bot/telegram/updates.py records the update with its first change).
    use_case = [tx for tx in transactions if tx["committed"]]
    assert len(use_case) == 1
    assert sum("handled_updates" in s for s in writes(use_case[0])) == 1
    # Besides it: only the read of who is typing (with their conversation).
    assert len(transactions) == 2


async def test_a_tick_costs_one_write_transaction(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    """Who is pressing and whose step the button names are read in one transaction (a query
    each); the tick, its reactions and the update ledger's row are one more (were two read and
    two write transactions, with five queries where the guard and re-planning now need two)."""
    _world, _pid, _g, ids = await setup(db, clock)
    await app.process_update(updates.command(FATIMA, "stappen"))
    with recorded_transactions(db) as transactions:
        await app.process_update(updates.press(FATIMA, f"std:{ids[0]}:0"))
    assert (await step_row(db, ids[0]))[0] == "done"
    assert "Jouw stappen" in plain(telegram_api.last("editMessageText"))
    use_case = [tx for tx in transactions if tx["committed"]]
    assert len(use_case) == 1
    assert sum("handled_updates" in s for s in writes(use_case[0])) == 1
    reads = [tx["statements"] for tx in transactions if not tx["committed"]]
    assert [len(statements) for statements in reads] == [2]  # who; whose step (the guard)
