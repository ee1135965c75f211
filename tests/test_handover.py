"""A new coach without starting over (issue 13): a participant moves to another coach of the
same organisation; history stays, the old coach no longer sees them, the audit log says who
moved whom, the participant gets one message with the new coach's name."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy import select

from bot.flows import caseload, handover
from bot.flows.crisis import phrase_typed
from bot.storage.models import AuditEntry, Goal, OutboxMessage, Participant, Step
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

SANNE = TgUser(id=9001, first_name="Sanne", language_code="en")
PIET = TgUser(id=9002, first_name="Piet", language_code="en")
ELSE = TgUser(id=9003, first_name="Els", language_code="en")
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="en")


async def _world(db: Any, clock: Any) -> tuple[Any, Any, Any, int]:
    now = clock.now()
    sanne = await seed_coach(db, now, locale="en")
    piet = await seed_coach(db, now, telegram_user_id=PIET.id, coach_name="Piet", locale="en")
    els = await seed_coach(db, now, telegram_user_id=ELSE.id, coach_name="Els", locale="en",
                           org_name="Gemeente Anders")
    pid = await seed_participant(db, sanne, now, name="Fatima", locale="en")
    await seed_goal(db, pid, now, "Post op orde", [StepSpec("Brieven sorteren",
                                                            due=date(2026, 3, 12))])
    return sanne, piet, els, pid


async def test_coach_hands_over_from_the_card_and_no_longer_sees_the_participant(
    app: Any, updates: UpdateFactory, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    sanne, piet, _, pid = await _world(db, clock)
    await app.process_update(updates.command(SANNE, "deelnemers"))
    await app.process_update(updates.tap(SANNE, "Fatima"))
    card = telegram_api.last_message(SANNE.id)
    await app.process_update(updates.tap(SANNE, "Another coach"))
    # Only colleagues of the same organisation are offered.
    assert updates.buttons(SANNE) == ["Piet", "Back"]
    await app.process_update(updates.tap(SANNE, "Piet"))
    assert "Hand Fatima over to Piet?" in telegram_api.last_message(SANNE.id).text
    assert "Fatima gets one message" in telegram_api.last_message(SANNE.id).text
    async with db.uow() as uow:
        assert (await uow.session.get(Participant, pid)).coach_id == sanne.coach_id  # type: ignore[union-attr]
    await app.process_update(updates.tap(SANNE, "Yes, hand over"))
    assert "Fatima now has Piet as coach." in telegram_api.last_message(SANNE.id).text

    # History stays; the new coach sees it, the old one does not.
    async with db.uow() as uow:
        participant = await uow.session.get(Participant, pid)
        assert participant is not None and participant.coach_id == piet.coach_id
        goals = (await uow.session.execute(select(Goal).where(Goal.participant_id == pid))
                 ).scalars().all()
        steps = (await uow.session.execute(select(Step).where(Step.participant_id == pid))
                 ).scalars().all()
        assert len(goals) == 1 and len(steps) == 1
        audit = (await uow.session.execute(select(AuditEntry).where(
            AuditEntry.action == "participant.handed_over"))).scalars().one()
        assert audit.actor_account_id == sanne.coach_account_id and audit.subject_id == pid
        assert audit.details == {"from_coach_id": sanne.coach_id, "to_coach_id": piet.coach_id}
    now = clock.now()
    assert await caseload.open_card(db, sanne.coach_id, sanne.coach_account_id, pid, now,
                                    "Europe/Amsterdam", "en") is None
    assert await caseload.open_card(db, piet.coach_id, piet.coach_account_id, pid, now,
                                    "Europe/Amsterdam", "en") is not None
    await app.process_update(updates.command(SANNE, "deelnemers"))
    assert "Fatima" not in telegram_api.last_message(SANNE.id).text
    await app.process_update(updates.command(PIET, "deelnemers"))
    assert "Fatima" in telegram_api.last_message(PIET.id).text
    # The old card's buttons refuse, and a second "yes" changes nothing.
    await app.process_update(updates.press(SANNE, f"cp:{pid}", card))
    await app.process_update(updates.press(SANNE, f"cho:yes:{pid}:{piet.coach_id}", card))
    assert "not in your list" in telegram_api.last("answerCallbackQuery").params["text"]

    # The participant gets one message with the new coach's name.
    await deliver(app)
    told = [html_to_plain(m.text) for m in telegram_api.sent_to(FATIMA.id)]
    assert len(told) == 1
    assert told[0].splitlines()[0] == "Hi Fatima, news about your coach"
    assert "From now on Piet is your coach." in told[0]


async def test_a_coach_of_another_organisation_is_refused(db: Any, clock: Any, app: Any) -> None:
    sanne, piet, els, pid = await _world(db, clock)
    refused = await handover.hand_over(db, pid, els.coach_id, clock.now(),
                                       actor_account_id=None)
    assert refused == handover.Refused("other_organisation")
    refused = await handover.hand_over(db, pid, piet.coach_id, clock.now(),
                                       actor_account_id=piet.coach_account_id,
                                       by_coach_id=piet.coach_id)  # not Piet's to give away
    assert refused == handover.Refused("not_yours")
    assert await handover.hand_over(db, pid, sanne.coach_id, clock.now(),
                                    actor_account_id=None) == handover.Refused("same_coach")
    assert await handover.hand_over(db, pid, 99999, clock.now(),
                                    actor_account_id=None) == handover.Refused("no_such_coach")
    async with db.uow() as uow:
        assert (await uow.session.get(Participant, pid)).coach_id == sanne.coach_id  # type: ignore[union-attr]
        rows = (await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.kind == "handover"))).scalars().all()
        assert rows == []


async def test_what_waited_for_the_old_coach_reaches_the_new_one(
    app: Any, telegram_api: FakeBotAPI, db: Any, clock: Any
) -> None:
    """A crisis notice waiting for working hours and an open request are not lost in a
    handover, nor told to the old coach: the new coach gets them."""
    from bot.flows import meetings
    from bot.flows.requests import ask_for_contact

    sanne, piet, _, pid = await _world(db, clock)
    saved = await meetings.save(db, sanne.coach_id, sanne.coach_account_id, pid,
                                date(2026, 3, 13), time(10, 0), "office", None, clock.now())
    assert isinstance(saved, meetings.Saved)
    clock.set(clock.now().replace(hour=20))  # 21:00 in Amsterdam: outside working hours
    await phrase_typed(db, pid, clock.now())
    await ask_for_contact(db, pid, clock.now())
    await meetings.send_wish(db, pid, saved.meeting_id, "call", None, None, clock.now())
    await handover.hand_over(db, pid, piet.coach_id, clock.now(), actor_account_id=None)
    clock.set(clock.now().replace(day=11, hour=8))  # Wednesday 09:00 in Amsterdam
    await deliver(app)
    assert telegram_api.sent_to(SANNE.id) == []
    to_piet = [html_to_plain(m.text) for m in telegram_api.sent_to(PIET.id)]
    assert [t.splitlines()[0] for t in to_piet] == ["Fatima: please get in touch soon",
                                                    "Your participants asked for you"]
    assert ("Fatima: would like to talk with you; cannot make the meeting of Fri 13 Mar 10:00 "
            "and asks you to call") in to_piet[1]
    async with db.uow() as uow:
        notice = (await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.kind == "crisis_notice"))).scalars().one()
        assert notice.status == "sent" and notice.payload["coach_id"] == piet.coach_id
