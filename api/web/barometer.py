"""The diversity barometer as a form: the active question set, each question as its kind asks (a
number, yes/no, a scale, free text), follow-up questions shown when the answer calls for them. The
consultant fills it in during or after the conversation; each round is kept (the API's schema and
service), and the employer's page shows the profile and the earlier rounds."""

import re

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from api.deps import get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, optional_date, posted, submit
from core.errors import Invalid
from core.types import Role, today
from employers import service
from employers.schemas import BarometerSurveyIn

router = APIRouter()
CRM = page(Role.admin, Role.consultant)
_NUMBER = re.compile(r"^\d+([.,]\d+)?$")


def _form(request: Request, actor: Principal, session: Session, employer, values: dict, errors: dict,
          status_code: int = 200):
    question_set, questions = service.active_question_set(session)
    names = {f"answers.{q.key}": q.text for q in questions} | {"asked_on": "Dato for samtalen",
                                                                "contact_person_id": "Kontaktperson"}
    return render(request, "barometer_form.html", actor, active="employers", status_code=status_code,
                  title=f"Mangfoldsbarometer: {employer.name}", e=employer, question_set=question_set,
                  questions=questions, people=service.contact_people(session, employer.id), values=values,
                  errors=errors, names=names)


def _answers(questions, values: dict) -> tuple[dict, dict]:
    """The typed answers as the service takes them, and a message per question that cannot be read.
    A follow-up question counts only when its question was answered yes."""
    answers, errors = {}, {}
    for q in questions:
        raw = str(values.get(f"answers.{q.key}", "")).strip()
        if not raw:
            continue
        if q.follow_up_of and values.get(f"answers.{q.follow_up_of}") != "true":
            continue
        if q.answer_type == "yes_no":
            answers[q.key] = raw == "true"
        elif q.answer_type in ("number", "scale"):
            if not _NUMBER.match(raw):
                errors[f"answers.{q.key}"] = "må være et tall"
                continue
            number = float(raw.replace(",", "."))
            answers[q.key] = int(number) if number.is_integer() else number
        else:
            answers[q.key] = raw
    return answers, errors


@router.get("/arbeidsgivere/{employer_id}/barometer/ny")
def barometer_form(request: Request, employer_id: int, actor: Principal = Depends(CRM),
                   session: Session = Depends(get_session)):
    employer = service.get_employer(session, employer_id)
    return _form(request, actor, session, employer, {"asked_on": today().isoformat()}, {})


@router.post("/arbeidsgivere/{employer_id}/barometer/ny", dependencies=[Depends(verify_csrf)])
def record(request: Request, employer_id: int, form: FormData = Depends(posted), actor: Principal = Depends(CRM),
           session: Session = Depends(get_session)):
    employer = service.get_employer(session, employer_id)
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}

    def save():
        _, questions = service.active_question_set(session)
        answers, errors = _answers(questions, values)
        try:
            asked_on = optional_date(values.get("asked_on"), "asked_on")
        except Invalid as exc:
            errors["asked_on"], asked_on = exc.message, None
        if asked_on is None and "asked_on" not in errors:
            errors["asked_on"] = "må fylles ut"
        if errors:
            raise FormInvalid(errors)
        person = values.get("contact_person_id") or None
        try:
            data = BarometerSurveyIn(asked_on=asked_on, contact_person_id=int(person) if person else None,
                                     answers=answers)
        except ValueError as exc:  # pydantic's ValidationError: a date in the future
            from api.web.forms import errors_from

            raise FormInvalid(errors_from(exc)) from None
        if not answers:
            raise FormInvalid({"": "Svar på minst ett spørsmål."})
        return service.record_survey(session, employer_id, data, actor)

    return submit(session, save, success=f"{PREFIX}/arbeidsgivere/{employer_id}?lagret=barometer#barometer",
                  again=lambda errors, status: _form(request, actor, session, employer, values, errors, status))
