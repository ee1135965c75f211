"""One routing style and one role guard (bot/telegram/routing.py, handlers/press.py).

- Handlers never compare button data to strings: a class routes by a declared field and every
  value has exactly one handler (`PressHandler(..., when=...)`); a scan of the handlers' source
  finds any comparison that slipped back in.
- Handlers never test roles: commands, typed text and presses are served by audience, and a
  person outside it gets the one refusal and changes nothing; a scan finds any role test by
  hand.
- Button data already on people's phones still reads the same, and an unknown prefix or garbled
  data gets the kind "no longer works".
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import typing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

import bot.ui.buttons
from bot.core.conversations import MeetingWhenFlow
from bot.flows import conversation
from bot.i18n import using_locale
from bot.telegram.handlers.press import Pressed, PressHandler
from bot.telegram.routing import Command, message_refusal
from bot.ui.buttons.base import REGISTRY, CallbackData
from bot.ui.buttons.handover import Handover
from bot.ui.buttons.participant import StepDone
from tests.support.builders import seed_coach, seed_participant
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory
from tests.test_access_matrix import _snapshot

ROOT = Path(__file__).resolve().parent.parent
HANDLERS = ROOT / "bot" / "telegram"
COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
STRANGER = TgUser(id=4242, first_name="Onbekend", language_code="nl")
FOR_PARTICIPANTS = "Dit is voor deelnemers. Vraag je coach om je persoonlijke link."
FOR_COACHES = "Dit is alleen voor coaches. Typ /help om te zien wat je kunt doen."
NO_LONGER_WORKS = "Deze knop werkt niet meer."

# Left to the helper who moves the plan flow into bot/flows (issue 20, item 4): its buttons'
# steps still branch on PlanTap.action, and its save reads the coach's ids from `context.who`.
NOT_YET: set[str] = set()


def _classes() -> list[type[CallbackData]]:
    for module in pkgutil.iter_modules(bot.ui.buttons.__path__):
        importlib.import_module(f"bot.ui.buttons.{module.name}")
    return [cls for cls in REGISTRY.values() if cls.__module__.startswith("bot.")]


def _literals(annotation: Any) -> set[str]:
    found = set()
    if typing.get_origin(annotation) is typing.Literal:
        found |= {a for a in typing.get_args(annotation) if isinstance(a, str)}
    for arg in typing.get_args(annotation):
        if arg is not annotation:
            found |= _literals(arg)
    return found


def _string_fields() -> dict[str, set[str]]:
    """field name -> the strings a button's Literal field of that name can hold."""
    fields: dict[str, set[str]] = {}
    for cls in _classes():
        for name, info in cls.model_fields.items():
            if values := _literals(info.annotation):
                fields.setdefault(name, set()).update(values)
    return fields


def _strings(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and node.elts:
        parts = [_strings(e) for e in node.elts]
        return set().union(*parts) if all(parts) else set()
    return set()


def _name(node: ast.expr) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else (
        node.id if isinstance(node, ast.Name) else None)


def compared_button_strings(source: str, fields: dict[str, set[str]]) -> list[str]:
    """Comparisons of a button field (or a name like it) with one of that field's values."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for side in sides:
            values = fields.get(_name(side) or "", set())
            if any(_strings(other) & values for other in sides if other is not side):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
                break
    return found


ROLE_RULE = {"allowed", "has_role", "participant_of", "coach_of"}
ROLE_IDS = {"participant_id", "coach_id"}


def _is_who(node: ast.expr) -> bool:
    return _name(node) == "who"


def role_checks(source: str) -> list[str]:
    """The role rule called by hand, a role compared, or a person's role ids tested for None."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in ROLE_RULE:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        role = any(_name(side) == "role" for side in sides) and any(
            _strings(side) for side in sides)
        ids = any(isinstance(side, ast.Attribute) and side.attr in ROLE_IDS
                  and _is_who(side.value) for side in sides) and any(
            isinstance(side, ast.Constant) and side.value is None for side in sides)
        if role or ids:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


# The guards themselves: the role guard, and the access guard (which tells a coach why).
GUARDS = {"bot/telegram/routing.py", "bot/telegram/handlers/access.py"}


def _handler_sources() -> dict[str, str]:
    sources = {str(path.relative_to(ROOT)): path.read_text()
               for path in sorted(HANDLERS.rglob("*.py"))}
    return {path: source for path, source in sources.items() if path not in GUARDS}


def test_no_handler_compares_button_strings() -> None:
    fields = _string_fields()
    found = {path: hits for path, source in _handler_sources().items()
             if path not in NOT_YET and (hits := compared_button_strings(source, fields))}
    assert found == {}


def test_the_scan_finds_a_comparison_and_a_ladder() -> None:
    fields = _string_fields()
    ladder = ("if press.data.action == 'list':\n    pass\n"
              "elif data.a in ('coming', 'cannot'):\n    pass\n"
              "action = press.data.action\nif action != 'export':\n    pass\n")
    assert len(compared_button_strings(ladder, fields)) == 3
    # Strings of another kind (a flow's step, a use case's outcome) are not button data.
    assert compared_button_strings("if state.step == 'text' or outcome == 'refused': pass",
                                   fields) == []


def test_no_handler_checks_a_role_by_hand() -> None:
    found = {path: hits for path, source in _handler_sources().items()
             if path not in NOT_YET and (hits := role_checks(source))}
    assert found == {}


def test_the_scan_finds_a_role_check() -> None:
    by_hand = ("if participant_of(context.who) is None: pass\n"
               "if who.coach_id is not None: pass\n"
               "assert who is not None and press.who.participant_id is not None\n"
               "if who.role == 'admin': pass\n"
               "if has_role(who, 'coach'): pass\n")
    assert len(role_checks(by_hand)) == 5
    # Using an id the guard vouched for is not a check.
    assert role_checks("x = press.participant_id\ny = who.participant_id if who else None") \
        == []


def test_the_exemptions_are_still_needed() -> None:
    """When the plan flow moves, NOT_YET must shrink with it (never grow)."""
    fields, sources = _string_fields(), _handler_sources()
    for path in NOT_YET:
        if path in sources:
            assert compared_button_strings(sources[path], fields) or \
                role_checks(sources[path]), f"{path} is clean now: drop it from NOT_YET"


# --- every value of a route has one handler -----------------------------------------------


def _press_handlers(app: Any) -> list[PressHandler]:
    return [h for group in app.handlers.values() for h in group if isinstance(h, PressHandler)]


def unrouted(handlers: list[PressHandler], classes: list[type[CallbackData]]) -> list[str]:
    """Route values with no handler, or with more than one."""
    problems = []
    for cls in classes:
        for value in cls.route_values():
            claims = [h for h in handlers if h.data_class is cls and h.when is not None
                      and value in h.when]
            if len(claims) != 1:
                problems.append(f"{cls.__name__}.{cls.route}={value}: {len(claims)} handlers")
    return problems


async def test_every_route_value_has_exactly_one_handler(app: Any) -> None:
    classes = [cls for cls in _classes() if cls.route]
    assert len(classes) >= 20
    assert unrouted(_press_handlers(app), classes) == []


async def _nothing(press: Pressed[Any], context: Any) -> None:
    return None


def test_a_route_value_without_its_handler_is_found() -> None:
    class Sneaky(CallbackData, prefix="zzsneaky", route="what"):
        what: typing.Literal["one", "two"]

    try:
        handlers = [PressHandler(Sneaky, _nothing, role="coach", when="one")]
        assert unrouted(handlers, [Sneaky]) == ["Sneaky.what=two: 0 handlers"]
        handlers.append(PressHandler(Sneaky, _nothing, role="coach", when=("one", "two")))
        assert unrouted(handlers, [Sneaky]) == ["Sneaky.what=one: 2 handlers"]
    finally:
        del REGISTRY["zzsneaky"]


def test_when_is_checked_when_a_handler_is_made() -> None:
    with pytest.raises(ValueError, match="no value"):
        PressHandler(Handover, _nothing, role="coach", when="typo")
    with pytest.raises(ValueError, match="when="):
        PressHandler(Handover, _nothing, role="coach")
    with pytest.raises(ValueError, match="no route"):
        PressHandler(StepDone, _nothing, role="participant", when="x")
    with pytest.raises(ValueError, match="Literal"):
        class Bad(CallbackData, prefix="zzbad", route="n"):
            n: int
    REGISTRY.pop("zzbad", None)


# --- buttons already on people's phones ------------------------------------------------------

# Packed by the bot before one class per route value existed: they must still read the same and
# reach exactly one handler.
ON_PHONES = [
    "mtc:list:5::::", "mtc:accept:5:7:20270301:1430:", "mtc:place:5::20270301:930:office",
    "mta:coming:7", "mta:type_day:7", "mtw:7:20270301:evening",
    "brf:q:3:0:0", "brf:tn:3:0:0", "brm:time:", "brc:together:5:",
    "priv:stop_yes", "priv:texts_off", "set:lang:nl", "set:name:go", "home:brug", "home:talk",
    "cho:pick:5:4", "ctr:yes:5:moved", "ci:revoke:5", "cg:notify:9", "cs:down:11",
    "lsf:3:no", "lsc:pause", "rml:11:week", "rmb:coach", "sb:if_then:11", "ob:lang:nl",
    "og:pillar:money", "pa:two_weeks", "stm:11:next_week", "stw:none",
]


async def test_button_data_on_phones_still_reads_and_routes(app: Any) -> None:
    handlers = _press_handlers(app)
    for data in ON_PHONES:
        cls = REGISTRY[data.split(":", 1)[0]]
        assert cls.unpack(data).pack() == data
        update = _press_update(app, data)
        claims = [h for h in handlers if h.check_update(update) not in (None, False)]
        assert len(claims) == 1, data


def _press_update(app: Any, data: str) -> Any:
    from telegram import Update

    return Update.de_json({"update_id": 1, "callback_query": {
        "id": "1", "from": FATIMA.to_dict(), "chat_instance": "c", "data": data}}, app.bot)


@pytest.mark.parametrize("data", ["zzgone:1", "mtc:bogus:5", "priv", "cho:ask:abc", "home:x"])
async def test_old_or_garbled_buttons_get_the_kind_answer(
    data: str, app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id)
    await seed_participant(db, world, clock.now(), telegram_user_id=FATIMA.id)
    await app.process_update(updates.command(FATIMA, "help"))
    for user in (FATIMA, COACH):
        before = len(telegram_api.calls)
        await app.process_update(updates.press(user, data, telegram_api.last_message(
            FATIMA.id)))
        made = telegram_api.calls[before:]
        assert [c.method for c in made] == ["answerCallbackQuery"]
        assert made[0].params["text"].startswith(NO_LONGER_WORKS)


# --- the one refusal for commands, typed text and presses ------------------------------------


def _commands(app: Any, audiences: tuple[str, ...]) -> list[str]:
    return sorted(h.name for group in app.handlers.values() for h in group
                  if isinstance(h, Command) and h.audiences == audiences)


async def _people(db: Any, clock: Any) -> int:
    world = await seed_coach(db, clock.now(), telegram_user_id=COACH.id)
    return await seed_participant(db, world, clock.now(), telegram_user_id=FATIMA.id)


async def _refused(app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any,
                   user: TgUser, commands: list[str], refusal: str) -> None:
    before = await _snapshot(db)
    for command in commands:
        start = len(telegram_api.calls)
        await app.process_update(updates.command(user, command))
        made = telegram_api.calls[start:]
        assert [(c.method, c.params.get("text")) for c in made] == [("sendMessage", refusal)], \
            command
    assert await _snapshot(db) == before


async def test_a_coach_using_a_participant_command_gets_the_one_refusal(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    await _people(db, clock)
    commands = _commands(app, ("participant",))
    assert {"stappen", "pauze", "verder", "les", "doel"} <= set(commands)
    await _refused(app, updates, telegram_api, db, COACH, commands, FOR_PARTICIPANTS)


async def test_a_participant_using_a_coach_command_gets_the_one_refusal(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    await _people(db, clock)
    commands = _commands(app, ("coach",))
    assert {"deelnemers", "nieuw", "overzicht"} <= set(commands)
    await _refused(app, updates, telegram_api, db, FATIMA, commands, FOR_COACHES)


async def test_someone_without_a_role_gets_the_refusal_of_the_first_audience(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    await _people(db, clock)
    participant_first = _commands(app, ("participant", "coach"))
    assert {"brug", "kaartjes", "beloningen", "instellingen"} <= set(participant_first)
    await _refused(app, updates, telegram_api, db, STRANGER,
                   _commands(app, ("participant",)) + participant_first, FOR_PARTICIPANTS)
    await _refused(app, updates, telegram_api, db, STRANGER, _commands(app, ("coach",)),
                   FOR_COACHES)


async def test_every_command_names_its_audience(app: Any) -> None:
    """A command registered past the guard would decide on roles by hand (or not at all)."""
    from telegram.ext import CommandHandler

    plain = sorted(c for group in app.handlers.values() for h in group
                   if isinstance(h, CommandHandler) and not isinstance(h, Command)
                   for c in h.commands)
    assert plain == ["annuleer", "cancel"]  # leaving any flow is for everyone, in any flow


async def test_typed_text_in_a_flow_of_another_role_is_refused_and_changes_nothing(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    """A participant's account left in a coach's flow (the meeting's day and time)."""
    participant_id = await _people(db, clock)
    async with db.uow() as uow:
        account_id = (await uow.session.execute(text(
            "SELECT account_id FROM participants WHERE id = :p"), {"p": participant_id})
        ).scalar_one()
    await conversation.begin(db, account_id, "when", MeetingWhenFlow(pid=participant_id, m=None),
                             clock.now())
    before = await _snapshot(db)
    start = len(telegram_api.calls)
    await app.process_update(updates.text(FATIMA, "12-3 14:30"))
    made = telegram_api.calls[start:]
    assert [(c.method, c.params.get("text")) for c in made] == [("sendMessage", FOR_COACHES)]
    assert await _snapshot(db) == before


async def test_a_routed_coach_button_pressed_by_a_participant_gets_the_one_refusal(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    participant_id = await _people(db, clock)
    await app.process_update(updates.command(FATIMA, "help"))
    before = await _snapshot(db)
    for data in (f"cho:ask:{participant_id}:", f"mtc:list:{participant_id}::::",
                 f"ci:new:{participant_id}"):
        start = len(telegram_api.calls)
        await app.process_update(updates.press(FATIMA, data))
        made = telegram_api.calls[start:]
        assert [(c.method, c.params.get("text")) for c in made] == \
            [("answerCallbackQuery", "Deze knoppen zijn voor coaches.")], data
    assert await _snapshot(db) == before


def test_the_refusals_are_written_once() -> None:
    """The sentence lives in bot/telegram/routing.py only (it was written six times)."""
    sentence = "This is for participants"
    holders = [str(p.relative_to(ROOT)) for p in (ROOT / "bot").rglob("*.py")
               if sentence in p.read_text()]
    assert holders == ["bot/telegram/routing.py"]
    with using_locale("en"):
        assert message_refusal("participant").startswith(sentence)
