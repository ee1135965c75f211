"""`python -m bot import-brug`: paper Brug forms into the database, all or nothing.

People the organisation's reference does not know yet become participant records without a
Telegram account (status "invited", shown on their coach's list). Their coach links the record
to the person with "New invite" on the card (flows.caseload.renew_invite): the person joins
into this record, so their Brug picture starts with the paper intake. Each form is keyed by
participant, moment and date, so importing the same file again changes nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from bot.core.brug_import import PaperForm, Problems, parse_forms
from bot.flows.admin import AdminError, organisation_named
from bot.flows.brug import instrument
from bot.storage.db import Database
from bot.storage.models import FilledBy, ParticipantStatus
from bot.storage.uow import UnitOfWork

# Paper forms carry a day, not a time: noon UTC is that day in every European zone.
FORM_TIME = time(12, 0)


@dataclass(frozen=True)
class ImportRefused:
    problems: tuple[str, ...]


@dataclass
class ImportResult:
    dry_run: bool
    new_participants: int = 0
    known_participants: int = 0
    new_forms: int = 0
    updated_forms: int = 0
    unchanged_forms: int = 0
    references: set[str] = field(default_factory=set)

    def summary(self) -> str:
        lines = [
            f"participants: {self.new_participants} new, {self.known_participants} known",
            f"forms: {self.new_forms} new, {self.updated_forms} updated, "
            f"{self.unchanged_forms} unchanged",
        ]
        if self.dry_run:
            lines.append("dry run: nothing was changed")
        return "\n".join(lines)


def import_key(participant_id: int, form: PaperForm) -> str:
    return f"paper:{participant_id}:{form.moment}:{form.day.isoformat()}"


async def import_brug(db: Database, organisation: str, raw: bytes, now: datetime, *,
                      dry_run: bool = False) -> ImportResult | ImportRefused:
    async with db.uow() as uow:
        try:
            org = await organisation_named(uow, organisation)
        except AdminError as exc:
            return ImportRefused((str(exc),))
        content = instrument(org.instrument_key)
        labels = {p.key: p.label_in("nl") for p in content.pillars}
        forms = parse_forms(raw, labels, now.date())
        if isinstance(forms, Problems):
            return ImportRefused(forms.messages)
        known = await uow.paper.references(org.id)
        coaches = await uow.paper.coaches(org.id)
        owners = _coaches_for_new(forms, known, coaches)
        if isinstance(owners, ImportRefused):
            return owners
        result = ImportResult(dry_run)
        for form in forms:
            pid = known.get(form.reference)
            if pid is None:
                pid = await _new_record(uow, org.id, owners[form.reference], form, forms)
                known[form.reference] = pid
                result.new_participants += 1
            elif form.reference not in result.references:
                result.known_participants += 1
            result.references.add(form.reference)
            await _store_form(uow, pid, org.instrument_key, content.version, form, result)
        if dry_run:
            return result  # leaving the unit of work rolls everything back
        await uow.audit.record(
            at=now, actor_account_id=None, action="brug.imported",
            subject_type="organisation", subject_id=org.id,
            details={"new_participants": result.new_participants,
                     "new_forms": result.new_forms, "updated_forms": result.updated_forms},
        )
        await uow.commit()
        return result


def _coaches_for_new(forms: list[PaperForm], known: dict[str, int], coaches: dict[str, int]
                     ) -> dict[str, int] | ImportRefused:
    """The coach of every new record: the `coach` column, or the organisation's only coach."""
    owners: dict[str, int] = {}
    problems: list[str] = []
    for form in forms:
        if form.reference in known or form.reference in owners:
            continue
        owners[form.reference] = 0  # decided once per person, at their first row
        if form.coach is not None:
            coach_id = coaches.get(form.coach.lower())
            if coach_id is None:
                problems.append(f"line {form.line}: no coach named {form.coach!r} in this "
                                "organisation")
                continue
        elif len(coaches) == 1:
            coach_id = next(iter(coaches.values()))
        elif not coaches:
            problems.append(f"line {form.line}: the organisation has no coach yet; invite "
                            "one first (admin invite-coach)")
            continue
        else:
            problems.append(f"line {form.line}: name the coach in a 'coach' column (the "
                            "organisation has several)")
            continue
        owners[form.reference] = coach_id
    return ImportRefused(tuple(problems)) if problems else owners


async def _new_record(uow: UnitOfWork, organisation_id: int, coach_id: int, form: PaperForm,
                      forms: list[PaperForm]) -> int:
    # The trajectory started with the earliest paper form, which is what --from/--to select on.
    first = min(f.day for f in forms if f.reference == form.reference)
    participant = await uow.participants.add(
        organisation_id=organisation_id, coach_id=coach_id,
        display_name=form.reference[:80], external_ref=form.reference,
        pseudonym=secrets.token_hex(8), status=ParticipantStatus.INVITED.value,
        created_at=datetime.combine(first, FORM_TIME, UTC),
    )
    return participant.id


async def _store_form(uow: UnitOfWork, participant_id: int, instrument_key: str, version: int,
                      form: PaperForm, result: ImportResult) -> None:
    key = import_key(participant_id, form)
    existing = await uow.paper.imported(key)
    if existing is not None:
        measurement, scores = existing
        stored = {s.pillar_key: s.level for s in scores}
        if stored == dict(form.levels):
            result.unchanged_forms += 1
            return
        await uow.paper.drop_scores(scores)
        result.updated_forms += 1
    else:
        at = datetime.combine(form.day, FORM_TIME, UTC)
        measurement = await uow.brug.add(
            participant_id=participant_id, instrument_key=instrument_key,
            instrument_version=version, moment=form.moment,
            filled_by=FilledBy.TOGETHER.value, entered_by_account_id=None, started_at=at,
            completed_at=at, import_key=key)
        result.new_forms += 1
    await uow.paper.add_scores(measurement.id, form.levels.items())
