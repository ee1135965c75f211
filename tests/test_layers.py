"""The layering docs/architecture.md promises, checked on the code's own imports (every import
statement, also inside functions): no cycle between modules of `bot`, and `bot/core` imports
nothing of the project outside `bot/core`."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(BOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """The project modules a file imports (`from bot.x import y` names bot.x.y when y is a
    module, else bot.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("bot")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return {name for name in found if name in known}


def _graph() -> dict[str, set[str]]:
    files = [p for p in BOT.rglob("*.py") if "migrations" not in p.parts]
    known = {_module_of(p) for p in files}
    # A package's __init__ is imported on the way to its modules: not an edge of the design.
    return {_module_of(p): _imports(p, known) - {_module_of(p)} for p in files}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_scan_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_bot() -> None:
    graph = {name: {d for d in deps if not name.startswith(d + ".")}
             for name, deps in _graph().items()}
    assert cycles(graph) == []


def test_core_imports_only_core() -> None:
    upward = {(name, dep) for name, deps in _graph().items() if name.startswith("bot.core")
              for dep in deps if not dep.startswith("bot.core")}
    assert upward == set()
