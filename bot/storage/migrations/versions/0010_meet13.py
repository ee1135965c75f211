"""a coach follows the organisation's digest default until they choose their own; a meeting
the participant cannot make is a request in the coach's push

Revision ID: 0010_meet13
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import context, op

from bot.config import FALLBACK_TIMEZONE
from bot.storage.types import UTCDateTime

revision: str = "0010_meet13"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWN_CHOICES = ("coach.settings_on", "coach.settings_off", "coach.settings_day",
               "coach.settings_time")

coaches = sa.table("coaches", sa.column("id", sa.Integer), sa.column("account_id", sa.Integer),
                   sa.column("organisation_id", sa.Integer),
                   sa.column("digest_own", sa.Boolean), sa.column("digest_enabled", sa.Boolean),
                   sa.column("digest_weekday", sa.Integer), sa.column("digest_time", sa.Time))
audit = sa.table("audit_log", sa.column("action", sa.String), sa.column("subject_type", sa.String),
                 sa.column("subject_id", sa.Integer))
orgs = sa.table("organisations", sa.column("id", sa.Integer), sa.column("settings", sa.JSON))
outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("account_id", sa.Integer),
                  sa.column("kind", sa.String), sa.column("status", sa.String),
                  sa.column("dedupe_key", sa.String), sa.column("payload", sa.JSON),
                  sa.column("due_at", UTCDateTime()), sa.column("created_at", UTCDateTime()),
                  sa.column("last_error", sa.String))
events = sa.table("participant_events", sa.column("participant_id", sa.Integer),
                  sa.column("kind", sa.String), sa.column("at", UTCDateTime()),
                  sa.column("data", sa.JSON))
participants = sa.table("participants", sa.column("id", sa.Integer),
                        sa.column("account_id", sa.Integer))
accounts = sa.table("accounts", sa.column("id", sa.Integer), sa.column("timezone", sa.String))


def upgrade() -> None:
    # A plain string default: an SQL expression (sa.false()) makes Alembic rebuild the table
    # on SQLite, and dropping `coaches` fails while participants refer to it.
    with op.batch_alter_table("coaches") as batch_op:
        batch_op.add_column(sa.Column("digest_own", sa.Boolean(), nullable=False,
                                      server_default="0"))
    bind = op.get_bind()
    # Who chose their own digest settings: an audited change, or values other than the
    # built-in default (an audit log pruned since).
    chose = sa.select(audit.c.subject_id).where(audit.c.subject_type == "coach",
                                                audit.c.action.in_(OWN_CHOICES))
    bind.execute(coaches.update().where(sa.or_(
        coaches.c.id.in_(chose), coaches.c.digest_enabled.is_(sa.false()),
        coaches.c.digest_weekday != 0)).values(digest_own=True))
    for org_id, settings in bind.execute(sa.select(orgs.c.id, orgs.c.settings)).all():
        _follow_default(bind, org_id, settings or {})
    _meeting_notices_to_push(bind)


def _follow_default(bind: sa.Connection, org_id: int, settings: dict) -> None:  # type: ignore[type-arg]
    """A digest default set before it was read: the coaches who did not choose follow it (the
    planner sweep moves their pending digest row within 15 minutes)."""
    from bot.core.org_settings import digest_default

    if not settings.get("digest_default"):
        return
    default = digest_default(settings)
    bind.execute(coaches.update().where(coaches.c.organisation_id == org_id,
                                        coaches.c.digest_own.is_(sa.false()))
                 .values(digest_enabled=default.enabled, digest_weekday=default.weekday,
                         digest_time=default.at))


def _meeting_notices_to_push(bind: sa.Connection) -> None:
    """Pending `meeting_notice` rows (the participant cannot come) become open wishes, told in
    the coach's bundled push: nothing is lost and nothing is told twice."""
    rows = bind.execute(sa.select(outbox.c.id, outbox.c.account_id, outbox.c.payload,
                                  outbox.c.due_at, outbox.c.created_at)
                        .where(outbox.c.kind == "meeting_notice",
                               outbox.c.status == "pending")).all()
    # The installation's DEFAULT_TIMEZONE, handed in by whoever migrates (bot.storage.migrate).
    default_zone = context.config.attributes.get("default_timezone", FALLBACK_TIMEZONE)
    for row_id, account_id, payload, due_at, created_at in rows:
        pid = int(payload.get("participant_id", 0))
        zone_name = bind.execute(
            sa.select(accounts.c.timezone).select_from(participants.join(
                accounts, accounts.c.id == participants.c.account_id))
            .where(participants.c.id == pid)).scalar()
        try:
            zone = ZoneInfo(zone_name or default_zone)
        except (KeyError, ValueError):
            zone = ZoneInfo(default_zone)
        start = datetime.fromisoformat(str(payload.get("at"))).astimezone(UTC)
        bind.execute(events.insert().values(
            participant_id=pid, kind="meeting_wish", at=created_at,
            data={"meeting_id": int(payload.get("meeting_id", 0)),
                  "local": start.astimezone(zone).replace(tzinfo=None)
                  .isoformat(timespec="minutes"),
                  "wish": "call" if payload.get("call_me") is True else "other_day",
                  "day": None, "part": None}))
        coach_id = bind.execute(sa.select(coaches.c.id).where(
            coaches.c.account_id == account_id)).scalar()
        key = f"coach:{coach_id}:push:{due_at.strftime('%Y%m%dT%H%M')}"
        taken = bind.execute(sa.select(outbox.c.id).where(sa.or_(
            outbox.c.dedupe_key == key, sa.and_(outbox.c.account_id == account_id,
                                                outbox.c.kind == "coach_push",
                                                outbox.c.status == "pending")))).first()
        if coach_id is None or taken is not None:
            # No coach any more, or a waiting push carries it already (read at send time).
            bind.execute(outbox.update().where(outbox.c.id == row_id).values(
                status="cancelled", last_error="in_push"))
            continue
        bind.execute(outbox.update().where(outbox.c.id == row_id).values(
            kind="coach_push", dedupe_key=key, payload={"coach_id": coach_id}))


def downgrade() -> None:
    with op.batch_alter_table("coaches") as batch_op:
        batch_op.drop_column("digest_own")
