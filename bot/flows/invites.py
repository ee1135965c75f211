"""Invite codes: made here, stored only as a hash, redeemed once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core import org_settings
from bot.storage.db import Database
from bot.storage.models import InviteKind, Role
from bot.storage.uow import UnitOfWork

INVITE_DAYS = 14
# 24 url-safe characters: ~143 bits, far beyond guessing, and well inside the 64-char deep link.
_CODE_BYTES = 18


def new_code() -> str:
    return secrets.token_urlsafe(_CODE_BYTES)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


class RedeemProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ALREADY_LINKED = "already_linked"


@dataclass(frozen=True)
class CoachJoined:
    coach_id: int
    organisation_id: int
    display_name: str
    account_id: int


async def _create_coach_invite(
    uow: UnitOfWork, organisation_id: int, now: datetime, days: int = INVITE_DAYS
) -> str:
    code = new_code()
    await uow.invites.add(
        code_hash=hash_code(code),
        kind=InviteKind.COACH.value,
        organisation_id=organisation_id,
        expires_at=now + timedelta(days=days),
        created_at=now,
    )
    return code


async def redeem_coach_invite(
    db: Database,
    code: str,
    *,
    telegram_user_id: int,
    chat_id: int,
    display_name: str,
    locale: str,
    timezone: str,
    now: datetime,
) -> CoachJoined | RedeemProblem:
    """Make this Telegram account a coach of the invite's organisation (one transaction)."""
    async with db.uow() as uow:
        return await _redeem_coach_invite(
            uow, code, telegram_user_id=telegram_user_id, chat_id=chat_id,
            display_name=display_name, locale=locale, timezone=timezone, now=now)


async def _redeem_coach_invite(
    uow: UnitOfWork, code: str, *, telegram_user_id: int, chat_id: int, display_name: str,
    locale: str, timezone: str, now: datetime,
) -> CoachJoined | RedeemProblem:
    invite = await uow.invites.by_hash(hash_code(code), for_update=True)
    if invite is None or invite.kind != InviteKind.COACH.value:
        return RedeemProblem.UNKNOWN
    if invite.revoked_at is not None:
        return RedeemProblem.REVOKED
    if invite.used_at is not None:
        return RedeemProblem.USED
    if invite.expires_at <= now:
        return RedeemProblem.EXPIRED
    account = await uow.accounts.by_telegram_user(telegram_user_id)
    if account is not None:
        # One Telegram account is one person in one role: never silently turn a participant
        # into a coach or move a coach between organisations.
        return RedeemProblem.ALREADY_LINKED
    account = await uow.accounts.add(
        telegram_user_id=telegram_user_id,
        chat_id=chat_id,
        role=Role.COACH.value,
        locale=locale,
        timezone=timezone,
        created_at=now,
        last_seen_at=now,
    )
    org = await uow.organisations.get(invite.organisation_id)
    default = org_settings.digest_default(org.settings if org is not None else None)
    coach = await uow.coaches.add(
        organisation_id=invite.organisation_id,
        account_id=account.id,
        display_name=display_name[:80],
        created_at=now,
        # The organisation's digest default, until the coach chooses their own.
        digest_enabled=default.enabled, digest_weekday=default.weekday,
        digest_time=default.at,
    )
    invite.used_at = now
    invite.used_by_account_id = account.id
    await uow.audit.record(
        at=now, actor_account_id=account.id, action="coach.joined",
        subject_type="coach", subject_id=coach.id,
    )
    await uow.commit()
    return CoachJoined(coach.id, invite.organisation_id, coach.display_name, account.id)


@dataclass(frozen=True)
class ParticipantInvite:
    participant_id: int
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class ParticipantJoined:
    participant_id: int
    coach_id: int
    coach_name: str
    participant_name: str


async def _invite_participant(
    uow: UnitOfWork, participant_id: int, created_by_account_id: int | None, now: datetime,
    days: int = INVITE_DAYS,
) -> ParticipantInvite:
    """A fresh code for a participant; earlier unused codes for them stop working."""
    participant = await uow.participants.get(participant_id)
    if participant is None:
        raise LookupError("participant")
    await _revoke_participant_invites(uow, participant_id, now)
    code = new_code()
    expires_at = now + timedelta(days=days)
    await uow.invites.add(
        code_hash=hash_code(code),
        kind=InviteKind.PARTICIPANT.value,
        organisation_id=participant.organisation_id,
        participant_id=participant_id,
        created_by_account_id=created_by_account_id,
        expires_at=expires_at,
        created_at=now,
    )
    return ParticipantInvite(participant_id, code, expires_at)


async def _revoke_participant_invites(uow: UnitOfWork, participant_id: int, now: datetime) -> int:
    revoked = 0
    for invite in await uow.invites.open_for_participant(participant_id):
        invite.revoked_at = now
        revoked += 1
    await uow.flush()
    return revoked


async def _redeem_participant_invite(
    uow: UnitOfWork,
    code: str,
    *,
    telegram_user_id: int,
    chat_id: int,
    locale: str,
    timezone: str,
    now: datetime,
) -> ParticipantJoined | RedeemProblem:
    """Link this Telegram account to the participant the coach created. Does not commit:
    the caller records consent-related state in the same transaction."""
    invite = await uow.invites.by_hash(hash_code(code), for_update=True)
    if invite is None or invite.kind != InviteKind.PARTICIPANT.value or not invite.participant_id:
        return RedeemProblem.UNKNOWN
    if invite.revoked_at is not None:
        return RedeemProblem.REVOKED
    if invite.used_at is not None:
        return RedeemProblem.USED
    if invite.expires_at <= now:
        return RedeemProblem.EXPIRED
    participant = await uow.participants.get(invite.participant_id)
    if participant is None or participant.account_id is not None:
        return RedeemProblem.USED
    if await uow.accounts.by_telegram_user(telegram_user_id) is not None:
        return RedeemProblem.ALREADY_LINKED
    account = await uow.accounts.add(
        telegram_user_id=telegram_user_id,
        chat_id=chat_id,
        role=Role.PARTICIPANT.value,
        locale=locale,
        timezone=timezone,
        created_at=now,
        last_seen_at=now,
    )
    participant.account_id = account.id
    participant.last_interaction_at = now
    invite.used_at = now
    invite.used_by_account_id = account.id
    coach = await uow.coaches.get(participant.coach_id)
    await uow.audit.record(
        at=now, actor_account_id=account.id, action="participant.joined",
        subject_type="participant", subject_id=participant.id,
    )
    await uow.flush()
    return ParticipantJoined(
        participant.id, participant.coach_id, coach.display_name if coach else "",
        participant.display_name,
    )
