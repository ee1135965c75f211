"""How an update is handled: once, in order per chat, and an edit to what a message already
shows counts as done.

- `BotApplication.process_update` (PTB's one entry for every update, polling or webhook) takes a
  per-chat lock, so presses and texts of one conversation run one after another while other
  chats stay concurrent; then it skips an update that is in flight or already handled.
- Completion is recorded, not receipt: the update id is written to `handled_updates` in the
  same transaction as the update's first change (or after the handlers ran, when nothing
  changed); when a handler then fails (`process_error` notes that) the row is removed again, so
  an update whose handling crashed is handled when Telegram delivers it again.
- `QuietEditsBot` turns Telegram's 400 "message is not modified" on an edit into success: a
  second tap that asks for the same screen is not an error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application, ExtBot

from bot.clock import Clock
from bot.storage import handled_updates
from bot.storage.db import Database

log = logging.getLogger(__name__)

# Telegram keeps an unconfirmed update for at most 24 hours; two days is a safe margin.
KEEP_HANDLED = timedelta(days=2)
PRUNE_EVERY = timedelta(hours=1)


class HandledUpdates:
    """Which updates are being handled now (in this process) and which finished (database)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._in_flight: set[int] = set()
        self._failed: set[int] = set()
        self._pruned_at: datetime | None = None
        self._recordings: dict[int, handled_updates.Recording] = {}
        # Telegram's update ids increase: one above every id recorded or seen is new without
        # asking the database, so a normal update costs one INSERT, not a SELECT as well.
        self._highest: int | None = None

    async def claim(self, update_id: int) -> bool:
        """True when this update is new: the caller handles it and then calls `finish`."""
        if update_id in self._in_flight:
            return False
        self._in_flight.add(update_id)  # before the await: a concurrent duplicate sees it
        try:
            if self._highest is None:
                loaded = await handled_updates.highest(self._db)
                # Another claim may have raised it while this one waited.
                self._highest = max(loaded, self._highest or 0)
            if update_id > self._highest:
                self._highest = update_id
                return True
            done = await handled_updates.was_handled(self._db, update_id)
        except BaseException:
            self._in_flight.discard(update_id)
            raise
        if done:
            self._in_flight.discard(update_id)
        return not done

    def failed(self, update_id: int) -> None:
        self._failed.add(update_id)

    def recording(self, update_id: int) -> handled_updates.Recording:
        """A claimed update's record, for `handled_updates.recording` while it is handled."""
        found = handled_updates.Recording(update_id, self._clock.now(), asyncio.current_task())
        self._recordings[update_id] = found
        return found

    async def finish(self, update_id: int) -> None:
        found = self._recordings.pop(update_id, None)
        recorded = found is not None and found.recorded
        try:
            if update_id in self._failed:
                self._failed.discard(update_id)
                if recorded:  # written with its change: removed, so a redelivery is handled
                    await handled_updates.forget(self._db, update_id)
                return
            now = self._clock.now()
            if not recorded:  # nothing committed while handling it
                await handled_updates.mark_handled(self._db, update_id, now)
            if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
                self._pruned_at = now
                await handled_updates.prune(self._db, now - KEEP_HANDLED)
        finally:
            self._in_flight.discard(update_id)


class ChatLocks:
    """One asyncio lock per chat with updates waiting or running; dropped when unused."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int | None) -> AsyncIterator[None]:
        if chat_id is None:
            yield
            return
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users <= 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)


class BotApplication(Application):  # type: ignore[type-arg]
    """PTB's Application, with each update handled once and each chat's updates in order."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handled_updates: HandledUpdates | None = None  # set by build_application
        self._chat_locks = ChatLocks()

    async def process_update(self, update: object) -> None:
        handled = self.handled_updates
        if not isinstance(update, Update) or handled is None:
            await super().process_update(update)
            return
        chat = update.effective_chat
        async with self._chat_locks.hold(chat.id if chat is not None else None):
            if not await handled.claim(update.update_id):
                log.info("update %s delivered again; handled already", update.update_id)
                return
            recording = handled_updates.recording.set(handled.recording(update.update_id))
            try:
                await super().process_update(update)
            except BaseException:
                # Cancelled mid-way (shutdown): not finished, so a redelivery is handled.
                handled.failed(update.update_id)
                raise
            finally:
                handled_updates.recording.reset(recording)
                await handled.finish(update.update_id)

    async def process_error(self, update: object | None, error: Exception,
                            *args: Any, **kwargs: Any) -> bool:
        if isinstance(update, Update) and self.handled_updates is not None:
            self.handled_updates.failed(update.update_id)
        return await super().process_error(update, error, *args, **kwargs)


def _not_modified(error: BadRequest) -> bool:
    return "message is not modified" in str(error).lower()


class QuietEditsBot(ExtBot):  # type: ignore[type-arg]
    """Edits that would show what the message already shows succeed quietly (Telegram answers
    them with 400 "message is not modified"): one place, so no handler catches it by hand."""

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().edit_message_text(*args, **kwargs)
        except BadRequest as error:
            if not _not_modified(error):
                raise
            return True

    async def edit_message_caption(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().edit_message_caption(*args, **kwargs)
        except BadRequest as error:
            if not _not_modified(error):
                raise
            return True

    async def edit_message_reply_markup(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().edit_message_reply_markup(*args, **kwargs)
        except BadRequest as error:
            if not _not_modified(error):
                raise
            return True

    async def edit_message_media(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().edit_message_media(*args, **kwargs)
        except BadRequest as error:
            if not _not_modified(error):
                raise
            return True
