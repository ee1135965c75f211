"""The command menu per role and language (what Telegram shows behind the '/' button)."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat

from bot.command_names import in_language
from bot.i18n import N_, SUPPORTED, _, using_locale

# Listed by their Dutch names; an English menu shows the English names (core/command_names),
# and both names work for everyone. Descriptions are translated.
PARTICIPANT_COMMANDS = (
    ("start", N_("Start or go to the menu")),
    ("stappen", N_("My steps")),
    ("menu", N_("The menu")),
    ("pauze", N_("Take a break from messages")),
    ("verder", N_("Start again after a break")),
    ("brug", N_("See your Brug, or fill it in")),
    ("kaartjes", N_("Your cards")),
    ("les", N_("A short lesson about stress")),
    ("instellingen", N_("Language, times, lessons and breaks")),
    ("privacy", N_("Your data and your rights")),
    ("hulp", N_("Who to call when things are very hard")),
    ("help", N_("What this bot can do for you")),
)
COACH_COMMANDS = (
    ("deelnemers", N_("Your participants at a glance")),
    ("overzicht", N_("What happened this week, and who needs you")),
    ("nieuw", N_("Add a participant and make their invite")),
    ("annuleer", N_("Stop what you are doing, save nothing")),
    ("instellingen", N_("Your name, weekly overview and working hours")),
    ("privacy", N_("Your data and your rights")),
    ("help", N_("What this bot can do for you")),
)


# The menu of each role that has its own (everyone else sees the participant's).
MENUS = {"coach": COACH_COMMANDS, "participant": PARTICIPANT_COMMANDS}


def commands_for(role: str | None, locale: str) -> list[BotCommand]:
    table = MENUS.get(role or "participant", PARTICIPANT_COMMANDS)
    with using_locale(locale):
        return [BotCommand(in_language(name, locale), _(description))
                for name, description in table]


async def publish_default_commands(bot: Bot, default_locale: str) -> None:
    """Participant commands for every private chat, per client language."""
    scope = BotCommandScopeAllPrivateChats()
    for locale in SUPPORTED:
        await bot.set_my_commands(commands_for(None, locale), scope=scope, language_code=locale)
    # Clients in any other language get the organisation's default language.
    await bot.set_my_commands(commands_for(None, default_locale), scope=scope)


async def publish_chat_commands(bot: Bot, chat_id: int, role: str, locale: str) -> None:
    """A coach's own chat gets the coach menu in the coach's chosen language."""
    await bot.set_my_commands(commands_for(role, locale), scope=BotCommandScopeChat(chat_id))
