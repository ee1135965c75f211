"""An example caseload for the coach's digest, built through the real repositories.

One coach (Sanne) with participants who each show one part of the digest; used by the tests
and by `scripts/render_digest_example.py` (the text in the closing note).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.flows.invites import _invite_participant
from bot.storage.db import Database
from bot.storage.models import StepEventKind
from tests.support.builders import StepSpec, World, seed_coach, seed_goal, seed_participant

# Monday 7 December 2026, 08:30 in Amsterdam: the default digest moment.
DIGEST_AT = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)


@dataclass
class Example:
    world: World
    ids: dict[str, int]  # participant name -> id
    steps: dict[str, int]  # label -> step id


async def seed_example(db: Database, now: datetime = DIGEST_AT, *, tg_base: int = 5000,
                       coach_tg: int = 9001, org_name: str = "Gemeente Test") -> Example:
    week_ago = now - timedelta(days=7)
    world = await seed_coach(db, week_ago - timedelta(days=60), telegram_user_id=coach_tg,
                             org_name=org_name)
    ids: dict[str, int] = {}
    steps: dict[str, int] = {}
    start = week_ago - timedelta(days=60)
    for offset, name in enumerate(["Fatima", "Johan", "Sara", "Eva", "Kees", "Lisa"]):
        ids[name] = await seed_participant(db, world, start, name=name,
                                           telegram_user_id=tg_base + offset)
    ids["Mo"] = await seed_participant(db, world, now - timedelta(days=9), name="Mo",
                                       telegram_user_id=None, status="invited")
    today = now.date()
    _, fatima = await seed_goal(db, ids["Fatima"], start, "Meer rust in mijn geldzaken", [
        StepSpec("Post openen en sorteren", today), StepSpec("Bellen met de woningbouw", today,
                                                             challenging=True),
        StepSpec("Formulier toeslag invullen", today + timedelta(days=2)),
    ])
    _, johan = await seed_goal(db, ids["Johan"], start, "Een vaste dagritme", [
        StepSpec("Elke dag om 8 uur opstaan", today - timedelta(days=20))])
    sara_goal, sara = await seed_goal(db, ids["Sara"], start, "Mijn rijbewijs halen", [
        StepSpec("Theorie-examen doen", today - timedelta(days=3))])
    _, lisa = await seed_goal(db, ids["Lisa"], start, "Werk vinden",
                              [StepSpec(f"Sollicitatie {n}", today + timedelta(days=n))
                               for n in range(1, 6)])
    _, kees = await seed_goal(db, ids["Kees"], start, "Schulden op een rij", [
        StepSpec("Overzicht maken", today)])
    steps.update(fatima_post=fatima[0], fatima_call=fatima[1], fatima_form=fatima[2],
                 johan=johan[0], sara=sara[0], lisa=lisa[0], kees=kees[0])
    async with db.uow() as uow:
        for sid, days_ago in ((fatima[0], 2), (fatima[1], 3), (sara[0], 4)):
            step = await uow.steps.get(sid)
            assert step is not None
            step.status, step.done_at = "done", now - timedelta(days=days_ago)
            await uow.step_events.record(sid, step.participant_id, StepEventKind.DONE.value,
                                         step.done_at, None)
        goal = await uow.goals.get(sara_goal)
        assert goal is not None
        goal.status, goal.closed_at = "achieved", now - timedelta(days=4)
        form = await uow.steps.get(fatima[2])
        assert form is not None
        form.help_asked_at = now - timedelta(days=1)
        await uow.step_events.record(form.id, ids["Fatima"], StepEventKind.HELP_ASKED.value,
                                     form.help_asked_at, None)
        for n in range(2):
            await uow.step_events.record(lisa[0], ids["Lisa"], StepEventKind.RESCHEDULED.value,
                                         now - timedelta(days=5 - n), None,
                                         {"from": today.isoformat(), "to": today.isoformat()})
        johan_p = await uow.participants.get(ids["Johan"])
        assert johan_p is not None
        johan_p.last_interaction_at = now - timedelta(days=21)
        await uow.participant_events.record(ids["Johan"], "contact_asked",
                                            now - timedelta(days=1))
        for pid in (ids["Fatima"], ids["Sara"], ids["Eva"], ids["Kees"], ids["Lisa"]):
            p = await uow.participants.get(pid)
            assert p is not None
            p.last_interaction_at = now - timedelta(days=1)
        eva = await uow.participants.get(ids["Eva"])
        assert eva is not None and eva.account_id is not None
        account = await uow.accounts.get(eva.account_id)
        assert account is not None
        account.reachable = False
        kees_p = await uow.participants.get(ids["Kees"])
        assert kees_p is not None
        kees_p.status, kees_p.ended_at = "ended", now - timedelta(days=2)
        kees_p.ended_reason = "goals_reached"
        await uow.participant_events.record(ids["Sara"], "lesson_feedback",
                                            now - timedelta(days=2),
                                            {"number": 0, "lesson": "x", "verdict": "yes"})
        await uow.participant_events.record(ids["Fatima"], "lesson_feedback",
                                            now - timedelta(days=3),
                                            {"number": 1, "lesson": "x", "verdict": "no"})
        # Sara's Brug: intake two months ago, an extra measurement this week; money went up.
        for moment, at, level in (("intake", start, 2), ("extra", now - timedelta(days=1), 3)):
            m = await uow.brug.add(participant_id=ids["Sara"], instrument_key="brug-alphen",
                                   instrument_version=1, moment=moment, filled_by="together",
                                   started_at=at, completed_at=at)
            await uow.session.flush()
            for key, lvl in (("debts", level), ("housing", 4)):
                await uow.brug.set_level(m.id, key, lvl)
        await uow.rewards.add(participant_id=ids["Fatima"], reward_kind="first_step",
                              step_id=fatima[1], amount_cents=1000, budget_year=2026,
                              status="earned", created_at=start, earned_at=now)
        await _invite_participant(uow, ids["Mo"], world.coach_account_id, now - timedelta(days=9))
        await uow.commit()
    return Example(world, ids, steps)
