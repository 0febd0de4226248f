"""Import candidates, employers and vacancies from a spreadsheet, all or nothing, through the same
schemas and services as the API; export them with no health, benefit or other sensitive fields.

Lists inside a cell are separated by `;` in XLSX and by `|` or `;` in CSV files that use `,` (a
`;`-separated CSV takes `|`). A certificate is `code` or `code@issued_on`, e.g. `police_certificate@2026-10-01`."""

from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, select

from accounts.service import Principal
from candidates.models import CandidateCertificate, JobWish
from candidates.schemas import CandidateCreate
from candidates.service import create_candidate, query_candidates
from core.errors import DomainError
from core.spreadsheets import TableError, read_table, write_csv, write_xlsx
from employers.models import Employer
from employers.schemas import EmployerCreate, VacancyIn
from employers.service import create_employer, employer_for_organisation, list_vacancies, submit_vacancy


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported_ids: list[int] = field(default_factory=list, repr=False)  # candidates, for the audit log


def _items(cell: str) -> list[str]:
    separator = "|" if "|" in cell else ";"
    return [part.strip() for part in cell.split(separator) if part.strip()]


def _certificates(cell: str) -> list[dict]:
    result = []
    for item in _items(cell):
        code, _, issued = item.partition("@")
        result.append({"code": code.strip(), **({"issued_on": issued.strip()} if issued.strip() else {})})
    return result


def _without_blanks(values: dict) -> dict:
    return {k: v for k, v in values.items() if v not in ("", None, [])}


def _candidate(row: dict[str, str]) -> dict:
    wishes = [{"kind": "sector", "value": v} for v in _items(row.get("wish_sectors", ""))]
    wishes += [{"kind": "occupation", "value": v} for v in _items(row.get("wish_occupations", ""))]
    return _without_blanks({
        **{k: row.get(k, "") for k in ("project_id", "first_name", "last_name", "email", "phone", "address",
                                       "municipality_code", "norwegian_level", "wanted_fte", "available_from",
                                       "available_to", "max_commute_km", "programme_status")},
        "languages": _items(row.get("languages", "")),
        "working_hours": _items(row.get("working_hours", "")),
        "certificates": _certificates(row.get("certificates", "")),
        "wishes": wishes,
    })


def _employer(row: dict[str, str]) -> dict:
    return _without_blanks({k: row.get(k, "") for k in ("organisation_number", "name", "sector", "municipality_code",
                                                         "address", "employees", "notes")})


def _vacancy(row: dict[str, str]) -> dict:
    values = {k: row.get(k, "") for k in ("external_id", "title", "occupation_code", "description", "municipality_code",
                                         "fte", "contract_type", "start", "end", "headcount", "pay_amount", "pay_unit",
                                         "min_norwegian_level", "police_certificate_required",
                                         "documents_before_interview")}
    values["working_hours"] = _items(row.get("working_hours", ""))
    values["required_certificates"] = _items(row.get("required_certificates", ""))
    return _without_blanks(values)


def _store_candidate(session, data: CandidateCreate, row, actor):
    return create_candidate(session, data, actor).id


def _store_employer(session, data: EmployerCreate, row, actor):
    create_employer(session, data, actor)


def _store_vacancy(session, data: VacancyIn, row, actor):
    employer = employer_for_organisation(session, row.get("organisation_number", ""))
    submit_vacancy(session, employer, data, source="import")


@dataclass(frozen=True)
class Kind:
    schema: type[BaseModel]
    to_values: Callable[[dict], dict]
    store: Callable
    required: tuple[str, ...]


KINDS: dict[str, Kind] = {
    "candidates": Kind(CandidateCreate, _candidate, _store_candidate, ("project_id", "first_name", "last_name")),
    "employers": Kind(EmployerCreate, _employer, _store_employer,
                      ("organisation_number", "name", "sector", "municipality_code")),
    "vacancies": Kind(VacancyIn, _vacancy, _store_vacancy,
                      ("organisation_number", "title", "municipality_code", "fte", "contract_type", "start",
                       "working_hours")),
}


def import_file(session: Session, kind: str, raw: bytes, filename: str, actor: Principal) -> ImportReport:
    """Check every row, then store them all in one transaction, or nothing if any row is wrong.
    The caller commits when the report has no errors."""
    spec = KINDS[kind]
    report = ImportReport(kind)
    try:
        rows = read_table(raw, filename)
    except TableError as exc:
        report.errors.append(RowError(1, "file", str(exc)))
        return report
    if not rows:
        report.errors.append(RowError(2, "file", "Filen har ingen rader under overskriftene."))
        return report
    missing = [c for c in spec.required if c not in rows[0][1]]
    if missing:
        report.errors.append(RowError(1, ", ".join(missing), "Kolonnen mangler."))
        return report
    report.rows = len(rows)
    for number, row in rows:
        try:
            data = spec.schema.model_validate(spec.to_values(row))
            with session.begin_nested():
                stored_id = spec.store(session, data, row, actor)
        except ValidationError as exc:
            for e in exc.errors():
                where = ".".join(str(p) for p in e["loc"]) or "row"
                report.errors.append(RowError(number, where, e["msg"]))
        except DomainError as exc:
            report.errors.append(RowError(number, exc.field or "row", exc.message))
        else:
            report.imported += 1
            if stored_id is not None:
                report.imported_ids.append(stored_id)
    if report.errors:
        session.rollback()  # all or nothing
        report.imported, report.imported_ids = 0, []
    return report


# ---------------------------------------------------------------- export

CANDIDATE_COLUMNS = ["id", "project_id", "first_name", "last_name", "email", "phone", "municipality_code",
                     "norwegian_level", "languages", "wanted_fte", "available_from", "available_to", "working_hours",
                     "max_commute_km", "programme_status", "certificates", "wish_sectors", "wish_occupations"]
EMPLOYER_COLUMNS = ["id", "organisation_number", "name", "sector", "municipality_code", "address", "employees", "status",
                    "work_practice_attitude", "wage_subsidy_interest", "needs_on_call_temps", "trial_period_before_hiring"]
VACANCY_COLUMNS = ["id", "organisation_number", "external_id", "title", "occupation_code", "municipality_code", "fte",
                   "contract_type", "start", "end", "working_hours", "headcount", "pay_amount", "pay_unit",
                   "required_certificates", "min_norwegian_level", "police_certificate_required",
                   "documents_before_interview", "status"]


def _join(values) -> str:
    return "|".join(str(v) for v in values)


def export_rows(session: Session, kind: str, actor: Principal) -> tuple[list[str], list[list]]:
    """Rows as they import again. Left out on purpose: notes, the exit assessment (it can reveal
    health or benefits), consent notes, readiness notes, discrimination observations, contact details
    of employers' staff."""
    if kind == "candidates":
        candidates = query_candidates(session, actor, include_archived=False)
        ids = [c.id for c in candidates]
        certs, wishes = {}, {}
        for row in session.exec(select(CandidateCertificate).where(CandidateCertificate.candidate_id.in_(ids))):
            certs.setdefault(row.candidate_id, []).append(f"{row.code}@{row.issued_on}" if row.issued_on else row.code)
        for row in session.exec(select(JobWish).where(JobWish.candidate_id.in_(ids))):
            wishes.setdefault((row.candidate_id, row.kind), []).append(row.value)
        return CANDIDATE_COLUMNS, [
            [c.id, c.project_id, c.first_name, c.last_name, c.email or "", c.phone or "", c.municipality_code,
             c.norwegian_level or "", _join(c.languages), c.wanted_fte, c.available_from or "", c.available_to or "",
             _join(c.working_hours), c.max_commute_km, c.programme_status, _join(certs.get(c.id, [])),
             _join(wishes.get((c.id, "sector"), [])), _join(wishes.get((c.id, "occupation"), []))]
            for c in candidates]
    if kind == "employers":
        employers = session.exec(select(Employer).order_by(Employer.name)).all()
        return EMPLOYER_COLUMNS, [[getattr(e, c) if getattr(e, c) is not None else "" for c in EMPLOYER_COLUMNS]
                                  for e in employers]
    orgs = dict(session.exec(select(Employer.id, Employer.organisation_number)).all())
    return VACANCY_COLUMNS, [
        [orgs[v.employer_id] if c == "organisation_number" else
         _join(getattr(v, c)) if c in ("working_hours", "required_certificates") else
         (getattr(v, c) if getattr(v, c) is not None else "") for c in VACANCY_COLUMNS]
        for v in list_vacancies(session)]


def export_file(session: Session, kind: str, fmt: str, actor: Principal) -> tuple[bytes, list[int]]:
    """The file, and the ids of the candidates in it (for the audit log)."""
    header, rows = export_rows(session, kind, actor)
    data = write_csv(header, rows) if fmt == "csv" else write_xlsx((kind, header, rows))
    return data, [row[0] for row in rows] if kind == "candidates" else []


