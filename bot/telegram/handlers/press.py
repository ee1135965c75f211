"""One way to handle a button press.

`PressHandler(Cls, on_press, role=...)` routes presses by the class's prefix, unpacks the typed
`CallbackData`, checks with the one role rule (bot/telegram/routing.py) that the person pressing
is in the audience the button is for, and gives the kind refusal once: a forged or outdated
button gets "This button no longer works.", someone in the wrong role gets "These buttons are
for ...". The callback receives the parsed `Pressed`. A class with a route (bot/ui/buttons/base.py)
gets one handler per value of its route field: `when="pick"` or `when=("up", "down")`. One
callback per audience instead of `role=`: `PressHandler(Setting, {"participant": mine,
"coach": coach_language}, when="lang")`. Ownership (a coach reaches only their own
participants) stays in the access guard and the use cases.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import CallbackQuery, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.flows.identity import Who
from bot.telegram.context import BotContext
from bot.telegram.routing import (
    Audience,
    InRole,
    audiences,
    first_role,
    no_longer_works,
    refuse,
    served,
)
from bot.ui.buttons.base import BadCallback, CallbackData

D = TypeVar("D", bound=CallbackData)
__all__ = ["STALE", "OnPress", "PressHandler", "Pressed", "no_longer_works"]


@dataclass(frozen=True)
class Pressed(InRole, Generic[D]):
    """A press that passed the checks: its query, typed data and the person (in the role)."""

    update: Update
    query: CallbackQuery
    data: D
    who: Who

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
    __slots__ = ("data_class", "hint", "routes", "when")

    def __init__(
        self,
        data_class: type[D],
        on_press: OnPress[D] | Mapping[Audience, OnPress[D]],
        *,
        role: Audience | tuple[Audience, ...] | None = None,
        when: str | tuple[str, ...] | None = None,
        hint: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(_never_called, pattern=data_class.pattern())
        self.data_class: type[CallbackData] = data_class
        self.routes: dict[Audience, OnPress[Any]] = audiences(on_press, role)
        self.when = _values(data_class, when)
        self.hint = hint

    def check_update(self, update: object) -> object | None:
        if not super().check_update(update):
            return None
        assert isinstance(update, Update) and update.callback_query is not None
        try:
            data = self.data_class.unpack(update.callback_query.data or "")
        except BadCallback:
            return STALE
        if self.when is not None and getattr(data, self.data_class.route or "") not in self.when:
            return None  # another value of the route: another handler's press
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
        on_press = served(self.routes, who) if who is not None else None
        if who is None or on_press is None:
            # One audience: say whose buttons these are; several: just that it does not work.
            if len(self.routes) == 1:
                await refuse(update, first_role(self.routes))
            else:
                await query.answer(no_longer_works())
            return
        await on_press(Pressed(update, query, check_result, who), context)


def _values(data_class: type[CallbackData], when: str | tuple[str, ...] | None
            ) -> frozenset[str] | None:
    """The route values a handler takes, checked against the class when it is registered."""
    name = data_class.__name__
    if data_class.route is None:
        if when is not None:
            raise ValueError(f"{name} has no route: its presses have one handler, no when=")
        return None
    if when is None:
        raise ValueError(f"{name} is routed by {data_class.route!r}: say which values this "
                         f"handler takes (when=)")
    values = frozenset((when,) if isinstance(when, str) else when)
    unknown = values - set(data_class.route_values())
    if unknown or not values:
        raise ValueError(f"{name}.{data_class.route} has no value {sorted(unknown)}")
    return values


async def _never_called(update: Update, context: BotContext) -> None:
    raise AssertionError("PressHandler calls on_press itself")
