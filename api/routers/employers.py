"""The customer register for consultants: employers, where each stands, contact log, follow-ups,
barometer, staffing solutions, vacancies and their review."""

from datetime import date

from fastapi import APIRouter, Depends, Query
from sqlmodel import Session

from accounts.service import Principal
from api.deps import ANY_ROLE, CANDIDATE_ROLES, allow, audit_read, get_session
from core import audit, occupations
from core.types import Role
from employers import service
from employers.schemas import (
    AgreementIn,
    AgreementPublic,
    BarometerOverviewRow,
    BarometerProfilePublic,
    BarometerQuestionPublic,
    BarometerQuestionSetPublic,
    BarometerSurveyIn,
    BarometerSurveyPublic,
    ContactIn,
    ContactLogIn,
    ContactLogPublic,
    ContactPersonIn,
    ContactPersonPublic,
    DiscriminationIn,
    DiscriminationPublic,
    DurationRow,
    EmployerCreate,
    EmployerPublic,
    EmployerStatus,
    EmployerUpdate,
    FollowUpDoneIn,
    FollowUpDue,
    OccupationPage,
    OccupationSuggestion,
    ReviewDecision,
    StatusChangeIn,
    StatusChangePublic,
    VacancyIn,
    VacancyPublic,
    VacancyStatus,
)

router = APIRouter(tags=["arbeidsgivere"])
CRM = (Role.admin, Role.consultant)


@router.get("/occupations", response_model=OccupationPage, summary="Yrkesklassifiseringen STYRK-08 med synonymer")
def get_occupations(
    q: str | None = Query(default=None, max_length=100, description="Søk i kode, navn, tittel og synonymer"),
    level: int = Query(default=4, ge=1, le=4, description="1 yrkesfelt, 2 hovedgruppe, 3 undergruppe, 4 yrkesgruppe"),
    parent: str | None = Query(default=None, pattern=r"^\d{1,3}$", description="Bare grupper under denne koden"),
    offset: int = Query(default=0, ge=0, le=10_000),
    limit: int = Query(default=100, ge=1, le=500),
    _actor: Principal = Depends(allow(*ANY_ROLE)),
) -> OccupationPage:
    """Alle fire nivåer av STYRK-08 (10, 43, 122 og 407 grupper; 0000 «uoppgitt» er ikke et yrke).
    Stillinger og ønsker bruker yrkesgruppene (nivå 4, fire siffer)."""
    found = occupations.search(q, level, parent)
    return OccupationPage(total=len(found), offset=offset, limit=limit, items=found[offset:offset + limit])


@router.get("/occupations/suggestions", response_model=list[OccupationSuggestion],
            summary="De mest sannsynlige yrkesgruppene for en stillingstittel")
def get_occupation_suggestions(
    title: str = Query(min_length=1, max_length=200), limit: int = Query(default=3, ge=1, le=10),
    _actor: Principal = Depends(allow(*ANY_ROLE)),
) -> list[OccupationSuggestion]:
    """Det samme forslaget som en stilling uten occupation_code får; `accepted` sier om det godtas uten kode."""
    return [OccupationSuggestion(code=m.code, name=m.title, confidence=m.confidence,
                                 accepted=m.confidence >= service.MIN_OCCUPATION_CONFIDENCE)
            for m in occupations.suggest(title, limit)]


@router.get("/employers", response_model=list[EmployerPublic], summary="Kunderegisteret")
def get_employers(
    status: EmployerStatus | None = None,
    sector: str | None = None,
    municipality_code: str | None = Query(default=None, pattern=r"^\d{4}$"),
    search: str | None = Query(default=None, max_length=100),
    _actor: Principal = Depends(allow(*CRM)),
    session: Session = Depends(get_session),
):
    return service.list_employers(session, status=status, sector=sector, municipality_code=municipality_code,
                                  search=search)


@router.post("/employers", response_model=EmployerPublic, status_code=201, summary="Registrer arbeidsgiver")
def post_employer(body: EmployerCreate, actor: Principal = Depends(allow(*CRM)), session: Session = Depends(get_session)):
    employer = service.create_employer(session, body, actor)
    session.commit()
    return employer


@router.get("/employers/{employer_id}", response_model=EmployerPublic, summary="Én arbeidsgiver")
def get_employer(employer_id: int, _actor: Principal = Depends(allow(*CRM)), session: Session = Depends(get_session)):
    return service.get_employer(session, employer_id)


@router.patch("/employers/{employer_id}", response_model=EmployerPublic,
              summary="Endre arbeidsgiver, også bemanningsløsninger (praksisplass, lønnstilskudd, tilkallingsvikarer)")
def patch_employer(employer_id: int, body: EmployerUpdate, actor: Principal = Depends(allow(*CRM)),
                   session: Session = Depends(get_session)):
    employer = service.update_employer(session, employer_id, body, actor)
    session.commit()
    return employer


@router.post("/employers/{employer_id}/status", response_model=EmployerPublic, summary="Sett hvor arbeidsgiveren står")
def post_status(employer_id: int, body: StatusChangeIn, actor: Principal = Depends(allow(*CRM)),
                session: Session = Depends(get_session)):
    employer = service.change_status(session, employer_id, body, actor)
    session.commit()
    return employer


@router.get("/employers/{employer_id}/status-history", response_model=list[StatusChangePublic], summary="Statushistorikk")
def get_status_history(employer_id: int, _actor: Principal = Depends(allow(*CRM)),
                       session: Session = Depends(get_session)):
    return [StatusChangePublic(**c.model_dump()) for c in service.status_history(session, employer_id)]


@router.get("/employers/{employer_id}/contacts", response_model=list[ContactPersonPublic], summary="Kontaktpersoner")
def get_contact_people(employer_id: int, _actor: Principal = Depends(allow(*CRM)), session: Session = Depends(get_session)):
    return service.contact_people(session, employer_id)


@router.post("/employers/{employer_id}/contacts", response_model=ContactPersonPublic, status_code=201,
             summary="Legg til kontaktperson")
def post_contact_person(employer_id: int, body: ContactPersonIn, _actor: Principal = Depends(allow(*CRM)),
                        session: Session = Depends(get_session)):
    person = service.add_contact_person(session, employer_id, body)
    session.commit()
    return person


@router.put("/employers/{employer_id}/contacts/{person_id}", response_model=ContactPersonPublic,
            summary="Endre kontaktperson")
def put_contact_person(employer_id: int, person_id: int, body: ContactPersonIn,
                       _actor: Principal = Depends(allow(*CRM)), session: Session = Depends(get_session)):
    person = service.update_contact_person(session, employer_id, person_id, body)
    session.commit()
    return person


@router.get("/employers/{employer_id}/agreements", response_model=list[AgreementPublic],
            summary="Samarbeidsavtaler (stående avtaler)")
def get_agreements(employer_id: int, _actor: Principal = Depends(allow(*CRM)), session: Session = Depends(get_session)):
    return service.agreements(session, employer_id)


@router.post("/employers/{employer_id}/agreements", response_model=AgreementPublic, status_code=201,
             summary="Registrer samarbeidsavtale (fast rekruttering, prøveperiode o.l.)")
def post_agreement(employer_id: int, body: AgreementIn, actor: Principal = Depends(allow(*CRM)),
                   session: Session = Depends(get_session)):
    agreement = service.add_agreement(session, employer_id, body, actor)
    session.commit()
    return agreement


@router.get("/employers/{employer_id}/discrimination", response_model=list[DiscriminationPublic],
            summary="Observert diskriminering (brukes aldri i matching)")
def get_discrimination(employer_id: int, _actor: Principal = Depends(allow(*CRM)),
                       session: Session = Depends(get_session)):
    return service.discrimination_observations(session, employer_id)


@router.post("/employers/{employer_id}/discrimination", response_model=DiscriminationPublic, status_code=201,
             summary="Registrer observert diskriminering som et datert faktum")
def post_discrimination(employer_id: int, body: DiscriminationIn, actor: Principal = Depends(allow(*CRM)),
                        session: Session = Depends(get_session)):
    row = service.record_discrimination(session, employer_id, body, actor)
    session.commit()
    return row


@router.get("/employers/{employer_id}/log", response_model=list[ContactLogPublic], summary="Kontaktlogg for arbeidsgiveren")
def get_employer_log(employer_id: int, actor: Principal = Depends(allow(*CRM)), session: Session = Depends(get_session)):
    service.get_employer(session, employer_id)
    entries = service.contacts_public(session, service.list_contacts(session, employer_id=employer_id), actor=actor)
    audit_read(session, actor, f"kontaktlogg hos arbeidsgiver {employer_id}", service.candidates_in(entries), action="list")
    return entries


@router.post("/employers/{employer_id}/log", response_model=ContactLogPublic, status_code=201,
             summary="Logg en samtale, e-post, et møte eller besøk")
def post_log(employer_id: int, body: ContactLogIn, actor: Principal = Depends(allow(*CRM)),
             session: Session = Depends(get_session)):
    entry = service.log_contact(session, employer_id, body, actor)
    audit.record(session, actor, "update", f"kontaktlogg hos arbeidsgiver {employer_id}", body.candidate_ids)
    session.commit()
    return service.contacts_public(session, [entry], actor=actor)[0]


@router.get("/contact-log", response_model=list[ContactLogPublic], summary="Kontaktloggen, med filtre")
def get_contact_log(
    consultant_id: int | None = None,
    candidate_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    actor: Principal = Depends(allow(*CRM)),
    session: Session = Depends(get_session),
):
    entries = service.contacts_public(session, service.list_contacts(
        session, consultant_id=consultant_id, candidate_id=candidate_id, date_from=date_from, date_to=date_to),
        actor=actor)
    audit_read(session, actor, "kontaktlogg", service.candidates_in(entries), action="list")
    return entries


@router.post("/contact-log", response_model=ContactLogPublic, status_code=201,
             summary="Logg en kontakt: med en kandidat alene, med en arbeidsgiver (generell eller om kandidater), eller begge")
def post_contact(body: ContactIn, actor: Principal = Depends(allow(*CRM)), session: Session = Depends(get_session)):
    entry = service.log_contact(session, body.employer_id, body, actor)
    audit.record(session, actor, "update", "kontaktlogg", body.candidate_ids)
    session.commit()
    return service.contacts_public(session, [entry], actor=actor)[0]


@router.post("/contact-log/{contact_id}/follow-up-done", response_model=ContactLogPublic, summary="Oppfølging gjort")
def post_follow_up_done(contact_id: int, body: FollowUpDoneIn | None = None, actor: Principal = Depends(allow(*CRM)),
                        session: Session = Depends(get_session)):
    note = body.note if body else None
    entry = service.contacts_public(session, [service.complete_follow_up(session, contact_id, actor, note)],
                                    actor=actor)[0]
    audit.record(session, actor, "update", f"kontaktlogg: oppfølging gjort ({contact_id})", entry.candidate_ids)
    session.commit()
    return entry


@router.get("/follow-ups", response_model=list[FollowUpDue], summary="Oppfølginger som forfaller eller er forfalt")
def get_follow_ups(
    consultant_id: int | None = Query(default=None, description="Standard: deg selv. 0 = alle konsulenter"),
    as_of: date | None = None,
    actor: Principal = Depends(allow(*CRM)),
    session: Session = Depends(get_session),
):
    who = actor.user_id if consultant_id is None else (None if consultant_id == 0 else consultant_id)
    due = service.follow_ups_due(session, consultant_id=who, as_of=as_of, actor=actor)
    audit_read(session, actor, "oppfølginger (kontaktlogg)", service.candidates_in(due), action="list")
    return due


@router.get("/contact-time", response_model=list[DurationRow], summary="Kontakttid per arbeidsgiver, konsulent eller kandidat")
def get_contact_time(
    by: str = Query(pattern="^(employer|consultant|candidate)$"),
    date_from: date | None = None,
    date_to: date | None = None,
    employer_id: int | None = None,
    actor: Principal = Depends(allow(*CRM)),
    session: Session = Depends(get_session),
):
    rows = service.contact_durations(session, by=by, date_from=date_from, date_to=date_to, employer_id=employer_id,
                                     actor=actor)
    if by == "candidate":  # names the candidates
        audit_read(session, actor, "kontakttid", [r.key for r in rows], action="list")
    return rows


@router.get("/barometer/questions", response_model=BarometerQuestionSetPublic, summary="Spørsmålene i mangfoldsbarometeret")
def get_barometer_questions(_actor: Principal = Depends(allow(*CRM)), session: Session = Depends(get_session)):
    question_set, questions = service.active_question_set(session)
    return BarometerQuestionSetPublic(version=question_set.version, title=question_set.title,
                                      questions=[BarometerQuestionPublic(**q.model_dump()) for q in questions])


@router.get("/barometer/overview", response_model=list[BarometerOverviewRow],
            summary="Barometerprofiler i registeret per bransje eller kommune")
def get_barometer_overview(by: str = Query(default="sector", pattern="^(sector|municipality)$"),
                           _actor: Principal = Depends(allow(*CRM)), session: Session = Depends(get_session)):
    return service.barometer_overview(session, by=by)


@router.get("/employers/{employer_id}/barometer", response_model=list[BarometerSurveyPublic],
            summary="Alle runder med barometersvar, nyeste først")
def get_barometer(employer_id: int, _actor: Principal = Depends(allow(*CRM)), session: Session = Depends(get_session)):
    return service.surveys(session, employer_id)


@router.post("/employers/{employer_id}/barometer", response_model=BarometerSurveyPublic, status_code=201,
             summary="Registrer barometersvar")
def post_barometer(employer_id: int, body: BarometerSurveyIn, actor: Principal = Depends(allow(*CRM)),
                   session: Session = Depends(get_session)):
    survey = service.record_survey(session, employer_id, body, actor)
    session.commit()
    return next(s for s in service.surveys(session, employer_id) if s.id == survey.id)


@router.get("/employers/{employer_id}/barometer/profile", response_model=BarometerProfilePublic,
            summary="Avledet profil: erfaring med mangfold, og regelen bak")
def get_barometer_profile(employer_id: int, _actor: Principal = Depends(allow(*CRM)),
                          session: Session = Depends(get_session)):
    service.get_employer(session, employer_id)
    return service.latest_profiles(session, [employer_id])[employer_id]


@router.get("/vacancies", response_model=list[VacancyPublic], summary="Stillinger")
def get_vacancies(
    employer_id: int | None = None,
    status: VacancyStatus | None = None,
    occupation_code: str | None = None,
    municipality_code: str | None = Query(default=None, pattern=r"^\d{4}$"),
    _actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
    session: Session = Depends(get_session),
):
    rows = service.list_vacancies(session, employer_id=employer_id, status=status, occupation_code=occupation_code,
                                  municipality_code=municipality_code)
    return [service.vacancy_public(v) for v in rows]


@router.get("/vacancies/{vacancy_id}", response_model=VacancyPublic, summary="Én stilling")
def get_vacancy(vacancy_id: int, _actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
                session: Session = Depends(get_session)):
    return service.vacancy_public(service.get_vacancy(session, vacancy_id))


@router.post("/employers/{employer_id}/vacancies", response_model=VacancyPublic, status_code=201,
             summary="Registrer stilling for en arbeidsgiver")
def post_vacancy(employer_id: int, body: VacancyIn, _actor: Principal = Depends(allow(*CRM)),
                 session: Session = Depends(get_session)):
    vacancy, _ = service.submit_vacancy(session, service.get_employer(session, employer_id), body, source="consultant")
    session.commit()
    return service.vacancy_public(vacancy)


@router.put("/vacancies/{vacancy_id}", response_model=VacancyPublic,
            summary="Erstatt en stilling (fyll ut et utkast: det som mangler, står i missing_fields)",
            description="Send hele stillingen. Et utkast fra NAVs format blir åpent (eller holdt til gjennomgang) "
            "når alt matching trenger er med.")
def put_vacancy(vacancy_id: int, body: VacancyIn, _actor: Principal = Depends(allow(*CRM)),
                session: Session = Depends(get_session)):
    vacancy = service.replace_vacancy(session, service.get_vacancy(session, vacancy_id), body)
    session.commit()
    return service.vacancy_public(vacancy)


@router.post("/vacancies/{vacancy_id}/release", response_model=VacancyPublic,
             summary="Frigi en stilling som ble holdt tilbake for gjennomgang")
def post_release(vacancy_id: int, _body: ReviewDecision | None = None, actor: Principal = Depends(allow(*CRM)),
                 session: Session = Depends(get_session)):
    vacancy = service.review_vacancy(session, vacancy_id, True, actor)
    session.commit()
    return service.vacancy_public(vacancy)


@router.post("/vacancies/{vacancy_id}/reject", response_model=VacancyPublic, summary="Avvis en tilbakeholdt stilling")
def post_reject(vacancy_id: int, _body: ReviewDecision | None = None, actor: Principal = Depends(allow(*CRM)),
                session: Session = Depends(get_session)):
    vacancy = service.review_vacancy(session, vacancy_id, False, actor)
    session.commit()
    return service.vacancy_public(vacancy)
