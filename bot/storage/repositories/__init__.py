"""Repositories: every query of the bot, one class per aggregate (or per report), each
attached to the unit of work as `uow.<name>` (bot/storage/uow.py). They flush, never commit.
Where a new query goes: docs/recipe-storage.md."""

from bot.storage.repositories.accounts import AccountRepository
from bot.storage.repositories.audit import AuditRepository
from bot.storage.repositories.brug import BrugRepository
from bot.storage.repositories.digest import DigestRepository
from bot.storage.repositories.events import ParticipantEventRepository
from bot.storage.repositories.flows import FlowStateRepository
from bot.storage.repositories.invites import InviteRepository
from bot.storage.repositories.meetings import MeetingRepository
from bot.storage.repositories.organisations import OrganisationRepository
from bot.storage.repositories.outbox import OutboxRepository
from bot.storage.repositories.paper import PaperRepository
from bot.storage.repositories.people import CoachRepository, ParticipantRepository
from bot.storage.repositories.plans import GoalRepository, StepEventRepository, StepRepository
from bot.storage.repositories.privacy import PrivacyRepository
from bot.storage.repositories.recognition import CardRepository, RewardRepository
from bot.storage.repositories.report import ReportRepository
from bot.storage.repositories.research import ResearchRepository

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
    "MeetingRepository",
    "OrganisationRepository",
    "OutboxRepository",
    "PaperRepository",
    "ParticipantEventRepository",
    "ParticipantRepository",
    "PrivacyRepository",
    "ReportRepository",
    "ResearchRepository",
    "RewardRepository",
    "StepEventRepository",
    "StepRepository",
]
