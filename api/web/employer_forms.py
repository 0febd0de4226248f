"""Entering the customer register in the pages (admin, consultant): register an employer (the
organisation number's check digit tested), change its details and staffing solutions, add contact
people and standing agreements (samarbeidsavtaler). The API's schemas and service functions, through
the one form helper (api/web/forms.py)."""

import re

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal, validate_organisation_number
from api.deps import get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, flatten, form_values, parse, posted, submit
from api.web.vacancies import municipality_choices
from candidates.catalogue import SECTORS
from core.errors import Invalid
from core.labels import AGREEMENT_KIND, ATTITUDE, YES_NO
from core.types import Role
from employers import service
from employers.schemas import AgreementIn, ContactPersonIn, EmployerCreate, EmployerUpdate

router = APIRouter()
CRM = page(Role.admin, Role.consultant)
EDITED = ("name", "sector", "municipality_code", "address", "employees", "notes", "work_practice_attitude",
          "wage_subsidy_interest", "needs_on_call_temps", "trial_period_before_hiring")
TITLES = {"register": "Registrer arbeidsgiver", "edit": "Endre arbeidsgiver", "person": "Ny kontaktperson",
          "agreement": "Ny samarbeidsavtale"}


def _form(request: Request, actor: Principal, kind: str, values: dict, errors: dict, employer=None,
          status_code: int = 200):
    title = TITLES[kind] + (f": {employer.name}" if employer is not None and kind != "edit" else "")
    return render(request, "employer_form.html", actor, active="employers", status_code=status_code, title=title,
                  kind=kind, e=employer, values=values, errors=errors, sectors=list(SECTORS.items()),
                  municipalities=municipality_choices(), attitudes=list(ATTITUDE.items()),
                  yes_no=list(YES_NO.items()), agreement_kinds=list(AGREEMENT_KIND.items()))


def _employer_url(employer_id: int, saved: str, anchor: str = "") -> str:
    return f"{PREFIX}/arbeidsgivere/{employer_id}?lagret={saved}" + (f"#{anchor}" if anchor else "")


@router.get("/arbeidsgivere/ny")
def register_form(request: Request, actor: Principal = Depends(CRM)):
    return _form(request, actor, "register", {"municipality_code": "0301"}, {})


@router.post("/arbeidsgivere/ny", dependencies=[Depends(verify_csrf)])
def register(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(CRM),
             session: Session = Depends(get_session)):
    values = form_values(form, EmployerCreate)
    # People type organisation numbers in groups ("974 760 673"); the register keeps the nine digits.
    values["organisation_number"] = re.sub(r"[\s.]", "", str(values.get("organisation_number", "")))
    def save():
        # The check digit is the service's rule; tested here too so it is listed with the form's other problems.
        problems = {}
        try:
            validate_organisation_number(str(values["organisation_number"]))
        except Invalid as exc:
            problems[exc.field or ""] = exc.message
        try:
            data = parse(EmployerCreate, values)
        except FormInvalid as exc:
            raise FormInvalid({**exc.errors, **problems}) from None
        if problems:
            raise FormInvalid(problems)
        return service.create_employer(session, data, actor)

    return submit(session, save,
                  success=lambda e: _employer_url(e.id, "registrert"),
                  again=lambda errors, status: _form(request, actor, "register", values, errors, status_code=status))


@router.get("/arbeidsgivere/{employer_id}/endre")
def edit_form(request: Request, employer_id: int, actor: Principal = Depends(CRM),
              session: Session = Depends(get_session)):
    employer = service.get_employer(session, employer_id)
    values = {k: v for k, v in flatten(employer.model_dump()).items() if k in (*EDITED, "version")}
    return _form(request, actor, "edit", values, {}, employer)


@router.post("/arbeidsgivere/{employer_id}/endre", dependencies=[Depends(verify_csrf)])
def edit(request: Request, employer_id: int, form: FormData = Depends(posted), actor: Principal = Depends(CRM),
         session: Session = Depends(get_session)):
    employer = service.get_employer(session, employer_id)
    values = form_values(form, EmployerUpdate)
    return submit(session, lambda: service.update_employer(
                      session, employer_id, parse(EmployerUpdate, values, edits={*EDITED, "version"}), actor),
                  success=_employer_url(employer_id, "endret"),
                  again=lambda errors, status: _form(request, actor, "edit", values, errors, employer, status))


@router.get("/arbeidsgivere/{employer_id}/kontaktperson/ny")
def person_form(request: Request, employer_id: int, actor: Principal = Depends(CRM),
                session: Session = Depends(get_session)):
    return _form(request, actor, "person", {}, {}, service.get_employer(session, employer_id))


@router.post("/arbeidsgivere/{employer_id}/kontaktperson/ny", dependencies=[Depends(verify_csrf)])
def add_person(request: Request, employer_id: int, form: FormData = Depends(posted),
               actor: Principal = Depends(CRM), session: Session = Depends(get_session)):
    employer = service.get_employer(session, employer_id)
    values = form_values(form, ContactPersonIn)
    return submit(session, lambda: service.add_contact_person(session, employer_id, parse(ContactPersonIn, values)),
                  success=_employer_url(employer_id, "kontaktperson", "kontaktpersoner"),
                  again=lambda errors, status: _form(request, actor, "person", values, errors, employer, status))


@router.get("/arbeidsgivere/{employer_id}/avtale/ny")
def agreement_form(request: Request, employer_id: int, actor: Principal = Depends(CRM),
                   session: Session = Depends(get_session)):
    return _form(request, actor, "agreement", {"kind": "recurring_recruitment"}, {},
                 service.get_employer(session, employer_id))


@router.post("/arbeidsgivere/{employer_id}/avtale/ny", dependencies=[Depends(verify_csrf)])
def add_agreement(request: Request, employer_id: int, form: FormData = Depends(posted),
                  actor: Principal = Depends(CRM), session: Session = Depends(get_session)):
    employer = service.get_employer(session, employer_id)
    values = form_values(form, AgreementIn)
    return submit(session, lambda: service.add_agreement(session, employer_id, parse(AgreementIn, values), actor),
                  success=_employer_url(employer_id, "avtale", "avtaler"),
                  again=lambda errors, status: _form(request, actor, "agreement", values, errors, employer, status))
