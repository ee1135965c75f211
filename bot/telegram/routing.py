"""Who may do what: one role rule and one refusal for presses, commands and typed text.

Every way in names its audience: a role ("participant", "coach", "admin"), "anyone", or one
callback per audience (`{"participant": show_own, "coach": point_to_list}`). The first audience
the person is in is served; anyone else gets the one refusal of the first audience named
("This is for participants. ..." on a message; "These buttons are for ..." on a press, or
"This button no longer works." when several roles may press it).
Handlers never test roles themselves: they receive `Pressed` (handlers/press.py) or `Said`
(here), whose `participant_id` / `coach_id` / `account_id` the guard has vouched for.

- Commands: `Command("stappen", open_list, role="participant")` (both language names).
- Typed text outside a flow: `Typed(filters, on_text, role=...)`, or `message_route(...)` for a
  callback that takes (update, context), like the conversation router's fallback.
- A flow's typed text: `router.on(FLOW, text_step(on_text, role="coach"))`; a router that wants
  to check itself calls `allowed(who, role)` and `refuse(update, role)`.
- A flow's buttons (`PlanTap`): `router.on(FLOW, ..., tap=flow_taps({("more", "save"): save},
  role="coach"))`, one callback per (step of the flow, action of the button).
"""

from __future__ import annotations

import typing
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from telegram import Message, Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.command_names import names
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.ui.buttons.coach import PlanTap

if TYPE_CHECKING:
    from bot.flows.conversation import Conversation
    from bot.flows.identity import Who

Role = Literal["participant", "coach", "admin"]
# "anyone": everyone, with or without an account (commands such as /help, /privacy).
Audience = Literal["participant", "coach", "admin", "anyone"]
F = TypeVar("F", bound=Callable[..., Awaitable[None]])


def allowed(who: Who | None, audience: Audience) -> bool:
    """The one role rule, for presses, commands and typed text alike."""
    if audience == "anyone":
        return True
    if who is None or who.account_id is None:
        return False
    if audience == "participant":
        return who.participant_id is not None
    if audience == "coach":
        return who.coach_id is not None
    return who.role == "admin"


def no_longer_works(hint: str = "") -> str:
    """The one refusal for a forged, garbled or outdated button (optionally with a way on)."""
    text = _("This button no longer works.")
    return f"{text} {hint}" if hint else text


def press_refusal(role: Role) -> str:
    texts = {
        "participant": _("These buttons are for participants."),
        "coach": _("These buttons are for coaches."),
        "admin": _("These buttons are for the administrator."),
    }
    return texts[role]


def message_refusal(role: Role) -> str:
    texts = {
        "participant": _("This is for participants. Ask your coach for your personal link."),
        "coach": _("This is only for coaches. Type /help to see what you can do."),
        "admin": _("This is only for the administrator."),
    }
    return texts[role]


async def refuse(update: Update, role: Role) -> None:
    """The one refusal for someone outside `role`: a press is answered, a message replied to."""
    if update.callback_query is not None:
        await update.callback_query.answer(press_refusal(role))
    elif update.effective_message is not None:
        await update.effective_message.reply_text(message_refusal(role))


def audiences(on: F | Mapping[Audience, F], role: Audience | tuple[Audience, ...] | None
              ) -> dict[Audience, F]:
    """`(callback, role=...)` or `({audience: callback, ...})` as one ordered table."""
    if isinstance(on, Mapping):
        if role is not None or not on:
            raise ValueError("give either one callback with role=, or a table per audience")
        table = dict(on)
    else:
        if role is None:
            raise ValueError("a callback needs its role= (or 'anyone')")
        table = dict.fromkeys(role if isinstance(role, tuple) else (role,), on)
    if "anyone" in table and list(table)[-1] != "anyone":
        raise ValueError("'anyone' takes everyone: it must come last")
    return table


def served(table: Mapping[Audience, F], who: Who | None) -> F | None:
    """The callback for the first audience the person is in, if any."""
    return next((on for audience, on in table.items() if allowed(who, audience)), None)


def first_role(table: Mapping[Audience, Any]) -> Role:
    """Whose refusal someone outside every audience gets (never "anyone": it takes all)."""
    first = next(iter(table))
    assert first != "anyone"
    return first


class InRole:
    """The ids of the person the guard let through (a press or a message)."""

    who: Who

    @property
    def account_id(self) -> int:
        if self.who.account_id is None:
            raise LookupError("no account (an 'anyone' route)")
        return self.who.account_id

    @property
    def participant_id(self) -> int:
        if self.who.participant_id is None:
            raise LookupError("not a participant's update")
        return self.who.participant_id

    @property
    def coach_id(self) -> int:
        if self.who.coach_id is None:
            raise LookupError("not a coach's update")
        return self.who.coach_id


@dataclass(frozen=True)
class Said(InRole):
    """A command or typed text that passed the guard: the update, its message, the person."""

    update: Update
    message: Message
    who: Who


OnMessage = Callable[[Said, BotContext], Awaitable[None]]
OnFlowText = Callable[[Said, BotContext, "Conversation"], Awaitable[None]]
MessageCallback = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def message_route(on: OnMessage | Mapping[Audience, OnMessage], *,
                  role: Audience | tuple[Audience, ...] | None = None) -> MessageCallback:
    """A plain (update, context) callback that serves a message by audience or refuses it."""
    table = audiences(on, role)

    async def route(update: Update, context: BotContext) -> None:
        message, who = update.effective_message, context.who
        if message is None or who is None:  # no person behind it (channel posts): no answer
            return
        callback = served(table, who)
        if callback is None:
            await refuse(update, first_role(table))
            return
        await callback(Said(update, message, who), context)

    return route


class Command(CommandHandler[BotContext, None]):  # type: ignore[type-var]
    """A command under its Dutch and English names, served by audience (see the module)."""

    def __init__(self, dutch_name: str, on: OnMessage | Mapping[Audience, OnMessage], *,
                 role: Audience | tuple[Audience, ...] | None = None) -> None:
        super().__init__(names(dutch_name), message_route(on, role=role))
        self.name = dutch_name
        self.audiences = tuple(audiences(on, role))


class Typed(MessageHandler[BotContext, None]):  # type: ignore[type-var]
    """Messages that match `filters` (outside the conversation router), served by audience."""

    def __init__(self, matching: filters.BaseFilter,
                 on: OnMessage | Mapping[Audience, OnMessage], *,
                 role: Audience | tuple[Audience, ...] | None = None) -> None:
        super().__init__(matching, message_route(on, role=role))
        self.audiences = tuple(audiences(on, role))


def text_step(on: OnFlowText, *, role: Role
              ) -> Callable[[Update, BotContext, Conversation], Awaitable[None]]:
    """A flow's typed-text step for the conversation router, behind the same guard."""

    async def step(update: Update, context: BotContext, state: Conversation) -> None:
        message, who = update.effective_message, context.who
        if message is None or who is None:
            return
        if not allowed(who, role):
            await refuse(update, role)
            return
        await on(Said(update, message, who), context, state)

    return step


OnTap = Callable[[Said, BotContext, "Conversation", PlanTap], Awaitable[None]]
TapStep = Callable[[Update, BotContext, "Conversation", PlanTap, Message], Awaitable[None]]
_TAP_ACTIONS = frozenset(typing.get_args(PlanTap.model_fields["action"].annotation))


def flow_taps(table: Mapping[tuple[str, str], OnTap], *, role: Role) -> TapStep:
    """A flow's buttons for the conversation router, declared per (flow step, button action):
    a button that is not in the table at the step the flow is at does nothing."""
    unknown = {action for _step, action in table} - _TAP_ACTIONS
    if unknown:
        raise ValueError(f"PlanTap has no action {sorted(unknown)}")

    async def tap_step(update: Update, context: BotContext, state: Conversation, tap: PlanTap,
                       message: Message) -> None:
        on_tap = table.get((state.step, tap.action))
        who = context.who
        if on_tap is None or update.callback_query is None:
            if update.callback_query is not None:
                await update.callback_query.answer(no_longer_works())
            return
        if who is None or not allowed(who, role):
            await refuse(update, role)
            return
        await on_tap(Said(update, message, who), context, state, tap)

    return tap_step
