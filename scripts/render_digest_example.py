"""Print the coach's digest for the example caseload (tests/support/digest_world.py).

    .venv/bin/python scripts/render_digest_example.py [--locale en]

Seeds a scratch SQLite database, builds the digest as the dispatcher would on Monday
7 December 2026 08:30 (Amsterdam) and prints every page as Telegram would show it (HTML tags
removed), with its buttons.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import i18n
from bot.bootstrap import build_services
from bot.config import load_settings
from bot.flows import digest
from bot.storage.migrate import upgrade
from bot.ui.screens.digest import render_pages
from tests.support.digest_world import DIGEST_AT, seed_example


async def main(locale: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # Services as the bot builds them (translations included), on a scratch database.
        db = build_services(load_settings(
            _env_file=None, BOT_TOKEN="123456789:EXAMPLEtokenEXAMPLEtokenEXAMPLEtok",
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp}/example.sqlite3")).db
        await upgrade(db.engine)
        example = await seed_example(db)
        async with db.uow() as uow:
            built = await digest.build(uow, example.world.coach_id, DIGEST_AT,
                                       "Europe/Amsterdam")
        assert built is not None
        with i18n.using_locale(locale):
            for page in render_pages(built, weekly=True):
                print(re.sub(r"</?[a-z]+>", "", page.text))
                if page.markup:
                    for row in page.markup.inline_keyboard:
                        print("  " + "  ".join(f"[{b.text}]" for b in row))
                print("-" * 40)
        await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--locale", default="nl")
    asyncio.run(main(parser.parse_args().locale))
