"""Pseudonyms for evaluation data: HMAC-SHA256 of the participant id with the organisation's
secret, so the same person keeps the same pseudonym across reports and exports of one
organisation, while nobody without the database can link a pseudonym to a person, and two
organisations' exports cannot be joined on it."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from bot.storage.models import Organisation
from bot.storage.uow import UnitOfWork

PSEUDONYM_CHARS = 16


def new_secret() -> str:
    return secrets.token_hex(32)


def pseudonym(secret: str, participant_id: int) -> str:
    digest = hmac.new(secret.encode(), str(participant_id).encode(), hashlib.sha256)
    return digest.hexdigest()[:PSEUDONYM_CHARS]


async def pseudonymiser(uow: UnitOfWork, organisation: Organisation) -> Callable[[int], str]:
    """The organisation's pseudonym function; an organisation created before secrets existed
    gets one now (flushed: the caller commits, so it is stored once and used ever after)."""
    if not organisation.pseudonym_secret:
        organisation.pseudonym_secret = new_secret()
        await uow.flush()
    secret = organisation.pseudonym_secret
    return lambda participant_id: pseudonym(secret, participant_id)
