"""Fuzzing every conversation: hypothesis walks the real bot as a participant and a coach,
tapping the buttons it is shown (which leads into every flow: plans, dates, steps, cards, the
Brug, pauses, privacy) and typing random text, dates and forged callback data in between.

After each walk the screens that show stored data are opened again (steps, menu, Brug
picture, cards, the coach's overview and card, the outbox sent a day later). Nothing may crash
(no ERROR from the error handler) and Telegram must accept every message: the fake Bot API
refuses bad HTML, over-long texts and captions, and broken pictures, so anything stored that
breaks a later message or picture fails the walk."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.core.conversations import CoachNameFlow
from bot.flows import conversation
from bot.notify.dispatcher import Dispatcher
from bot.storage.models import FlowState, Goal, Meeting, Participant, Step
from bot.ui.buttons.base import REGISTRY
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

PARTICIPANT = TgUser(id=1001, first_name="Fatima", language_code="nl")
COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
EXAMPLES = 60
RUNS = {"examples": 0, "actions": 0}
TAPPED: set[str] = set()

COMMANDS = ["start", "stappen", "menu", "pauze", "verder", "brug", "kaartjes", "les", "help",
            "privacy", "mijngegevens", "annuleer", "deelnemers", "nieuw", "beloningen",
            "instellingen", "doel", "overzicht"]
NASTY = ["<b>vet</b>", "</i>", "&amp;", "a & b < c > d", "<script>x</script>", "😀" * 40,
         "\u202etekst", "x" * 5000, " ", "\n\n\n", "/annuleer", "12-3", "31-2", "0-0",
         "vrijdag", "morgen", "29 februari", "2026-13-01", "99999999999", "-1", "null"]


def _dates() -> st.SearchStrategy[str]:
    days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
    return st.one_of(days.map(lambda d: d.isoformat()), days.map(lambda d: f"{d.day}-{d.month}"),
                     days.map(lambda d: f"{d.day} {d.strftime('%B').lower()}"),
                     days.map(lambda d: f"{d.day}/{d.month}/{d.year}"))


def _forged() -> st.SearchStrategy[str]:
    field = st.one_of(st.integers(-5, 3_000_000_000).map(str),
                      st.text(st.characters(blacklist_characters=":"), max_size=12),
                      st.sampled_from(["yes", "no", "open", "done", "ask", "save", "keep"]))
    return st.builds(lambda prefix, fields: ":".join([prefix, *fields]),
                     st.sampled_from(sorted(REGISTRY)), st.lists(field, max_size=4))


# How each conversation (a TextRouter flow) is entered: who, and the presses or command.
ENTRIES: dict[str, tuple[str, list[str]]] = {
    "plan": ("c", ["cgn:{pid}"]),
    "step_edit": ("c", ["cs:edit:{sid}"]),
    "goal_close": ("c", ["cg:stopped:{gid}"]),
    "card": ("c", ["cdn:{pid}"]),
    "new_participant": ("c", ["/nieuw"]),
    "coach_name": ("c", []),  # entered when a coach joins: the state is set as the join does
    "pause_date": ("p", ["pa:date"]),
    "step_date": ("p", ["stm:{sid}:type"]),
    "step_smaller": ("p", ["stk:{sid}"]),
    "step_add": ("p", ["sta:{gid}"]),
    "meeting_when": ("c", ["mtc:typed:{pid}::::"]),
    "meeting_note": ("c", ["mtc:note:{pid}::20260320:1000:office"]),
    "meeting_day": ("p", ["mta:type_day:{mid}"]),
    "own_goal": ("p", ["/doel"]),
    "if_then": ("p", ["sb:if_then:{sid}"]),
}
REACHED: set[str] = set()

# Presses that end the participant's trajectory or erase them: the walks keep their people
# (these are tested in tests/test_privacy.py and tests/test_trajectory.py).
ENDINGS = ("priv:erase_sure", "priv:stop_yes", "ctr:yes")
WHO = st.sampled_from(["p", "c"])
ACTION = st.one_of(
    # A screen, then a few of its buttons: this is how the walk gets deep into conversations.
    st.tuples(st.just("visit"), WHO, st.tuples(st.sampled_from(COMMANDS),
                                               st.lists(st.integers(0, 30), max_size=4))),
    st.tuples(st.just("tap"), WHO, st.integers(0, 30)),
    st.tuples(st.just("text"), WHO,
              st.one_of(st.text(max_size=400), _dates(), st.sampled_from(NASTY))),
    st.tuples(st.just("press"), WHO, _forged()),
)


async def _tap(app: Any, updates: UpdateFactory, api: FakeBotAPI, user: TgUser,
               index: int) -> None:
    markup = api.last_message(user.id).reply_markup or {}
    buttons = [b for row in markup.get("inline_keyboard", []) for b in row
               if "callback_data" in b]
    if buttons:
        choice = buttons[index % len(buttons)]["callback_data"]
        if not choice.startswith(ENDINGS):
            TAPPED.add(choice.split(":", 1)[0])
            await app.process_update(updates.press(user, choice))


async def _open_ids(db: Any, clock: Any) -> dict[str, int]:
    """A goal, a step and a meeting that are still open (a walk may close, drop or cancel the
    ones it had)."""
    async with db.uow() as uow:
        pid = (await uow.session.execute(select(Participant.id))).scalars().first()
        # An open meeting: "Another date: I'll type it" needs one.
        meeting = (await uow.session.execute(select(Meeting).where(
            Meeting.participant_id == pid, Meeting.status == "planned",
            Meeting.starts_at > clock.now()))).scalars().first()
        if meeting is None:
            participant = await uow.session.get(Participant, pid)
            meeting = Meeting(participant_id=pid, coach_id=participant.coach_id,
                              starts_at=clock.now() + timedelta(days=3), place="office",
                              created_at=clock.now(), updated_at=clock.now())
            uow.session.add(meeting)
            await uow.session.flush()
        mid = meeting.id
        await uow.commit()
    async with db.uow() as uow:
        step = (await uow.session.execute(select(Step).where(
            Step.participant_id == pid, Step.status == "open").order_by(Step.id))).scalars().first()
        goal = None if step is None else await uow.session.get(Goal, step.goal_id)
        found = None if step is None or goal is None or goal.status != "active" else (
            goal.id, step.id)
    if found is None:
        gid, (sid,) = await seed_goal(db, pid, clock.now(), "Nieuw doel", [StepSpec("Nieuw")])
        return {"pid": pid, "gid": gid, "sid": sid, "mid": mid}
    return {"pid": pid, "gid": found[0], "sid": found[1], "mid": mid}


async def _enter(app: Any, updates: UpdateFactory, db: Any, clock: Any, flow: str) -> None:
    who, steps = ENTRIES[flow]
    user = PARTICIPANT if who == "p" else COACH
    await app.process_update(updates.command(user, "annuleer"))
    ids = await _open_ids(db, clock)
    if flow == "coach_name":
        async with db.uow() as uow:
            account = await uow.accounts.by_telegram_user(COACH.id)
            account_id = account.id
        await conversation.begin(db, account_id, "name", CoachNameFlow(), clock.now())
    for step in steps:
        if step.startswith("/"):
            await app.process_update(updates.command(user, step[1:]))
        else:
            await app.process_update(updates.press(user, step.format(**ids)))
    async with db.uow() as uow:
        account = await uow.accounts.by_telegram_user(user.id)
        state = await uow.session.get(FlowState, account.id)
        if state is not None:
            REACHED.add(state.flow)



async def _walk(app: Any, updates: UpdateFactory, api: FakeBotAPI, actions: list[Any]) -> None:
    users = {"p": PARTICIPANT, "c": COACH}
    for kind, who, value in actions:
        user = users[who]
        if kind == "visit":
            command, taps = value
            await app.process_update(updates.command(user, command))
            for index in taps:
                await _tap(app, updates, api, user, index)
        elif kind == "tap":
            await _tap(app, updates, api, user, value)
        elif kind == "text":
            await app.process_update(updates.text(user, value))
        elif not value.startswith(ENDINGS):
            await app.process_update(updates.press(user, value))
        RUNS["actions"] += 1


async def _look_at_everything(app: Any, updates: UpdateFactory, api: FakeBotAPI,
                              clock: Any) -> None:
    for user in (PARTICIPANT, COACH):
        await app.process_update(updates.command(user, "annuleer"))
    for name in ("stappen", "menu", "brug", "kaartjes"):
        await app.process_update(updates.command(PARTICIPANT, name))
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    clock.advance(days=1)
    dispatcher: Dispatcher = app.bot_data["dispatcher"]
    await dispatcher.tick()


async def test_random_walks_through_every_conversation_break_nothing(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any,
    caplog: Any
) -> None:
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id)
    pid = await seed_participant(db, world, clock.now(), name="Fatima")
    await seed_goal(db, pid, clock.now(), "Rust in mijn schulden", [
        StepSpec("Schuldhulp aanvraag indienen", due=clock.now().date() + timedelta(days=2)),
        StepSpec("Bel de bank")])
    await app.process_update(updates.command(PARTICIPANT, "menu"))
    await app.process_update(updates.command(COACH, "deelnemers"))

    loop = asyncio.get_running_loop()

    def run(coroutine: Any) -> Any:
        """Hypothesis drives from a worker thread; the bot runs on the test's own loop."""
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(ACTION, min_size=1, max_size=10))
    def walk(actions: list[Any]) -> None:
        caplog.clear()
        # Each conversation in turn, with random input: every one gets EXAMPLES / 10 walks.
        flow = sorted(ENTRIES)[RUNS["examples"] % len(ENTRIES)]
        run(_enter(app, updates, db, clock, flow))
        run(_walk(app, updates, telegram_api, actions))
        run(_look_at_everything(app, updates, telegram_api, clock))
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert errors == [], (flow, actions, errors)
        assert telegram_api.violations == [], (actions, telegram_api.violations)
        assert telegram_api.pending_callbacks == set(), actions  # every press answered
        RUNS["examples"] += 1

    with caplog.at_level(logging.ERROR):
        await asyncio.to_thread(walk)
    print(f"\nfuzz: {RUNS['examples']} walks, {RUNS['actions']} random actions, "
          f"{len(TAPPED)} kinds of buttons tapped: {sorted(TAPPED)}")
    # Every conversation the bot has was entered and fed (the list comes from the router, so
    # a new conversation without its entry here fails).
    assert set(ENTRIES) == set(app.bot_data["router"]._steps)
    assert set(ENTRIES) == REACHED
    assert RUNS["examples"] >= EXAMPLES
