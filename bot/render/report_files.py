"""The cohort report as files (report.md, one CSV per table, two PNG charts) and as terminal text.
Called by the command line (`python -m bot report`); the numbers come from bot.flows.report."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.core import report as tables
from bot.core.report import Report
from bot.render.charts import change_chart, start_position_chart


def write_report(report: Report, out: Path, *, suppress_below: int | None = None
                 ) -> list[Path]:
    """report.md, <table>.csv for every table, start_position.png and brug_change.png."""
    out.mkdir(parents=True, exist_ok=True)
    shown = [t.suppressed(suppress_below) for t in report.tables]
    written = [out / "report.md"]
    note = (f"Counts from 1 to {suppress_below - 1} are shown as <{suppress_below}.\n\n"
            if suppress_below and suppress_below > 1 else "")
    (out / "report.md").write_text(
        "# Cohort report\n\n" + note + "\n".join(tables.markdown(t) for t in shown),
        encoding="utf-8")
    for table in shown:
        path = out / f"{table.name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.columns)
            writer.writerows(["" if c is None else c for c in row] for row in table.rows)
        written.append(path)
    # Charts show shares, drawn from the unsuppressed counts only when nothing is suppressed.
    if not note:
        start_png, change_png = out / "start_position.png", out / "brug_change.png"
        start_png.write_bytes(start_position_chart(report.table("start_position"),
                                                   report.level_names))
        change_png.write_bytes(change_chart(report.table("brug_change")))
        written += [start_png, change_png]
    return written


def terminal_text(report: Report, suppress_below: int | None = None) -> str:
    return "\n".join(tables.markdown(t.suppressed(suppress_below)) for t in report.tables)
