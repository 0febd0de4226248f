"""Who was in the placement process when: the base of the result table.

The result table counts its base ("kandidater deltatt") from events: a span in the process opens at
`candidate_assigned` (or `taken_back_in` after a close) and closes at `removed_from_process`,
`exit_completed`, `exit_interrupted` or `process_ended`. A candidate is in the base of a period when one
of their spans overlaps it. The same rule reads an event file and recorded data (`spans_from_marks`).

`process_marks` is the one place recorded data says when a candidate entered and left the process:
the handovers to a recruitment partner (candidates.Handover): `candidate_assigned` on the first one's
start, `taken_back_in` on each later one (tatt inn igjen), `process_ended` on each end; besides them
the candidate events "taken out of the process" / "taken back in" that staff record, and archiving
(`process_ended`). A candidate never handed over is not in the base. Exits are emitted beside it
(reports.service)."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from candidates.models import Candidate, Handover
from core.types import LOCAL_TZ
from placement.models import CandidateEvent

OPENS = ("candidate_assigned", "taken_back_in")
CLOSES = ("removed_from_process", "exit_completed", "exit_interrupted", "process_ended")
# Same day: the first handover, then what closes, then what reopens.
_ORDER = {"candidate_assigned": 0, **{e: 1 for e in CLOSES}, "taken_back_in": 2}


@dataclass(frozen=True)
class ProcessSpan:
    start: date
    end: date | None = None


def spans_from_marks(marks: list[tuple[date, str]]) -> list[ProcessSpan]:
    """Opening and closing marks (date, event) -> spans. An opening while open and a closing while
    closed change nothing."""
    spans: list[ProcessSpan] = []
    start: date | None = None
    for day, event in sorted(marks, key=lambda m: (m[0], _ORDER.get(m[1], 1))):
        if event in OPENS and start is None:
            start = day
        elif event in CLOSES and start is not None:
            spans.append(ProcessSpan(start, day))
            start = None
    if start is not None:
        spans.append(ProcessSpan(start))
    return spans


def in_process(spans: list[ProcessSpan], start: date | None, end: date | None) -> bool:
    """In the process at any time between start and end (either may be open)."""
    return any((end is None or s.start <= end) and (start is None or s.end is None or s.end >= start) for s in spans)


def process_marks(session: Session, candidates: list[Candidate]) -> list[tuple[int, date, str]]:
    """(candidate id, day, event) for every handover into, exit from and return to the process."""
    marks = [(c.id, c.archived_at.astimezone(LOCAL_TZ).date(), "process_ended")
             for c in candidates if c.archived_at is not None]
    ids = [c.id for c in candidates]
    for start in range(0, len(ids), 1000):
        seen: set[int] = set()
        for h in session.exec(select(Handover).where(col(Handover.candidate_id).in_(ids[start:start + 1000]))
                              .order_by(Handover.started_on, Handover.id)):
            marks.append((h.candidate_id, h.started_on, "taken_back_in" if h.candidate_id in seen else "candidate_assigned"))
            seen.add(h.candidate_id)
            if h.ended_on is not None:
                marks.append((h.candidate_id, h.ended_on, "process_ended"))
        for e in session.exec(select(CandidateEvent).where(
                col(CandidateEvent.candidate_id).in_(ids[start:start + 1000]),
                col(CandidateEvent.kind).in_(["removed_from_process", "taken_back_in"]))):
            marks.append((e.candidate_id, e.on, e.kind))
    return marks
