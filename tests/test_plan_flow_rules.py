"""The plan flow's steps and transitions as pure rules (bot/core/plan_flow.py): no bot, no
database; the end-to-end walks are in tests/test_coach_plans.py."""

from datetime import date

from bot.core import plan_flow as rules
from bot.core.conversations import DraftGoal, DraftStep, PlanDraft

TODAY = date(2026, 3, 10)  # a Tuesday
DRAFT = PlanDraft(pid=1, name="Fatima")
WITH_GOAL = DRAFT.model_copy(update={"goal": DraftGoal(text="Werk")})


def typed(draft: PlanDraft, step: str, text: str, mid: int = 1) -> rules.Outcome:
    return rules.typed(draft, step, text, mid, TODAY)


def test_each_typed_answer_leads_to_the_next_question() -> None:
    goal = typed(DRAFT, "goal", "  Een   baan ")
    assert isinstance(goal, rules.Ask) and goal.step == "why"
    assert goal.draft.goal == DraftGoal(text="Een baan") and goal.draft.last_mid == 1
    why = typed(goal.draft, "why", "Geld", 2)
    assert isinstance(why, rules.Ask) and (why.step, why.draft.goal.why) == ("pillars", "Geld")
    alone = typed(WITH_GOAL, "obstacle", "Geen tijd")
    assert isinstance(alone, rules.Ask) and alone.step == "if_then"
    plan = typed(WITH_GOAL, "obstacle", "Als ik moe ben, dan bel ik Sanne")
    assert isinstance(plan, rules.Ask) and plan.step == "step_text"
    assert (plan.draft.goal.obstacle, plan.draft.goal.if_then) == (
        "ik moe ben", "Als ik moe ben, dan bel ik Sanne")
    step = typed(WITH_GOAL, "step_text", "Bel de bank")
    assert isinstance(step, rules.Ask) and step.step == "step_due"
    assert step.draft.cur == DraftStep(text="Bel de bank")


def test_typed_answers_a_question_cannot_take_change_nothing() -> None:
    assert typed(DRAFT, "goal", "x" * 301) == rules.Refused("too_long", 300)
    assert typed(DRAFT, "goal", " \n ") == rules.Refused("empty", 300)
    assert typed(WITH_GOAL, "pillars", "11") == rules.Refused("tap")
    at_due = WITH_GOAL.model_copy(update={"cur": DraftStep(text="Bel")})
    assert typed(at_due, "step_due", "31-2") == rules.Refused("date")
    assert typed(DRAFT.model_copy(update={"last_mid": 5}), "goal", "Een baan", 5) == \
        rules.Repeated()


def test_a_date_finishes_the_step_and_a_past_date_asks_first() -> None:
    at_due = WITH_GOAL.model_copy(update={"cur": DraftStep(text="Bel de bank")})
    done = typed(at_due, "step_due", "13-3")
    assert isinstance(done, rules.Ask) and done.step == "step_text" and done.draft.cur is None
    assert done.draft.steps == (DraftStep(text="Bel de bank", due=date(2026, 3, 13)),)
    assert done.note is None  # a short step with a near date: no tips
    past = typed(at_due, "step_due", "1-3-2026")
    assert isinstance(past, rules.Ask) and past.step == "step_due_past"
    picked = rules.tapped(at_due, "step_due", rules.Tap("due", "none"), TODAY, ())
    assert isinstance(picked, rules.Ask) and picked.leave == "replace"
    assert isinstance(picked.note, rules.StepTips) and picked.note.hints.no_date


def test_a_tap_counts_only_at_the_question_its_button_belongs_to() -> None:
    assert rules.tapped(WITH_GOAL, "why", rules.Tap("save"), TODAY, ()) == rules.Stale()
    assert rules.tapped(WITH_GOAL, "why", rules.Tap("fly"), TODAY, ()) == rules.Stale()
    assert rules.tapped(DRAFT, "goal", rules.Tap("later"), TODAY, ()) == rules.Later()
    skip = rules.tapped(WITH_GOAL, "obstacle", rules.Tap("skip"), TODAY, ())
    assert isinstance(skip, rules.Ask) and (skip.step, skip.leave, skip.left) == (
        "step_text", "echo", "obstacle")
    on = rules.tapped(WITH_GOAL, "pillars", rules.Tap("pon", "debts"), TODAY, {"debts"})
    assert isinstance(on, rules.Changed) and on.draft.goal.pillars == ("debts",)
    assert rules.tapped(on.draft, "pillars", rules.Tap("pon", "debts"), TODAY,
                        {"debts"}) == rules.Same()
    assert rules.tapped(WITH_GOAL, "pillars", rules.Tap("pon", "forged"), TODAY,
                        {"debts"}) == rules.Stale()
    low = rules.tapped(WITH_GOAL, "pillars", rules.Tap("conf", "4"), TODAY, ())
    assert isinstance(low, rules.Ask) and low.note == rules.ConfidenceNote(4)


def test_the_newest_step_changes_by_its_number_only() -> None:
    two = WITH_GOAL.model_copy(update={"steps": (DraftStep(text="Een"), DraftStep(text="Twee"))})
    old = rules.tapped(two, "step_text", rules.Tap("owner", "1-coach"), TODAY, ())
    assert old == rules.Stale()
    new = rules.tapped(two, "step_text", rules.Tap("owner", "2-coach"), TODAY, ())
    assert isinstance(new, rules.Changed) and new.draft.steps[-1].owner == "coach"
    assert rules.tapped(new.draft, "step_text", rules.Tap("owner", "2-coach"), TODAY,
                        ()) == rules.Same()


def test_older_drafts_load_and_go_on_and_broken_ones_do_not() -> None:
    stored = {"pid": 1, "goal": {"text": "Werk", "pillars": ["debts"]}, "steps": [],
              "cur": {"text": "Bel", "due": None, "owner": "coach"}}
    legacy = rules.load(stored, "step_owner")
    assert legacy is not None
    resumed, step = rules.resume(legacy, "step_owner")
    assert step == "step_text" and resumed.cur is None
    assert resumed.steps == (DraftStep(text="Bel", owner="coach"),)
    assert rules.load({**stored, "cur": {}}, "why") is not None
    assert rules.load({**stored, "cur": {}}, "step_due") is None  # no step to date
    assert rules.load({**stored, "goal": None}, "why") is None  # no goal to ask why about
    assert rules.load(stored, "step_due_past") is None  # no date to keep
    assert rules.load(stored, "no_such_step") is None
    assert rules.load({"name": "Fatima"}, "goal") is None


def test_a_past_date_is_kept_or_chosen_again() -> None:
    past = WITH_GOAL.model_copy(update={"cur": DraftStep(text="Bel", due=date(2026, 3, 1))})
    kept = rules.tapped(past, "step_due_past", rules.Tap("past_ok", "1"), TODAY, ())
    assert isinstance(kept, rules.Ask) and (kept.step, kept.leave) == ("step_text", "replace")
    assert kept.draft.steps == (DraftStep(text="Bel", due=date(2026, 3, 1)),)
    again = rules.tapped(past, "step_due_past", rules.Tap("past_ok", "0"), TODAY, ())
    assert isinstance(again, rules.Ask) and again.step == "step_due"
    assert again.draft.cur == DraftStep(text="Bel") and again.draft.steps == ()
    assert typed(past, "step_due_past", "13-3") == rules.Refused("tap")
    assert rules.tapped(past, "step_due", rules.Tap("past_ok", "1"), TODAY, ()) == \
        rules.Stale()
