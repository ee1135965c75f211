"""The table of outbox kinds: kind name -> what the dispatcher does with such a row at send time
(its payload model, its decision, its rendering: `base.py`).

One module per kind (`KIND`; a module serving a family, like the reminders' bundle, has
`KINDS`), and this package is the list: the table is built from its modules at import, in name
order, so adding a kind is adding its module (docs/recipe-outbox-kind.md). `base.py` and
`rules.py` hold what the kinds share. A name served twice fails here;
tests/test_outbox_kinds.py checks that every payload model (bot/core/outbox.py) has its kind.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import cast

from bot.notify.kinds.base import OutboxKind


def _collect() -> dict[str, OutboxKind]:
    table: dict[str, OutboxKind] = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        found = getattr(module, "KINDS", None) or (
            (module.KIND,) if hasattr(module, "KIND") else ())
        for kind in cast(tuple[OutboxKind, ...], found):
            if kind.name in table:
                raise ValueError(f"outbox kind {kind.name!r} twice (bot.notify.kinds."
                                 f"{module_info.name})")
            table[kind.name] = kind
    return table


KINDS: dict[str, OutboxKind] = _collect()

# Cancelled when the person blocks the bot; closed rows removed once old (notify/jobs.py).
CANCELLED_WHEN_BLOCKED = tuple(sorted(n for n, k in KINDS.items() if k.cancelled_when_blocked))
PURGED = tuple(sorted(n for n, k in KINDS.items() if k.purged))
