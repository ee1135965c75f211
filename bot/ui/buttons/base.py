"""Typed, prefixed callback data for inline buttons.

Buttons carry `prefix:field:field` strings built from small pydantic models, never visible text
(which changes with the language). Packing checks Telegram's 64-byte limit; unpacking validates
types, so forged or garbled data becomes a `BadCallback` the handler answers kindly.

A class whose presses do different things by one of its fields names that field as its route
(`class Handover(CallbackData, prefix="cho", route="action")`, a `Literal` of strings): every
value then has its own handler (`PressHandler(Handover, confirm, role="coach", when="pick")`),
so no handler compares the field itself. Only the prefix and the order of the fields are on
people's phones: renaming a field or splitting a route changes nothing there.
"""

from __future__ import annotations

import re
import typing
from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from bot.core.ids import Id as Id  # re-exported: every button class takes it from here

MAX_BYTES = 64
SEPARATOR = ":"

# Every id in button data is the bounded `Id` (bot/core/ids.py), so forged data like
# "std:99999999999999:0" is a clean `BadCallback` instead of a database error.

# prefix -> class, for every callback class that exists (the press handlers are checked
# against it in the tests: each class must have a handler).
REGISTRY: dict[str, type[CallbackData]] = {}


class BadCallback(ValueError):
    """Callback data that does not parse: forged, garbled or from an older bot version."""


class CallbackData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    prefix: ClassVar[str]
    # The field whose value picks the handler (see the module), or None: one handler.
    route: ClassVar[str | None] = None

    def __init_subclass__(cls, prefix: str = "", route: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.route = route or None
        if prefix:
            if not re.fullmatch(r"[a-z][a-z0-9_]{0,11}", prefix):
                raise ValueError(f"bad callback prefix {prefix!r}")
            if prefix in REGISTRY:
                # Two classes on one prefix would route each other's presses.
                raise ValueError(f"callback prefix {prefix!r} is used by "
                                 f"{REGISTRY[prefix].__qualname__} already")
            cls.prefix = prefix
            REGISTRY[prefix] = cls

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__()
        if cls.route is not None and not cls.route_values():
            raise ValueError(f"route {cls.route!r} of {cls.__qualname__} is not a field with "
                             "a Literal of strings")

    @classmethod
    def route_values(cls) -> tuple[str, ...]:
        """The values of the route field, each of which has its own handler."""
        field = cls.model_fields.get(cls.route or "")
        if field is None or typing.get_origin(field.annotation) is not Literal:
            return ()
        values = typing.get_args(field.annotation)
        return values if all(isinstance(v, str) for v in values) else ()

    def pack(self) -> str:
        parts = [self.prefix, *(_encode(value) for value in self.model_dump().values())]
        data = SEPARATOR.join(parts)
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {self.prefix}")
        return data

    @classmethod
    def unpack(cls, data: str) -> Self:
        parts = data.split(SEPARATOR)
        names = list(cls.model_fields)
        if parts[0] != cls.prefix or len(parts) != len(names) + 1:
            raise BadCallback(cls.prefix)
        values = {name: (None if raw == "" else raw) for name, raw in zip(names, parts[1:],
                                                                           strict=True)}
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise BadCallback(cls.prefix) from exc

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        """For CallbackQueryHandler(pattern=...): routes by prefix only; unpack validates."""
        return re.compile(rf"^{cls.prefix}(:|$)")


def _encode(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value.value if hasattr(value, "value") else value)
    if SEPARATOR in text:
        raise ValueError("callback field contains the separator")
    return text


class Home(CallbackData, prefix="home", route="target"):
    """The big buttons of the participant's home menu. Each target is answered by the feature
    that owns it: steps/help/menu by participants, brug by the Brug, cards by the cards, talk
    by the requests to the coach (handlers/reminders)."""

    target: Literal["menu", "steps", "brug", "cards", "talk", "help", "help_all"]
