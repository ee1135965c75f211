"""The goal-action plan, end to end like a coach in a meeting: made with taps, saved once,
told to the participant in one message; edit, reorder, drop, close; forged ids refused."""

from datetime import date

from sqlalchemy import select

from bot.core.conversations import DraftGoal, PlanDraft
from bot.flows import conversation
from bot.storage.models import Goal, Step, StepEvent
from bot.telegram.app import build_application
from tests.support.builders import StepSpec, seed_coach, seed_goal, seed_participant
from tests.support.outbox import deliver
from tests.support.telegram_fake import FakeBotAPI
from tests.support.updates import TgUser, UpdateFactory

COACH = TgUser(id=9001, first_name="Sanne", language_code="en")
PARTICIPANT = TgUser(id=1001, first_name="Fatima", language_code="nl")



def said_to_coach(api: FakeBotAPI) -> str:
    """The newest message sent to the coach (the woken dispatcher may message the participant
    at the same moment, so "the last message" is not necessarily the coach's)."""
    return str(api.sent_to(COACH.id, ("sendMessage",))[-1].params["text"])

async def _setup(db, clock):
    world = await seed_coach(db, clock.now(), locale="en", coach_name="Sanne <3")
    pid = await seed_participant(db, world, clock.now(), name="Fatima")
    return world, pid


async def _rows(db, model):
    async with db.uow() as uow:
        result = await uow.session.execute(select(model).order_by(model.id))
        rows = list(result.scalars())
        uow.session.expunge_all()  # keep the loaded values after the unit of work ends
        return rows


async def _start(app, updates, pid) -> None:
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    await app.process_update(updates.tap(COACH, "New goal"))


async def test_a_typical_goal_with_two_steps_in_a_few_taps(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world, pid = await _setup(db, clock)
    await _start(app, updates, pid)
    assert "New goal for <b>Fatima</b>" in said_to_coach(telegram_api)
    goal_update = updates.text(COACH, "Rust in mijn <geld> 💶")
    await app.process_update(goal_update)
    # Telegram delivers the same message again: it is not taken as the answer to "why".
    await app.process_update(goal_update)
    await app.process_update(updates.text(COACH, "Dan slaap ik beter"))
    assert "Housing" in " ".join(updates.buttons(COACH))
    await app.process_update(updates.tap(COACH, "Housing"))
    debts = updates.tap(COACH, "Debts")
    await app.process_update(debts)
    # The same tap delivered twice does not switch the pillar off again.
    await app.process_update(debts)
    await app.process_update(updates.tap(COACH, "✓ Housing"))  # untoggle
    assert "✓ Debts" in updates.buttons(COACH)
    await app.process_update(updates.tap(COACH, "8"))  # the confidence moves on
    skip = updates.tap(COACH, "Skip")  # obstacle
    await app.process_update(skip)
    calls = len(telegram_api.calls)
    await app.process_update(skip)  # delivered twice: does not skip the next question too
    assert len(telegram_api.calls) == calls
    # A second tap on the old Skip button (a new press) is refused kindly.
    await app.process_update(updates.press(COACH, skip.callback_query.data,
                                           telegram_api.messages[
                                               (COACH.id, skip.callback_query.message.message_id)]))
    assert "no longer works" in telegram_api.last("answerCallbackQuery").params["text"]
    await app.process_update(updates.text(COACH, "Bel de bank"))
    await app.process_update(updates.tap(COACH, "This week"))
    await app.process_update(updates.tap(COACH, "Together"))
    assert "1. Bel de bank · Friday · together" in telegram_api.last_message(COACH.id).text
    await app.process_update(updates.text(COACH, "Alles uitzoeken en dan " + "x" * 80))
    await app.process_update(updates.text(COACH, "31-2"))
    assert "cannot read that date" in said_to_coach(telegram_api)
    await app.process_update(updates.text(COACH, "1-3-2026"))
    assert "in the past" in said_to_coach(telegram_api)
    await app.process_update(updates.tap(COACH, "Yes, keep it"))
    assert "could it be split" in telegram_api.last_message(COACH.id).text.lower()
    await app.process_update(updates.tap(COACH, "Me"))
    challenging = updates.tap(COACH, "☐ challenging")
    await app.process_update(challenging)
    await app.process_update(challenging)  # delivered twice: stays on
    assert "☑ challenging" in updates.buttons(COACH)
    # A late tap on step 1's buttons (an older message) changes nothing.
    await app.process_update(updates.press(COACH, "cpl:owner:step_text:1-coach"))
    assert "no longer works" in telegram_api.last("answerCallbackQuery").params["text"]
    # Nothing is stored before the end.
    assert await _rows(db, Goal) == []
    telegram_api.clear()
    save_message = telegram_api.last_message(COACH.id)
    await app.process_update(updates.tap(COACH, "Save the plan", save_message))
    [goal] = await _rows(db, Goal)
    assert (goal.text, goal.why, goal.pillars, goal.confidence, goal.obstacle) == (
        "Rust in mijn <geld> 💶", "Dan slaap ik beter", ["debts"], 8, None)
    assert goal.if_then is None
    saved = await _rows(db, Step)
    assert [(s.text[:11], s.due_date, s.owner, s.challenging, s.position) for s in saved] == [
        ("Bel de bank", date(2026, 3, 13), "together", False, 0),
        ("Alles uitzo", date(2026, 3, 1), "coach", True, 1)]
    assert [e.kind for e in await _rows(db, StepEvent)] == ["created", "created"]
    # The coach's own answer (the participant's notice may go out at the same moment).
    assert "Saved: the goal with 2 steps" in telegram_api.sent_to(COACH.id)[-1].params["text"]
    # Exactly one calm message to the participant, in their language, with the list button.
    await deliver(app)
    to_participant = telegram_api.sent_to(PARTICIPANT.id)
    assert len(to_participant) == 1
    assert "Sanne &lt;3" in to_participant[0].text and "2 kleine stappen" in to_participant[0].text
    assert to_participant[0].buttons[0]["callback_data"] == "home:steps"
    assert await conversation.current(db, world.coach_account_id, clock.now()) is None
    # A second tap on save (or the same update delivered twice) changes and sends nothing.
    await app.process_update(updates.press(COACH, "cpl:save:step_text:", save_message))
    assert len(await _rows(db, Goal)) == 1
    assert len(telegram_api.sent_to(PARTICIPANT.id)) == 1


async def test_cancel_saves_nothing_and_the_flow_survives_a_restart(
    app, updates, telegram_api, db, clock, services
) -> None:
    _world, pid = await _setup(db, clock)
    await _start(app, updates, pid)
    await app.process_update(updates.text(COACH, "Een baan"))
    # The bot restarts: a new application on the same database continues the flow.
    restarted = build_application(services, request=telegram_api)
    async with restarted:
        # Telegram's update ids keep counting across a restart.
        again = UpdateFactory(restarted.bot, telegram_api, first_update_id=1000)
        await restarted.process_update(again.tap(COACH, "Skip"))
        assert "Brug" in said_to_coach(telegram_api)
        await restarted.process_update(again.command(COACH, "annuleer"))
    assert "Nothing was saved" in said_to_coach(telegram_api)
    assert await _rows(db, Goal) == []
    # A button of the cancelled flow no longer works.
    await app.process_update(updates.press(COACH, "cpl:next:"))
    assert "no longer works" in telegram_api.last("answerCallbackQuery").params["text"]


async def test_goal_without_steps_is_allowed_with_a_hint_and_a_blocked_bot_marks_unreachable(
    app, updates, telegram_api, db, clock
) -> None:
    _world, pid = await _setup(db, clock)
    telegram_api.blocked_chats.add(PARTICIPANT.id)
    await _start(app, updates, pid)
    await app.process_update(updates.text(COACH, "x" * 301))
    assert "under 300" in said_to_coach(telegram_api)
    await app.process_update(updates.text(COACH, "Een <b>baan</b>"))
    await app.process_update(updates.tap(COACH, "Skip"))
    await app.process_update(updates.text(COACH, "5"))  # typed instead of tapped
    assert "can be smaller" in said_to_coach(telegram_api)
    # Only an obstacle: then the if-then question follows.
    await app.process_update(updates.text(COACH, "Geen tijd"))
    assert "And what will Fatima do then?" in said_to_coach(telegram_api)
    await app.process_update(updates.tap(COACH, "Skip"))
    await app.process_update(updates.tap(COACH, "Save without steps"))
    text = said_to_coach(telegram_api)
    assert "0 steps" in text and "one small first step" in text and "on its way" in text
    await deliver(app)  # the outbox finds out they blocked the bot
    [goal] = await _rows(db, Goal)
    assert goal.confidence == 5 and goal.text == "Een <b>baan</b>"
    assert (goal.obstacle, goal.if_then) == ("Geen tijd", None)
    async with db.uow() as uow:
        account = await uow.accounts.by_telegram_user(PARTICIPANT.id)
        assert account.reachable is False
    await app.process_update(updates.command(COACH, "deelnemers"))
    assert "unreachable" in said_to_coach(telegram_api)


async def test_edit_reorder_drop_close_and_one_change_message(
    app, updates, telegram_api, db, clock
) -> None:
    _world, pid = await _setup(db, clock)
    _gid, step_ids = await seed_goal(db, pid, clock.now(), "Werk", [
        StepSpec("Een"), StepSpec("Twee", due=date(2026, 3, 20)), StepSpec("Drie")])
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    await app.process_update(updates.tap(COACH, "Werk"))
    screen = telegram_api.last_message(COACH.id)
    assert "1. ☐ Een" in screen.text
    await app.process_update(updates.tap(COACH, "✏️ 2", screen))
    await app.process_update(updates.text(COACH, "Twee, <kleiner>"))
    await app.process_update(updates.tap(COACH, "Keep the date"))
    assert updates.buttons(COACH)[:4] == ["✓ Fatima", "Me", "Together", "☐ challenging"]
    await app.process_update(updates.tap(COACH, "Together"))
    together = updates.tap(COACH, "☐ challenging")
    await app.process_update(together)
    await app.process_update(together)  # delivered twice: stays on, edits nothing
    await app.process_update(updates.tap(COACH, "Save"))
    assert "Changed" in said_to_coach(telegram_api)
    await app.process_update(updates.press(COACH, f"cs:up:{step_ids[2]}", screen))
    await app.process_update(updates.press(COACH, f"cs:drop:{step_ids[0]}", screen))
    await app.process_update(updates.press(COACH, f"cs:drop:{step_ids[0]}", screen))
    text = telegram_api.last("editMessageText").params["text"]
    assert text.index("Drie") < text.index("Twee, &lt;kleiner&gt;") and "Een" not in text
    steps = {s.id: s for s in await _rows(db, Step)}
    assert steps[step_ids[1]].text == "Twee, <kleiner>"
    assert steps[step_ids[1]].due_date == date(2026, 3, 20)
    assert (steps[step_ids[1]].owner, steps[step_ids[1]].challenging) == ("together", True)
    assert steps[step_ids[0]].status == "dropped"
    events = [(e.step_id, e.kind) for e in await _rows(db, StepEvent)]
    assert events == [(step_ids[1], "edited"), (step_ids[0], "dropped")]
    await app.process_update(updates.tap(COACH, "Done: let Fatima know", screen))
    assert "on its way" in telegram_api.last("answerCallbackQuery").params["text"]
    await app.process_update(updates.tap(COACH, "Done: let Fatima know", screen))
    assert "Nothing new" in telegram_api.last("answerCallbackQuery").params["text"]
    await deliver(app)
    told = telegram_api.sent_to(PARTICIPANT.id)
    assert len(told) == 1 and "een paar dingen veranderd" in told[0].text
    await app.process_update(updates.tap(COACH, "Stop goal", screen))
    await app.process_update(updates.text(COACH, "Eerst <b>huis</b> regelen"))
    [goal] = await _rows(db, Goal)
    assert (goal.status, goal.closed_reason) == ("stopped", "Eerst <b>huis</b> regelen")
    assert all(s.status == "dropped" for s in await _rows(db, Step))


async def test_forged_plan_ids_of_another_coach_and_organisation_change_nothing(
    app, updates, telegram_api, db, clock
) -> None:
    world, _mine = await _setup(db, clock)
    colleague = await seed_coach(db, clock.now(), telegram_user_id=9002)
    elsewhere = await seed_coach(db, clock.now(), telegram_user_id=9003, org_name="Elders")
    theirs = await seed_participant(db, colleague, clock.now(), name="Geheim",
                                    telegram_user_id=3001)
    far = await seed_participant(db, elsewhere, clock.now(), name="Ver", telegram_user_id=3002)
    targets = []
    for pid in (theirs, far):
        gid, sids = await seed_goal(db, pid, clock.now(), "Hun doel", [StepSpec("Hun stap")])
        targets.append((pid, gid, sids[0]))
    await app.process_update(updates.command(COACH, "deelnemers"))
    for pid, gid, sid in targets:
        forged = [f"cgn:{pid}", f"cg:open:{gid}", f"cg:add:{gid}", f"cg:achieved:{gid}",
                  f"cg:done:{gid}", f"cg:stopped:{gid}", f"cg:notify:{gid}", f"cs:edit:{sid}",
                  f"cs:up:{sid}", f"cs:down:{sid}", f"cs:drop:{sid}"]
        for data in forged:
            await app.process_update(updates.press(COACH, data))
            answer = telegram_api.last("answerCallbackQuery").params.get("text", "")
            assert "not in your list" in answer or "no longer works" in answer, data
    for data in ("cg:open:x", "cs:fly:1", "cgn:", "cpl:save:x:y"):
        await app.process_update(updates.press(COACH, data))
        assert "no longer works" in telegram_api.last("answerCallbackQuery").params["text"]
    assert all("Hun" not in c.text and "Geheim" not in c.text for c in telegram_api.calls)
    assert await _rows(db, StepEvent) == []
    assert {g.status for g in await _rows(db, Goal)} == {"active"}
    assert {s.status for s in await _rows(db, Step)} == {"open"}
    assert await conversation.current(db, world.coach_account_id, clock.now()) is None
    assert telegram_api.sent_to(3001) == [] and telegram_api.sent_to(3002) == []


async def test_more_steps_for_a_goal_then_achieved_after_confirming(
    app, updates, telegram_api, db, clock
) -> None:
    _world, pid = await _setup(db, clock)
    _gid, step_ids = await seed_goal(db, pid, clock.now(), "Werk", [StepSpec("Een")])
    async with db.uow() as uow:  # the participant ticks a step themselves
        participant_account = (await uow.accounts.by_telegram_user(PARTICIPANT.id)).id
        await uow.step_events.add(step_id=step_ids[0], participant_id=pid, kind="done",
                                  at=clock.now(), actor_account_id=participant_account, data={})
        await uow.commit()
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    await app.process_update(updates.tap(COACH, "Werk"))
    screen = telegram_api.last_message(COACH.id)
    # Their own tick is no news to them: nothing to tell.
    await app.process_update(updates.tap(COACH, "Done: let Fatima know", screen))
    assert "Nothing new" in telegram_api.last("answerCallbackQuery").params["text"]
    await app.process_update(updates.tap(COACH, "Add a step", screen))
    prompt = said_to_coach(telegram_api)
    assert prompt.startswith("Goal: <b>Werk</b>") and "1. Een" not in prompt
    await app.process_update(updates.text(COACH, "Twee"))
    await app.process_update(updates.text(COACH, "morgen"))
    assert "✓ Fatima" in updates.buttons(COACH)  # the default, one tap to change
    await app.process_update(updates.tap(COACH, "Save the plan"))
    await deliver(app)
    told = telegram_api.sent_to(PARTICIPANT.id)
    assert len(told) == 1 and "1 stap in je plan gezet" in told[0].text
    steps = await _rows(db, Step)
    assert [(s.text, s.position, s.due_date) for s in steps] == [
        ("Een", 0, None), ("Twee", 1, date(2026, 3, 11))]
    await app.process_update(updates.tap(COACH, "Achieved", screen))
    assert (await _rows(db, Goal))[0].status == "active"  # not before confirming
    await app.process_update(updates.tap(COACH, "Yes, achieved"))
    [goal] = await _rows(db, Goal)
    assert goal.status == "achieved" and goal.closed_at is not None


async def test_two_saves_at_the_same_time_store_one_plan(app, updates, telegram_api, db,
                                                         clock) -> None:
    import asyncio

    _world, pid = await _setup(db, clock)
    await _start(app, updates, pid)
    await app.process_update(updates.text(COACH, "Een doel"))
    await app.process_update(updates.tap(COACH, "Skip"))  # why
    await app.process_update(updates.tap(COACH, "Skip"))  # Brug parts and confidence
    await app.process_update(updates.tap(COACH, "Skip"))  # obstacle and if-then
    message = telegram_api.last_message(COACH.id)
    first = updates.tap(COACH, "Save without steps", message)
    second = updates.tap(COACH, "Save without steps", message)
    await asyncio.gather(app.process_update(first), app.process_update(second))
    await deliver(app)
    assert len(await _rows(db, Goal)) == 1
    assert len(telegram_api.sent_to(PARTICIPANT.id)) == 1


async def test_a_plan_left_overnight_ends_with_a_clear_message(app, updates, telegram_api, db,
                                                               clock) -> None:
    world, pid = await _setup(db, clock)
    await _start(app, updates, pid)
    await app.process_update(updates.text(COACH, "Een doel"))
    clock.advance(hours=13)
    await app.process_update(updates.tap(COACH, "Skip"))
    assert "no longer works" in telegram_api.last("answerCallbackQuery").params["text"]
    assert "nothing was saved" in said_to_coach(telegram_api)
    # The next message is not taken as the answer to the old question.
    await app.process_update(updates.text(COACH, "Omdat het moet"))
    assert "did not understand" in said_to_coach(telegram_api)
    assert await _rows(db, Goal) == []
    assert await conversation.current(db, world.coach_account_id, clock.now()) is None


async def test_not_now_after_the_invite_leaves_the_plan_and_the_next_text_is_no_goal(
    app, updates, telegram_api, db, clock
) -> None:
    world = await seed_coach(db, clock.now(), locale="en")
    await app.process_update(updates.command(COACH, "nieuw"))
    await app.process_update(updates.text(COACH, "Jan"))
    assert "New goal for <b>Jan</b>" in said_to_coach(telegram_api)
    await app.process_update(updates.tap(COACH, "Plan later"))
    assert "no plan now" in telegram_api.last_message(COACH.id).text
    assert telegram_api.last_message(COACH.id).reply_markup is None
    await app.process_update(updates.text(COACH, "Een baan"))
    assert "did not understand" in said_to_coach(telegram_api)
    assert await conversation.current(db, world.coach_account_id, clock.now()) is None
    async with db.uow() as uow:
        [jan] = await uow.participants.of_coach(world.coach_id)
        assert len(await uow.invites.open_for_participant(jan.id)) == 1


async def test_a_draft_left_at_the_older_who_question_goes_on_with_the_next_step(
    app, updates, telegram_api, db, clock
) -> None:
    world, pid = await _setup(db, clock)
    draft = PlanDraft(pid=pid, name="Fatima", goal=DraftGoal(text="Werk"),
                      cur={"text": "Bel de bank", "due": "2026-03-13"})
    await conversation.begin(db, world.coach_account_id, "step_owner", draft, clock.now())
    await app.process_update(updates.text(COACH, "Brief opzoeken"))
    await app.process_update(updates.tap(COACH, "No date"))
    await app.process_update(updates.tap(COACH, "Save the plan"))
    assert [(s.text, s.due_date) for s in await _rows(db, Step)] == [
        ("Bel de bank", date(2026, 3, 13)), ("Brief opzoeken", None)]


async def _store_row(db, account_id: int, step: str, data: dict, now) -> None:
    """A flow_states row exactly as an earlier version of the bot wrote it (raw JSON)."""
    async with db.uow() as uow:
        await uow.flows.save(account_id, "plan", step, data, now)
        await uow.commit()


def _old_draft(pid: int, **changes) -> dict:
    """A draft as the version with the untyped `cur` dict stored it (PlanDraft.dump())."""
    return {"pid": pid, "name": "Fatima", "instrument": "brug-alphen", "gid": None, "title": "",
            "goal": {"text": "Werk", "why": None, "pillars": ["debts"], "confidence": 8,
                     "obstacle": None, "if_then": None},
            "steps": [{"text": "Bel de bank", "due": "2026-03-13", "owner": "together",
                       "hard": False}],
            "cur": {}, "last_mid": 0, "ask_mid": 0, **changes}


async def test_drafts_stored_by_the_previous_version_go_on_where_they_were(
    app, updates, telegram_api, db, clock
) -> None:
    world, pid = await _setup(db, clock)
    # Between two steps the old version kept an empty dict as the step being made.
    await _store_row(db, world.coach_account_id, "step_text", _old_draft(pid), clock.now())
    await app.process_update(updates.text(COACH, "Brief opzoeken"))
    assert "2. Brief opzoeken · <b>when?</b>" in said_to_coach(telegram_api)
    # At "when?" it kept the step's text in the dict.
    await _store_row(db, world.coach_account_id, "step_due",
                     _old_draft(pid, cur={"text": "Brief opzoeken"}, last_mid=1), clock.now())
    await app.process_update(updates.text(COACH, "morgen"))
    assert "2. Brief opzoeken · tomorrow · Fatima" in said_to_coach(telegram_api)
    await app.process_update(updates.tap(COACH, "Save the plan"))
    [goal] = await _rows(db, Goal)
    assert (goal.text, goal.pillars, goal.confidence) == ("Werk", ["debts"], 8)
    assert [(s.text, s.due_date, s.owner) for s in await _rows(db, Step)] == [
        ("Bel de bank", date(2026, 3, 13), "together"),
        ("Brief opzoeken", date(2026, 3, 11), "participant")]


async def test_a_stored_draft_that_cannot_go_on_ends_kindly_without_an_error(
    app, updates, telegram_api, db, clock, caplog
) -> None:
    world, pid = await _setup(db, clock)
    # At "when?" without the step it asks about, and a draft without its participant.
    for step, data in (("step_due", _old_draft(pid)), ("why", {"name": "Fatima"})):
        await _store_row(db, world.coach_account_id, step, data, clock.now())
        await app.process_update(updates.text(COACH, "morgen"))
        assert said_to_coach(telegram_api) == "Stopped. Nothing was saved."
        assert await conversation.current(db, world.coach_account_id, clock.now()) is None
    # A tap on a button of such a draft: it no longer works, and the flow ends the same way.
    await _store_row(db, world.coach_account_id, "step_due", _old_draft(pid), clock.now())
    await app.process_update(updates.press(COACH, "cpl:due:step_due:w1"))
    assert "no longer works" in telegram_api.last("answerCallbackQuery").params["text"]
    assert said_to_coach(telegram_api) == "Stopped. Nothing was saved."
    assert await conversation.current(db, world.coach_account_id, clock.now()) is None
    assert await _rows(db, Goal) == []
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_a_photo_voice_note_or_file_in_the_plan_flow_gets_a_kind_answer_and_changes_nothing(
    app, updates, telegram_api, db, clock
) -> None:
    world, pid = await _setup(db, clock)
    await _start(app, updates, pid)
    question = telegram_api.last_message(COACH.id)
    await app.process_update(updates.photo(COACH, caption="Een baan"))
    assert said_to_coach(telegram_api) == (
        "A photo does not work here. Type your answer or tap a button.")
    before = await conversation.current(db, world.coach_account_id, clock.now())
    await app.process_update(updates.voice(COACH))
    assert said_to_coach(telegram_api) == (
        "A voice message does not work here. Type your answer or tap a button.")
    await app.process_update(updates.document(COACH))
    assert said_to_coach(telegram_api) == (
        "A file does not work here. Type your answer or tap a button.")
    assert await conversation.current(db, world.coach_account_id, clock.now()) == before
    # The question still has its buttons, and the flow goes on as if nothing was sent.
    assert telegram_api.messages[(COACH.id, question.message_id)].reply_markup
    await app.process_update(updates.text(COACH, "Een baan"))
    assert "Why does this matter to Fatima?" in said_to_coach(telegram_api)
    await app.process_update(updates.tap(COACH, "Skip"))
    await app.process_update(updates.tap(COACH, "Skip"))
    await app.process_update(updates.tap(COACH, "Skip"))
    await app.process_update(updates.tap(COACH, "Save without steps"))
    assert "Saved: the goal with 0 steps" in said_to_coach(telegram_api)
    # Outside any flow a photo gets no answer, as before.
    calls = len(telegram_api.calls_to("sendMessage"))
    await app.process_update(updates.photo(COACH))
    assert len(telegram_api.calls_to("sendMessage")) == calls
    [goal] = await _rows(db, Goal)
    assert goal.text == "Een baan"


async def test_a_past_date_chosen_again_and_a_photo_at_that_question(
    app, updates, telegram_api, db, clock
) -> None:
    world, pid = await _setup(db, clock)
    _gid, _steps = await seed_goal(db, pid, clock.now(), "Werk", [])
    await app.process_update(updates.command(COACH, "deelnemers"))
    await app.process_update(updates.tap(COACH, "Fatima"))
    await app.process_update(updates.tap(COACH, "Werk"))
    await app.process_update(updates.tap(COACH, "Add a step"))
    await app.process_update(updates.text(COACH, "Bel de bank"))
    await app.process_update(updates.text(COACH, "1-3-2026"))
    question = telegram_api.last_message(COACH.id)
    assert "in the past" in question.text
    await app.process_update(updates.photo(COACH))
    assert said_to_coach(telegram_api) == "A photo does not work here. Tap one of the buttons."
    await app.process_update(updates.text(COACH, "13-3"))
    assert "Please tap one of the buttons above" in said_to_coach(telegram_api)
    # The photo and the text left the question and its buttons as they were.
    question = telegram_api.messages[(COACH.id, question.message_id)]
    assert "in the past" in question.text and question.reply_markup
    await app.process_update(updates.tap(COACH, "Choose again", question))
    # The date question again, in place of the past-date question.
    question = telegram_api.messages[(COACH.id, question.message_id)]
    assert "Bel de bank · <b>when?</b>" in question.text
    await app.process_update(updates.tap(COACH, "Next week", question))
    await app.process_update(updates.tap(COACH, "Save the plan", question))
    assert [(s.text, s.due_date) for s in await _rows(db, Step)] == [
        ("Bel de bank", date(2026, 3, 20))]
    assert await conversation.current(db, world.coach_account_id, clock.now()) is None
