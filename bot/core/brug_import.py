"""Reading paper Brug forms from a CSV file: parsing and checking, all or nothing. Pure.

One row per filled-in form: `participant` (the organisation's own reference), `date`
(YYYY-MM-DD or DD-MM-YYYY), `moment`, one column per pillar (its key or its Dutch label) with a
step 1-5 or empty, and optionally `coach`. Comma or semicolon separated, UTF-8, header first.
Every problem is reported with its line number (the header is line 1).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

MAX_REFERENCE: Final = 64
MAX_PROBLEMS: Final = 20  # a badly shaped file says so without a thousand lines

# Spellings of the measurement moments -> the stored value (bot.storage.models.MeasurementMoment).
MOMENTS: Final = {
    "intake": "intake", "start": "intake", "begin": "intake", "nulmeting": "intake",
    "6m": "six_months", "6 m": "six_months", "6 maanden": "six_months", "6mnd": "six_months",
    "six_months": "six_months",
    "12m": "twelve_months", "12 m": "twelve_months", "12 maanden": "twelve_months",
    "12mnd": "twelve_months", "twelve_months": "twelve_months",
    "end": "end", "eind": "end", "einde": "end", "eindmeting": "end", "afsluiting": "end",
    "extra": "extra", "tussentijds": "extra",
}
FIXED_COLUMNS: Final = ("participant", "date", "moment", "coach")
_ISO: Final = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DUTCH: Final = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


@dataclass(frozen=True)
class PaperForm:
    line: int
    reference: str
    day: date
    moment: str
    levels: Mapping[str, int | None]  # every pillar column of the file; None = left empty
    coach: str | None


@dataclass(frozen=True)
class Problems:
    messages: tuple[str, ...]


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().split())


def parse_day(raw: str) -> date | str:
    """A date in either format, or the problem with it."""
    text = raw.strip()
    if (m := _ISO.match(text)) is not None:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif (m := _DUTCH.match(text)) is not None:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        return f"date {text!r} is not YYYY-MM-DD or DD-MM-YYYY"
    try:
        return date(year, month, day)
    except ValueError:
        return f"date {text!r} does not exist"


def parse_forms(raw: bytes, pillars: Mapping[str, str], today: date
                ) -> list[PaperForm] | Problems:
    """`pillars`: the instrument's pillar keys -> Dutch labels. Forms in file order, or every
    problem found (then nothing may be imported)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problems(("the file is not UTF-8 text; save it as 'CSV UTF-8'",))
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        return Problems(("the file is empty",))
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    columns, problems = _columns(header, pillars)
    if problems:
        return Problems(tuple(problems))
    forms: list[PaperForm] = []
    seen: dict[tuple[str, str, date], int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(f"line {line}: {len(row)} values for {len(header)} columns")
            continue
        cells = {columns[i]: cell.strip() for i, cell in enumerate(row) if columns[i]}
        form = _form(line, cells, [c for c in columns if c and c not in FIXED_COLUMNS], today)
        if isinstance(form, str):
            problems.append(form)
        else:
            key = (form.reference, form.moment, form.day)
            if key in seen:
                problems.append(f"line {line}: the same participant, moment and date as "
                                f"line {seen[key]}")
            seen.setdefault(key, line)
            forms.append(form)
        if len(problems) >= MAX_PROBLEMS:
            problems.append("(stopped after this many problems)")
            break
    if problems:
        return Problems(tuple(problems))
    if not forms:
        return Problems(("the file has a header but no forms",))
    return forms


def _columns(header: Sequence[str], pillars: Mapping[str, str]
             ) -> tuple[list[str], list[str]]:
    """Each header cell -> a fixed column name or a pillar key ("" for an empty cell)."""
    by_name = {key: key for key in pillars}
    by_name.update({_norm(label): key for key, label in pillars.items()})
    columns: list[str] = []
    problems: list[str] = []
    for cell in header:
        name = _norm(cell)
        if not name:
            columns.append("")
            continue
        column = name if name in FIXED_COLUMNS else by_name.get(name)
        if column is None:
            problems.append(f"line 1: unknown column {cell.strip()!r}; pillars of this "
                            f"instrument: {', '.join(pillars)}")
        elif column in columns:
            problems.append(f"line 1: column {cell.strip()!r} appears twice")
        columns.append(column or "")
    for needed in FIXED_COLUMNS[:3]:
        if needed not in columns:
            problems.append(f"line 1: the column {needed!r} is missing")
    if not problems and not any(c in pillars for c in columns):
        problems.append("line 1: no pillar columns")
    return columns, problems


def _form(line: int, cells: Mapping[str, str], pillar_columns: list[str], today: date
          ) -> PaperForm | str:
    reference = " ".join(cells.get("participant", "").split())
    if not reference:
        return f"line {line}: the participant reference is empty"
    if len(reference) > MAX_REFERENCE:
        return f"line {line}: the participant reference is longer than {MAX_REFERENCE}"
    day = parse_day(cells.get("date", ""))
    if isinstance(day, str):
        return f"line {line}: {day}"
    if day > today:
        return f"line {line}: date {day.isoformat()} is in the future"
    moment = MOMENTS.get(_norm(cells.get("moment", "")))
    if moment is None:
        return (f"line {line}: unknown moment {cells.get('moment', '')!r}; use intake, 6m, "
                "12m, end or extra")
    levels: dict[str, int | None] = {}
    for key in pillar_columns:
        value = cells.get(key, "")
        if value == "":
            levels[key] = None
        elif value in ("1", "2", "3", "4", "5"):
            levels[key] = int(value)
        else:
            return f"line {line}: {key} must be 1-5 or empty, not {value!r}"
    if all(level is None for level in levels.values()):
        return f"line {line}: no pillar filled in"
    coach = " ".join(cells.get("coach", "").split()) or None
    return PaperForm(line, reference, day, moment, levels, coach)
