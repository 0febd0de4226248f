"""The result table (DOMAIN.md section 5) from an event stream.

One event stream, two sources: an event file (`brobygger report kpi --events E.csv`) or the
events derived from what the system recorded (`reports.service.recorded_events`). Both go through
`result_table`, so the two always agree on the same history.

Counting rules (the exact contract of K.csv):
- `candidates`: distinct candidates with `candidate_assigned`; the denominator.
- `need_uncovered`, `removed_from_process`, `documented_progress`: distinct candidates.
- `employer_contacted_existing`, `employer_contacted_new`, `employer_in_dialogue`: distinct `ref`.
- every other metric: events.
- `percent` = count / candidates x 100, rounded half up to a whole number (may exceed 100);
  empty when the project has no candidates in the period.
"""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from core.spreadsheets import TableError, read_table
from core.text import TextRuleError, clean_text

EVENTS: dict[str, str] = {
    "candidate_assigned": "Kandidater tatt inn",
    "need_uncovered": "Behov avdekket før formidlingsklar (norsk, flytting, utdanning, hindringer)",
    "removed_from_process": "Tatt ut av formidlingsløpet",
    "interview_training": "Intervjutrening/coaching",
    "employer_contacted_existing": "Arbeidsgivere kontaktet fra eksisterende register og partnere",
    "employer_contacted_new": "Nye arbeidsgivere kontaktet",
    "employer_in_dialogue": "Arbeidsgivere i dialog (gjentatte oppfølginger)",
    "interview": "Intervjuer innkalt til eller gjennomført",
    "interview_with_assistance": "Intervjuer med konsulent til stede (intervjubistand)",
    "chance_lost": "Kandidat mistet sjansen (uteble, takket nei)",
    "practice_training": "Arbeidspraksis som opplæring",
    "practice_with_hiring_promise": "Arbeidspraksis med løfte om ansettelse",
    "offer_received": "Jobbtilbud mottatt",
    "offer_accepted": "Jobbtilbud akseptert",
    "documented_progress": "Kandidater med dokumentert progresjon",
}
DISTINCT_CANDIDATES = {"candidate_assigned", "need_uncovered", "removed_from_process", "documented_progress"}
DISTINCT_REFS = {"employer_contacted_existing", "employer_contacted_new", "employer_in_dialogue"}
COLUMNS = ("date", "project", "candidate_id", "event", "ref")
SMALL_CELL = 5  # counts below this are suppressed in reports that leave the organisation


class EventFileError(ValueError):
    """Every problem found in an event file, each with its row number as a spreadsheet shows it."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def round_half_up(value: float) -> int:
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def read_events(raw: bytes) -> pd.DataFrame:
    """Parse and check an event file. Raises EventFileError listing every bad row; nothing partial."""
    try:
        table = read_table(raw, "events.csv")
    except TableError as exc:
        raise EventFileError([f"rad 1: {exc}"]) from None
    if table:
        missing = [c for c in COLUMNS if c not in table[0][1] and c != "ref"]
        if missing:
            raise EventFileError([f"rad 1: mangler kolonne(r): {', '.join(missing)} "
                                  f"(har: {', '.join(table[0][1]) or 'ingen'})"])
    rows, problems = [], []
    for number, row in table:
        try:
            when, project, candidate, event, ref = (clean_text(row.get(column, "")) for column in COLUMNS)
        except TextRuleError as exc:
            problems.append(f"rad {number}: {exc}")
            continue
        try:
            day = date.fromisoformat(when)
        except ValueError:
            problems.append(f"rad {number}: ugyldig dato '{when}' (bruk ÅÅÅÅ-MM-DD)")
            continue
        if event not in EVENTS:
            problems.append(f"rad {number}: ukjent hendelse '{event}'")
        elif not project:
            problems.append(f"rad {number}: project mangler")
        elif not candidate and event not in DISTINCT_REFS:
            problems.append(f"rad {number}: candidate_id mangler")
        elif event in DISTINCT_REFS and not ref:
            problems.append(f"rad {number}: ref (arbeidsgiver) mangler for {event}")
        else:
            rows.append((day, project, candidate, event, ref))
    if problems:
        raise EventFileError(problems)
    return pd.DataFrame(rows, columns=list(COLUMNS))


@dataclass(frozen=True)
class KpiRow:
    project: str
    metric: str
    label: str
    count: int | None  # None when suppressed
    percent: int | None


def result_table(events: pd.DataFrame, date_from: date | None = None, date_to: date | None = None,
                 suppress_small: bool = False) -> list[KpiRow]:
    """Every project and metric, in the order of EVENTS with `candidates` first."""
    frame = events
    if date_from is not None:
        frame = frame[frame["date"] >= date_from]
    if date_to is not None:
        frame = frame[frame["date"] <= date_to]
    rows = []
    for project in sorted(events["project"].unique()):
        own = frame[frame["project"] == project]
        counts = {}
        for metric in EVENTS:
            hits = own[own["event"] == metric]
            if metric in DISTINCT_CANDIDATES:
                counts[metric] = hits["candidate_id"].nunique()
            elif metric in DISTINCT_REFS:
                counts[metric] = hits["ref"].nunique()
            else:
                counts[metric] = len(hits)
        base = counts["candidate_assigned"]
        for metric in EVENTS:
            name = "candidates" if metric == "candidate_assigned" else metric
            count = counts[metric]
            percent = round_half_up(count * 100 / base) if base else None
            if suppress_small and 0 < count < SMALL_CELL:
                count = percent = None
            rows.append(KpiRow(project, name, EVENTS[metric], count, percent))
    return rows


def write_kpi_csv(rows: list[KpiRow], path: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["project", "metric", "count", "percent"])
        for r in rows:
            writer.writerow([r.project, r.metric, "<5" if r.count is None else r.count,
                             "" if r.percent is None else r.percent])
