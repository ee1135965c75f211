"""Which button fields are ids of someone's data, and whose. Pure.

Every integer field of every callback class is listed here: either as an id of an owned object
(checked by the access guard, telegram/handlers/access.py, before any feature sees the press) or as
a plain number (a page, an index, an answer). `tests/test_access_matrix.py` fails when a
registered button has an integer field that is in neither table, so a new button cannot skip
its access case.
"""

from __future__ import annotations

from typing import Final, Literal

Kind = Literal["participant", "goal", "step", "card", "reward", "measurement", "meeting"]

# (callback prefix, field) -> the kind of object the id names.
OWNED_IDS: Final[dict[tuple[str, str], Kind]] = {
    ("brf", "m"): "measurement",
    ("brm", "m"): "measurement",
    ("brc", "p"): "participant",
    ("brc", "m"): "measurement",
    ("cdn", "participant_id"): "participant",
    ("cdo", "card_id"): "card",
    ("cp", "pid"): "participant",
    ("ci", "pid"): "participant",
    ("cgn", "pid"): "participant",
    ("cg", "gid"): "goal",
    ("cs", "sid"): "step",
    ("ctr", "pid"): "participant",
    ("rml", "step_id"): "step",
    ("std", "step"): "step",
    ("stu", "step"): "step",
    ("sts", "step"): "step",
    ("stm", "step"): "step",
    ("sth", "step"): "step",
    ("stk", "step"): "step",
    ("sb", "step"): "step",
    ("sta", "goal"): "goal",
    ("rwm", "step_id"): "step",
    ("rwt", "step_id"): "step",
    ("rwu", "step_id"): "step",
    ("rwc", "entry_id"): "reward",
    ("rwh", "entry_id"): "reward",
    ("dgc", "pid"): "participant",
    ("dgh", "pid"): "participant",
    ("dgh", "sid"): "step",
    ("cho", "pid"): "participant",
    ("mtc", "pid"): "participant",
    ("mtc", "m"): "meeting",
    ("mta", "m"): "meeting",
    ("mtw", "m"): "meeting",
}

# (callback prefix, field): numbers that name nobody's data.
PLAIN_NUMBERS: Final[frozenset[tuple[str, str]]] = frozenset({
    ("brf", "i"), ("brf", "v"), ("cdg", "index"), ("cdp", "page"), ("lsf", "number"),
    ("stl", "page"), ("std", "page"), ("stu", "page"), ("sts", "page"),
    ("dgp", "page"), ("dgp", "since"), ("dgp", "until"), ("dgs", "value"),
    # The digest's one-tap card: `ref` is a goal, step or measurement depending on `win`; the
    # guard checks `pid`, and the use case checks that `ref` belongs to that participant
    # (flows/digest._win_for_card).
    ("dgc", "ref"),
    # A meeting's day and time being chosen.
    ("mtc", "day"), ("mtc", "hm"), ("mtw", "day"),
    # Handover: the colleague to hand over to; the use case checks that it is a coach of the
    # same organisation (flows/handover.py), the guard checks `pid`.
    ("cho", "to"),
})


def may_reach(owner_participant_id: int, owner_coach_id: int, *,
              participant_id: int | None, coach_id: int | None) -> bool:
    """A participant reaches only their own data; a coach only that of their own participants
    (which also rules out every other organisation)."""
    if participant_id is not None and participant_id == owner_participant_id:
        return True
    return coach_id is not None and coach_id == owner_coach_id
