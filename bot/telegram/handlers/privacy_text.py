"""Texts of the privacy screens and the readable export file (the JSON file holds all)."""

from __future__ import annotations

import json
from typing import Any

from bot.flows.privacy import Export
from bot.i18n import _


def privacy_text(months: int) -> str:
    return _(
        "<b>Your data and your rights</b>\n\n"
        "<b>What is stored</b>\n"
        "Your name, your goals and steps, when you ticked them off, your Brug answers, your "
        "cards, your settings (such as quiet hours) and which messages the bot sent you.\n\n"
        "<b>Why</b>\n"
        "So the bot can remind you of your steps and your coach can help you.\n\n"
        "<b>Who sees it</b>\n"
        "• Your coach sees your steps, your goals and your Brug.\n"
        "• The organisation that runs the bot keeps the data safe.\n"
        "• Researchers who evaluate the programme only get numbers under a code. Never your "
        "name and never your texts.\n\n"
        "<b>How long</b>\n"
        "Up to {months} months after your trajectory ends. Then your name and texts are "
        "deleted. Only the numbers without a name stay.\n\n"
        "<b>What you can do</b>\n"
        "/mijngegevens - get all your data as a file\n"
        "/verwijder - delete your data\n"
        "Reminders do not name your steps, so a lock screen shows nothing private. You can "
        "choose to see your step texts in reminders with the button below.\n"
        "You can also stop with the bot: then you get no more messages, and your data stays "
        "until the end of the period above."
    ).format(months=months)


def export_files(export: Export) -> tuple[bytes, bytes]:
    """The readable text and the complete JSON, as UTF-8 bytes."""
    return (export_text(export).encode(),
            json.dumps(export.data, ensure_ascii=False, indent=2, default=str).encode())


def _head(title: str) -> str:
    return f"== {title} =="


def _line(label: str, value: Any) -> str:
    return f"{label}: {'-' if value in (None, '') else value}"


def export_text(export: Export) -> str:
    data = export.data
    out = [_("Your data in the bot"), _line(_("Made on"), data["exported_at"][:16]), ""]
    account = data["account"]
    out += [_head(_("Your account")),
            _line(_("Telegram number"), account["telegram_user_id"]),
            _line(_("Language"), account["locale"]),
            _line(_("Time zone"), account["timezone"]),
            _line(_("Since"), account["created_at"][:10]), ""]
    if "coach" in data:
        coach = data["coach"]
        out += [_head(_("You as a coach")), _line(_("Name"), coach["display_name"]),
                _line(_("Organisation"), coach["organisation"]),
                _line(_("Participants"), coach["participants"]), ""]
    if "participant" in data:
        person = data["participant"]
        out += [_head(_("About you")), _line(_("Name"), person["display_name"]),
                _line(_("Coach"), person["coach"]), _line(_("Status"), person["status"]),
                _line(_("Consent given"), (person["consent_at"] or "")[:10]),
                _line(_("Quiet hours"), f"{person['quiet_start'][:5]}-{person['quiet_end'][:5]}"),
                _line(_("Break until"), person["paused_until"]), ""]
        out.append(_head(_("Goals and steps")))
        goal_word, due_word = _("Goal"), _("due")
        for goal in data["goals"]:
            out.append(f"{goal_word}: {goal['text']} ({goal['status']})")
            for label, key in ((_("Why"), "why"), (_("Obstacle"), "obstacle"),
                               (_("If-then plan"), "if_then")):
                if goal[key]:
                    out.append(f"  {label}: {goal[key]}")
            for step in goal["steps"]:
                due = f", {due_word} {step['due_date']}" if step["due_date"] else ""
                out.append(f"  - {step['text']} ({step['status']}{due})")
        out += ["", _head(_("The Brug"))]
        for measurement in data["brug"]:
            levels = ", ".join(f"{s['pillar_key']} {s['level'] or '-'}"
                               for s in measurement["scores"])
            out.append(f"{measurement['started_at'][:10]} ({measurement['moment']}): {levels}")
        out += ["", _head(_("Cards"))]
        out += [f"{c['created_at'][:10]} {c['kind']}: {c['message']}" for c in data["cards"]]
        out += ["", _head(_("Rewards"))]
        out += [f"{r['reward_kind']}: {r['amount_cents'] / 100:.2f} ({r['status']})"
                for r in data["rewards"]]
        out += ["", _head(_("Who looked at or changed your data"))]
        out += [f"{a['at'][:16]} {a['action']}" for a in data["seen_by_others"]]
        out.append("")
    out.append(_head(_("Messages from the bot")))
    out += [f"{m['due_at'][:16]} {m['kind']}: {m['status']}" for m in data["messages"]]
    out += ["", _("The JSON file holds the same data, complete and for computers.")]
    return "\n".join(out) + "\n"
