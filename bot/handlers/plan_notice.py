"""Telling the participant about a new or changed plan: one calm message, sent after the
commit, with a button to their list. A 403 marks them unreachable for the coach."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import Forbidden

from bot.context import BotContext
from bot.core.callbacks import Home
from bot.flows import plans
from bot.flows.plans import PlanNotice
from bot.i18n import SUPPORTED, _, ngettext, using_locale

log = logging.getLogger(__name__)


def notice_text(notice: PlanNotice) -> str:
    # The first line is what a lock screen shows: it names no goal, debt or benefit.
    coach = html.escape(notice.coach_name)
    if notice.kind == "new_goal":
        body = ngettext(
            "Your coach {coach} put a new goal in your plan, with {n} small step.",
            "Your coach {coach} put a new goal in your plan, with {n} small steps.",
            notice.steps).format(coach=coach, n=notice.steps)
        if notice.steps == 0:
            body = _("Your coach {coach} put a new goal in your plan.").format(coach=coach)
    elif notice.kind == "new_steps":
        body = ngettext("Your coach {coach} added {n} step to your plan.",
                        "Your coach {coach} added {n} steps to your plan.",
                        notice.steps).format(coach=coach, n=notice.steps)
    else:
        body = _("Your coach {coach} changed a few things in your plan.").format(coach=coach)
    return body + "\n" + _("Have a look whenever it suits you.")


async def send_notice(context: BotContext, notice: PlanNotice, actor_account_id: int) -> bool:
    services = context.services
    locale = notice.locale if notice.locale in SUPPORTED else services.settings.default_locale
    with using_locale(locale):
        text = notice_text(notice)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(
            _("My steps"), callback_data=Home(target="steps").pack())]])
    try:
        await context.bot.send_message(notice.chat_id, text, reply_markup=markup)
    except Forbidden:
        log.info("participant %s unreachable (403)", notice.participant_id)
        await plans.mark_unreachable(services.db, notice.account_id)
        return False
    await plans.notice_sent(services.db, notice, actor_account_id, services.clock.now())
    return True
