"""Reminders, check-ins and 'laters' about steps (kinds remind, checkin, later): all of a
person's due ones go out as one message, at most MAX_BUNDLED steps, at most DAILY_CAP messages
a day. Planned by flows/reminders.py; the step must still be open, on the date it was planned
for, when the message goes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.core import reminders as plan
from bot.core.outbox import PAYLOADS
from bot.notify.claimed import Claimed
from bot.notify.kinds import rules
from bot.notify.kinds.base import (
    BundledKind,
    Decision,
    Defer,
    Message,
    Row,
    Send,
    SendTime,
    Skip,
    read,
)
from bot.storage.models import Step, StepStatus
from bot.storage.uow import UnitOfWork
from bot.ui.screens import nudges as screen

# Steps beyond one message's MAX_BUNDLED wait this long (then the daily cap decides again).
REST_AFTER = timedelta(hours=3)


@dataclass(frozen=True)
class Known:
    """What a whole batch's nudges need, read in two queries instead of two per message."""

    steps: dict[int, tuple[Step, str]]  # step id -> the step and its goal's text
    sent: dict[int, list[datetime]]  # account id -> when nudges went to them lately


async def _known(uow: UnitOfWork, rows: Sequence[Claimed], now: datetime) -> Known:
    mine = [r for r in rows if r.kind in plan.NUDGE_KINDS]
    read_rows = [read(PAYLOADS[r.kind], r) for r in mine]
    step_ids = sorted({r.payload.step_id for r in read_rows if isinstance(r, Row)
                       and isinstance(r.payload, plan.StepNudgePayload)})
    accounts = sorted({r.account_id for r in mine})
    return Known(await uow.steps.with_goal_texts(step_ids),
                 await uow.outbox.sent_moments_of(accounts, plan.NUDGE_KINDS,
                                                  now - timedelta(days=2)))


@dataclass(frozen=True)
class Line:
    """One step in the message, and whom the message is for (the same on every line)."""

    item: screen.NudgeItem
    name: str
    today: date
    salt: int
    show_texts: bool


async def decide(at: SendTime, rows: Sequence[Row[plan.StepNudgePayload]]
                 ) -> list[Decision[Line]]:
    held = rules.planned_hold(at, rows[0].kind)
    if held is None and rules.silent(at):
        held = Skip("silent")  # after a silence only the welcome back speaks
    if held is not None:
        return [held] * len(rows)
    assert at.participant is not None
    known = await at.reads.get(_known)
    today = plan.local_today(at.now, at.person)
    decided: list[Decision[Line]] = []
    seen: set[int] = set()
    rest: set[int] = set()
    for row in rows:
        step_id = row.payload.step_id
        step, goal_text = known.steps.get(step_id, (None, ""))
        if step is None or step.participant_id != at.participant.id \
                or step.status != StepStatus.OPEN.value:
            decided.append(Skip("step_closed"))
        elif row.kind != plan.LATER and row.payload.due != (
                step.due_date.isoformat() if step.due_date else None):
            decided.append(Skip("date_changed"))
        elif row.kind == plan.REMIND and step.due_date is not None and step.due_date < today:
            decided.append(Skip("too_late"))
        elif step_id in rest or (step_id not in seen and len(seen) == screen.MAX_BUNDLED):
            # One message shows at most MAX_BUNDLED steps: the rest stays pending for later,
            # never marked sent unseen.
            rest.add(step_id)
            decided.append(Defer(at.now + REST_AFTER, "bundle_full"))
        else:
            seen.add(step_id)  # a reminder and a 'later' for one step: one line (render)
            decided.append(Send(Line(
                screen.NudgeItem(step.id, row.kind, step.text, goal_text, step.due_date),
                at.participant.display_name, today, at.account.id,
                at.participant.show_step_texts)))
    if seen and plan.nudges_left_today(known.sent.get(at.account.id, []), at.person,
                                       at.now) == 0:
        return [d if isinstance(d, Skip) else Skip("daily_cap") for d in decided]
    return decided


def render(lines: Sequence[Line]) -> Message:
    items: dict[int, screen.NudgeItem] = {}
    for line in lines:
        items.setdefault(line.item.step_id, line.item)
    first = lines[0]
    text, markup = screen.render_nudges(first.name, list(items.values()), first.today,
                                        first.salt,
                                        show_texts=first.show_texts)
    return Message(text, markup)


BUNDLE = "nudges"
REMIND = BundledKind(plan.RemindPayload, BUNDLE, decide, render, cancelled_when_blocked=True,
                     purged=True)
CHECKIN = BundledKind(plan.CheckinPayload, BUNDLE, decide, render, cancelled_when_blocked=True)
LATER = BundledKind(plan.LaterPayload, BUNDLE, decide, render, cancelled_when_blocked=True,
                    purged=True)
KINDS = (REMIND, CHECKIN, LATER)
