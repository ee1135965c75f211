"""The Brug over time (issue 15, item 4): every time it was filled in, a small line per pillar,
and the same in words (the caption). Real rendering, through the application too."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image

from bot.flows.brug import Snapshot, Timeline, instrument
from bot.i18n import using_locale
from bot.render.brug import NOW_FILL, TARGET, TELEGRAM_MAX_RATIO, TELEGRAM_MAX_SIDES
from bot.render.brug_timeline import (
    MAX_TIMES,
    PANEL_H,
    PANEL_W,
    TimelinePicture,
    TimelinePillar,
    layout,
    render_timeline,
)
from bot.ui.buttons.brug import BrugCoach, BrugMine
from bot.ui.screens import brug as present
from tests.support.builders import seed_coach, seed_participant
from tests.support.telegram_fake import FakeBotAPI, StoredMessage
from tests.support.updates import TgUser, UpdateFactory

TZ = "Europe/Amsterdam"
START = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
FATIMA = TgUser(id=1001, first_name="Fatima", language_code="nl")
COACH = TgUser(id=9001, first_name="Sanne", language_code="nl")


def _picture(levels: list[tuple[int | None, ...]], wishes: list[int | None] | None = None
             ) -> TimelinePicture:
    times = len(levels[0])
    return TimelinePicture(
        title="Jouw Brug door de tijd", dates="3 maart 2025 – 8 maart 2026 · 3 keer",
        times=tuple(f"t{i}" for i in range(times)),
        legend_line="Elke keer dat je de Brug invulde", legend_wish="Wens",
        pillars=tuple(TimelinePillar(f"Pijler {i}", lv, (wishes or [None] * len(levels))[i])
                      for i, lv in enumerate(levels)))


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


def _pixels(image: Image.Image, colour: tuple[int, int, int], box: tuple[int, int, int, int]
            ) -> list[tuple[int, int]]:
    """Where `colour` is drawn inside `box` (within a small tolerance: anti-aliased edges)."""
    crop = image.crop(box)
    raw = crop.tobytes()
    found = []
    for i in range(0, len(raw), 3):
        if all(abs(raw[i + c] - colour[c]) <= 12 for c in range(3)):
            found.append(((i // 3) % crop.width, (i // 3) // crop.width))
    return found


def _first_panel(picture: TimelinePicture) -> tuple[int, int, int, int]:
    left, top = layout(picture).panel(0)
    return (int(left), int(top), int(left + PANEL_W), int(top + PANEL_H))


def test_valid_deterministic_and_within_telegram_limits_up_to_12_pillars_and_24_times() -> None:
    wide = _picture([tuple((i + t) % 5 + 1 for t in range(MAX_TIMES)) for i in range(12)],
                    [5] * 12)
    data = render_timeline(wide)
    image = _image(data)
    assert image.width == 1080 and image.width + image.height <= TELEGRAM_MAX_SIDES
    assert max(image.size) / min(image.size) <= TELEGRAM_MAX_RATIO
    assert render_timeline(wide) == data
    assert render_timeline(_picture([(1, 2)] * 8)) != render_timeline(_picture([(1, 3)] * 8))
    with pytest.raises(ValueError):
        _picture([(1, 2), (1, 2, 3)])  # every pillar has every time
    with pytest.raises(ValueError):
        _picture([(1, 6)])


def test_the_line_rises_with_the_levels_and_a_wish_is_drawn_in_orange() -> None:
    low, high = _picture([(1, 1, 1)] * 8), _picture([(5, 5, 5)] * 8, [4] + [None] * 7)
    low_image, high_image = _image(render_timeline(low)), _image(render_timeline(high))
    box = _first_panel(low)
    low_dots = _pixels(low_image, NOW_FILL, box)
    high_dots = _pixels(high_image, NOW_FILL, box)
    assert low_dots and high_dots
    mean = lambda points: sum(y for _x, y in points) / len(points)  # noqa: E731
    assert mean(high_dots) < mean(low_dots) - 100  # level 5 is drawn well above level 1
    assert _pixels(high_image, TARGET, box) and not _pixels(low_image, TARGET, box)
    # A skipped time is a gap: less line than when every time was answered.
    gap = _image(render_timeline(_picture([(2, None, 4)] * 8)))
    full = _image(render_timeline(_picture([(2, 3, 4)] * 8)))
    assert len(_pixels(gap, NOW_FILL, box)) < len(_pixels(full, NOW_FILL, box)) - 300


def _timeline(count: int, *, by_coach: bool = False) -> Timeline:
    tool = instrument("brug-alphen")
    keys = [p.key for p in tool.pillars]
    items = tuple(
        Snapshot(i + 1, "intake" if i == 0 else "extra", "participant",
                 START + timedelta(days=90 * i),
                 {k: None if (k == "health" and i == 1) else min(5, 1 + (i + j) % 5)
                  for j, k in enumerate(keys)},
                 {"debts": 4} if i == count - 1 else {})
        for i in range(count))
    return Timeline(7, "Fatima", tool, items, by_coach)


def test_the_caption_lists_every_time_and_a_line_per_pillar(catalogs) -> None:
    with using_locale("nl"):
        text = present.timeline_caption(_timeline(3), TZ)
        picture = present.timeline_picture(_timeline(3), TZ)
    lines = text.split("\n")
    assert lines[0] == "<b>Jouw Brug door de tijd</b>"
    assert lines[1] == "1. Start · 3 maart 2025"
    assert lines[3] == "3. Tussendoor · 30 augustus 2025"
    assert "Gezinsstabiliteit: 1 → 2 → 3" in lines
    assert "Gezondheid: 5 → – → 2" in lines
    assert "Schulden: 1 → 2 → 3 · wens 4" in lines
    # The picture holds the same numbers.
    health = next(p for p in picture.pillars if p.label == "Gezondheid")
    assert health.levels == (5, None, 2)
    assert next(p for p in picture.pillars if p.label == "Schulden").wish == 4


def test_many_times_still_fit_a_caption_and_the_picture(catalogs) -> None:
    many = _timeline(40, by_coach=True)
    for locale in ("nl", "en"):
        with using_locale(locale):
            text = present.timeline_caption(many, TZ)
            picture = present.timeline_picture(many, TZ)
        assert len(present._plain(text)) <= 1024
        assert "…" in text  # first, the one before the latest, the latest
        assert len(picture.times) == MAX_TIMES
        render_timeline(picture)


def _message(api: FakeBotAPI, user: TgUser) -> StoredMessage:
    stored = StoredMessage(user.id, 1, "…", None)
    api.messages[(user.id, 1)] = stored
    return stored


async def _three_measurements(app, updates: UpdateFactory, api: FakeBotAPI, clock) -> None:
    await app.process_update(updates.command(FATIMA, "brug"))
    for values in ((2, 3, 3, 1, 2, 1, 1, 2), (3, 3, 4, 1, 3, 2, 1, 2), (3, 4, 4, 2, 3, 3, 2, 3)):
        # The first time from the offer, then from the picture's "fill in again".
        await app.process_update(updates.press(FATIMA, BrugMine(a="fill").pack()))
        for value in values:
            await app.process_update(updates.tap(FATIMA, f"{value} · "))
        if "Ja, kies" in " ".join(updates.buttons(FATIMA)):
            await app.process_update(updates.press(
                FATIMA, updates.api.last_message(FATIMA.id).reply_markup[
                    "inline_keyboard"][1][0]["callback_data"]))  # no wishes now
        clock.advance(days=100)


async def test_participant_and_coach_see_every_time_in_one_picture(
    app, updates: UpdateFactory, telegram_api: FakeBotAPI, db, clock
) -> None:
    world = await seed_coach(db, clock.now())
    pid = await seed_participant(db, world, clock.now())
    await _three_measurements(app, updates, telegram_api, clock)
    await app.process_update(updates.command(FATIMA, "brug"))
    await app.process_update(updates.tap(FATIMA, "Elke keer, in één beeld"))
    photo = telegram_api.last("sendPhoto")
    assert photo.files and _image(next(iter(photo.files.values()))).width == 1080
    caption = photo.text
    assert caption.startswith("<b>Jouw Brug door de tijd</b>\n1. Start")
    assert "Gezinsstabiliteit: 2 → 3 → 3" in caption and "Inkomen: 2 → 2 → 3" in caption
    assert updates.buttons(FATIMA)[0] == "Laat de nieuwste zien"
    # The coach sees the same, about Fatima; another coach gets nothing.
    await app.process_update(updates.press(COACH, BrugCoach(a="time", p=pid).pack(),
                                           _message(telegram_api, COACH)))
    coach_photo = telegram_api.last("sendPhoto")
    assert coach_photo.params["chat_id"] == COACH.id
    assert "Brug van Fatima door de tijd" in coach_photo.text
    assert "Gezinsstabiliteit: 2 → 3 → 3" in coach_photo.text
    other = await seed_coach(db, clock.now(), telegram_user_id=9002, org_name="Elders")
    assert other.coach_id != world.coach_id
    sent = len(telegram_api.calls_to("sendPhoto"))
    await app.process_update(updates.press(TgUser(id=9002, first_name="Kees"),
                                           BrugCoach(a="time", p=pid).pack(),
                                           _message(telegram_api, TgUser(id=9002))))
    assert len(telegram_api.calls_to("sendPhoto")) == sent
    async with db.uow() as uow:
        viewed = [a.action for a in await uow.audit.for_subject("participant", pid)]
    assert "brug.viewed" in viewed

