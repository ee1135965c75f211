"""Storage tier: repositories and the unit of work against the migrated schema.

Runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set (CI does both).
"""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.flows import invites
from bot.flows.invites import CoachJoined, RedeemProblem
from bot.storage.db import Database
from bot.storage.migrate import is_current
from bot.storage.models import Organisation, OutboxMessage

NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


async def make_org(db: Database, name: str = "Gemeente Test") -> int:
    async with db.uow() as uow:
        org = await uow.organisations.add(name=name, settings={}, created_at=NOW)
        await uow.commit()
        return org.id


async def test_schema_is_at_head(db: Database) -> None:
    assert await is_current(db.engine)


async def test_times_round_trip_as_aware_utc(db: Database) -> None:
    amsterdam_summer = timezone(timedelta(hours=2))
    local = datetime(2026, 3, 29, 3, 30, tzinfo=amsterdam_summer)
    async with db.uow() as uow:
        org = await uow.organisations.add(name="T", settings={"a": 1}, created_at=local)
        await uow.commit()
        org_id = org.id
    async with db.uow() as uow:
        loaded = await uow.organisations.get(org_id)
        assert loaded is not None
        assert loaded.created_at == local
        assert loaded.created_at.tzinfo is UTC
        assert loaded.created_at.hour == 1
        assert loaded.settings == {"a": 1}


async def test_naive_datetimes_are_refused(db: Database) -> None:
    async with db.uow() as uow:
        with pytest.raises(Exception, match="naive datetime"):
            await uow.organisations.add(name="T", settings={}, created_at=datetime(2026, 1, 1))


async def test_without_commit_nothing_lands(db: Database) -> None:
    async with db.uow() as uow:
        await uow.organisations.add(name="Half", settings={}, created_at=NOW)
        # no commit: the use case failed half-way
    async with db.uow() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(Organisation))
        assert count == 0


async def test_outbox_dedupe_key_is_unique(db: Database) -> None:
    org_id = await make_org(db)
    async with db.uow() as uow:
        account = await uow.accounts.add(
            telegram_user_id=1, chat_id=1, role="participant", timezone="Europe/Amsterdam",
            created_at=NOW
        )
        first = await uow.outbox.enqueue(
            account_id=account.id, kind="step_reminder", due_at=NOW, dedupe_key="step:1:a",
            payload={"step_id": 1}, now=NOW,
        )
        again = await uow.outbox.enqueue(
            account_id=account.id, kind="step_reminder", due_at=NOW, dedupe_key="step:1:a",
            payload={"step_id": 1}, now=NOW,
        )
        assert first is not None and again is None
        await uow.commit()
    async with db.uow() as uow:
        with pytest.raises(IntegrityError):
            uow.session.add(
                OutboxMessage(account_id=1, kind="x", due_at=NOW, dedupe_key="step:1:a",
                              payload={}, created_at=NOW)
            )
            await uow.session.flush()
    async with db.uow() as uow:
        assert await uow.outbox.pending_keys("step:1:") == {"step:1:a"}
        assert await uow.outbox.pending_keys("step:1") == {"step:1:a"}
        assert await uow.outbox.pending_keys("step:1%") == set()  # LIKE wildcards are escaped
        assert await uow.outbox.cancel({"step:1:a"}) == 1
        await uow.commit()
    assert org_id == 1


async def test_check_constraints_hold_on_every_database(db: Database) -> None:
    async with db.uow() as uow:
        with pytest.raises(IntegrityError):
            await uow.accounts.add(telegram_user_id=5, chat_id=5, role="king",
                                   timezone="Europe/Amsterdam", created_at=NOW)


async def test_foreign_keys_are_enforced(db: Database) -> None:
    async with db.uow() as uow:
        with pytest.raises(IntegrityError):
            await uow.coaches.add(organisation_id=999, display_name="X", created_at=NOW)


async def test_coach_invite_is_one_time_hashed_and_expires(db: Database) -> None:
    org_id = await make_org(db)
    async with db.uow() as uow:
        code = await invites._create_coach_invite(uow, org_id, NOW)
        await uow.commit()
    async with db.uow() as uow:
        stored = await uow.invites.by_hash(invites.hash_code(code))
        assert stored is not None and code not in stored.code_hash

    async def redeem(user_id: int, when: datetime, code: str = code):
        return await invites.redeem_coach_invite(
            db, code, telegram_user_id=user_id, chat_id=user_id, display_name="Sanne",
            locale="nl", timezone="Europe/Amsterdam", now=when,
        )

    assert await redeem(10, NOW, "made-up-code") is RedeemProblem.UNKNOWN
    joined = await redeem(10, NOW + timedelta(days=1))
    assert isinstance(joined, CoachJoined) and joined.organisation_id == org_id
    assert await redeem(11, NOW + timedelta(days=1)) is RedeemProblem.USED

    async with db.uow() as uow:
        late = await invites._create_coach_invite(uow, org_id, NOW)
        await uow.commit()
    assert await redeem(12, NOW + timedelta(days=15), late) is RedeemProblem.EXPIRED
    assert await redeem(10, NOW, late) is RedeemProblem.ALREADY_LINKED
    async with db.uow() as uow:
        entries = await uow.audit.for_subject("coach", joined.coach_id)
        assert [e.action for e in entries] == ["coach.joined"]


async def test_participant_invite_links_once_and_regenerating_revokes(db: Database) -> None:
    from tests.support.builders import seed_coach

    world = await seed_coach(db, NOW)
    async with db.uow() as uow:
        from bot.flows.people import _create_participant

        pid = await _create_participant(uow, world.coach_id, "Fatima", NOW)
        first = await invites._invite_participant(uow, pid, world.coach_account_id, NOW)
        second = await invites._invite_participant(uow, pid, world.coach_account_id, NOW)
        await uow.commit()

    async def redeem(code: str, user_id: int):
        async with db.uow() as uow:
            outcome = await invites._redeem_participant_invite(
                uow, code, telegram_user_id=user_id, chat_id=user_id, locale="nl",
                timezone="Europe/Amsterdam", now=NOW,
            )
            await uow.commit()
            return outcome

    assert await redeem(first.code, 2001) is RedeemProblem.REVOKED
    joined = await redeem(second.code, 2001)
    assert isinstance(joined, invites.ParticipantJoined)
    assert joined.coach_name == "Sanne" and joined.participant_id == pid
    assert await redeem(second.code, 2002) is RedeemProblem.USED
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        assert participant is not None and participant.account_id is not None
