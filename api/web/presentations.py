"""Presenting a candidate in the pages (fields from the allowed list, a summary, whether the name may be
shown to that employer, and a preview of exactly what the employer will see), recording the employer's
answer by hand, and scheduling an interview (which puts two calls on the consultant's agenda)."""

from datetime import date, datetime, timedelta

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from agenda.service import schedule_interview
from api.deps import get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, form_values, optional_int, parse, posted, submit
from candidates.models import Candidate
from candidates.service import get_candidate
from core import audit
from core.labels import ANSWER, ANSWER_REASON, ASSESSMENT_SCALE, PRESENTABLE_FIELD, WOULD_HIRE
from core.types import LOCAL_TZ, Role, today
from employers.models import Employer
from employers.service import get_employer, get_vacancy, list_employers, list_vacancies
from placement import assessments, interviews, presentations
from placement.schemas import (
    EmployerAssessmentIn,
    InterviewIn,
    PresentableField,
    PresentationAnswer,
    PresentationAnswerIn,
    PresentationIn,
)
from placement.service import get_placement

router = APIRouter()
CONSULTANTS = page(Role.admin, Role.consultant)


def _vacancy_choices(session: Session, employers: dict[int, str]) -> list[tuple[str, str]]:
    rows = list_vacancies(session, status="open")
    return sorted(((str(v.id), f"{v.title} – {employers.get(v.employer_id, '')}") for v in rows), key=lambda x: x[1])


def _chosen_employer(session: Session, values: dict) -> int | None:
    vacancy_id = optional_int(str(values.get("vacancy_id") or ""), "vacancy_id")
    if vacancy_id:
        try:
            return get_vacancy(session, vacancy_id).employer_id
        except Exception:
            return None
    employer_id = optional_int(str(values.get("employer_id") or ""), "employer_id")
    return employer_id or None


def _present_form(request: Request, session: Session, actor: Principal, candidate: Candidate, values: dict,
                  errors: dict, status_code: int = 200, preview_asked: bool = False):
    employers = {e.id: e.name for e in list_employers(session)}
    vacancy_of = {v.id: v.employer_id for v in list_vacancies(session, status="open")}
    employer_id = None
    try:
        employer_id = _chosen_employer(session, values)
    except Exception:
        employer_id = None
    fields = [f for f in values.get("fields", []) if f in PRESENTABLE_FIELD]
    # Every allowed field rendered once; the page shows those ticked (the script follows the ticks at once).
    everything = presentations.employer_view(session, candidate, employer_id or 0, list(PRESENTABLE_FIELD),
                                             str(values.get("summary", "")))
    named = presentations.named_employers(session, candidate.id)
    audit.record(session, actor, "read", "presenter kandidat (side)", [candidate.id])
    session.commit()
    return render(request, "present.html", actor, active="candidates", status_code=status_code,
                  title=f"Presenter {candidate.first_name} {candidate.last_name}", c=candidate, values=values,
                  errors=errors, employers=sorted(employers.items(), key=lambda x: x[1]),
                  employer_choices=[(str(k), v) for k, v in sorted(employers.items(), key=lambda x: x[1])],
                  vacancy_choices=_vacancy_choices(session, employers), vacancy_of=vacancy_of,
                  field_choices=list(PRESENTABLE_FIELD.items()), chosen_fields=fields, preview=everything,
                  employer_id=employer_id, employer_name=employers.get(employer_id or 0, ""),
                  name_shared=employer_id in named if employer_id else False, named=sorted(named),
                  may_present=presentations.may_present(session, candidate.id), preview_asked=preview_asked)


@router.get("/kandidater/{candidate_id}/presenter")
def present_form(request: Request, candidate_id: int, stilling: str | None = None, arbeidsgiver: str | None = None,
                 actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    candidate = get_candidate(session, candidate_id, actor)
    values = {"vacancy_id": stilling or "", "employer_id": arbeidsgiver or "",
              "fields": [f.value for f in (PresentableField.norwegian_level, PresentableField.experience,
                                           PresentableField.wanted_fte)]}
    return _present_form(request, session, actor, candidate, values, {})


@router.post("/kandidater/{candidate_id}/presenter", dependencies=[Depends(verify_csrf)])
def present(request: Request, candidate_id: int, form: FormData = Depends(posted),
            actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    candidate = get_candidate(session, candidate_id, actor)
    values = form_values(form, PresentationIn)
    values.pop("candidate_id", None)
    if str(values.get("vacancy_id") or "").strip():
        values["employer_id"] = ""  # the vacancy names the employer; the employer field is for unsolicited ones
    if form.get("handling") == "forhandsvis":  # the preview without script: the same page, nothing saved
        return _present_form(request, session, actor, candidate, values, {}, preview_asked=True)

    def save():
        data = parse(PresentationIn, values, extra={"candidate_id": candidate_id})
        row = presentations.present(session, data, actor)
        audit.record(session, actor, "update", f"presentert for arbeidsgiver {row.employer_id} (side)", [candidate_id])
        return row

    return submit(session, save, success=lambda row: f"{PREFIX}/kandidater/{candidate_id}?lagret=presentert#presentasjoner",
                  again=lambda errors, status: _present_form(request, session, actor, candidate, values, errors, status))


# ---------------------------------------------------------------- the employer's answer


def _answer_form(request: Request, session: Session, actor: Principal, row, values: dict, errors: dict,
                 status_code: int = 200):
    candidate = get_candidate(session, row.candidate_id, actor)
    employer = get_employer(session, row.employer_id)
    vacancy = get_vacancy(session, row.vacancy_id) if row.vacancy_id else None
    vacancies = [] if vacancy else [(str(v.id), v.title) for v in list_vacancies(session, employer_id=employer.id,
                                                                                  status="open")]
    audit.record(session, actor, "read", "svar på presentasjon (side)", [row.candidate_id])
    session.commit()
    return render(request, "presentation_answer.html", actor, active="candidates", status_code=status_code,
                  title=f"Svar fra {employer.name}", c=candidate, p=row, employer=employer, vacancy=vacancy,
                  vacancies=vacancies, values=values, errors=errors, answers=list(ANSWER.items()),
                  reasons=list(ANSWER_REASON.items()))


@router.get("/presentasjoner/{presentation_id}/svar")
def answer_form(request: Request, presentation_id: int, actor: Principal = Depends(CONSULTANTS),
                session: Session = Depends(get_session)):
    row = presentations.get_presentation(session, presentation_id, actor)
    values = {"answer": row.answer or "", "answer_on": (row.answer_on or today()).isoformat(),
              "answer_reason": row.answer_reason or "", "answer_note": row.answer_note or ""}
    for i, moment in enumerate(presentations.proposed_times(row)):
        values[f"proposed_times.{i}"] = moment.isoformat(timespec="minutes")
    return _answer_form(request, session, actor, row, values, {})


@router.post("/presentasjoner/{presentation_id}/svar", dependencies=[Depends(verify_csrf)])
def answer(request: Request, presentation_id: int, form: FormData = Depends(posted),
           actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    row = presentations.get_presentation(session, presentation_id, actor)
    values = form_values(form, PresentationAnswerIn)
    times = [str(values.get(f"proposed_times.{i}", "")).strip() for i in range(3)]

    def save():
        parsed_times, problems = [], {}
        for i, text in enumerate(times):
            if text:
                try:
                    parsed_times.append(interviews.aware(_moment(text)))
                except ValueError:
                    problems[f"proposed_times.{i}"] = f"«{text}» er ikke et tidspunkt (dd.mm.åååå tt:mm)."
        plain = {k: v for k, v in values.items() if not k.startswith("proposed_times")}
        try:
            data = parse(PresentationAnswerIn, plain, extra={"proposed_times": parsed_times})
        except FormInvalid as exc:
            raise FormInvalid({**exc.errors, **problems}) from None
        if problems:
            raise FormInvalid(problems)
        saved = presentations.record_answer(session, presentation_id, data, actor)
        audit.record(session, actor, "update", f"svar på presentasjon: {data.answer} (side)", [row.candidate_id])
        return saved

    def where(saved) -> str:
        placement = presentations.placement_of(session, saved)
        if saved.answer == PresentationAnswer.wants_interview and placement is not None:
            first = presentations.proposed_times(saved)[:1]
            when = f"&tid={first[0].isoformat(timespec='minutes')}" if first else ""
            return f"{PREFIX}/plasseringer/{placement.id}/intervju?fra=svar{when}".replace("+", "%2B")
        return f"{PREFIX}/kandidater/{saved.candidate_id}?lagret=svar#presentasjoner"

    return submit(session, save, success=where,
                  again=lambda errors, status: _answer_form(request, session, actor, row, values, errors, status))


def _moment(text: str) -> datetime:
    from api.web.forms import _iso

    return datetime.fromisoformat(_iso(text))


# ---------------------------------------------------------------- interviews


def _interview_form(request: Request, session: Session, actor: Principal, placement_id: int, values: dict,
                    errors: dict, status_code: int = 200, from_answer: bool = False):
    placement = get_placement(session, placement_id, actor)
    candidate = session.get(Candidate, placement.candidate_id)
    employer = session.get(Employer, placement.employer_id)
    vacancy = get_vacancy(session, placement.vacancy_id)
    earlier = interviews.for_placement(session, placement_id, actor)
    audit.record(session, actor, "read", "avtal intervju (side)", [placement.candidate_id])
    session.commit()
    return render(request, "interview_form.html", actor, active="candidates", status_code=status_code,
                  title=f"Avtal intervju: {candidate.first_name} {candidate.last_name}", c=candidate, pl=placement,
                  employer=employer, vacancy=vacancy, values=values, errors=errors, earlier=earlier,
                  from_answer=from_answer)


@router.get("/plasseringer/{placement_id}/intervju")
def interview_form(request: Request, placement_id: int, tid: str | None = None, fra: str | None = None,
                   actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    placement = get_placement(session, placement_id, actor)
    values = {"starts_at": tid or "", "place": _address(session, placement.employer_id)}
    return _interview_form(request, session, actor, placement_id, values, {}, from_answer=fra == "svar")


def _address(session: Session, employer_id: int) -> str:
    employer = session.get(Employer, employer_id)
    return ", ".join(x for x in (employer.name, employer.address) if x) if employer else ""


@router.post("/plasseringer/{placement_id}/intervju", dependencies=[Depends(verify_csrf)])
def interview(request: Request, placement_id: int, form: FormData = Depends(posted),
              actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    placement = get_placement(session, placement_id, actor)
    values = form_values(form, InterviewIn)

    def save():
        row = schedule_interview(session, placement_id, parse(InterviewIn, values), actor)
        audit.record(session, actor, "update", f"intervju avtalt (formidling {placement_id}, side)",
                     [placement.candidate_id])
        return row

    def where(row) -> str:
        day = max(row.starts_at.astimezone(LOCAL_TZ).date() - timedelta(days=1), today())  # from "Forbered kandidaten"
        return f"{PREFIX}/agenda?periode=uke&dag={day.strftime('%d.%m.%Y')}&lagret=intervju"

    return submit(session, save, success=where,
                  again=lambda errors, status: _interview_form(request, session, actor, placement_id, values, errors,
                                                               status))


# ---------------------------------------------------------------- on the candidate's page

SAVED = {"presentert": "Kandidaten er presentert. Arbeidsgiverens svar registrerer du under «Presentasjoner».",
         "svar": "Arbeidsgiverens svar er lagret."}


def presentation_cards(session: Session, candidate_id: int, actor: Principal) -> list[dict]:
    """The candidate's presentations as the page shows them: to whom, what, and the answer."""
    rows = presentations.for_candidate(session, candidate_id, actor)
    employers = {e.id: e.name for e in list_employers(session)}
    cards = []
    for row in reversed(rows):
        placement = presentations.placement_of(session, row)
        cards.append(dict(
            p=row, employer=employers.get(row.employer_id, ""),
            vacancy=get_vacancy(session, row.vacancy_id).title if row.vacancy_id else None,
            fields=[PRESENTABLE_FIELD[f] for f in row.fields if f in PRESENTABLE_FIELD],
            times=presentations.proposed_times(row), placement=placement,
            schedule=placement is not None and row.answer == PresentationAnswer.wants_interview
            and placement.stage in [s.value for s in interviews.SCHEDULABLE]))
    return cards


# ---------------------------------------------------------------- the employer's own answer (Min side)

EMPLOYER_USER = page(Role.employer)


def _parse_answer(values: dict, answer_on: date) -> PresentationAnswerIn:
    """The answer form's fields, with up to three proposed times (dd.mm.åååå tt:mm) as Norwegian time."""
    parsed_times, problems = [], {}
    for i in range(3):
        text = str(values.get(f"proposed_times.{i}", "")).strip()
        if text:
            try:
                parsed_times.append(interviews.aware(_moment(text)))
            except ValueError:
                problems[f"proposed_times.{i}"] = f"«{text}» er ikke et tidspunkt (dd.mm.åååå tt:mm)."
    plain = {k: v for k, v in values.items() if not k.startswith("proposed_times") and k != "answer_on"}
    try:
        data = parse(PresentationAnswerIn, plain, extra={"proposed_times": parsed_times, "answer_on": answer_on})
    except FormInvalid as exc:
        raise FormInvalid({**exc.errors, **problems}) from None
    if problems:
        raise FormInvalid(problems)
    return data


@router.get("/min-side/presentasjoner")
def own_presentations(request: Request, lagret: str | None = None, actor: Principal = Depends(EMPLOYER_USER),
                      session: Session = Depends(get_session)):
    """The candidates presented to the employer user's organisation, exactly as the employer API shows them."""
    employer = presentations.own_employer(session, actor)
    rows = presentations.for_employer(session, employer.id)
    audit.record(session, actor, "read", f"presentasjon for {employer.name} (side)", [row.candidate_id for row, _ in rows])
    session.commit()
    titles = {v.id: v.title for v in list_vacancies(session, employer_id=employer.id)}
    return render(request, "own_presentations.html", actor, active="own", title="Presentasjoner", e=employer,
                  rows=[(row, view, presentations.proposed_times(row)) for row, view in rows], titles=titles,
                  saved=lagret, answers=ANSWER, reasons=ANSWER_REASON)


def _own_answer_form(request: Request, session: Session, actor: Principal, row, values: dict, errors: dict,
                     status_code: int = 200):
    employer = presentations.own_employer(session, actor)
    view = next(v for p, v in presentations.for_employer(session, employer.id) if p.id == row.id)
    vacancy = get_vacancy(session, row.vacancy_id) if row.vacancy_id else None
    vacancies = [] if vacancy else [(str(v.id), v.title) for v in list_vacancies(session, employer_id=employer.id,
                                                                                  status="open")]
    audit.record(session, actor, "read", f"presentasjon for {employer.name}: svar (side)", [row.candidate_id])
    session.commit()
    return render(request, "own_answer.html", actor, active="own", status_code=status_code,
                  title="Svar på presentasjonen", e=employer, p=row, view=view, vacancy=vacancy, vacancies=vacancies,
                  values=values, errors=errors, answers=list(ANSWER.items()), reasons=list(ANSWER_REASON.items()))


@router.get("/min-side/presentasjoner/{presentation_id}/svar")
def own_answer_form(request: Request, presentation_id: int, actor: Principal = Depends(EMPLOYER_USER),
                    session: Session = Depends(get_session)):
    row = presentations.get_presentation(session, presentation_id, actor)
    values = {"answer": row.answer or "", "answer_reason": row.answer_reason or "", "answer_note": row.answer_note or ""}
    for i, moment in enumerate(presentations.proposed_times(row)):
        values[f"proposed_times.{i}"] = moment.isoformat(timespec="minutes")
    return _own_answer_form(request, session, actor, row, values, {})


@router.post("/min-side/presentasjoner/{presentation_id}/svar", dependencies=[Depends(verify_csrf)])
def own_answer(request: Request, presentation_id: int, form: FormData = Depends(posted),
               actor: Principal = Depends(EMPLOYER_USER), session: Session = Depends(get_session)):
    row = presentations.get_presentation(session, presentation_id, actor)
    values = form_values(form, PresentationAnswerIn)

    def save():
        data = _parse_answer(values, answer_on=today())
        saved = presentations.record_answer(session, presentation_id, data, actor)
        audit.record(session, actor, "update", f"svar på presentasjon fra arbeidsgiveren: {data.answer} (side)",
                     [row.candidate_id])
        return saved

    return submit(session, save, success=lambda saved: f"{PREFIX}/min-side/presentasjoner?lagret=svar",
                  again=lambda errors, status: _own_answer_form(request, session, actor, row, values, errors, status))


# ---------------------------------------------------------------- the employer's assessment (Min side)


@router.get("/min-side/vurderinger")
def own_assessments(request: Request, lagret: str | None = None, actor: Principal = Depends(EMPLOYER_USER),
                    session: Session = Depends(get_session)):
    """Who the employer has had in work practice or on a trial period, and whether they have assessed them."""
    rows = assessments.to_assess(session, actor)
    audit.record(session, actor, "read", "arbeidsgivers vurderinger (side)", [x.candidate_id for x in rows])
    session.commit()
    return render(request, "own_assessments.html", actor, active="own", title="Vurderinger",
                  e=presentations.own_employer(session, actor), rows=rows, saved=lagret)


def _assessment_form(request: Request, session: Session, actor: Principal, candidate_id: int, values: dict,
                     errors: dict, status_code: int = 200):
    who = assessments.one_to_assess(session, candidate_id, actor)
    audit.record(session, actor, "read", "arbeidsgivers vurdering (side)", [candidate_id])
    session.commit()
    return render(request, "own_assessment.html", actor, active="own", status_code=status_code,
                  title="Vurdering etter praksis eller prøvetid", who=who, values=values, errors=errors,
                  scale=[(str(k), v) for k, v in ASSESSMENT_SCALE.items()], hire=list(WOULD_HIRE.items()))


@router.get("/min-side/vurderinger/{candidate_id}")
def own_assessment_form(request: Request, candidate_id: int, actor: Principal = Depends(EMPLOYER_USER),
                        session: Session = Depends(get_session)):
    return _assessment_form(request, session, actor, candidate_id, {}, {})


@router.post("/min-side/vurderinger/{candidate_id}", dependencies=[Depends(verify_csrf)])
def own_assessment(request: Request, candidate_id: int, form: FormData = Depends(posted),
                   actor: Principal = Depends(EMPLOYER_USER), session: Session = Depends(get_session)):
    assessments.one_to_assess(session, candidate_id, actor)
    values = form_values(form, EmployerAssessmentIn)

    def save():
        row = assessments.give(session, candidate_id, parse(EmployerAssessmentIn, values), actor)
        audit.record(session, actor, "update", "arbeidsgivers vurdering (side)", [candidate_id])
        return row

    return submit(session, save, success=lambda row: f"{PREFIX}/min-side/vurderinger?lagret=vurdering",
                  again=lambda errors, status: _assessment_form(request, session, actor, candidate_id, values,
                                                                errors, status))
