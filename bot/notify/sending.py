"""One message to Telegram, and what its answer means for the rows: sent; blocked (403); wait
(429: the rows come back after retry_after and the whole installation's pace holds); refused
(400); or a network error (retried with a backoff, failed after MAX_ATTEMPTS)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.notify.claimed import Claimed
from bot.notify.deciding import MAX_ATTEMPTS, Plan
from bot.notify.drawing import draw_card
from bot.notify.pacing import Pacer, paced_send
from bot.notify.recording import Recorder, Stats, backoff
from bot.storage.models import OutboxStatus

log = logging.getLogger(__name__)


def _retry_after(exc: RetryAfter) -> timedelta:
    # PTB 22 warns that retry_after becomes a timedelta in v23; accept both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


async def _deliver(bot: Bot, plan: Plan) -> None:
    message = plan.message
    assert message is not None
    if message.picture is not None:
        # Tens of milliseconds of Pillow, in a worker process (bot/notify/drawing.py).
        png = await draw_card(message.picture)
        with paced_send():
            await bot.send_photo(plan.chat_id, photo=png, caption=message.text,
                                 reply_markup=message.markup)
    else:
        with paced_send():
            await bot.send_message(plan.chat_id, message.text, reply_markup=message.markup)


async def send(bot: Bot, pacer: Pacer, records: Recorder, bundle: Sequence[Claimed],
               plan: Plan, now: datetime, stats: Stats) -> bool:
    """Send one message and record what became of its rows; True when Telegram took it."""
    ids = plan.send_ids
    try:
        await _deliver(bot, plan)
    except Forbidden:
        await records.blocked(bundle[0].account_id, ids, now)
        stats.blocked += 1
        return False
    except RetryAfter as exc:
        # Telegram wants the bot to wait: the rows come back after retry_after, and no
        # process sends before then (the shared pace holds).
        wait = _retry_after(exc)
        await records.release(ids, now + wait, "retry_after", refund=True)
        await pacer.hold(wait.total_seconds())
        stats.rate_limited += 1
        return False
    except BadRequest as exc:
        log.warning("outbox rows %s refused by Telegram: %s", ids, type(exc).__name__)
        await records.finish(ids, OutboxStatus.FAILED.value, now, "bad_request")
        stats.failed += 1
        return False
    except (NetworkError, TelegramError) as exc:
        log.info("outbox send failed: %s %s", type(exc).__name__, exc)
        attempts = max(r.attempts for r in bundle if r.id in ids)
        if attempts >= MAX_ATTEMPTS:
            await records.finish(ids, OutboxStatus.FAILED.value, now, type(exc).__name__)
            stats.failed += 1
        else:
            await records.release(ids, now + backoff(attempts), type(exc).__name__)
            stats.retried += 1
        return False
    await records.sent(ids, bundle, now)
    stats.sent += 1
    stats.rows_sent += len(ids)
    return True
