"""Registering and editing candidates in the pages, through the API's schemas and service functions
and the one form helper (api/web/forms.py):

- register (staff for their own project, admin), contact details and profile (with certificates);
- the CV (experience, education, references, wishes with occupations searched as you type): also
  consultants, who may change only these (the service enforces it, not the page);
- consents recorded and withdrawn, archive and restore (each irreversible step asks first);
- the CV as a one-page PDF (audited), and the occupation suggestions the script asks for."""

import re

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, audit_read, get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import flatten, form_values, parse, posted, submit
from api.web.vacancies import municipality_choices
from candidates import service
from candidates.catalogue import SECTORS
from candidates.schemas import CandidateCreate, CandidateUpdate, ConsentIn, ConsentPurpose, ProgrammeStatus
from core import audit
from core.errors import Invalid, NotFound
from core.labels import CERTIFICATE, CONSENT_PURPOSE
from core.occupations import is_unit_group, occupation_title, search
from core.projects import list_projects
from core.types import CEFR, Role, today
from employers.service import get_employer, list_employers
from placement.cv import candidate_cv

router = APIRouter()
WRITERS = page(Role.admin, Role.staff)
CV_WRITERS = page(Role.admin, Role.staff, Role.consultant)
READERS = page(*CANDIDATE_ROLES)
_LEADING_CODE = re.compile(r"^\s*(\d{4})\b")

PROFILE = ("first_name", "last_name", "email", "phone", "address", "municipality_code", "project_id",
           "norwegian_level", "norskprove", "languages", "wanted_fte", "available_from", "available_to",
           "working_hours", "max_commute_km", "programme_status", "certificates")
CV = ("experience", "education", "wishes", "references")
TITLES = {"register": "Registrer kandidat", "profile": "Kontaktopplysninger og profil", "cv": "CV",
          "consent": "Registrer samtykke"}


def _projects(session: Session, actor: Principal) -> list[tuple[int, str]]:
    return [(p.id, p.name) for p in list_projects(session) if actor.role is not Role.staff or p.id == actor.project_id]


def _form(request: Request, session: Session, actor: Principal, kind: str, values: dict, errors: dict,
          candidate=None, status_code: int = 200):
    title = TITLES[kind] + (f": {candidate.first_name} {candidate.last_name}" if candidate is not None else "")
    employers = [(e.id, e.name) for e in list_employers(session)] if kind == "consent" else []
    return render(request, "candidate_form.html", actor, active="candidates", status_code=status_code, title=title,
                  kind=kind, c=candidate, values=values, errors=errors, projects=_projects(session, actor),
                  municipalities=municipality_choices(), levels=[(str(x), str(x)) for x in CEFR],
                  statuses=[(str(s), s) for s in ProgrammeStatus], sectors=list(SECTORS.items()),
                  certificates=list(CERTIFICATE.items()), purposes=[str(p) for p in ConsentPurpose],
                  employers=employers, rows=_row_counts(values))


def _row_counts(values: dict) -> dict[str, int]:
    """How many rows each list shows: those typed or stored, and one empty line to add one more."""
    counts = {}
    for name in ("certificates", "experience", "education", "wishes", "references"):
        numbers = [int(m.group(1)) for k in values if (m := re.match(rf"{name}\.(\d+)\.", k))]
        counts[name] = (max(numbers) + 2) if numbers else 1
    return counts


def _candidate_url(candidate_id: int, saved: str, anchor: str = "") -> str:
    return f"{PREFIX}/kandidater/{candidate_id}?lagret={saved}" + (f"#{anchor}" if anchor else "")


def _typed(form: FormData, schema) -> dict:
    """The form as typed, with the few fields people type differently from the schema: languages as one
    comma-separated line, occupations picked as "9112 Renholder", sectors as boxes to tick."""
    values = form_values(form, schema)
    if "languages" in values:
        raw = values["languages"]
        text = ", ".join(raw) if isinstance(raw, list) else str(raw)
        values["languages"] = [x.strip() for x in text.split(",") if x.strip()]
    for key in [k for k in values if re.fullmatch(r"wishes\.\d+\.kind", k)]:
        if not str(values.get(key[:-4] + "value", "")).strip():
            values.pop(key)  # an empty occupation line: the hidden kind alone is not a row
    sectors = values.pop("wish_sectors", None)
    if sectors is not None or "wishes_shown" in values:
        values.pop("wishes_shown", None)
        values["wish_sectors"] = sectors if isinstance(sectors, list) else [sectors] if sectors else []
    return values


def _for_schema(values: dict) -> dict:
    """The typed values as the schema's rows: ticked sectors become wishes after the typed occupations,
    and occupations picked as "9112 Renholder" count by their code."""
    changed = {k: v for k, v in values.items() if k != "wish_sectors"}
    first = max([int(m.group(1)) for k in values if (m := re.match(r"wishes\.(\d+)\.", k))], default=-1) + 1
    for i, sector in enumerate(values.get("wish_sectors", [])):
        changed[f"wishes.{first + i}.kind"] = "sector"
        changed[f"wishes.{first + i}.value"] = sector
    for key, value in values.items():
        if (key.endswith(".occupation_code") or re.fullmatch(r"wishes\.\d+\.value", key)) and isinstance(value, str):
            m = _LEADING_CODE.match(value)
            if m and is_unit_group(m.group(1)):
                changed[key] = m.group(1)
    return changed


def _stored(candidate_public) -> dict:
    values = flatten(candidate_public.model_dump())
    values["languages"] = list(candidate_public.languages)
    wishes = [w for w in candidate_public.wishes]
    for key in [k for k in values if k.startswith("wishes.")]:
        values.pop(key)
    values["wish_sectors"] = [w.value for w in wishes if w.kind == "sector"]
    for i, w in enumerate(x for x in wishes if x.kind == "occupation"):
        values[f"wishes.{i}.kind"] = "occupation"
        values[f"wishes.{i}.value"] = f"{w.value} {occupation_title(w.value)}" if is_unit_group(w.value) else w.value
    for key, value in list(values.items()):
        if key.endswith(".occupation_code") and value and is_unit_group(value):
            values[key] = f"{value} {occupation_title(value)}"
    return values


# ---------------------------------------------------------------- register


@router.get("/kandidater/ny")
def register_form(request: Request, actor: Principal = Depends(WRITERS), session: Session = Depends(get_session)):
    values = {"project_id": str(actor.project_id or ""), "wanted_fte": "100", "max_commute_km": "30",
              "programme_status": "active", "consents.0.purpose": "data_processing"}
    return _form(request, session, actor, "register", values, {})


@router.post("/kandidater/ny", dependencies=[Depends(verify_csrf)])
def register(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(WRITERS),
             session: Session = Depends(get_session)):
    values = _typed(form, CandidateCreate)
    if not str(values.get("consents.0.given_on", "")).strip():
        values.pop("consents.0.purpose", None)  # no date: no consent recorded now

    def save():
        candidate = service.create_candidate(session, parse(CandidateCreate, _for_schema(values)), actor)
        audit.record(session, actor, "create", "profil (side)", [candidate.id])
        return candidate

    return submit(session, save, success=lambda c: _candidate_url(c.id, "registrert"),
                  again=lambda errors, status: _form(request, session, actor, "register", values, errors,
                                                     status_code=status))


# ---------------------------------------------------------------- profile and CV


def _edit_page(request, session, actor, candidate_id, kind):
    candidate = service.to_public(session, service.get_candidate(session, candidate_id, actor))
    audit_read(session, actor, "profil (skjema)", [candidate_id])
    values = _stored(candidate)
    return _form(request, session, actor, kind, values, {}, candidate)


def _edit(request, session, actor, candidate_id, form, kind, fields):
    candidate = service.to_public(session, service.get_candidate(session, candidate_id, actor))
    values = _typed(form, CandidateUpdate)
    if kind == "cv":
        values.setdefault("wish_sectors", [])

    def save():
        data = parse(CandidateUpdate, _for_schema(values), edits={*fields, "version"})
        changed = service.update_candidate(session, candidate_id, data, actor)
        audit.record(session, actor, "update", f"{TITLES[kind].lower()} (side)", [candidate_id])
        return changed

    return submit(session, save, success=_candidate_url(candidate_id, kind, "profil"),
                  again=lambda errors, status: _form(request, session, actor, kind, values, errors, candidate, status))


@router.get("/kandidater/{candidate_id}/endre")
def profile_form(request: Request, candidate_id: int, actor: Principal = Depends(WRITERS),
                 session: Session = Depends(get_session)):
    return _edit_page(request, session, actor, candidate_id, "profile")


@router.post("/kandidater/{candidate_id}/endre", dependencies=[Depends(verify_csrf)])
def edit_profile(request: Request, candidate_id: int, form: FormData = Depends(posted),
                 actor: Principal = Depends(WRITERS), session: Session = Depends(get_session)):
    return _edit(request, session, actor, candidate_id, form, "profile", PROFILE)


@router.get("/kandidater/{candidate_id}/cv")
def cv_form(request: Request, candidate_id: int, actor: Principal = Depends(CV_WRITERS),
            session: Session = Depends(get_session)):
    return _edit_page(request, session, actor, candidate_id, "cv")


@router.post("/kandidater/{candidate_id}/cv", dependencies=[Depends(verify_csrf)])
def edit_cv(request: Request, candidate_id: int, form: FormData = Depends(posted),
            actor: Principal = Depends(CV_WRITERS), session: Session = Depends(get_session)):
    return _edit(request, session, actor, candidate_id, form, "cv", CV)


@router.get("/kandidater/{candidate_id}/cv.pdf")
def cv_document(candidate_id: int, actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    candidate, pdf = candidate_cv(session, candidate_id, actor, today())
    audit.record(session, actor, "export", "CV (PDF)", [candidate_id])
    session.commit()
    name = re.sub(r"[^A-Za-z0-9]+", "-", f"CV {candidate.first_name} {candidate.last_name}").strip("-")
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name or "CV"}.pdf"'})


@router.get("/yrker")
def occupation_suggestions(q: str = Query(default="", max_length=100), actor: Principal = Depends(CV_WRITERS)):
    """For the search-as-you-type script: occupations whose code, name, title or synonyms contain the text."""
    found = search(q) if len(q.strip()) >= 2 else []
    return JSONResponse([{"value": f"{o['code']} {o['title']}", "label": o["name"]} for o in found[:20]])


# ---------------------------------------------------------------- consents, archive


@router.get("/kandidater/{candidate_id}/samtykke/ny")
def consent_form(request: Request, candidate_id: int, actor: Principal = Depends(WRITERS),
                 session: Session = Depends(get_session)):
    candidate = service.get_candidate(session, candidate_id, actor)
    audit_read(session, actor, "samtykker (skjema)", [candidate_id])
    return _form(request, session, actor, "consent", {"purpose": "presentation_to_employers",
                                                      "given_on": today().isoformat()}, {}, candidate)


@router.post("/kandidater/{candidate_id}/samtykke/ny", dependencies=[Depends(verify_csrf)])
def add_consent(request: Request, candidate_id: int, form: FormData = Depends(posted),
                actor: Principal = Depends(WRITERS), session: Session = Depends(get_session)):
    candidate = service.get_candidate(session, candidate_id, actor)
    values = form_values(form, ConsentIn)
    if values.get("purpose") != "share_with_employer":
        values["employer_id"] = ""  # the list keeps its choice when another purpose is picked

    def save():
        data = parse(ConsentIn, values)
        if data.employer_id is not None:
            try:
                get_employer(session, data.employer_id)
            except NotFound:
                raise Invalid("Arbeidsgiveren finnes ikke i kunderegisteret.", field="employer_id") from None
        record = service.add_consent(session, candidate_id, data, actor)
        audit.record(session, actor, "update", f"samtykke: {data.purpose} (side)", [candidate_id])
        return record

    return submit(session, save, success=_candidate_url(candidate_id, "samtykke", "samtykker"),
                  again=lambda errors, status: _form(request, session, actor, "consent", values, errors, candidate,
                                                     status))


def _confirm(request, actor, candidate, title, explanation, button, action):
    return render(request, "candidate_confirm.html", actor, active="candidates", title=title, c=candidate,
                  explanation=explanation, button=button, action=action)


@router.get("/kandidater/{candidate_id}/samtykke/{consent_id}/trekk")
def withdraw_confirm(request: Request, candidate_id: int, consent_id: int, actor: Principal = Depends(WRITERS),
                     session: Session = Depends(get_session)):
    candidate = service.get_candidate(session, candidate_id, actor)
    record = next((r for r in service.to_public(session, candidate).consents if r.id == consent_id), None)
    if record is None:
        raise NotFound("Fant ikke samtykket.")
    audit_read(session, actor, "samtykker (side)", [candidate_id])
    return _confirm(request, actor, candidate, f"Trekke tilbake samtykket «{CONSENT_PURPOSE[record.purpose]}»?",
                    "Samtykket gjelder ikke lenger fra i dag. Det som bygger på det (for eksempel presentasjoner for "
                    "arbeidsgivere) stopper med en gang. Det kan ikke angres; et nytt samtykke må registreres på nytt.",
                    "Trekk tilbake", f"{PREFIX}/kandidater/{candidate_id}/samtykke/{consent_id}/trekk")


@router.post("/kandidater/{candidate_id}/samtykke/{consent_id}/trekk", dependencies=[Depends(verify_csrf)])
def withdraw(candidate_id: int, consent_id: int, actor: Principal = Depends(WRITERS),
             session: Session = Depends(get_session)):
    record = service.withdraw_consent(session, candidate_id, consent_id, actor)
    audit.record(session, actor, "update", f"samtykke trukket: {record.purpose} (side)", [candidate_id])
    session.commit()
    return RedirectResponse(_candidate_url(candidate_id, "samtykke-trukket", "samtykker"), status_code=303)


@router.get("/kandidater/{candidate_id}/arkiver")
def archive_confirm(request: Request, candidate_id: int, actor: Principal = Depends(WRITERS),
                    session: Session = Depends(get_session)):
    candidate = service.get_candidate(session, candidate_id, actor)
    audit_read(session, actor, "profil (side)", [candidate_id])
    return _confirm(request, actor, candidate, f"Arkivere {candidate.first_name} {candidate.last_name}?",
                    "Kandidaten forsvinner fra listene og matchingen, men ingenting slettes. Du finner kandidaten "
                    "igjen under «Vis arkiverte» og kan hente den tilbake.", "Arkiver",
                    f"{PREFIX}/kandidater/{candidate_id}/arkiver")


@router.post("/kandidater/{candidate_id}/arkiver", dependencies=[Depends(verify_csrf)])
def archive(candidate_id: int, actor: Principal = Depends(WRITERS), session: Session = Depends(get_session)):
    service.archive_candidate(session, candidate_id, actor)
    audit.record(session, actor, "archive", "profil (side)", [candidate_id])
    session.commit()
    return RedirectResponse(_candidate_url(candidate_id, "arkivert"), status_code=303)


@router.post("/kandidater/{candidate_id}/gjenopprett", dependencies=[Depends(verify_csrf)])
def restore(candidate_id: int, actor: Principal = Depends(WRITERS), session: Session = Depends(get_session)):
    service.restore_candidate(session, candidate_id, actor)
    audit.record(session, actor, "restore", "profil (side)", [candidate_id])
    session.commit()
    return RedirectResponse(_candidate_url(candidate_id, "gjenopprettet"), status_code=303)

