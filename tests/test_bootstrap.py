"""One bootstrap, no module-level mutable settings (issue 20).

The installation's zone, language and morning spread reach the code as a frozen value handed
down from `bot/bootstrap.py` (Services, `uow.defaults`); nothing sets them globally, and the
reactions to domain events are installed in that one place. These tests read the source and the
imported modules, so a global that comes back fails here, not somewhere far away."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
from pathlib import Path

import pytest

import bot
from bot import config
from bot.bootstrap import Services, build_services
from bot.config import Defaults, Settings
from bot.storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP = "bot/bootstrap.py"
# Module-level state that is not a setting: the translations gettext renders with, and the card
# drawing processes. Anything else assigned through `global` is a new hidden service locator.
ALLOWED_GLOBALS = {("bot/i18n.py", "_catalogs"), ("bot/notify/drawing.py", "_pool")}


def _sources(*folders: str) -> list[tuple[str, ast.Module]]:
    found = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            found.append((relative, ast.parse(path.read_text(encoding="utf-8"), relative)))
    return found


def _installs_reactions(tree: ast.Module) -> int:
    """Calls of bot.flows.reactions.install, however it was imported."""
    as_name = {alias.asname or alias.name for node in ast.walk(tree)
               if isinstance(node, ast.ImportFrom) and node.module == "bot.flows.reactions"
               for alias in node.names if alias.name == "install"}
    def installs(func: ast.expr) -> bool:
        if isinstance(func, ast.Attribute):  # reactions.install(...)
            return (func.attr == "install" and isinstance(func.value, ast.Name)
                    and func.value.id == "reactions")
        return isinstance(func, ast.Name) and func.id in as_name  # install(...) imported

    return sum(1 for node in ast.walk(tree)
               if isinstance(node, ast.Call) and installs(node.func))


def test_config_holds_no_defaults_to_set_at_run_time() -> None:
    assert not hasattr(config, "DEFAULTS")
    assert not hasattr(config, "use_defaults")
    defaults = Defaults("Europe/Amsterdam", "nl", 30)
    with pytest.raises(dataclasses.FrozenInstanceError):
        defaults.timezone = "Asia/Tokyo"  # type: ignore[misc]


def test_reactions_are_installed_in_the_bootstrap_only() -> None:
    calls = {name: n for name, tree in _sources("bot", "tests", "bench", "scripts")
             if (n := _installs_reactions(tree))}
    assert calls == {BOOTSTRAP: 1}


def test_databases_and_services_are_built_in_the_bootstrap_only() -> None:
    built = set()
    for name, tree in _sources("bot"):
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in {"Database", "Services"}:
                built.add((name, func.id))
            if (isinstance(func, ast.Attribute) and func.attr == "from_url"
                    and isinstance(func.value, ast.Name) and func.value.id == "Database"):
                built.add((name, "Database.from_url"))
    assert built == {(BOOTSTRAP, "Database.from_url"), (BOOTSTRAP, "Services")}


def test_no_module_assigns_a_global_but_the_known_two() -> None:
    assigned = {(name, target) for name, tree in _sources("bot") for node in ast.walk(tree)
                if isinstance(node, ast.Global) for target in node.names}
    assert assigned <= ALLOWED_GLOBALS, assigned - ALLOWED_GLOBALS


async def test_no_module_keeps_settings_defaults_or_services_after_a_build(
    settings: Settings, catalogs: object
) -> None:
    """Import every module of the bot, build the services as the bot does, and look at every
    module's globals: settings live in Services, never beside a module."""
    modules = [importlib.import_module(info.name) for info in
               pkgutil.walk_packages(bot.__path__, "bot.")
               if not info.name.startswith("bot.storage.migrations")]
    services = build_services(settings, catalogs=catalogs)  # type: ignore[arg-type]
    try:
        assert services.defaults == Defaults.of(settings)
        assert services.db.uow().defaults is services.defaults
        kept = [(module.__name__, name) for module in modules
                for name, value in vars(module).items()
                if isinstance(value, Settings | Defaults | Services | Database)]
        assert kept == []
    finally:
        await services.db.dispose()
