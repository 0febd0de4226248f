"""The customer register for consultants: employers with status, one employer's contact log (log a
call in a few seconds), barometer answers and profile, vacancies, and the employer's own page."""

from collections import Counter

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from accounts.service import Principal
from api.deps import audit_read, get_session
from api.web.charts import horizontal_bars
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import blank_to_none, optional_date, optional_datetime, optional_int, validation_message
from api.web.labels import EMPLOYER_STATUS, SECTOR
from api.web.paging import pager
from candidates.service import query_candidates, search_by_name
from core import audit
from core.errors import Conflict, Invalid
from core.types import LOCAL_TZ, Role, utcnow
from employers import service
from employers.schemas import ContactKind, ContactLogIn, EmployerStatus, StatusChangeIn, VacancyStatus

router = APIRouter()
CRM = (Role.admin, Role.consultant)


@router.get("/arbeidsgivere")
def employer_list(request: Request, sok: str | None = None, status: str | None = None, bransje: str | None = None,
                  actor: Principal = Depends(page(*CRM)), session: Session = Depends(get_session)):
    status = status if status in EmployerStatus.__members__ else None
    bransje = bransje if bransje in SECTOR else None
    found = service.list_employers(session, status=status, sector=bransje, search=blank_to_none(sok))
    paging = pager(request, len(found))
    rows = paging.rows(found)
    profiles = service.latest_profiles(session, [e.id for e in rows])
    open_counts = Counter(v.employer_id for v in service.list_vacancies(session, status=VacancyStatus.open))
    everyone = Counter(e.status for e in service.list_employers(session))
    chart = horizontal_bars([(EMPLOYER_STATUS[s], everyone.get(s, 0), f"{PREFIX}/arbeidsgivere?status={s}",
                              s == "customer") for s in EmployerStatus], label_width=120, width=460)
    return render(request, "employers.html", actor, active="employers", title="Arbeidsgivere", rows=rows,
                  paging=paging, profiles=profiles, open_counts=open_counts, chart=chart,
                  filters=dict(sok=sok or "", status=status or "", bransje=bransje or ""))


def _employer_page(request: Request, session: Session, actor: Principal, employer_id: int, *,
                   status_code: int = 200, error: dict | None = None, saved: str | None = None):
    employer = service.get_employer(session, employer_id)
    log = service.contacts_public(session, service.list_contacts(session, employer_id=employer_id), actor=actor)
    names = {c.id: f"{c.first_name} {c.last_name}" for c in query_candidates(session, actor, include_archived=True)}
    question_set, questions = service.active_question_set(session)
    surveys = service.surveys(session, employer_id)
    now = utcnow().astimezone(LOCAL_TZ).replace(second=0, microsecond=0, tzinfo=None)
    audit_read(session, actor, f"kontaktlogg hos arbeidsgiver {employer_id} (side)", service.candidates_in(log),
               action="list")
    return render(
        request, "employer.html", actor, active="employers", status_code=status_code, title=employer.name,
        e=employer, people=service.contact_people(session, employer_id), log=log,
        open_follow_ups=[c for c in log if c.next_follow_up and not c.follow_up_done_at],
        agreements=service.agreements(session, employer_id), history=service.status_history(session, employer_id),
        questions=questions, question_set=question_set, surveys=surveys,
        profile=service.latest_profiles(session, [employer_id])[employer_id],
        vacancies=[service.vacancy_public(v) for v in service.list_vacancies(session, employer_id=employer_id)],
        discrimination=service.discrimination_observations(session, employer_id),
        statuses=list(EmployerStatus), kinds=list(ContactKind), now=now.strftime("%d.%m.%Y %H:%M"), names=names,
        error=error or {}, saved=saved,
    )


@router.get("/arbeidsgivere/{employer_id}")
def employer_page(request: Request, employer_id: int, lagret: str | None = None,
                  actor: Principal = Depends(page(*CRM)), session: Session = Depends(get_session)):
    return _employer_page(request, session, actor, employer_id, saved=lagret)


@router.post("/arbeidsgivere/{employer_id}/logg", dependencies=[Depends(verify_csrf)])
def log_contact(
    request: Request,
    employer_id: int,
    kind: str = Form(default="phone"),
    occurred_at: str | None = Form(default=None),
    duration_minutes: str | None = Form(default=None),
    summary: str = Form(default=""),
    outcome: str | None = Form(default=None),
    next_follow_up: str | None = Form(default=None),
    contact_person_id: str | None = Form(default=None),
    candidate_ids: list[str] = Form(default=[]),
    navn: str | None = Form(default=None),
    actor: Principal = Depends(page(*CRM)),
    session: Session = Depends(get_session),
):
    form = dict(kind=kind, occurred_at=occurred_at or "", duration_minutes=duration_minutes or "", summary=summary,
                outcome=outcome or "", next_follow_up=next_follow_up or "", contact_person_id=contact_person_id or "",
                candidate_ids=candidate_ids, navn=navn or "")
    try:
        ids = [optional_int(x, "candidate_ids") for x in candidate_ids if x.strip()]
        if not ids and (navn or "").strip():  # a name typed but not chosen (no script): one match is enough
            found = search_by_name(session, actor, navn, limit=2)
            if len(found) != 1:
                raise Invalid("Fant ingen kandidat med det navnet." if not found else
                              "Flere kandidater passer: skriv mer av navnet og velg i listen.", field="candidate_ids")
            ids = [found[0].id]
        data = ContactLogIn(
            kind=kind, occurred_at=optional_datetime(occurred_at, "occurred_at") or utcnow(),
            duration_minutes=optional_int(duration_minutes, "duration_minutes") or 0, summary=summary,
            outcome=blank_to_none(outcome), next_follow_up=optional_date(next_follow_up, "next_follow_up"),
            contact_person_id=optional_int(contact_person_id, "contact_person_id"), candidate_ids=ids,
        )
        service.log_contact(session, employer_id, data, actor)
        audit.record(session, actor, "update", f"kontaktlogg hos arbeidsgiver {employer_id} (side)", data.candidate_ids)
        session.commit()
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _employer_page(request, session, actor, employer_id, status_code=422,
                              error=dict(form="log", message=exc.message, field=exc.field, values=form))
    except ValidationError as exc:
        message, field = validation_message(exc)
        return _employer_page(request, session, actor, employer_id, status_code=422,
                              error=dict(form="log", message=message, field=field, values=form))
    return RedirectResponse(f"{PREFIX}/arbeidsgivere/{employer_id}?lagret=logg#kontaktlogg", status_code=303)


@router.post("/arbeidsgivere/{employer_id}/status", dependencies=[Depends(verify_csrf)])
def change_status(request: Request, employer_id: int, status: str = Form(...), note: str | None = Form(default=None),
                  actor: Principal = Depends(page(*CRM)), session: Session = Depends(get_session)):
    try:
        service.change_status(session, employer_id, StatusChangeIn(status=status, note=blank_to_none(note)), actor)
        session.commit()
    except ValidationError as exc:
        message, field = validation_message(exc)
        return _employer_page(request, session, actor, employer_id, status_code=422,
                              error=dict(form="status", message=message, field=field))
    return RedirectResponse(f"{PREFIX}/arbeidsgivere/{employer_id}?lagret=status", status_code=303)


@router.post("/arbeidsgivere/{employer_id}/oppfolging/{contact_id}", dependencies=[Depends(verify_csrf)])
def follow_up_done(employer_id: int, contact_id: int, actor: Principal = Depends(page(*CRM)),
                   session: Session = Depends(get_session)):
    entry = service.contacts_public(session, [service.complete_follow_up(session, contact_id, actor)], actor=actor)[0]
    audit.record(session, actor, "update", f"kontaktlogg: oppfølging gjort ({contact_id}) (side)", entry.candidate_ids)
    session.commit()
    return RedirectResponse(f"{PREFIX}/arbeidsgivere/{employer_id}?lagret=oppfolging#kontaktlogg", status_code=303)


@router.post("/stillinger/{vacancy_id}/gjennomgang", dependencies=[Depends(verify_csrf)])
def review_vacancy(vacancy_id: int, decision: str = Form(...), actor: Principal = Depends(page(*CRM)),
                   session: Session = Depends(get_session)):
    vacancy = service.review_vacancy(session, vacancy_id, decision == "release", actor)
    session.commit()
    return RedirectResponse(f"{PREFIX}/arbeidsgivere/{vacancy.employer_id}?lagret=stilling#stillinger",
                            status_code=303)


@router.get("/min-side")
def own_vacancies(request: Request, lagret: str | None = None, stilling: int | None = None,
                  actor: Principal = Depends(page(Role.employer)), session: Session = Depends(get_session)):
    """An employer user's page: their organisation's vacancies, no candidate data. Those still in
    play first by start, the closed and filled after them newest first, 50 to a page."""
    employer = service.employer_for_organisation(session, actor.organisation_number)
    vacancies = [service.vacancy_public(v) for v in service.list_vacancies(session, employer_id=employer.id)]
    done = {VacancyStatus.closed, VacancyStatus.filled}
    vacancies = ([v for v in vacancies if v.status not in done]
                 + sorted((v for v in vacancies if v.status in done), key=lambda v: (v.start, v.id), reverse=True))
    held = [v for v in vacancies if v.status == VacancyStatus.held_for_review]
    paging = pager(request, len(vacancies))
    return render(request, "own.html", actor, active="own", title="Mine stillinger", e=employer,
                  vacancies=paging.rows(vacancies), paging=paging, held=held, saved=lagret,
                  held_saved=any(v.id == stilling for v in held))
