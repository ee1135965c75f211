"""All SQL lives in bot/storage: nothing else imports SQLAlchemy or touches a session.

Flows, the CLI, the Telegram runtime and the renderers reach the database through the unit of
work's repositories (`uow.<repository>.<method>(...)`, docs/recipe-storage.md). This scan of the
source fails on an import from `sqlalchemy` or any `.session` attribute (`uow.session`,
`x.session.y`) outside bot/storage, naming file, line and function.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"

# Still allowed, each until its owner's change lands; then delete the entry (an entry that
# matches nothing fails below, so the list only shrinks).
#  - bot/notify/**: the dispatcher and the outbox kinds are being rebuilt (issue 20, item 2).
#  - Outbox rows written by hand in flows, to be replaced by the one queuing function: the
#    exact (file, function, line) of each.
ALLOWED_TREES: tuple[str, ...] = ()
ALLOWED_LINES: set[tuple[str, str, str]] = set()


@dataclass(frozen=True)
class Hit:
    path: str  # relative to bot/
    line: int
    function: str  # the innermost enclosing def, "" at module level
    source: str  # the stripped source line
    what: str

    def __str__(self) -> str:
        where = f" in {self.function}()" if self.function else ""
        return f"bot/{self.path}:{self.line}{where}: {self.what}: {self.source}"


def _is_sqlalchemy(module: str | None) -> bool:
    return module is not None and module.split(".")[0] == "sqlalchemy"


def scan(path: str, source: str) -> list[Hit]:
    """Every SQLAlchemy import and `.session` attribute in one module."""
    lines = source.splitlines()
    hits: list[Hit] = []

    def visit(node: ast.AST, function: str) -> None:
        what = None
        if isinstance(node, ast.ImportFrom) and node.level == 0 and _is_sqlalchemy(node.module):
            what = f"import from {node.module}"
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if _is_sqlalchemy(a.name)]
            what = f"import {', '.join(names)}" if names else None
        elif isinstance(node, ast.Attribute) and node.attr == "session":
            what = f"{ast.unparse(node)} (the session)"
        if what is not None:
            hits.append(Hit(path, node.lineno, function, lines[node.lineno - 1].strip(), what))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(source), "")
    return hits


def _outside_storage() -> list[Hit]:
    hits: list[Hit] = []
    for file in sorted(BOT.rglob("*.py")):
        path = file.relative_to(BOT).as_posix()
        if path.startswith("storage/"):
            continue
        hits.extend(scan(path, file.read_text(encoding="utf-8")))
    return hits


def _allowed(hit: Hit) -> bool:
    return (hit.path.split("/")[0] in ALLOWED_TREES
            or (hit.path, hit.function, hit.source) in ALLOWED_LINES)


def test_no_sql_outside_storage() -> None:
    found = [str(hit) for hit in _outside_storage() if not _allowed(hit)]
    assert not found, (
        "SQL outside bot/storage: put the query in a repository (docs/recipe-storage.md) and "
        "call it as uow.<repository>.<method>(...):\n" + "\n".join(found))


def test_every_allowance_is_still_needed() -> None:
    hits = _outside_storage()
    used = {(hit.path, hit.function, hit.source) for hit in hits}
    stale = sorted(str(entry) for entry in ALLOWED_LINES - used)
    stale += [f"bot/{tree}/" for tree in ALLOWED_TREES
              if not any(hit.path.split("/")[0] == tree for hit in hits)]
    assert not stale, "no longer needed, remove from the allow-list:\n" + "\n".join(stale)


def test_the_scan_finds_imports_and_sessions() -> None:
    source = (
        "from sqlalchemy import select\n"
        "import sqlalchemy.exc\n"
        "from bot.storage.models import Step\n"
        "async def tick(uow):\n"
        "    await uow.session.flush()\n"
        "    return uow.steps.get(1)\n"
        "def build(db):\n"
        "    def inner():\n"
        "        return db.uow().session.get\n"
    )
    hits = scan("flows/example.py", source)
    assert [(h.line, h.function, h.what) for h in hits] == [
        (1, "", "import from sqlalchemy"),
        (2, "", "import sqlalchemy.exc"),
        (5, "tick", "uow.session (the session)"),
        (9, "inner", "db.uow().session (the session)"),
    ]
