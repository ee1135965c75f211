"""The organisation's digest default (issue 13, `python -m bot admin org --digest...`), end to
end: the real command line against the test database, the planner sweep, the dispatcher and the
fake Bot API. A coach who never chose their own digest settings follows the default (also one
who joins later); a coach who chose their own keeps them."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.__main__ import main
from bot.core import digest as rules
from bot.flows.admin import invite_coach
from bot.flows.digest import plan_digests
from bot.storage.models import Account, Coach, OutboxMessage
from tests.support.builders import seed_coach, seed_participant
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

AMS = ZoneInfo("Europe/Amsterdam")
SANNE = TgUser(id=9001, first_name="Sanne", language_code="nl")
PIET = TgUser(id=9002, first_name="Piet", language_code="nl")
ELS = TgUser(id=9003, first_name="Els", language_code="nl")
TUESDAY = datetime(2026, 3, 10, 10, 0, tzinfo=AMS)


NOW: list[datetime] = []


def _clock_now() -> datetime:
    return NOW[-1]


async def _admin(monkeypatch: pytest.MonkeyPatch, db: Any, tmp_path: Any, clock: Any,
                 *args: str) -> int:
    """`python -m bot admin ...` in-process, on the test's database (its own event loop), on
    the test's clock."""
    monkeypatch.setattr("bot.cli.common._now", _clock_now)
    monkeypatch.setenv("BOT_TOKEN", "123456789:TESTtokenTESTtokenTESTtokenTESTtok")
    monkeypatch.setenv("DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    NOW.append(clock.now())
    return await asyncio.to_thread(main, ["admin", *args])


async def _digest_rows(db: Any) -> dict[str, tuple[str, datetime]]:
    async with db.uow() as uow:
        rows = (await uow.session.execute(
            select(Account.telegram_user_id, OutboxMessage.status, OutboxMessage.due_at)
            .join(Account, Account.id == OutboxMessage.account_id)
            .where(OutboxMessage.kind == rules.DIGEST).order_by(OutboxMessage.id))).all()
    names = {SANNE.id: "Sanne", PIET.id: "Piet", ELS.id: "Els"}
    return {names[uid]: (status, due.astimezone(AMS).replace(tzinfo=None))
            for uid, status, due in rows if status == "pending"}


async def test_coaches_without_their_own_settings_follow_the_organisation_default(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    clock.set(TUESDAY)
    sanne = await seed_coach(db, clock.now())
    await seed_coach(db, clock.now(), telegram_user_id=PIET.id, coach_name="Piet")
    await seed_participant(db, sanne, clock.now(), name="Fatima")
    # Piet chooses his own: Wednesday 09:00.
    await app.process_update(updates.command(PIET, "instellingen"))
    await app.process_update(updates.tap(PIET, "wo"))
    await app.process_update(updates.tap(PIET, "09:00"))
    await plan_digests(db, clock.now(), "Europe/Amsterdam")
    assert await _digest_rows(db) == {"Sanne": ("pending", datetime(2026, 3, 16, 8, 30)),
                                      "Piet": ("pending", datetime(2026, 3, 11, 9, 0))}

    code = await _admin(monkeypatch, db, tmp_path, clock, "org", "Gemeente Test",
                              "--digest-day", "3", "--digest-time", "16:30")
    out = capsys.readouterr().out
    assert code == 0
    assert "digest default:      on, day 3 (0 = Monday), 16:30" in out
    assert "Sanne (phone not set; digest the default)" in out
    assert "Piet (phone not set; digest their own)" in out
    # Re-planned in the same transaction: Sanne on Thursday 16:30, Piet untouched.
    assert await _digest_rows(db) == {"Sanne": ("pending", datetime(2026, 3, 12, 16, 30)),
                                      "Piet": ("pending", datetime(2026, 3, 11, 9, 0))}
    await app.process_update(updates.command(SANNE, "instellingen"))
    assert "Weekoverzicht: aan, elke donderdag om 16:30." in html_to_plain(
        telegram_api.last_message(SANNE.id).text)
    # The sweep keeps it so, and the digest goes out at that moment.
    clock.set(datetime(2026, 3, 12, 16, 29, tzinfo=AMS))
    await plan_digests(db, clock.now(), "Europe/Amsterdam")
    await deliver(app)
    assert not any("Je week in het kort" in m.text for m in telegram_api.sent_to(SANNE.id))
    clock.set(datetime(2026, 3, 12, 16, 30, tzinfo=AMS))
    await deliver(app)
    assert html_to_plain(telegram_api.last_message(SANNE.id).text).startswith(
        "Je week in het kort")

    # Off by default: Sanne's next digest is cancelled, Piet keeps his.
    code = await _admin(monkeypatch, db, tmp_path, clock, "org", "Gemeente Test",
                              "--digest", "off")
    assert code == 0
    assert await _digest_rows(db) == {"Piet": ("pending", datetime(2026, 3, 18, 9, 0))}
    # A coach who joins now starts with the default (off): no digest is planned for Els.
    code_text = await invite_coach(db, "Gemeente Test", clock.now())
    await app.process_update(updates.command(ELS, "start", code_text))
    async with db.uow() as uow:
        els = (await uow.session.execute(select(Coach).where(
            Coach.display_name == "Els"))).scalar_one()
        assert (els.digest_enabled, els.digest_weekday, els.digest_own) == (False, 3, False)
    await plan_digests(db, clock.now(), "Europe/Amsterdam")
    assert set(await _digest_rows(db)) == {"Piet"}
    # Els chooses her own: from then on the default no longer moves hers.
    await app.process_update(updates.command(ELS, "instellingen"))
    await app.process_update(updates.tap(ELS, "aanzetten"))
    code = await _admin(monkeypatch, db, tmp_path, clock, "org", "Gemeente Test",
                              "--digest-day", "4")
    assert code == 0
    rows = await _digest_rows(db)
    assert set(rows) == {"Piet", "Els"}
    assert rows["Els"][1].weekday() == 3  # still Thursday (she turned it on herself)


async def test_a_bad_digest_time_is_one_clear_line_and_changes_nothing(
    app: Any, db: Any, clock: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any,
    capsys: pytest.CaptureFixture[str]
) -> None:
    await seed_coach(db, clock.now())
    with pytest.raises(SystemExit):
        await _admin(monkeypatch, db, tmp_path, clock, "org", "Gemeente Test",
                     "--digest-time", "25:00")
    assert "is not a time (write it as HH:MM" in capsys.readouterr().err
    async with db.uow() as uow:
        coach = (await uow.session.execute(select(Coach))).scalar_one()
        assert coach.digest_time.strftime("%H:%M") == "08:30"
