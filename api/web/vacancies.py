"""A vacancy entered by a consultant for an employer (phone orders are common): the employer API's own
schema (VacancyIn) and service (submit_vacancy), so the same rules and the same wording review apply.
The occupation is picked from the whole classification, searched as you type (a datalist the browser
filters, no script needed); a title the mapper cannot place gets its likeliest occupations to choose from."""

import re
from functools import lru_cache

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from api.deps import get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, form_values, parse, posted, submit
from core.errors import Invalid
from core.geography import all_municipalities
from core.labels import CERTIFICATE
from core.occupations import all_occupations
from core.types import CEFR, Role
from employers import service
from employers.schemas import ContractType, PayUnit, VacancyIn

router = APIRouter()
CRM = page(Role.admin, Role.consultant)
_LEADING_CODE = re.compile(r"^\s*(\d{4})\b")


@lru_cache
def occupation_choices() -> list[tuple[str, str]]:
    """(value shown in the field, what the list says): "9112 Renholder" / "Renholdere i virksomheter"."""
    return sorted(((f"{o.code} {o.title}", o.name) for o in all_occupations()), key=lambda c: c[0][5:].lower())


@lru_cache
def municipality_choices() -> list[tuple[str, str]]:
    return sorted(((m.code, m.name) for m in all_municipalities()), key=lambda m: m[1])


def _form(request: Request, actor: Principal, employer, values: dict, errors: dict, status_code: int = 200,
          suggestions: list | None = None):
    return render(request, "vacancy_form.html", actor, active="employers", status_code=status_code,
                  title=f"Ny stilling hos {employer.name}", e=employer, values=values, errors=errors,
                  suggestions=suggestions or [], occupations=occupation_choices(),
                  municipalities=municipality_choices(), contract_types=list(ContractType), pay_units=list(PayUnit),
                  levels=list(CEFR), certificates=CERTIFICATE)


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
