"""The result report as a terminal table, CSV and XLSX."""

from core.spreadsheets import write_csv, write_xlsx
from reports.kpi import KpiRow
from reports.service import ProjectOutcomes

# People read these files: the metric by its name, not its key (the JSON answer and `report kpi` keep the keys).
TABLE_HEADER = ["Prosjekt", "Måltall", "Antall", "Prosent"]
OUTCOME_HEADER = ["Prosjekt", "Kandidater", "I lønnet arbeid siste 12 mnd", "Snitt årsverksdekning (%)",
                  "I jobb etter 3 mnd", "I jobb etter 6 mnd", "I jobb etter 12 mnd",
                  "Median dager formidlingsklar til tilbud"]


def _cell(value) -> object:
    return "<5" if value is None else value


def _table_rows(rows: list[KpiRow]) -> list[list]:
    return [[r.project, r.label, _cell(r.count), "" if r.percent is None else r.percent] for r in rows]


def _outcome_rows(outcomes: list[ProjectOutcomes]) -> list[list]:
    return [[o.project, o.candidates, _cell(o.in_paid_work_last_12_months),
             "" if o.mean_year_coverage is None else o.mean_year_coverage,
             o.still_employed["3"], o.still_employed["6"], o.still_employed["12"],
             "" if o.median_days_formidlingsklar_to_offer is None else o.median_days_formidlingsklar_to_offer]
            for o in outcomes]


def to_csv(rows: list[KpiRow], outcomes: list[ProjectOutcomes]) -> bytes:
    """Both tables in one ;-separated file, the second after an empty line."""
    return write_csv(TABLE_HEADER, _table_rows(rows) + [[], OUTCOME_HEADER] + _outcome_rows(outcomes))


def to_xlsx(rows: list[KpiRow], outcomes: list[ProjectOutcomes]) -> bytes:
    return write_xlsx(("Resultattabell", TABLE_HEADER, _table_rows(rows)), ("Utfall", OUTCOME_HEADER, _outcome_rows(outcomes)))


def to_text(rows: list[KpiRow], outcomes: list[ProjectOutcomes]) -> str:
    """A plain table for the terminal: one block per project."""
    lines = []
    for project in sorted({r.project for r in rows}):
        lines.append(project)
        for r in (r for r in rows if r.project == project):
            percent = "" if r.percent is None else f"{r.percent} %"
            lines.append(f"  {r.label[:70]:<70} {str(_cell(r.count)):>6} {percent:>7}")
        lines.append("")
    for o in outcomes:
        coverage = "-" if o.mean_year_coverage is None else f"{o.mean_year_coverage} %"
        lines.append(f"{o.project}: {o.candidates} kandidater, i arbeid siste 12 mnd {_cell(o.in_paid_work_last_12_months)}, "
                     f"årsverksdekning {coverage}, i jobb etter 3/6/12 mnd "
                     f"{o.still_employed['3']} / {o.still_employed['6']} / {o.still_employed['12']}")
    return "\n".join(lines)
