"""Every migration from the first one upgrades a database that already holds people, goals and
steps, on SQLite too: a migration that makes Alembic rebuild a parent table (coaches,
participants) fails there on the children's foreign keys, which an empty test database never
shows. Scratch PostgreSQL database when TEST_DATABASE_URL is set."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from bot.storage.migrate import upgrade
from tests.test_migration_0010 import NOW, OLD_DATA, _scratch

# Organisation, three accounts, two coaches and a participant as 0009's test writes them,
# then a goal with a step: rows in every table the coach and participant tables are parents of.
PEOPLE = [s for s in OLD_DATA if s.split()[2] in {"organisations", "accounts", "coaches",
                                                   "participants"}]
PLAN = [
    "INSERT INTO goals (id, participant_id, text, pillars, status, position, created_at) "
    f"VALUES (1, 1, 'Rust in mijn geld', '[\"finances\"]', 'active', 0, {NOW})",
    "INSERT INTO steps (id, goal_id, participant_id, text, due_date, owner, challenging, status, "
    "position, created_by_role, created_at, updated_at) VALUES "
    f"(1, 1, 1, 'Bel de bank', '2026-03-12', 'participant', FALSE, 'open', 0, 'coach', {NOW}, "
    f"{NOW})",
]


async def test_upgrade_from_the_first_revision_keeps_people_and_plans(tmp_path: Path) -> None:
    async with _scratch(tmp_path) as engine:
        await upgrade(engine, "0001")
        async with engine.begin() as conn:
            for statement in PEOPLE + PLAN:
                await conn.execute(text(statement))
        await upgrade(engine)
        async with engine.connect() as conn:
            coaches = (await conn.execute(text(
                "SELECT id, digest_enabled FROM coaches ORDER BY id"))).all()
            participant = (await conn.execute(text(
                "SELECT display_name, coach_id, show_step_texts FROM participants"))).one()
            steps = (await conn.execute(text("SELECT text, goal_id FROM steps"))).all()
    assert [(c[0], bool(c[1])) for c in coaches] == [(1, True), (2, True)]
    assert (participant[0], participant[1], bool(participant[2])) == ("Fatima", 1, False)
    assert [tuple(s) for s in steps] == [("Bel de bank", 1)]
