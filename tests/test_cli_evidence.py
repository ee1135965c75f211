"""The evaluators' commands in-process through `python -m bot`'s main: create-org with an
instrument, import-brug (dry run, bad file, real, again), report and export-research."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.bootstrap import build_services
from bot.config import load_settings
from bot.storage.models import Role

TOKEN = "123456789:TESTtokenTESTtokenTESTtokenTESTtok"
CSV = (
    "participant,date,moment,Wonen,Gezondheid,Inkomen\n"
    "K-1,2026-01-05,intake,2,3,1\n"
    "K-1,2026-03-05,6m,3,,1\n"
    "K-2,2026-01-12,intake,4,5,\n"
)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def _add_coach(env: Path) -> None:
    async def work() -> None:
        db = build_services(load_settings()).db
        try:
            async with db.uow() as uow:
                org = await uow.organisations.by_name("Gemeente Groningen")
                assert org is not None and org.instrument_key == "brug-groningen"
                assert org.pseudonym_secret and len(org.pseudonym_secret) == 64
                account = await uow.accounts.add(telegram_user_id=9001, chat_id=9001,
                                                 role=Role.COACH.value, created_at=org.created_at,
                                                 timezone=uow.defaults.timezone)
                await uow.coaches.add(organisation_id=org.id, account_id=account.id,
                                      display_name="Sanne", created_at=org.created_at)
                await uow.commit()
        finally:
            await db.dispose()

    asyncio.run(work())


def test_import_report_and_export_from_the_command_line(env: Path, capsys) -> None:
    assert main(["admin", "create-org", "Elders", "--instrument", "brug-nowhere"]) == 1
    assert "no instrument 'brug-nowhere'" in capsys.readouterr().err
    assert main(["admin", "create-org", "Gemeente Groningen", "--instrument",
                 "brug-groningen"]) == 0
    _add_coach(env)
    forms = env / "forms.csv"
    forms.write_text(CSV, encoding="utf-8")
    bad = env / "bad.csv"
    bad.write_text(CSV + "K-3,2026-02-30,intake,2,2,2\n", encoding="utf-8")

    assert main(["import-brug", "--org", "Gemeente Groningen", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 5: date '2026-02-30' does not exist" in err and "nothing was imported" in err
    assert main(["import-brug", "--org", "Nergens", str(forms)]) == 1
    assert "no organisation 'Nergens'" in capsys.readouterr().err
    assert main(["import-brug", "--org", "Gemeente Groningen", str(forms), "--dry-run"]) == 0
    assert "dry run: nothing was changed" in capsys.readouterr().out
    assert main(["import-brug", "--org", "Gemeente Groningen", str(forms)]) == 0
    assert "participants: 2 new, 0 known\nforms: 3 new" in capsys.readouterr().out
    assert main(["import-brug", "--org", "Gemeente Groningen", str(forms)]) == 0
    assert "forms: 0 new, 0 updated, 3 unchanged" in capsys.readouterr().out

    out = env / "report"
    assert main(["report", "--org", "Gemeente Groningen", "--out", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "| Gemeente Groningen | housing | Wonen | 0 | 0 | 1 | 1 | 0 | 0 | 100 |" in shown
    with (out / "brug_change.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["pillar"], r["better"], r["n"]) for r in rows] == [("housing", "1", "1"),
                                                                  ("income", "0", "1")]
    assert (out / "start_position.png").stat().st_size > 1000
    assert main(["report", "--org", "Gemeente Groningen", "--out", str(env / "pub"),
                 "--suppress-below", "5"]) == 0
    assert "charts left out" in capsys.readouterr().out
    assert not (env / "pub" / "start_position.png").exists()
    assert main(["report", "--org", "Nergens", "--out", str(out)]) == 1

    export = env / "export"
    assert main(["export-research", "--org", "Gemeente Groningen", "--out", str(export)]) == 0
    assert "measurements.csv (9 rows)" in capsys.readouterr().out
    text = (export / "participants.csv").read_text(encoding="utf-8")
    assert "K-1" not in text and "K-2" not in text
