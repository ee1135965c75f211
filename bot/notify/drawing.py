"""Card pictures are drawn in a separate process, at send time.

Drawing a card takes 50-150 ms of CPU. In a thread, Pillow and the event loop take turns on the
GIL, and every database hand-off of a tick running meanwhile waits for its turn (measured: the
ticks after a card slowed down several times). In a worker process nothing is shared: the loop
only waits for the bytes. One worker, started on first use (not at import), shared by the
process; a crashed worker is replaced once. The worker runs at a lower CPU priority: a picture
is background work that may wait a moment, the answer to a tap may not (on a busy machine the
drawing otherwise takes the CPU from the ticks that follow; figures in docs/participants.md).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.render.card import CardPicture, render_card

_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    if _pool is None:
        # spawn, not fork: the bot process has threads (the database driver's) whose locks a
        # forked child would inherit.
        _pool = ProcessPoolExecutor(max_workers=1,
                                    mp_context=multiprocessing.get_context("spawn"),
                                    initializer=_lower_priority)
    return _pool


# Niceness added to the worker's (0 is normal, 19 the lowest priority).
WORKER_NICENESS = 10


def _lower_priority() -> None:
    if hasattr(os, "nice"):  # POSIX; elsewhere the worker keeps the normal priority
        os.nice(WORKER_NICENESS)


async def draw_card(picture: CardPicture) -> bytes:
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_executor(), render_card, picture)
    except BrokenProcessPool:
        shutdown()
        return await loop.run_in_executor(_executor(), render_card, picture)


def shutdown() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
