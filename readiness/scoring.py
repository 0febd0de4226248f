"""Pure readiness evaluation: definition + item statuses + a date -> score, formidlingsklar,
staircase step, what is missing and who must act. No database; the service feeds it.

Rules (documented for staff in the README):
- An item is *satisfied* when it is done and its evidence has not expired, or when it is not relevant.
  Expired evidence (evidence date + expiry days before the date evaluated) counts as missing.
- Score 0-100: satisfied weight / weight of relevant items, rounded half up.
- Task items (documents obtained before the start, such as the police certificate) are listed as
  missing for whoever must act, but count in neither the score, the gates nor the step.
- Formidlingsklar: every gate item satisfied and score >= the definition's threshold.
- Step: a formidlingsklar candidate stands on step 6 (in recruitment), on 7 when the programme
  status is in_work. Otherwise the step is the lowest of steps 1-5 with an unsatisfied item, and 7
  when the programme status is in_work; a candidate with steps 1-5 complete but not yet over the
  threshold stands on 5.
- Exit state: staff's own assessment when recorded; otherwise job_ready when formidlingsklar,
  measures_ready when score >= 50, needs_more_help when any item is done, else unclarified.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class ItemStatusValue(StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    not_relevant = "not_relevant"


ACTORS = ("candidate", "staff", "consultant")
CHECKLIST_STEPS = (1, 2, 3, 4, 5)
STEP_LABELS = {
    1: "Grunnleggende forberedelser",
    2: "Grunnleggende kompetanse dokumentert",
    3: "Forståelse av arbeidsmarkedet",
    4: "Jobbsøkeratferd",
    5: "Jobbspesifikke ferdigheter",
    6: "I rekruttering (formidlingsklar)",
    7: "I arbeid",
}


@dataclass(frozen=True)
class ItemRule:
    key: str
    label: str
    kind: str  # gate | weighted
    weight: int
    step: int
    actor: str
    expiry_days: int | None = None


@dataclass(frozen=True)
class ItemState:
    status: ItemStatusValue
    evidence_date: date | None = None


@dataclass(frozen=True)
class ItemResult:
    key: str
    label: str
    kind: str
    step: int
    actor: str
    status: ItemStatusValue
    satisfied: bool
    expired: bool
    expires_on: date | None


@dataclass
class Evaluation:
    as_of: date
    definition_version: int
    score: int
    formidlingsklar: bool
    reasons: list[str]
    step: int
    missing: dict[str, list[str]]
    expired: list[str]
    exit_state: str
    items: list[ItemResult] = field(default_factory=list)


def round_half_up(value: float | Decimal) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _item_result(rule: ItemRule, state: ItemState | None, as_of: date) -> ItemResult:
    status = state.status if state else ItemStatusValue.not_started
    expires_on = None
    if status is ItemStatusValue.done and rule.expiry_days is not None and state.evidence_date is not None:
        expires_on = state.evidence_date + timedelta(days=rule.expiry_days)
    expired = expires_on is not None and expires_on < as_of
    satisfied = status is ItemStatusValue.not_relevant or (status is ItemStatusValue.done and not expired)
    return ItemResult(rule.key, rule.label, rule.kind, rule.step, rule.actor, status, satisfied, expired, expires_on)


def evaluate(
    rules: list[ItemRule],
    states: dict[str, ItemState],
    *,
    as_of: date,
    ready_threshold: int,
    definition_version: int,
    programme_status: str = "active",
    exit_assessment: str | None = None,
) -> Evaluation:
    items = [_item_result(rule, states.get(rule.key), as_of) for rule in rules]
    relevant = [(r, i) for r, i in zip(rules, items, strict=True)
                if i.status is not ItemStatusValue.not_relevant and r.kind != "task"]
    total = sum(r.weight for r, _ in relevant)
    earned = sum(r.weight for r, i in relevant if i.satisfied)
    score = round_half_up(Decimal(earned) * 100 / total) if total else 100

    reasons = []
    for item in items:
        if item.kind == "gate" and not item.satisfied:
            why = "utløpt" if item.expired else "mangler"
            reasons.append(f"Krav {why}: {item.label}")
    if score < ready_threshold:
        reasons.append(f"Poengsum {score} er under terskelen {ready_threshold}")
    formidlingsklar = not reasons

    unsatisfied_steps = [i.step for i in items if not i.satisfied and i.kind != "task"]
    if programme_status == "in_work":
        step = 7
    elif formidlingsklar:
        step = 6
    else:
        step = min(unsatisfied_steps, default=5)

    missing: dict[str, list[str]] = {actor: [] for actor in ACTORS}
    for item in items:
        if not item.satisfied:
            missing.setdefault(item.actor, []).append(item.key)

    if exit_assessment:
        exit_state = exit_assessment
    elif formidlingsklar:
        exit_state = "job_ready"
    elif score >= 50:
        exit_state = "measures_ready"
    elif any(i.status is ItemStatusValue.done for i in items):
        exit_state = "needs_more_help"
    else:
        exit_state = "unclarified"

    return Evaluation(
        as_of=as_of,
        definition_version=definition_version,
        score=score,
        formidlingsklar=formidlingsklar,
        reasons=reasons,
        step=step,
        missing=missing,
        expired=[i.key for i in items if i.expired],
        exit_state=exit_state,
        items=items,
    )
