"""Repositories: queries and inserts for one aggregate each. They flush, never commit."""

from bot.storage.repositories.accounts import AccountRepository
from bot.storage.repositories.audit import AuditRepository
from bot.storage.repositories.brug import BrugRepository
from bot.storage.repositories.digest import DigestRepository
from bot.storage.repositories.events import ParticipantEventRepository
from bot.storage.repositories.flows import FlowStateRepository
from bot.storage.repositories.invites import InviteRepository
from bot.storage.repositories.organisations import OrganisationRepository
from bot.storage.repositories.outbox import OutboxRepository
from bot.storage.repositories.people import CoachRepository, ParticipantRepository
from bot.storage.repositories.plans import GoalRepository, StepEventRepository, StepRepository
from bot.storage.repositories.recognition import CardRepository, RewardRepository

__all__ = [
    "AccountRepository",
    "AuditRepository",
    "BrugRepository",
    "CardRepository",
    "CoachRepository",
    "DigestRepository",
    "FlowStateRepository",
    "GoalRepository",
    "InviteRepository",
    "OrganisationRepository",
    "OutboxRepository",
    "ParticipantEventRepository",
    "ParticipantRepository",
    "RewardRepository",
    "StepEventRepository",
    "StepRepository",
]
