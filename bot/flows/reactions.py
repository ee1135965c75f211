"""What follows from a change, registered once: the reactions to domain events.

`install(db)` (called by the bootstrap, bot/bootstrap.py, and nowhere else) gives the database
these reactions; every unit of work runs them at commit, inside the same transaction as the
change (cosmicpython's message bus). So a flow never re-plans the outbox or awards a card by
hand: it says what happened (`uow.emit`).

Messages that follow from something that happened (a card, a plan notice, a reward) become outbox
rows due now; the dispatcher re-checks quiet hours, pause and reachability when it sends them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core import events as ev
from bot.core import reminders as plan
from bot.core.outbox import Payload
from bot.flows import cards, crisis, digest, requests
from bot.flows.meetings import _replan_meeting, _replan_meetings_of
from bot.flows.reminders import _replan_lessons, _replan_participant, _replan_step
from bot.storage.db import Database
from bot.storage.uow import Reaction, Reactions, UnitOfWork


async def _step_changed(uow: UnitOfWork, event: ev.StepChanged | ev.StepUndone) -> None:
    await _replan_step(uow, event.step_id, event.at)


async def _step_done(uow: UnitOfWork, event: ev.StepDone) -> None:
    await _replan_step(uow, event.step_id, event.at)  # no more reminders for a done step
    await cards._award_for_tick(uow, event.participant_id, event.step_id,
                               challenging=event.challenging,
                               goal_completed=event.goal_completed, now=event.at)


async def _goal_closed(uow: UnitOfWork, event: ev.GoalClosed) -> None:
    if event.outcome == "achieved":
        # Shares its dedupe key with the tick's goal card: one card per goal.
        await cards._award_for_goal(uow, event.participant_id, event.goal_id, now=event.at)


async def _person_changed(uow: UnitOfWork,
                          event: ev.PreferencesChanged | ev.Paused | ev.Resumed) -> None:
    await _replan_participant(uow, event.participant_id, event.at)


async def _resumed(uow: UnitOfWork, event: ev.Resumed) -> None:
    """Cards and notices held back by the pause go now (quiet hours still apply)."""
    contact = await uow.participants.contact(event.participant_id)
    if contact is not None:
        await uow.outbox.bring_forward(contact.id, plan.PROMPT_KINDS, event.at)


async def _lessons_changed(uow: UnitOfWork, event: ev.LessonsChanged) -> None:
    await _replan_lessons(uow, event.participant_id, event.at)


async def _queue(uow: UnitOfWork, participant_id: int, payload: Payload, key: str,
                 now: datetime) -> None:
    """A message that follows from what happened, due now, to the participant."""
    contact = await uow.participants.contact(participant_id)
    if contact is None:
        return  # not joined: a card waits in /kaartjes, a notice is not needed
    await uow.outbox.queue(contact.id, payload, due_at=now, key=key, now=now)


async def _card_awarded(uow: UnitOfWork, event: ev.CardAwarded) -> None:
    await _queue(uow, event.participant_id,
                 plan.CardPayload(participant_id=event.participant_id, card_id=event.card_id),
                 f"card:{event.card_id}", event.at)


async def _reward_earned(uow: UnitOfWork, event: ev.RewardEarned) -> None:
    await _queue(uow, event.participant_id,
                 plan.RewardPayload(participant_id=event.participant_id,
                                    entry_id=event.entry_id),
                 f"reward:{event.entry_id}:earned", event.at)


async def _plan_changed(uow: UnitOfWork, event: ev.PlanChanged) -> None:
    await _queue(uow, event.participant_id,
                 plan.PlanNoticePayload(participant_id=event.participant_id, change=event.kind,
                                        steps=event.steps),
                 f"p:{event.participant_id}:plan:{event.goal_id}:{event.upto_event_id}",
                 event.at)
    # "Told up to here": a second "let them know" finds nothing new.
    await uow.audit.record(
        at=event.at, actor_account_id=event.coach_account_id, action="plan.notified",
        subject_type="participant", subject_id=event.participant_id,
        details={"upto_event_id": event.upto_event_id},
    )


async def _coach_changed(uow: UnitOfWork, event: ev.CoachChanged) -> None:
    """One message to the participant with the new coach's name, and who moved whom. What
    still waited for the old coach (open requests, a crisis notice) reaches the new one."""
    await requests._push_if_open(uow, event.participant_id, event.at)
    await crisis._notices_follow(uow, event.participant_id, event.from_coach_id,
                                 event.to_coach_id, event.at)
    await _queue(uow, event.participant_id,
                 plan.HandoverPayload(participant_id=event.participant_id,
                                      coach_id=event.to_coach_id),
                 f"handover:{event.participant_id}:{event.to_coach_id}:{event.at.isoformat()}",
                 event.at)
    await uow.audit.record(
        at=event.at, actor_account_id=event.actor_account_id, action="participant.handed_over",
        subject_type="participant", subject_id=event.participant_id,
        details={"from_coach_id": event.from_coach_id, "to_coach_id": event.to_coach_id},
    )


async def _meeting_changed(uow: UnitOfWork, event: ev.MeetingChanged) -> None:
    await _replan_meeting(uow, event.meeting_id, event.at)


async def _meeting_times_changed(uow: UnitOfWork, event: ev.PreferencesChanged) -> None:
    await _replan_meetings_of(uow, event.participant_id, event.at)


async def _push_to_coach(uow: UnitOfWork,
                         event: ev.HelpAsked | ev.TalkAsked | ev.MeetingWished) -> None:
    """A request queues (or joins) the coach's next push, inside their working hours."""
    await requests._push_to_coach(uow, event.participant_id, event.at)


async def _coach_settings_changed(uow: UnitOfWork, event: ev.CoachSettingsChanged) -> None:
    await digest._replan_coach(uow, event.coach_id, event.at, uow.defaults.timezone)


def _table() -> dict[type, list[Any]]:
    return {
        ev.StepDone: [_step_done],
        ev.StepUndone: [_step_changed],
        ev.StepChanged: [_step_changed],
        ev.GoalClosed: [_goal_closed],
        ev.PlanChanged: [_plan_changed],
        ev.PreferencesChanged: [_person_changed, _meeting_times_changed],
        ev.Paused: [_person_changed],
        ev.Resumed: [_person_changed, _resumed],
        ev.LessonsChanged: [_lessons_changed],
        ev.CardAwarded: [_card_awarded],
        ev.RewardEarned: [_reward_earned],
        ev.CoachChanged: [_coach_changed],
        ev.MeetingChanged: [_meeting_changed],
        ev.HelpAsked: [_push_to_coach],
        ev.TalkAsked: [_push_to_coach],
        ev.MeetingWished: [_push_to_coach],
        ev.CoachSettingsChanged: [_coach_settings_changed],
    }


REACTIONS: Reactions = {kind: tuple[Reaction, ...](handlers) for kind, handlers in
                        _table().items()}


def install(db: Database) -> Database:
    db.reactions = REACTIONS
    return db
