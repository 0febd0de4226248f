"""The result table (DOMAIN.md section 5) from an event stream.

One event stream, two sources: an event file (`brobygger report kpi --events E.csv`) or the
events derived from what the system recorded (`reports.service.recorded_events`). Both go through
`result_table`, so the two always agree on the same history.

Counting rules (the exact contract of K.csv; README "Resultatrapporten: tellereglene"):
- `candidates` (the base, "kandidater deltatt"): distinct candidates in the process at any time in the
  period. A span in the process opens at `candidate_assigned` (or `taken_back_in` after a close) and
  closes at `removed_from_process`, `exit_completed`, `exit_interrupted` or `process_ended`; events
  before the period count too (reports.process).
- `handed_over` ("overført i perioden"): distinct candidates with `candidate_assigned` in the period.
- `need_uncovered`, `removed_from_process`, `permanent_job`, `documented_progress`: distinct candidates
  of the base (the funder counts among those who took part: these rows never exceed the base).
- `employer_contacted_existing` / `employer_contacted_new`: the distinct employers (`ref`) with a
  contact event of either kind in the period, each in exactly one row: new when the employer's first
  contact anywhere in the stream (`employer_first_contact`, or its earliest contact event) is in the
  period, otherwise existing. A contact about no candidate has an empty candidate_id.
- `employer_in_dialogue`: distinct `ref`.
- `refused:<code>`, `completed:<code>`, `interrupted:<code>`: events of `refused`, `exit_completed`,
  `exit_interrupted` with that code in `ref`; `refused`, `completed`, `interrupted`: all of them.
- every other metric: events.
- `percent` = count / candidates x 100, rounded half up to a whole number, on every row as the funder's
  table has it (DOMAIN.md section 5): it exceeds 100 only on rows of events or employers, where a thing
  happens several times per candidate; empty when the project has no candidates in the process.
"""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from core.spreadsheets import TableError, read_table
from core.text import TextRuleError, clean_text
from programme.codes import DEFAULT_LISTS
from reports.process import CLOSES, OPENS, in_process, spans_from_marks

# The rows before the programme's coded rows, in order: metric -> label.
ROWS: dict[str, str] = {
    "candidates": "Kandidater deltatt (i prosess i perioden)",
    "handed_over": "Overført til rekrutteringspartner i perioden",
    "taken_back_in": "Tatt inn igjen",
    "need_uncovered": "Avdekkede behov før formidlingsklar (norsk, flytteplaner, utdanning, barnepass, "
                      "dokumenter, økonomi/bolig, helse)",
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
    "permanent_job": "Fast jobb uten lønnstilskudd (hovedmålet)",
    "documented_progress": "Kandidater med dokumentert progresjon",
    "referred": "Henvist til programmet",
    "admitted": "Tatt inn i programmet",
}
# The programme's coded rows: total metric, event, kind in the code lists, label prefix.
CODED = (("refused", "refused", "refusal", "Avslag"), ("completed", "exit_completed", "completed", "Fullført"),
         ("interrupted", "exit_interrupted", "interrupted", "Avbrutt"))
# Every event an event file may hold (rows and what only the base or the employer rule reads).
EVENTS: set[str] = ({m for m in ROWS if m not in ("candidates", "handed_over")}
                    | {"candidate_assigned", "employer_first_contact", "process_ended"}
                    | {event for _m, event, _k, _p in CODED})
DISTINCT_CANDIDATES = {"need_uncovered", "removed_from_process", "permanent_job", "documented_progress"}
EMPLOYER_CONTACTS = {"employer_contacted_existing", "employer_contacted_new"}
DISTINCT_REFS = EMPLOYER_CONTACTS | {"employer_in_dialogue", "employer_first_contact"}
NEEDS_CODE = {event for _m, event, _k, _p in CODED}
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
        elif event in NEEDS_CODE and not ref:
            problems.append(f"rad {number}: ref (årsakskode) mangler for {event}")
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


def coded_rows(labels: dict[tuple[str, str], str] | None, events: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """(metric, event, code or "" for the total, label) for the programme's coded rows: every code of the
    code lists (so the rows are the same from period to period), then any other code the stream holds."""
    labels = labels or {(kind, key): label for kind, entries in DEFAULT_LISTS.items()
                        for key, (label, _t) in entries.items()}
    rows = []
    for metric, event, kind, prefix in CODED:
        rows.append((metric, event, "", f"{prefix} i alt"))
        codes = [key for (k, key) in labels if k == kind]
        codes += sorted(set(events.loc[events["event"] == event, "ref"]) - set(codes))
        rows += [(f"{metric}:{code}", event, code, f"{prefix}: {labels.get((kind, code), code)}") for code in codes]
    return rows


def _base(events: pd.DataFrame, project: str, date_from: date | None, date_to: date | None) -> set[str]:
    marks = events[(events["project"] == project) & events["event"].isin(OPENS + CLOSES)]
    by_candidate: dict[str, list[tuple[date, str]]] = {}
    for day, candidate, event in zip(marks["date"], marks["candidate_id"], marks["event"], strict=True):
        by_candidate.setdefault(candidate, []).append((day, event))
    return {c for c, m in by_candidate.items() if in_process(spans_from_marks(m), date_from, date_to)}


def _first_contacts(events: pd.DataFrame) -> dict[str, date]:
    contacts = events[events["event"].isin(EMPLOYER_CONTACTS | {"employer_first_contact"})]
    return contacts.groupby("ref")["date"].min().to_dict() if len(contacts) else {}


def result_table(events: pd.DataFrame, date_from: date | None = None, date_to: date | None = None,
                 suppress_small: bool = False, labels: dict[tuple[str, str], str] | None = None) -> list[KpiRow]:
    """Every project and metric: ROWS, then the programme's coded rows."""
    frame = events
    if date_from is not None:
        frame = frame[frame["date"] >= date_from]
    if date_to is not None:
        frame = frame[frame["date"] <= date_to]
    first_contact = _first_contacts(events)
    coded = coded_rows(labels, events)
    rows = []
    for project in sorted(events["project"].unique()):
        own = frame[frame["project"] == project]
        base_ids = _base(events, project, date_from, date_to)
        counts: dict[str, int] = {"candidates": len(base_ids),
                                  "handed_over": own.loc[own["event"] == "candidate_assigned", "candidate_id"].nunique()}
        contacted = set(own.loc[own["event"].isin(EMPLOYER_CONTACTS), "ref"])
        new = {ref for ref in contacted if date_from is None or first_contact[ref] >= date_from}
        counts["employer_contacted_new"], counts["employer_contacted_existing"] = len(new), len(contacted - new)
        for metric in ROWS:
            if metric in counts:
                continue
            hits = own[own["event"] == metric]
            if metric in DISTINCT_CANDIDATES:  # among the base: progress of 59 against a base of 26 was possible
                counts[metric] = hits.loc[hits["candidate_id"].isin(base_ids), "candidate_id"].nunique()
            elif metric in DISTINCT_REFS:
                counts[metric] = hits["ref"].nunique()
            else:
                counts[metric] = len(hits)
        labelled = list(ROWS.items())
        for metric, event, code, label in coded:
            hits = own[own["event"] == event]
            counts[metric] = len(hits) if not code else int((hits["ref"] == code).sum())
            labelled.append((metric, label))
        base = counts["candidates"]
        for metric, label in labelled:
            count = counts[metric]
            percent = round_half_up(count * 100 / base) if base else None
            if suppress_small and 0 < count < SMALL_CELL:
                count = percent = None
            rows.append(KpiRow(project, metric, label, count, percent))
    return rows


def write_kpi_csv(rows: list[KpiRow], path: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["project", "metric", "count", "percent"])
        for r in rows:
            writer.writerow([r.project, r.metric, "<5" if r.count is None else r.count,
                             "" if r.percent is None else r.percent])
