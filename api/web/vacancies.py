"""A vacancy entered by a consultant for an employer (phone orders are common): the employer API's own
schema (VacancyIn) and service (submit_vacancy), so the same rules and the same wording review apply.
The occupation is picked from the whole classification, searched as you type (a datalist the browser
filters, no script needed); a title the mapper cannot place gets its likeliest occupations to choose from."""

import re
from functools import lru_cache

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from api.deps import get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, form_values, parse, posted, submit
from core.errors import Invalid, NotFound
from core.geography import all_municipalities
from core.labels import CERTIFICATE
from core.occupations import all_occupations
from core.types import CEFR, Role
from employers import service
from employers.schemas import ContractType, PayUnit, VacancyIn, VacancyStatus

router = APIRouter()
CRM = page(Role.admin, Role.consultant)
EMPLOYER = page(Role.employer)
_LEADING_CODE = re.compile(r"^\s*(\d{4})\b")


@lru_cache
def occupation_choices() -> list[tuple[str, str]]:
    """(value shown in the field, what the list says): "9112 Renholder" / "Renholdere i virksomheter"."""
    return sorted(((f"{o.code} {o.title}", o.name) for o in all_occupations()), key=lambda c: c[0][5:].lower())


@lru_cache
def municipality_choices() -> list[tuple[str, str]]:
    return sorted(((m.code, m.name) for m in all_municipalities()), key=lambda m: m[1])


def _form(request: Request, actor: Principal, employer, values: dict, errors: dict, status_code: int = 200,
          suggestions: list | None = None, **own):
    title = own.get("heading") or f"Ny stilling hos {employer.name}"
    return render(request, "vacancy_form.html", actor, active="own" if own else "employers", status_code=status_code,
                  title=title, e=employer, values=values, errors=errors,
                  suggestions=suggestions or [], occupations=occupation_choices(),
                  municipalities=municipality_choices(), contract_types=list(ContractType), pay_units=list(PayUnit),
                  levels=list(CEFR), certificates=CERTIFICATE, own=bool(own), **own)


def _save_with_suggestions(values: dict, store, found: dict):
    """Parse the posted vacancy and store it; an occupation the title does not give keeps its suggestions."""
    picked = _LEADING_CODE.match(str(values.get("occupation_code", "")))
    extra = {"occupation_code": picked.group(1) if picked else None}
    if not values.get("pay_amount"):
        extra["pay_unit"] = None

    def save():
        data = parse(VacancyIn, values, extra=extra)
        try:
            return store(data)
        except Invalid as exc:
            found.update(getattr(exc, "details", {}) or {})
            if found.get("suggestions"):
                raise FormInvalid({"occupation_code": "Fant ikke yrket sikkert nok ut fra tittelen. Velg et av "
                                   "forslagene under, eller søk i yrkeslisten."}) from None
            raise
    return save


# ---------------------------------------------------------------- the employer's own pages


OWN_ACTION = {  # action -> (status, button, question, explanation)
    "lukk": (VacancyStatus.closed, "Lukk stillingen", "Lukke stillingen?",
             "Stillingen blir ikke lenger foreslått for kandidater. Dette kan ikke angres her."),
    "besatt": (VacancyStatus.filled, "Marker som besatt", "Er stillingen besatt?",
               "Stillingen blir markert som besatt og ikke lenger foreslått. Dette kan ikke angres her."),
}


def _own_employer(session: Session, actor: Principal):
    return service.employer_for_organisation(session, actor.organisation_number)


def _values_of(vacancy) -> dict:
    values = {k: getattr(vacancy, k) for k in VacancyIn.model_fields if k != "status" and hasattr(vacancy, k)}
    if vacancy.occupation_code:
        from core.occupations import occupation_title

        values["occupation_code"] = f"{vacancy.occupation_code} {occupation_title(vacancy.occupation_code)}"
    values["police_certificate_required"] = "true" if vacancy.police_certificate_required else ""
    values["documents_before_interview"] = "true" if vacancy.documents_before_interview else ""
    return {k: ("" if v is None else v if isinstance(v, list) else str(v)) for k, v in values.items()}


@router.get("/min-side/stillinger/ny")
def own_new(request: Request, actor: Principal = Depends(EMPLOYER), session: Session = Depends(get_session)):
    employer = _own_employer(session, actor)
    values = {"municipality_code": employer.municipality_code, "fte": "100", "headcount": "1",
              "contract_type": "permanent", "pay_unit": "hour"}
    return _form(request, actor, employer, values, {}, heading="Ny stilling", form_action=f"{PREFIX}/min-side/stillinger/ny",
                 cancel_url=f"{PREFIX}/min-side", button="Send inn stillingen")


@router.post("/min-side/stillinger/ny", dependencies=[Depends(verify_csrf)])
def own_create(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(EMPLOYER),
               session: Session = Depends(get_session)):
    employer = _own_employer(session, actor)
    values = form_values(form, VacancyIn)
    found: dict = {}
    save = _save_with_suggestions(values, lambda data: service.submit_vacancy(session, employer, data,
                                                                               source="employer_api")[0], found)
    return submit(session, save, success=lambda v: f"{PREFIX}/min-side?lagret=ny&stilling={v.id}",
                  again=lambda errors, status: _form(
                      request, actor, employer, values, errors, status, found.get("suggestions"), heading="Ny stilling",
                      form_action=f"{PREFIX}/min-side/stillinger/ny", cancel_url=f"{PREFIX}/min-side",
                      button="Send inn stillingen"))


@router.get("/min-side/stillinger/{vacancy_id}/endre")
def own_edit(request: Request, vacancy_id: int, actor: Principal = Depends(EMPLOYER),
             session: Session = Depends(get_session)):
    employer = _own_employer(session, actor)
    vacancy = service.vacancy_for_employer(session, vacancy_id, employer)
    return _form(request, actor, employer, _values_of(vacancy), {}, heading=f"Endre: {vacancy.title}",
                 form_action=f"{PREFIX}/min-side/stillinger/{vacancy_id}/endre", cancel_url=f"{PREFIX}/min-side",
                 button="Lagre endringene")


@router.post("/min-side/stillinger/{vacancy_id}/endre", dependencies=[Depends(verify_csrf)])
def own_update(request: Request, vacancy_id: int, form: FormData = Depends(posted), actor: Principal = Depends(EMPLOYER),
               session: Session = Depends(get_session)):
    employer = _own_employer(session, actor)
    vacancy = service.vacancy_for_employer(session, vacancy_id, employer)
    heading = f"Endre: {vacancy.title}"
    values = form_values(form, VacancyIn)
    values["external_id"] = vacancy.external_id or ""  # kept: the integration's own id
    found: dict = {}
    save = _save_with_suggestions(values, lambda data: service.replace_vacancy(session, vacancy, data), found)
    return submit(session, save, success=lambda v: f"{PREFIX}/min-side?lagret=endret&stilling={v.id}",
                  again=lambda errors, status: _form(
                      request, actor, employer, values, errors, status, found.get("suggestions"), heading=heading,
                      form_action=f"{PREFIX}/min-side/stillinger/{vacancy_id}/endre", cancel_url=f"{PREFIX}/min-side",
                      button="Lagre endringene"))


@router.get("/min-side/stillinger/{vacancy_id}/{action}")
def own_confirm(request: Request, vacancy_id: int, action: str, actor: Principal = Depends(EMPLOYER),
                session: Session = Depends(get_session)):
    if action not in OWN_ACTION:
        raise NotFound("Ukjent handling.")
    vacancy = service.vacancy_for_employer(session, vacancy_id, _own_employer(session, actor))
    _, button, question, explanation = OWN_ACTION[action]
    return render(request, "own_confirm.html", actor, active="own", title=question, v=vacancy, action=action,
                  button=button, explanation=explanation)


@router.post("/min-side/stillinger/{vacancy_id}/{action}", dependencies=[Depends(verify_csrf)])
def own_status(vacancy_id: int, action: str, actor: Principal = Depends(EMPLOYER),
               session: Session = Depends(get_session)):
    if action not in OWN_ACTION:
        raise NotFound("Ukjent handling.")
    vacancy = service.vacancy_for_employer(session, vacancy_id, _own_employer(session, actor))
    service.set_vacancy_status(session, vacancy, OWN_ACTION[action][0])
    session.commit()
    return RedirectResponse(f"{PREFIX}/min-side?lagret={action}", status_code=303)


@router.get("/arbeidsgivere/{employer_id}/stillinger/ny")
def new_vacancy(request: Request, employer_id: int, actor: Principal = Depends(CRM),
                session: Session = Depends(get_session)):
    employer = service.get_employer(session, employer_id)
    values = {"municipality_code": employer.municipality_code, "fte": "100", "headcount": "1",
              "contract_type": "permanent", "pay_unit": "hour"}
    return _form(request, actor, employer, values, {})


@router.post("/arbeidsgivere/{employer_id}/stillinger/ny", dependencies=[Depends(verify_csrf)])
def create_vacancy(request: Request, employer_id: int, form: FormData = Depends(posted),
                   actor: Principal = Depends(CRM), session: Session = Depends(get_session)):
    employer = service.get_employer(session, employer_id)
    values = form_values(form, VacancyIn)
    # The occupation field holds "9112 Renholder" when picked from the list; typed words without a code
    # leave it to the title, as the API does without occupation_code.
    picked = _LEADING_CODE.match(str(values.get("occupation_code", "")))
    extra = {"occupation_code": picked.group(1) if picked else None}
    if not values.get("pay_amount"):
        extra["pay_unit"] = None  # the unit has a default in the form; without an amount there is no pay
    found: dict = {}

    def save():
        data = parse(VacancyIn, values, extra=extra)
        try:
            vacancy, _ = service.submit_vacancy(session, employer, data, source="consultant")
        except Invalid as exc:  # keep the mapper's suggestions for the form; other problems go as they are
            found.update(getattr(exc, "details", {}) or {})
            if found.get("suggestions"):
                raise FormInvalid({"occupation_code": "Fant ikke yrket sikkert nok ut fra tittelen. Velg et av "
                                   "forslagene under, eller søk i yrkeslisten."}) from None
            raise
        return vacancy

    return submit(session, save,
                  success=lambda v: f"{PREFIX}/arbeidsgivere/{employer_id}?lagret=ny-stilling&stilling={v.id}#stillinger",
                  again=lambda errors, status: _form(request, actor, employer, values, errors, status,
                                                     found.get("suggestions")))
