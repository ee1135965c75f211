"""Callback data of the coach's digest, requests and digest settings (prefixes dg*)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.ui.buttons.base import CallbackData, Id


class DigestPage(CallbackData, prefix="dgp"):
    """Turn a page of the digest: the window is in the button (minutes since 1970, UTC)."""

    page: int = Field(ge=0, le=99)
    since: int = Field(ge=0, le=2**31 - 1)
    until: int = Field(ge=0, le=2**31 - 1)


class DigestCard(CallbackData, prefix="dgc"):
    """One tap: a card with a warm default text naming what the participant did."""

    pid: Id
    win: Literal["goal", "step", "pillar"]
    ref: Id  # goal id, step id or measurement id


class RequestHandled(CallbackData, prefix="dgh"):
    """On the participant's card: the coach handled a wish to talk or a help request."""

    pid: Id
    what: Literal["talk", "help"]
    sid: Id | None = None  # the step of a help request


class DigestSettings(CallbackData, prefix="dgs"):
    """The coach's digest settings screen: what to change and to which value."""

    what: Literal["show", "day", "time", "on", "off", "work"]
    value: int = Field(default=0, ge=0, le=9999)
