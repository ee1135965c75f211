"""One way to handle a button press.

`PressHandler(Cls, callback, role=...)` routes presses by the class's prefix, unpacks the typed
`CallbackData`, checks that the person pressing has the role the button is for, and gives the
kind refusal once: a forged or outdated button gets "This button no longer works.", someone in
the wrong role gets "These buttons are for ...". The callback receives the parsed `Pressed`.
Ownership (a coach reaches only their own participants) stays in the use cases.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.flows.identity import Who
from bot.i18n import _
from bot.telegram.context import BotContext
from bot.ui.buttons.base import BadCallback, CallbackData

Role = Literal["participant", "coach", "admin"]
D = TypeVar("D", bound=CallbackData)


def no_longer_works(hint: str = "") -> str:
    """The one refusal for a forged, garbled or outdated button (optionally with a way on)."""
    text = _("This button no longer works.")
    return f"{text} {hint}" if hint else text


def not_for_role(role: Role) -> str:
    texts = {
        "participant": _("These buttons are for participants."),
        "coach": _("These buttons are for coaches."),
        "admin": _("These buttons are for the administrator."),
    }
    return texts[role]


def has_role(who: Who | None, role: Role) -> bool:
    """The only role check for presses (commands and typed text check with the same rule)."""
    if who is None or who.account_id is None:
        return False
    if role == "participant":
        return who.participant_id is not None
    if role == "coach":
        return who.coach_id is not None
    return who.role == "admin"


def participant_of(who: Who | None) -> int | None:
    """The participant id of someone in the participant role (commands, typed text)."""
    return who.participant_id if who is not None and has_role(who, "participant") else None


def coach_of(who: Who | None) -> int | None:
    """The coach id of someone in the coach role (commands and typed text), else None."""
    return who.coach_id if who is not None and has_role(who, "coach") else None


@dataclass(frozen=True)
class Pressed(Generic[D]):
    """A press that passed the checks: its query, typed data and the person (in the role)."""

    update: Update
    query: CallbackQuery
    data: D
    who: Who

    @property
    def account_id(self) -> int:
        assert self.who.account_id is not None  # guaranteed by has_role
        return self.who.account_id

    @property
    def participant_id(self) -> int:
        if self.who.participant_id is None:
            raise LookupError("not a participant's press")
        return self.who.participant_id

    @property
    def coach_id(self) -> int:
        if self.who.coach_id is None:
            raise LookupError("not a coach's press")
        return self.who.coach_id

    @property
    def message(self) -> Message | None:
        """The message the button is on, when the bot can still use it."""
        message = self.query.message
        return message if isinstance(message, Message) else None

    @property
    def chat_id(self) -> int:
        message = self.query.message
        return message.chat.id if message is not None else self.who.telegram_user_id


OnPress = Callable[[Pressed[D], BotContext], Awaitable[None]]


class _Stale:
    """check_update's result for a press of this prefix whose data does not parse."""


STALE = _Stale()


class PressHandler(CallbackQueryHandler[BotContext, None]):  # type: ignore[type-var]
    __slots__ = ("data_class", "hint", "on_press", "roles", "when")

    def __init__(
        self,
        data_class: type[D],
        on_press: OnPress[D],
        *,
        role: Role | tuple[Role, ...],
        when: Callable[[D], bool] | None = None,
        hint: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(_never_called, pattern=data_class.pattern())
        self.data_class: type[CallbackData] = data_class
        self.on_press: OnPress[Any] = on_press
        self.roles = role if isinstance(role, tuple) else (role,)
        # `when` narrows a shared class to some of its values (home:brug, home:cards, ...).
        self.when: Callable[[Any], bool] | None = when
        self.hint = hint

    def check_update(self, update: object) -> object | None:
        if not super().check_update(update):
            return None
        assert isinstance(update, Update) and update.callback_query is not None
        try:
            data = self.data_class.unpack(update.callback_query.data or "")
        except BadCallback:
            return STALE
        if self.when is not None and not self.when(data):
            return None
        return data

    async def handle_update(  # type: ignore[override]
        self,
        update: Update,
        application: Application,  # type: ignore[type-arg]
        check_result: object,
        context: BotContext,
    ) -> None:
        query = update.callback_query
        assert query is not None
        if check_result is STALE or not isinstance(check_result, CallbackData):
            await query.answer(no_longer_works(self.hint() if self.hint else ""))
            return
        who = context.who
        if who is None or not any(has_role(who, role) for role in self.roles):
            await query.answer(not_for_role(self.roles[0]) if len(self.roles) == 1
                               else no_longer_works())
            return
        await self.on_press(Pressed(update, query, check_result, who), context)


async def _never_called(update: Update, context: BotContext) -> None:
    raise AssertionError("PressHandler calls on_press itself")
