"""Pictures are cached by the hash of what they show, so the same Brug is never drawn twice.

Two bounded, in-process LRU maps: content hash -> Telegram file_id (sending a file_id again
costs Telegram nothing and us no render), and content hash -> PNG bytes for the few most recent
pictures (in case Telegram forgets a file_id). After a restart a picture is drawn once more.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


class _Lru(Generic[V]):
    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("an LRU needs room for at least one entry")
        self.limit = limit
        self._items: OrderedDict[str, V] = OrderedDict()

    def get(self, key: str) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: str, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.limit:
            self._items.popitem(last=False)

    def pop(self, key: str) -> None:
        self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


class PictureCache:
    def __init__(self, max_file_ids: int = 4096, max_pngs: int = 32) -> None:
        self._file_ids: _Lru[str] = _Lru(max_file_ids)
        self._pngs: _Lru[bytes] = _Lru(max_pngs)
        self.renders = 0  # how many pictures were actually drawn (for tests and logs)

    def file_id(self, key: str) -> str | None:
        return self._file_ids.get(key)

    def remember(self, key: str, file_id: str) -> None:
        self._file_ids.put(key, file_id)

    def forget(self, key: str) -> None:
        """Telegram refused the file_id: the next send uploads the picture again."""
        self._file_ids.pop(key)

    async def png(self, key: str, render: Callable[[], bytes]) -> bytes:
        """The cached PNG for `key`, else `render()` in a worker thread (it takes tens of ms,
        which must not stall other people's updates)."""
        cached = self._pngs.get(key)
        if cached is not None:
            return cached
        data = await asyncio.to_thread(render)
        self.renders += 1
        self._pngs.put(key, data)
        return data

    @property
    def sizes(self) -> tuple[int, int]:
        return len(self._file_ids), len(self._pngs)
