"""The employer integration API: an employer (API key or employer user) sees and changes only
its own organisation's vacancies. Another organisation's vacancy answers 404, as if it did not exist."""

from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.encoders import jsonable_encoder
from pydantic import ValidationError
from sqlmodel import Session

from accounts.service import Principal
from api.deps import allow, get_session
from api.errors import STATUS
from core import audit
from core.errors import DomainError, Invalid
from core.types import Role
from employers import service
from employers.models import Employer
from employers.schemas import BulkItemResult, BulkResult, VacancyIn, VacancyPublic, VacancyStatus
from placement import presentations
from placement.schemas import EmployerPresentation

router = APIRouter(prefix="/employer", tags=["for arbeidsgivere"])
EMPLOYER = allow(Role.employer)
MAX_BULK = 500


def own_employer(actor: Principal = Depends(EMPLOYER), session: Session = Depends(get_session)) -> Employer:
    return service.employer_for_organisation(session, actor.organisation_number)


@router.get("/presentations", response_model=list[EmployerPresentation],
            summary="Kandidater konsulenten har presentert for oss (navn bare med kandidatens samtykke)")
def list_presentations(actor: Principal = Depends(EMPLOYER), employer: Employer = Depends(own_employer),
                       session: Session = Depends(get_session)):
    rows = presentations.for_employer(session, employer.id)
    audit.record(session, actor, "read", f"presentasjon for {employer.name}", [row.candidate_id for row, _ in rows])
    session.commit()
    return [view for _, view in rows]


@router.get("/vacancies", response_model=list[VacancyPublic], summary="Våre stillinger")
def list_own(employer: Employer = Depends(own_employer), session: Session = Depends(get_session)):
    return [service.vacancy_public(v) for v in service.list_vacancies(session, employer_id=employer.id)]


REPLACES = (
    "**Samme `external_id` erstatter hele stillingen.** Sender dere en stilling med en `external_id` dere har "
    "brukt før (eller med PUT), lagres det dere sender nå i stedet for det som var lagret: et felt dere utelater, "
    "får standardverdien, ikke forrige verdi. Utelatt `description`, `end`, `pay_amount`/`pay_unit`, "
    "`occupation_code` (tittelen tolkes på nytt) og `min_norwegian_level` blir tomme, `required_certificates` "
    "blir en tom liste, `headcount` 1, `police_certificate_required` og `documents_before_interview` false. "
    "Send derfor alltid hele stillingen. En lukket eller besatt stilling kan ikke endres (409). En stilling som "
    "holdes til gjennomgang, blir åpen når den nye teksten er i orden.")


@router.post(
    "/vacancies", response_model=VacancyPublic, status_code=201,
    summary="Send inn en stilling (samme external_id oppdaterer i stedet for å lage en ny)", description=REPLACES,
    responses={200: {"description": "Fantes fra før (samme external_id) og er oppdatert"},
               422: {"description": "Ugyldig felt; `field` sier hvilket"}},
)
def submit(body: VacancyIn, response: Response, employer: Employer = Depends(own_employer),
           session: Session = Depends(get_session)) -> VacancyPublic:
    vacancy, created = service.submit_vacancy(session, employer, body, source="employer_api")
    session.commit()
    response.status_code = 201 if created else 200
    return service.vacancy_public(vacancy)


@router.get("/vacancies/{vacancy_id}", response_model=VacancyPublic, summary="Én av våre stillinger")
def get_own(vacancy_id: int, employer: Employer = Depends(own_employer), session: Session = Depends(get_session)):
    return service.vacancy_public(service.vacancy_for_employer(session, vacancy_id, employer))


@router.put("/vacancies/{vacancy_id}", response_model=VacancyPublic, summary="Erstatt en av våre stillinger",
            description=REPLACES)
def replace(vacancy_id: int, body: VacancyIn, employer: Employer = Depends(own_employer),
            session: Session = Depends(get_session)) -> VacancyPublic:
    vacancy = service.replace_vacancy(session, service.vacancy_for_employer(session, vacancy_id, employer), body)
    session.commit()
    return service.vacancy_public(vacancy)


@router.post("/vacancies/{vacancy_id}/close", response_model=VacancyPublic, summary="Lukk en stilling")
def close(vacancy_id: int, employer: Employer = Depends(own_employer), session: Session = Depends(get_session)):
    vacancy = service.vacancy_for_employer(session, vacancy_id, employer)
    service.set_vacancy_status(session, vacancy, VacancyStatus.closed)
    session.commit()
    return service.vacancy_public(vacancy)


@router.post("/vacancies/{vacancy_id}/filled", response_model=VacancyPublic, summary="Marker en stilling som besatt")
def filled(vacancy_id: int, employer: Employer = Depends(own_employer), session: Session = Depends(get_session)):
    vacancy = service.vacancy_for_employer(session, vacancy_id, employer)
    service.set_vacancy_status(session, vacancy, VacancyStatus.filled)
    session.commit()
    return service.vacancy_public(vacancy)


@router.post(
    "/vacancies/bulk", response_model=BulkResult,
    summary=f"Send inn mange stillinger (høyst {MAX_BULK}); resultat per stilling",
    description="Hver stilling lagres for seg: en feil i én stopper ikke de andre. Bruk external_id, så "
    "kan hele forespørselen sendes på nytt uten å lage duplikater. Hvert element er som i POST /employer/vacancies.",
    # Items are validated one by one (so one bad item does not reject the rest); the schema still shows them.
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "array", "maxItems": MAX_BULK, "items": {"$ref": "#/components/schemas/VacancyIn"}},
        "example": [
            {"external_id": "ATS-1", "title": "Renholder 50 %", "occupation_code": "9112", "municipality_code": "0301",
             "fte": 50, "contract_type": "permanent", "start": "2027-01-15", "working_hours": ["evening"]},
            {"external_id": "ATS-2", "title": "Sommervikar butikk", "occupation_code": "5223",
             "municipality_code": "0301", "fte": 100, "contract_type": "seasonal", "start": "2027-06-01",
             "end": "2027-08-31", "working_hours": ["day", "weekend"], "headcount": 3}]}}}},
)
def bulk(items: list[Any], employer: Employer = Depends(own_employer),
         session: Session = Depends(get_session)) -> BulkResult:
    if len(items) > MAX_BULK:
        raise Invalid(f"Høyst {MAX_BULK} stillinger per forespørsel (fikk {len(items)}).", field="body")
    results = []
    for index, raw in enumerate(items):
        external_id = raw.get("external_id") if isinstance(raw, dict) else None
        external_id = external_id if isinstance(external_id, str) else None  # echoed only when it is text
        try:
            data = VacancyIn.model_validate(raw)
            with session.begin_nested():  # each item stands alone: an error rolls back only that item
                vacancy, created = service.submit_vacancy(session, employer, data, source="employer_api")
        except ValidationError as exc:
            errors = jsonable_encoder(exc.errors(include_url=False, include_context=False, include_input=False))
            results.append(BulkItemResult(index=index, external_id=external_id, outcome="error", status_code=422,
                                          errors=errors))
            continue
        except DomainError as exc:
            results.append(BulkItemResult(index=index, external_id=external_id, outcome="error",
                                          status_code=STATUS[type(exc)],
                                          errors=[{"msg": exc.message, "loc": [exc.field], **exc.details}]))
            continue
        outcome = "held_for_review" if vacancy.status == VacancyStatus.held_for_review else (
            "created" if created else "updated")
        results.append(BulkItemResult(index=index, external_id=data.external_id, outcome=outcome,
                                      status_code=201 if created else 200, vacancy=service.vacancy_public(vacancy)))
    session.commit()
    return BulkResult(
        created=sum(r.outcome == "created" for r in results),
        updated=sum(r.outcome == "updated" for r in results),
        held_for_review=sum(r.outcome == "held_for_review" for r in results),
        errors=sum(r.outcome == "error" for r in results),
        results=results,
    )
