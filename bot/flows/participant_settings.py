"""A participant's own settings (/instellingen): language, moment of day, quiet hours, lessons.

Each change is one unit of work that records a participant event and raises the event whose
reaction re-plans what the change affects (`bot/flows/reactions.py`): the moment and quiet hours
move every planned reminder, check-in and lesson; the lesson choice moves the next lesson. The
language needs no re-plan: the dispatcher renders each message in the language of the moment
it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from bot.core.events import LessonsChanged, PreferencesChanged
from bot.flows.onboarding import QUIET_CHOICES
from bot.flows.reminders import LESSON_EVENTS, _lesson_interval
from bot.storage.db import Database
from bot.storage.models import Moment, ParticipantStatus
from bot.storage.uow import UnitOfWork

LANGUAGES = ("nl", "en")
# "Less often": a lesson every two weeks instead of every week.
LESSON_CHOICES = {"weekly": 7, "less": 14}


@dataclass(frozen=True)
class SettingsView:
    locale: str
    moment: str
    quiet: str | None  # a key of QUIET_CHOICES, None for hours set another way
    quiet_start: time
    quiet_end: time
    lessons: str  # "weekly" | "less" | "off"
    paused: bool
    paused_until: date | None
    step_texts: str = "count"  # "show": reminders name the steps (privacy: /privacy too)


async def show(db: Database, participant_id: int, account_id: int) -> SettingsView | None:
    async with db.uow() as uow:
        return await _view(uow, participant_id, account_id)


async def change(db: Database, participant_id: int, account_id: int, what: str, value: str,
                 now: datetime) -> tuple[SettingsView, bool] | None:
    """Apply one choice: the settings after it, and whether anything changed. None when the
    value is not one of the choices (a forged press) or the participant is gone. Choosing
    what is already set (a second tap) changes nothing and raises nothing."""
    async with db.uow() as uow:
        view = await _view(uow, participant_id, account_id)
        if view is None or not await _change(uow, view, participant_id, account_id, what,
                                             value, now):
            return None
        await uow.commit()
        after = await _view(uow, participant_id, account_id)
        return (after, after != view) if after is not None else None


async def _change(uow: UnitOfWork, view: SettingsView, participant_id: int, account_id: int,
                  what: str, value: str, now: datetime) -> bool:
    participant = await uow.participants.get(participant_id)
    account = await uow.accounts.get(account_id)
    if participant is None or account is None or participant.account_id != account_id:
        return False
    if what == "lang" and value in LANGUAGES:
        if view.locale != value:
            account.locale = value
            await uow.participant_events.record(participant_id, "language_set", now,
                                                {"locale": value})
    elif what == "moment" and value in {m.value for m in Moment}:
        if view.moment != value:
            participant.preferred_moment = value
            await uow.participant_events.record(participant_id, "moment_set", now,
                                                {"moment": value})
            uow.emit(PreferencesChanged(participant_id, now))
    elif what == "quiet" and value in QUIET_CHOICES:
        if view.quiet != value:
            start, end = QUIET_CHOICES[value]
            participant.quiet_start, participant.quiet_end = start, end
            await uow.participant_events.record(
                participant_id, "quiet_hours_set", now,
                {"start": start.isoformat("minutes"), "end": end.isoformat("minutes")})
            uow.emit(PreferencesChanged(participant_id, now))
    elif what == "lessons" and value in (*LESSON_CHOICES, "off"):
        if view.lessons != value:
            if value == "off":
                participant.lessons_enabled = False
                await uow.participant_events.record(participant_id, "lessons_stopped", now)
            else:
                participant.lessons_enabled = True
                await uow.participant_events.record(participant_id, "lessons_started", now,
                                                    {"every_days": LESSON_CHOICES[value]})
            uow.emit(LessonsChanged(participant_id, now))
    elif what == "steps" and value in ("show", "count"):
        if view.step_texts != value:
            # Read at send time by the dispatcher: nothing to re-plan.
            participant.show_step_texts = value == "show"
            await uow.audit.record(at=now, actor_account_id=account_id,
                                   action="privacy.step_texts_" + (
                                       "on" if value == "show" else "off"),
                                   subject_type="participant", subject_id=participant_id)
    else:
        return False
    participant.last_interaction_at = now
    return True


async def _view(uow: UnitOfWork, participant_id: int, account_id: int) -> SettingsView | None:
    participant = await uow.participants.get(participant_id)
    account = await uow.accounts.get(account_id)
    if participant is None or account is None or participant.account_id != account_id:
        return None
    quiet = next((key for key, hours in QUIET_CHOICES.items()
                  if hours == (participant.quiet_start, participant.quiet_end)), None)
    latest = await uow.participant_events.latest_of(participant_id, LESSON_EVENTS)
    if not participant.lessons_enabled or (latest is not None
                                           and latest.kind == "lessons_stopped"):
        lessons = "off"
    else:
        every = await _lesson_interval(uow, participant_id)
        lessons = "weekly" if every <= LESSON_CHOICES["weekly"] else "less"
    return SettingsView(
        locale=account.locale or uow.defaults.locale, moment=participant.preferred_moment,
        quiet=quiet,
        quiet_start=participant.quiet_start, quiet_end=participant.quiet_end, lessons=lessons,
        paused=participant.status == ParticipantStatus.PAUSED.value,
        paused_until=participant.paused_until,
        step_texts="show" if participant.show_step_texts else "count")
