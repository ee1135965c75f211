"""The data model for the whole product.

Times are UTC (`UTCDateTime`); calendar days that belong to a person (a step's deadline) are plain
dates interpreted in that person's zone. Enumerations are stored as short strings with CHECK
constraints so SQLite and PostgreSQL behave alike and migrations stay simple.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Time,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[str]: JSON}


def _check_in(column: str, enum: type[StrEnum]) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return CheckConstraint(f"{column} IN ({values})", name=f"{column}_valid")


class Role(StrEnum):
    PARTICIPANT = "participant"
    COACH = "coach"
    ADMIN = "admin"


class ParticipantStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    PAUSED = "paused"
    DECLINED = "declined"
    ENDED = "ended"


class Moment(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class InviteKind(StrEnum):
    COACH = "coach"
    PARTICIPANT = "participant"


class GoalStatus(StrEnum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    STOPPED = "stopped"


class StepOwner(StrEnum):
    PARTICIPANT = "participant"
    COACH = "coach"
    TOGETHER = "together"


class StepStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class StepEventKind(StrEnum):
    CREATED = "created"
    DONE = "done"
    UNDONE = "undone"
    RESCHEDULED = "rescheduled"
    HELP_ASKED = "help_asked"
    MADE_SMALLER = "made_smaller"
    EDITED = "edited"
    DROPPED = "dropped"


class MeasurementMoment(StrEnum):
    INTAKE = "intake"
    SIX_MONTHS = "six_months"
    TWELVE_MONTHS = "twelve_months"
    END = "end"
    EXTRA = "extra"


class FilledBy(StrEnum):
    PARTICIPANT = "participant"
    COACH = "coach"
    TOGETHER = "together"


class CardKind(StrEnum):
    GOAL_ACHIEVED = "goal_achieved"
    CHALLENGING_STEP = "challenging_step"
    COACH = "coach"


class RewardStatus(StrEnum):
    TAGGED = "tagged"
    EARNED = "earned"
    HANDED_OUT = "handed_out"
    CANCELLED = "cancelled"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"
    FAILED = "failed"


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Which Brug instrument (content file under locales/instruments/) this organisation uses.
    instrument_key: Mapped[str] = mapped_column(String(64), default="brug-alphen")
    # HMAC key for the pseudonyms in reports and research exports (bot.flows.report);
    # made at creation, or on first use for organisations created before it existed.
    pseudonym_secret: Mapped[str | None] = mapped_column(String(64))
    # Organisation rules: digest day, reminder offsets, rewards on/off, budgets.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class Account(Base):
    """A Telegram user known to the bot, whatever their role."""

    __tablename__ = "accounts"
    __table_args__ = (_check_in("role", Role),)

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    role: Mapped[str] = mapped_column(String(16))
    locale: Mapped[str | None] = mapped_column(String(8))
    # Always set where the account is created (the installation's DEFAULT_TIMEZONE at first).
    timezone: Mapped[str] = mapped_column(String(64))
    # False after Telegram answered 403 (blocked or chat deleted): stop writing, tell the coach.
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None]


class Coach(Base):
    __tablename__ = "coaches"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), unique=True)
    # The name participants see ("Je coach Sanne").
    display_name: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Shown in the crisis route only when the organisation allows it (coach_phone_visible).
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    # The weekly digest (bot/core/digest.py): on/off, day (Monday = 0) and local time. Until
    # the coach chooses their own (`digest_own`), these follow the organisation's default
    # (`admin org --digest...` writes it here; flows/org_admin.py).
    digest_own: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    digest_time: Mapped[time] = mapped_column(Time, default=time(8, 30),
                                              server_default="08:30:00")
    # Pushes (help asked, wish to talk) wait for these: days as digits, Monday = 0.
    work_days: Mapped[str] = mapped_column(String(7), default="01234", server_default="01234")
    work_start: Mapped[time] = mapped_column(Time, default=time(8, 0), server_default="08:00:00")
    work_end: Mapped[time] = mapped_column(Time, default=time(18, 0), server_default="18:00:00")


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (
        _check_in("status", ParticipantStatus),
        _check_in("preferred_moment", Moment),
        UniqueConstraint("organisation_id", "external_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), unique=True)
    # Name or nickname as the coach typed it; shown to the participant and the coach only.
    display_name: Mapped[str] = mapped_column(String(80))
    # Random, stable id for evaluation exports: never derived from names or Telegram ids.
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=ParticipantStatus.INVITED.value)
    # One of bot.core.trajectory.END_REASONS once the coach ended the trajectory.
    ended_reason: Mapped[str | None] = mapped_column(String(200))
    ended_at: Mapped[datetime | None]
    # The organisation's own reference (from a paper import); NULL for people added in the bot.
    external_ref: Mapped[str | None] = mapped_column(String(64))
    consent_at: Mapped[datetime | None]
    paused_until: Mapped[date | None] = mapped_column(Date)
    preferred_moment: Mapped[str] = mapped_column(String(16), default=Moment.MORNING.value)
    quiet_start: Mapped[time] = mapped_column(Time, default=time(21, 0))
    quiet_end: Mapped[time] = mapped_column(Time, default=time(8, 0))
    lessons_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Off by default: reminders name no step or goal (a lock screen shows them). The
    # participant can choose to see them (/privacy).
    show_step_texts: Mapped[bool] = mapped_column(Boolean, default=False,
                                                  server_default=false())
    last_interaction_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Invite(Base):
    """A one-time join code; only its SHA-256 is stored, so a database leak reveals no codes."""

    __tablename__ = "invites"
    __table_args__ = (_check_in("kind", InviteKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id"), index=True)
    created_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Goal(Base):
    __tablename__ = "goals"
    __table_args__ = (
        _check_in("status", GoalStatus),
        CheckConstraint("confidence IS NULL OR confidence BETWEEN 1 AND 10", name="confidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    why: Mapped[str | None] = mapped_column(String(500))
    pillars: Mapped[list[str]] = mapped_column(default=list)
    confidence: Mapped[int | None] = mapped_column(Integer)
    obstacle: Mapped[str | None] = mapped_column(String(500))
    if_then: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default=GoalStatus.ACTIVE.value)
    closed_reason: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class Step(Base):
    __tablename__ = "steps"
    __table_args__ = (
        _check_in("status", StepStatus),
        _check_in("owner", StepOwner),
        Index("ix_steps_goal_status", "goal_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id"))
    # Denormalised so "my steps" and access checks need no join through goals.
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    text: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date)
    owner: Mapped[str] = mapped_column(String(16), default=StepOwner.PARTICIPANT.value)
    challenging: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=StepStatus.OPEN.value)
    done_at: Mapped[datetime | None]
    position: Mapped[int] = mapped_column(Integer, default=0)
    help_asked_at: Mapped[datetime | None]
    # Which role created the step, so the coach sees steps the participant added.
    created_by_role: Mapped[str] = mapped_column(String(16), default=Role.COACH.value)
    created_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    reward_kind: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class StepEvent(Base):
    """What happened to a step and when: the evaluation data and the digest's source."""

    __tablename__ = "step_events"
    __table_args__ = (
        _check_in("kind", StepEventKind),
        Index("ix_step_events_participant_at", "participant_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    # e.g. {"from": "2026-03-12", "to": "2026-03-19"} for a reschedule.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class BrugMeasurement(Base):
    __tablename__ = "brug_measurements"
    __table_args__ = (
        _check_in("moment", MeasurementMoment),
        _check_in("filled_by", FilledBy),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    instrument_key: Mapped[str] = mapped_column(String(64))
    instrument_version: Mapped[int] = mapped_column(Integer)
    moment: Mapped[str] = mapped_column(String(16))
    filled_by: Mapped[str] = mapped_column(String(16))
    entered_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    started_at: Mapped[datetime]
    # NULL while being filled in: a measurement can be resumed after a break.
    completed_at: Mapped[datetime | None]
    # Set for a paper form imported from CSV (participant, moment, date): importing twice is a
    # no-op. NULL for measurements made in the bot.
    import_key: Mapped[str | None] = mapped_column(String(160), unique=True)


class BrugScore(Base):
    __tablename__ = "brug_scores"
    __table_args__ = (
        UniqueConstraint("measurement_id", "pillar_key"),
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 5", name="level"),
        CheckConstraint("target IS NULL OR target BETWEEN 1 AND 5", name="target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measurement_id: Mapped[int] = mapped_column(ForeignKey("brug_measurements.id"))
    pillar_key: Mapped[str] = mapped_column(String(64))
    # NULL = skipped on purpose.
    level: Mapped[int | None] = mapped_column(Integer)
    target: Mapped[int | None] = mapped_column(Integer)


class Card(Base):
    __tablename__ = "cards"
    __table_args__ = (_check_in("kind", CardKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    message: Mapped[str] = mapped_column(String(300))
    author_coach_id: Mapped[int | None] = mapped_column(ForeignKey("coaches.id"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id"))
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id"))
    # Makes automatic cards idempotent: one card per achievement, however often it is triggered.
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime]


class RewardEntry(Base):
    """The reward ledger: one row per participant and kind of action (paid once per kind)."""

    __tablename__ = "reward_entries"
    __table_args__ = (
        _check_in("status", RewardStatus),
        UniqueConstraint("participant_id", "reward_kind", name="uq_reward_once_per_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    reward_kind: Mapped[str] = mapped_column(String(64))
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id"))
    amount_cents: Mapped[int] = mapped_column(Integer)
    budget_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=RewardStatus.TAGGED.value)
    created_at: Mapped[datetime]
    earned_at: Mapped[datetime | None]
    handed_out_at: Mapped[datetime | None]


class OutboxMessage(Base):
    """Every message the bot sends on its own is a row here first (see docs/architecture.md)."""

    __tablename__ = "outbox"
    __table_args__ = (
        _check_in("status", OutboxStatus),
        # Each matches one dispatcher query: due pending rows in order, and stale claims.
        Index("ix_outbox_pending_due", "due_at", "id", postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
        Index("ix_outbox_claimed_at", "claimed_at", postgresql_where=text("status = 'claimed'"),
              sqlite_where=text("status = 'claimed'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime]
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    # Ids and choices only; the text is rendered at send time in the recipient's language.
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class SendPace(Base):
    """One row: the next free send slot of the whole installation (all processes, PostgreSQL)."""

    __tablename__ = "send_pace"

    id: Mapped[int] = mapped_column(primary_key=True)
    next_at: Mapped[datetime]


class FlowState(Base):
    """A multi-step conversation in progress, so it survives a restart of the bot."""

    __tablename__ = "flow_states"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]


class AuditEntry(Base):
    """Who did or opened what. Holds ids and action names only: never names or free text."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ParticipantEvent(Base):
    """What a participant did outside steps (consent, pause, language, lesson feedback, ...)."""

    __tablename__ = "participant_events"
    __table_args__ = (Index("ix_participant_events_participant_at", "participant_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class MeetingPlace(StrEnum):
    OFFICE = "office"
    HOME = "home"
    PHONE = "phone"
    VIDEO = "video"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    HELD = "held"
    NOT_HELD = "not_held"


class Meeting(Base):
    """A meeting of a participant with their coach (issue 13). `answer` is the participant's
    "I'll come" / "I can't make it"; held / not held is the coach's mark afterwards."""

    __tablename__ = "meetings"
    __table_args__ = (
        _check_in("place", MeetingPlace),
        _check_in("status", MeetingStatus),
        CheckConstraint("answer IS NULL OR answer IN ('coming', 'cannot')", name="answer_valid"),
        Index("ix_meetings_participant_starts", "participant_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    coach_id: Mapped[int] = mapped_column(ForeignKey("coaches.id"))
    starts_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.PLANNED.value)
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None]
    created_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class HandledUpdate(Base):
    """A Telegram update whose handling finished: a second delivery of it is not acted on.
    Written with the update's first change (or after its handlers ran, when nothing changed),
    never on receipt, and removed when a handler fails afterwards, so an update whose handling
    crashed is handled when Telegram delivers it again (bot/storage/handled_updates.py). Old
    rows are pruned (Telegram redelivers for at most a day)."""

    __tablename__ = "handled_updates"
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(index=True)
