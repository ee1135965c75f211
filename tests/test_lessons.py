"""Stress lessons: the content files, the weekly rhythm, /les, feedback and pause/stop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.lessons import LESSONS_DIR, MAX_CHARS, LessonError, load_lessons
from bot.flows.reminders import _replan_participant
from bot.storage.models import ParticipantEvent
from bot.ui.screens.lessons import render_lesson
from tests.support.builders import seed_coach, seed_participant
from tests.support.telegram_fake import FakeBotAPI, StoredMessage, html_to_plain
from tests.support.updates import TgUser, UpdateFactory

FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
STRANGER = TgUser(id=4242, first_name="X", language_code="nl")


def test_at_least_twelve_short_lessons_in_both_languages(catalogs: Any) -> None:
    series = load_lessons()
    assert series.count >= 12
    for lang in ("nl", "en"):
        for number in range(series.count):
            lesson = series.get(number, lang)
            text, markup = render_lesson(number, lesson)
            assert len(html_to_plain(text)) <= MAX_CHARS + 30  # heading + label included
            assert lesson.length <= MAX_CHARS
            assert len(markup.inline_keyboard[0]) == 2
    topics = {lesson.key for lesson in series.by_language["nl"].lessons}
    assert {"bandwidth", "plans_slip", "small_steps", "if_then", "be_mild", "ask_help",
            "sleep", "worries_attention", "celebrate"} <= topics


def _copy(tmp_path: Path, change: Any) -> Path:
    for lang in ("nl", "en"):
        data = yaml.safe_load((LESSONS_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
        change(lang, data)
        (tmp_path / f"{lang}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                               encoding="utf-8")
    return tmp_path


def test_a_too_long_lesson_is_refused_at_load(tmp_path: Path) -> None:
    def longer(lang: str, data: Any) -> None:
        data["lessons"][0]["text"] = "Heel lang. " * 60

    with pytest.raises(LessonError, match="characters"):
        load_lessons(_copy(tmp_path, longer))


def test_languages_out_of_step_are_refused(tmp_path: Path) -> None:
    def swap(lang: str, data: Any) -> None:
        if lang == "en":
            data["lessons"][0], data["lessons"][1] = data["lessons"][1], data["lessons"][0]

    with pytest.raises(LessonError, match="differ"):
        load_lessons(_copy(tmp_path, swap))


async def _participant(db: Any, clock: Any) -> int:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now(), name="Fatima")
    async with db.uow() as uow:
        await _replan_participant(uow, pid, clock.now())
        await uow.commit()
    return pid


async def _events(db: Any, pid: int) -> list[ParticipantEvent]:
    async with db.uow() as uow:
        found = await uow.participant_events.of_participant(pid)
        uow.session.expunge_all()
        return found


def _message_with(api: FakeBotAPI, needle: str) -> StoredMessage:
    return next(m for m in api.messages.values() if needle in m.text)


async def test_les_gives_the_next_lesson_and_feedback_is_stored_once(
    app: Any, db: Any, clock: Any, updates: UpdateFactory, telegram_api: FakeBotAPI
) -> None:
    pid = await _participant(db, clock)
    await app.process_update(updates.command(FATIMA, "les"))
    lesson_message = telegram_api.sent_to(FATIMA.id)[0]
    assert html_to_plain(lesson_message.text).startswith("Een korte les: Een vol hoofd")
    lesson = _message_with(telegram_api, "Een vol hoofd")
    await app.process_update(updates.tap(FATIMA, "Herkenbaar", lesson))
    await app.process_update(updates.tap(FATIMA, "Herkenbaar", lesson))  # a second tap
    await app.process_update(updates.tap(FATIMA, "Minder voor mij", lesson))  # changed mind
    feedback = [e for e in await _events(db, pid) if e.kind == "lesson_feedback"]
    assert len(feedback) == 1 and feedback[0].data == {"number": 0, "lesson": "bandwidth",
                                                       "verdict": "no"}
    # The next /les is lesson 2; the weekly one moves on accordingly.
    await app.process_update(updates.command(FATIMA, "les"))
    assert "Waarom plannen mislukken" in telegram_api.sent_to(FATIMA.id)[-2].text


async def test_pause_and_stop_the_lessons(app: Any, db: Any, clock: Any,
                                          updates: UpdateFactory,
                                          telegram_api: FakeBotAPI) -> None:
    pid = await _participant(db, clock)
    await app.process_update(updates.command(FATIMA, "les"))
    await app.process_update(updates.tap(FATIMA, "4 weken geen lessen"))
    async with db.uow() as uow:
        rows = await uow.outbox.of_account_with_prefix(
            (await uow.participants.get(pid)).account_id, f"p:{pid}:lesson:")
        pending = [r for r in rows if r.status == "pending"]
        assert len(pending) == 1
        assert (pending[0].due_at - clock.now()).days >= 27
    await app.process_update(updates.tap(FATIMA, "Stop de lessen"))
    async with db.uow() as uow:
        participant = await uow.participants.get(pid)
        assert participant.lessons_enabled is False
        rows = await uow.outbox.of_account_with_prefix(participant.account_id,
                                                       f"p:{pid}:lesson:")
        assert not [r for r in rows if r.status == "pending"]
    assert [e.kind for e in await _events(db, pid)][-2:] == ["lessons_paused",
                                                             "lessons_stopped"]


async def test_forged_lesson_buttons_change_nothing(app: Any, db: Any, clock: Any,
                                                    updates: UpdateFactory,
                                                    telegram_api: FakeBotAPI) -> None:
    pid = await _participant(db, clock)
    await app.process_update(updates.command(FATIMA, "les"))
    for data in ("lsf:999:yes", "lsf:x:yes", "lsf:0:maybe", "lsc:explode"):
        await app.process_update(updates.press(FATIMA, data))
    await app.process_update(updates.press(STRANGER, "lsf:0:yes",
                                           telegram_api.last_message(FATIMA.id)))
    assert not [e for e in await _events(db, pid) if e.kind == "lesson_feedback"]
    answers = telegram_api.calls_to("answerCallbackQuery")
    assert len(answers) == 5 and all(a.params.get("text") for a in answers)
