"""The customer register: employers, where each stands, contacts, the barometer and vacancies."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from accounts.service import Principal, validate_organisation_number
from candidates.models import Candidate
from candidates.service import flush_or_conflict, visible_ids
from core.db import bulk_insert, prepare_rows
from core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from core.labels import VACANCY_STATUS
from core.occupations import ACCEPTED_CONFIDENCE, is_unit_group, occupation_title, suggest
from core.types import start_of_day, today, utcnow
from employers import barometer
from employers.models import (
    BarometerAnswer,
    BarometerQuestion,
    BarometerQuestionSet,
    BarometerSurvey,
    ContactLogCandidate,
    ContactLogEntry,
    ContactPerson,
    DiscriminationObservation,
    Employer,
    EmployerStatusChange,
    StandingAgreement,
    Vacancy,
)
from employers.schemas import (
    AgreementIn,
    BarometerOverviewRow,
    BarometerProfilePublic,
    BarometerSurveyIn,
    BarometerSurveyPublic,
    ContactLogIn,
    ContactLogPublic,
    ContactPersonIn,
    DiscriminationIn,
    DurationRow,
    EmployerCreate,
    EmployerStatus,
    EmployerUpdate,
    FollowUpDue,
    StatusChangeIn,
    VacancyIn,
    VacancyPublic,
    VacancyStatus,
)
from employers.wording import check_texts

# Below this confidence a title is not trusted to name an occupation: the submitter must give the code.
MIN_OCCUPATION_CONFIDENCE = ACCEPTED_CONFIDENCE


# ---------------------------------------------------------------- register


def get_employer(session: Session, employer_id: int) -> Employer:
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise NotFound(f"Arbeidsgiver {employer_id} finnes ikke.")
    return employer


def employer_for_organisation(session: Session, organisation_number: str | None) -> Employer:
    """The employer by its business-unit number, or else by its legal entity's number."""
    employer = session.exec(select(Employer).where(Employer.organisation_number == organisation_number)).first()
    if employer is None and organisation_number:
        employer = session.exec(select(Employer).where(Employer.legal_entity_number == organisation_number)
                                .order_by(Employer.id)).first()
    if employer is None:
        raise NotFound(f"Organisasjonen {organisation_number} er ikke registrert som arbeidsgiver.")
    return employer


def _record_status(session: Session, employer: Employer, status: str, actor: Principal, note: str | None) -> None:
    employer.status = status
    session.add(EmployerStatusChange(employer_id=employer.id, status=status, changed_by=actor.user_id,
                                     changed_by_name=actor.name, note=note))


def create_employer(session: Session, data: EmployerCreate, actor: Principal) -> Employer:
    validate_organisation_number(data.organisation_number)
    if data.legal_entity_number:
        validate_organisation_number(data.legal_entity_number, field="legal_entity_number")
    if session.exec(select(Employer.id).where(Employer.organisation_number == data.organisation_number)).first():
        raise Conflict(f"Organisasjonsnummer {data.organisation_number} er allerede registrert.",
                       field="organisation_number")
    employer = Employer(**data.model_dump())
    session.add(employer)
    session.flush()
    _record_status(session, employer, EmployerStatus.potential, actor, "Registrert")
    session.flush()
    return employer


def create_employers(session: Session, items: Sequence[EmployerCreate], actor: Principal,
                     ) -> tuple[list[int], dict[int, DomainError]]:
    """Many employers at once (imports), with the rules of create_employer, in a few bulk statements.
    Returns the new ids, or the error of each item that breaks a rule (then nothing is written)."""
    now = utcnow()
    rows = prepare_rows(session, Employer, [{"status": EmployerStatus.potential, "created_at": now,
                                             "updated_at": now, "version": 1, **d.model_dump()} for d in items])
    errors: dict[int, DomainError] = {}
    numbers = [d.organisation_number for d in items]
    registered: set[str] = set()
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        registered |= set(session.exec(select(Employer.organisation_number)
                                       .where(col(Employer.organisation_number).in_(chunk))))
    first_row: dict[str, int] = {}
    for index, data in enumerate(items):
        try:
            validate_organisation_number(data.organisation_number)
            if data.organisation_number in registered:
                raise Conflict(f"Organisasjonsnummer {data.organisation_number} er allerede registrert.",
                               field="organisation_number")
            if data.organisation_number in first_row:
                raise Conflict(f"Organisasjonsnummer {data.organisation_number} står to ganger i filen.",
                               field="organisation_number")
            first_row[data.organisation_number] = index
        except DomainError as exc:
            errors[index] = exc
    if errors:
        return [], errors
    ids = bulk_insert(session, rows, return_ids=True)
    bulk_insert(session, prepare_rows(session, EmployerStatusChange, [
        {"employer_id": i, "status": EmployerStatus.potential, "changed_by": actor.user_id,
         "changed_by_name": actor.name, "note": "Registrert", "changed_at": now} for i in ids]))
    return ids, {}


def update_employer(session: Session, employer_id: int, data: EmployerUpdate, actor: Principal) -> Employer:
    employer = get_employer(session, employer_id)
    if data.version is not None and data.version != employer.version:
        raise Conflict(f"Arbeidsgiveren er endret av noen andre (versjon {employer.version}).", field="version")
    for field, value in data.model_dump(exclude_unset=True, exclude={"version"}).items():
        if value is None and field in ("name", "sector", "municipality_code"):
            raise Invalid("Feltet kan ikke tømmes.", field=field)
        setattr(employer, field, value)
    employer.updated_at = utcnow()
    flush_or_conflict(session, "Arbeidsgiveren ble endret samtidig. Last inn på nytt.")
    return employer


def change_status(session: Session, employer_id: int, change: StatusChangeIn, actor: Principal) -> Employer:
    employer = get_employer(session, employer_id)
    _record_status(session, employer, change.status, actor, change.note)
    employer.updated_at = utcnow()
    flush_or_conflict(session, "Arbeidsgiveren ble endret samtidig. Last inn på nytt.")
    return employer


def status_history(session: Session, employer_id: int) -> list[EmployerStatusChange]:
    get_employer(session, employer_id)
    stmt = select(EmployerStatusChange).where(EmployerStatusChange.employer_id == employer_id)
    return list(session.exec(stmt.order_by(col(EmployerStatusChange.changed_at).desc(), col(EmployerStatusChange.id).desc())))


def list_employers(
    session: Session, *, status: str | None = None, sector: str | None = None,
    municipality_code: str | None = None, search: str | None = None,
) -> list[Employer]:
    stmt = select(Employer)
    if status:
        stmt = stmt.where(Employer.status == status)
    if sector:
        stmt = stmt.where(Employer.sector == sector)
    if municipality_code:
        stmt = stmt.where(Employer.municipality_code == municipality_code)
    if search:
        stmt = stmt.where(col(Employer.name).ilike(f"%{search}%") | (Employer.organisation_number == search))
    return list(session.exec(stmt.order_by(Employer.name)))


def add_contact_person(session: Session, employer_id: int, data: ContactPersonIn) -> ContactPerson:
    get_employer(session, employer_id)
    person = ContactPerson(employer_id=employer_id, **data.model_dump())
    session.add(person)
    session.flush()
    return person


def update_contact_person(session: Session, employer_id: int, person_id: int, data: ContactPersonIn) -> ContactPerson:
    person = _contact_person(session, employer_id, person_id, field=None)
    for field, value in data.model_dump().items():
        setattr(person, field, value)
    session.flush()
    return person


def _contact_person(session: Session, employer_id: int, person_id: int, field: str | None = "contact_person_id"):
    person = session.get(ContactPerson, person_id)
    if person is None or person.employer_id != employer_id:
        raise (Invalid if field else NotFound)(
            f"Kontaktperson {person_id} hører ikke til arbeidsgiver {employer_id}.", field=field)
    return person


def contact_people(session: Session, employer_id: int) -> list[ContactPerson]:
    get_employer(session, employer_id)
    return list(session.exec(select(ContactPerson).where(ContactPerson.employer_id == employer_id).order_by(ContactPerson.id)))


def add_agreement(session: Session, employer_id: int, data: AgreementIn, actor: Principal) -> StandingAgreement:
    get_employer(session, employer_id)
    agreement = StandingAgreement(employer_id=employer_id, created_by=actor.user_id, **data.model_dump())
    session.add(agreement)
    session.flush()
    return agreement


def agreements(session: Session, employer_id: int) -> list[StandingAgreement]:
    get_employer(session, employer_id)
    return list(session.exec(select(StandingAgreement).where(StandingAgreement.employer_id == employer_id)
                             .order_by(StandingAgreement.start)))


def has_active_agreement(session: Session, employer_ids: Sequence[int], on: date) -> set[int]:
    """Employers with a standing agreement in force on a date (for matching's employer factor)."""
    stmt = select(StandingAgreement.employer_id).where(
        col(StandingAgreement.employer_id).in_(list(employer_ids)), StandingAgreement.start <= on,
        (col(StandingAgreement.end).is_(None)) | (StandingAgreement.end >= on),
    )
    return set(session.exec(stmt))


def record_discrimination(session: Session, employer_id: int, data: DiscriminationIn, actor: Principal):
    get_employer(session, employer_id)
    row = DiscriminationObservation(employer_id=employer_id, recorded_by=actor.user_id, **data.model_dump())
    session.add(row)
    session.flush()
    return row


def discrimination_observations(session: Session, employer_id: int) -> list[DiscriminationObservation]:
    get_employer(session, employer_id)
    stmt = select(DiscriminationObservation).where(DiscriminationObservation.employer_id == employer_id)
    return list(session.exec(stmt.order_by(col(DiscriminationObservation.observed_on).desc())))


# ---------------------------------------------------------------- contact log


def log_contact(session: Session, employer_id: int | None, data: ContactLogIn, actor: Principal) -> ContactLogEntry:
    """Log a call, SMS, e-mail, meeting or visit: with an employer (about candidates, or general), or with
    candidates alone (employer_id None). A first contact moves a potential employer to contacted."""
    employer = get_employer(session, employer_id) if employer_id is not None else None
    candidate_ids = sorted(set(data.candidate_ids))
    if employer is None and not candidate_ids:
        raise Invalid("Velg en arbeidsgiver, en kandidat eller begge.", field="candidate_ids")
    if data.contact_person_id is not None:
        if employer_id is None:
            raise Invalid("En kontaktperson hører til en arbeidsgiver: velg arbeidsgiveren.", field="contact_person_id")
        _contact_person(session, employer_id, data.contact_person_id)
    if data.next_follow_up and data.next_follow_up < data.occurred_at.date():
        raise Invalid("Neste oppfølging kan ikke være før kontakten.", field="next_follow_up")
    if candidate_ids:
        found = set(session.exec(select(Candidate.id).where(col(Candidate.id).in_(candidate_ids))))
        missing = [c for c in candidate_ids if c not in found]
        if missing:
            raise Invalid(f"Ukjente kandidater: {', '.join(map(str, missing))}.", field="candidate_ids")
        hidden = sorted(set(candidate_ids) - visible_ids(session, actor, candidate_ids))
        if hidden:
            raise Forbidden(f"Du har ikke tilgang til kandidat {', '.join(map(str, hidden))}: konsulenter ser bare "
                            "kandidater som er tildelt deres rekrutteringspartner.", field="candidate_ids")
    entry = ContactLogEntry(employer_id=employer_id, consultant_id=actor.user_id,
                            **data.model_dump(exclude={"candidate_ids", "employer_id"}))
    session.add(entry)
    session.flush()
    for candidate_id in candidate_ids:
        session.add(ContactLogCandidate(contact_id=entry.id, candidate_id=candidate_id))
    if employer is not None and employer.status == EmployerStatus.potential:
        _record_status(session, employer, EmployerStatus.contacted, actor, "Første kontakt logget")
    session.flush()
    return entry


def _linked_candidates(session: Session, contact_ids: Sequence[int]) -> dict[int, list[int]]:
    linked: dict[int, list[int]] = defaultdict(list)
    if contact_ids:
        stmt = select(ContactLogCandidate).where(col(ContactLogCandidate.contact_id).in_(list(contact_ids)))
        for row in session.exec(stmt.order_by(ContactLogCandidate.candidate_id)):
            linked[row.contact_id].append(row.candidate_id)
    return linked


def contacts_public(session: Session, entries: Sequence[ContactLogEntry], *,
                    actor: Principal | None) -> list[ContactLogPublic]:
    """The entries as shown. With `actor`, an entry that concerns a candidate the actor may not see
    is left out whole (its text may be about that candidate); entries about no candidate stay.
    `actor=None` only where the caller has already checked access (the data export)."""
    linked = _linked_candidates(session, [e.id for e in entries])
    if actor is not None:
        seen = visible_ids(session, actor, [c for ids in linked.values() for c in ids])
        entries = [e for e in entries if all(c in seen for c in linked.get(e.id, []))]
    names = dict(session.exec(select(Employer.id, Employer.name).where(
        col(Employer.id).in_({e.employer_id for e in entries if e.employer_id is not None}))).all()) if entries else {}
    return [
        ContactLogPublic(**e.model_dump(), employer_name=names.get(e.employer_id), candidate_ids=linked.get(e.id, []))
        for e in entries
    ]


def candidates_in(entries: Sequence[ContactLogPublic]) -> list[int]:
    """The candidates these entries concern: whoever is shown an entry has read about them."""
    return [candidate_id for entry in entries for candidate_id in entry.candidate_ids]


def list_contacts(
    session: Session, *, employer_id: int | None = None, consultant_id: int | None = None,
    candidate_id: int | None = None, date_from: date | None = None, date_to: date | None = None,
) -> list[ContactLogEntry]:
    stmt = _contacts_stmt(employer_id, consultant_id, candidate_id, date_from, date_to)
    return list(session.exec(stmt.order_by(col(ContactLogEntry.occurred_at).desc(), col(ContactLogEntry.id).desc())))


def _contacts_stmt(employer_id, consultant_id, candidate_id, date_from, date_to):
    stmt = select(ContactLogEntry)
    if employer_id is not None:
        stmt = stmt.where(ContactLogEntry.employer_id == employer_id)
    if consultant_id is not None:
        stmt = stmt.where(ContactLogEntry.consultant_id == consultant_id)
    if candidate_id is not None:
        linked = select(ContactLogCandidate.contact_id).where(ContactLogCandidate.candidate_id == candidate_id)
        stmt = stmt.where(col(ContactLogEntry.id).in_(linked))
    if date_from is not None:
        stmt = stmt.where(ContactLogEntry.occurred_at >= start_of_day(date_from))
    if date_to is not None:
        stmt = stmt.where(ContactLogEntry.occurred_at < start_of_day(date.fromordinal(date_to.toordinal() + 1)))
    return stmt


def follow_ups_due(session: Session, *, consultant_id: int | None, actor: Principal | None,
                   as_of: date | None = None) -> list[FollowUpDue]:
    """Follow-ups due today or overdue, oldest first, for one consultant or everyone; with `actor`,
    without entries about candidates the actor may not see (None: the reminder job, which names none)."""
    day = as_of or today()
    stmt = select(ContactLogEntry).where(
        col(ContactLogEntry.next_follow_up).is_not(None), ContactLogEntry.next_follow_up <= day,
        col(ContactLogEntry.follow_up_done_at).is_(None),
    )
    if consultant_id is not None:
        stmt = stmt.where(ContactLogEntry.consultant_id == consultant_id)
    entries = list(session.exec(stmt.order_by(ContactLogEntry.next_follow_up, ContactLogEntry.id)))
    return [
        FollowUpDue(**c.model_dump(), days_overdue=(day - c.next_follow_up).days)
        for c in contacts_public(session, entries, actor=actor)
    ]


def complete_follow_up(session: Session, contact_id: int, actor: Principal | None, note: str | None = None
                       ) -> ContactLogEntry:
    entry = session.get(ContactLogEntry, contact_id)
    if entry is None:
        raise NotFound(f"Kontakt {contact_id} finnes ikke.")
    if actor is not None and not contacts_public(session, [entry], actor=actor):
        raise Forbidden("Kontakten gjelder en kandidat du ikke har tilgang til.")
    if entry.next_follow_up is None:
        raise Invalid("Kontakten har ingen oppfølging.", field="next_follow_up")
    entry.follow_up_done_at = entry.follow_up_done_at or utcnow()
    if note:
        entry.follow_up_note = note
    session.flush()
    return entry


def contact_durations(
    session: Session, *, by: str, actor: Principal | None, date_from: date | None = None,
    date_to: date | None = None, employer_id: int | None = None,
) -> list[DurationRow]:
    """Minutes of contact per employer, consultant or candidate in a period. A contact about several
    candidates is split evenly between them, so the candidates' minutes add up to the total."""
    entries = session.exec(_contacts_stmt(employer_id, None, None, date_from, date_to)).all()
    minutes: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    if by == "candidate":
        linked = _linked_candidates(session, [e.id for e in entries])
        for e in entries:
            for candidate_id in linked.get(e.id, []):
                minutes[candidate_id] += e.duration_minutes / len(linked[e.id])
                counts[candidate_id] += 1
        if actor is not None:  # only the candidates the actor may see are named
            seen = visible_ids(session, actor, minutes)
            minutes = defaultdict(float, {k: v for k, v in minutes.items() if k in seen})
        names = {c.id: f"{c.first_name} {c.last_name}" for c in session.exec(
            select(Candidate).where(col(Candidate.id).in_(list(minutes))))}
    elif by in ("employer", "consultant"):
        for e in entries:
            key = e.employer_id if by == "employer" else e.consultant_id
            if key is None:  # a contact with candidates alone belongs to no employer
                continue
            minutes[key] += e.duration_minutes
            counts[key] += 1
        if by == "employer":
            names = dict(session.exec(select(Employer.id, Employer.name).where(col(Employer.id).in_(list(minutes)))).all())
        else:
            from accounts.models import User

            names = dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(list(minutes)))).all())
    else:
        raise Invalid("by må være employer, consultant eller candidate.", field="by")
    rows = [DurationRow(key=k, name=names.get(k, str(k)), contacts=counts[k], minutes=round(minutes[k], 1))
            for k in minutes]
    return sorted(rows, key=lambda r: (-r.minutes, r.name))


# ---------------------------------------------------------------- barometer


def ensure_default_question_set(session: Session) -> BarometerQuestionSet:
    row = session.exec(select(BarometerQuestionSet).order_by(BarometerQuestionSet.version)).first()
    if row is not None:
        return row
    row = BarometerQuestionSet(version=1, title=barometer.TITLE)
    session.add(row)
    session.flush()
    for position, (key, text, kind, lo, hi, parent) in enumerate(barometer.QUESTIONS, start=1):
        session.add(BarometerQuestion(question_set_id=row.id, key=key, text=text, answer_type=kind, scale_min=lo,
                                      scale_max=hi, follow_up_of=parent, position=position))
    session.flush()
    return row


def active_question_set(session: Session) -> tuple[BarometerQuestionSet, list[BarometerQuestion]]:
    row = session.exec(select(BarometerQuestionSet).order_by(col(BarometerQuestionSet.version).desc())).first()
    row = row or ensure_default_question_set(session)
    questions = session.exec(select(BarometerQuestion).where(BarometerQuestion.question_set_id == row.id)
                             .order_by(BarometerQuestion.position)).all()
    return row, list(questions)


def _answer_row(question: BarometerQuestion, value) -> BarometerAnswer:
    field = f"answers.{question.key}"
    kind = question.answer_type
    if kind == "yes_no":
        if not isinstance(value, bool):
            raise Invalid("Svaret må være true eller false.", field=field)
        return BarometerAnswer(question_key=question.key, bool_value=value)
    if kind in ("number", "scale"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid("Svaret må være et tall.", field=field)
        if kind == "number" and value < 0:
            raise Invalid("Tallet kan ikke være negativt.", field=field)
        if kind == "scale" and not (question.scale_min <= value <= question.scale_max and float(value).is_integer()):
            raise Invalid(f"Svaret må være et helt tall fra {question.scale_min} til {question.scale_max}.", field=field)
        return BarometerAnswer(question_key=question.key, number_value=float(value))
    if not isinstance(value, str) or len(value) > 4000:
        raise Invalid("Svaret må være tekst (høyst 4000 tegn).", field=field)
    return BarometerAnswer(question_key=question.key, text_value=value.strip())


def record_survey(session: Session, employer_id: int, data: BarometerSurveyIn, actor: Principal) -> BarometerSurvey:
    """Store one round of barometer answers. Earlier rounds stay, so change over time is visible."""
    get_employer(session, employer_id)
    if data.contact_person_id is not None:
        _contact_person(session, employer_id, data.contact_person_id)
    question_set, questions = active_question_set(session)
    by_key = {q.key: q for q in questions}
    unknown = [k for k in data.answers if k not in by_key]
    if unknown:
        raise Invalid(f"Ukjente spørsmål: {', '.join(unknown)}.", field="answers")
    answers = [_answer_row(by_key[k], v) for k, v in data.answers.items() if v is not None]
    if not answers:
        raise Invalid("Minst ett spørsmål må være besvart.", field="answers")
    survey = BarometerSurvey(employer_id=employer_id, question_set_version=question_set.version,
                             asked_on=data.asked_on, asked_by=actor.user_id, asked_by_name=actor.name,
                             contact_person_id=data.contact_person_id)
    session.add(survey)
    session.flush()
    for answer in answers:
        answer.survey_id = survey.id
        session.add(answer)
    session.flush()
    return survey


def _answers(session: Session, survey_ids: Sequence[int]) -> dict[int, dict[str, object]]:
    result: dict[int, dict[str, object]] = defaultdict(dict)
    if survey_ids:
        for a in session.exec(select(BarometerAnswer).where(col(BarometerAnswer.survey_id).in_(list(survey_ids)))):
            value = a.bool_value if a.bool_value is not None else a.number_value if a.number_value is not None else a.text_value
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            result[a.survey_id][a.question_key] = value
    return result


def _profile_public(answers: dict, asked_on: date | None) -> BarometerProfilePublic:
    p = barometer.profile(answers)
    return BarometerProfilePublic(level=p.level, label=p.label, rule=p.rule, based_on_survey=asked_on)


def surveys(session: Session, employer_id: int) -> list[BarometerSurveyPublic]:
    get_employer(session, employer_id)
    rows = session.exec(select(BarometerSurvey).where(BarometerSurvey.employer_id == employer_id)
                        .order_by(col(BarometerSurvey.asked_on).desc(), col(BarometerSurvey.id).desc())).all()
    answers = _answers(session, [s.id for s in rows])
    return [
        BarometerSurveyPublic(**s.model_dump(), answers=answers.get(s.id, {}),
                              profile=_profile_public(answers.get(s.id, {}), s.asked_on))
        for s in rows
    ]


def latest_profiles(session: Session, employer_ids: Sequence[int] | None = None) -> dict[int, BarometerProfilePublic]:
    """Each employer's profile from its latest barometer round ('unknown' when never asked)."""
    stmt = select(BarometerSurvey)
    if employer_ids is not None:
        stmt = stmt.where(col(BarometerSurvey.employer_id).in_(list(employer_ids)))
    latest: dict[int, BarometerSurvey] = {}
    for s in session.exec(stmt.order_by(BarometerSurvey.asked_on, BarometerSurvey.id)):
        latest[s.employer_id] = s
    answers = _answers(session, [s.id for s in latest.values()])
    ids = employer_ids if employer_ids is not None else session.exec(select(Employer.id)).all()
    return {
        eid: _profile_public(answers.get(latest[eid].id, {}), latest[eid].asked_on) if eid in latest
        else _profile_public({}, None)
        for eid in ids
    }


def barometer_overview(session: Session, *, by: str) -> list[BarometerOverviewRow]:
    if by not in ("sector", "municipality"):
        raise Invalid("by må være sector eller municipality.", field="by")
    employers = session.exec(select(Employer)).all()
    profiles = latest_profiles(session, [e.id for e in employers])
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict(experienced=0, some=0, none=0, unknown=0))
    for e in employers:
        group = e.sector if by == "sector" else e.municipality_code
        counts[group][profiles[e.id].level] += 1
    return [BarometerOverviewRow(group=g, **c) for g, c in sorted(counts.items())]


# ---------------------------------------------------------------- vacancies


def occupation_suggestions(title: str) -> list[dict]:
    """The three unit groups a title most likely means, for the submitter to choose from."""
    return [{"code": m.code, "name": m.title, "confidence": m.confidence} for m in suggest(title, 3)]


def _listed(suggestions: list[dict]) -> str:
    return "; ".join(f"{s['code']} {s['name']}" for s in suggestions) or "ingen"


def resolve_occupation(title: str, code: str | None) -> tuple[str, int]:
    """The occupation code and the confidence of the mapping (100 when the code was given). An unknown
    code, or a title mapped with too little confidence, is refused with the title's top suggestions."""
    if code is not None:
        if not is_unit_group(code):
            suggestions = occupation_suggestions(title)
            raise Invalid(f"'{code}' er ikke en yrkeskode i STYRK-08 (fire siffer, se GET /occupations). "
                          f"Forslag ut fra tittelen: {_listed(suggestions)}.", field="occupation_code",
                          details={"suggestions": suggestions})
        return code, 100
    suggestions = occupation_suggestions(title)
    if not suggestions or suggestions[0]["confidence"] < MIN_OCCUPATION_CONFIDENCE:
        raise Invalid(f"Fant ikke yrket for tittelen '{title}' sikkert nok. Oppgi occupation_code (STYRK-08). "
                      f"Forslag: {_listed(suggestions)}.", field="occupation_code", details={"suggestions": suggestions})
    return suggestions[0]["code"], suggestions[0]["confidence"]


@dataclass(frozen=True)
class VacancyText:
    """What a vacancy's texts give, worked out once: the occupation and the wording to review."""

    occupation_code: str
    occupation_confidence: int
    review_reasons: list[str]


def read_vacancy_text(data: VacancyIn) -> VacancyText:
    """Pure (no database): raises Invalid when the occupation cannot be found."""
    code, confidence = resolve_occupation(data.title, data.occupation_code)
    return VacancyText(code, confidence, [f"{h.reason}: «{h.text}»" for h in check_texts(data.title, data.description)])


def _apply(vacancy: Vacancy, data: VacancyIn, text: VacancyText | None = None) -> None:
    text = text or read_vacancy_text(data)
    values = data.model_dump(exclude={"occupation_code", "status"})
    for field, value in values.items():
        setattr(vacancy, field, value)
    vacancy.occupation_code, vacancy.occupation_confidence = text.occupation_code, text.occupation_confidence
    vacancy.review_reasons = list(text.review_reasons)
    vacancy.missing_fields = []  # the schema requires everything matching needs
    if vacancy.description_html is not None and vacancy.description != _previous_plain(vacancy):
        vacancy.description_html = None
    if data.status is VacancyStatus.draft:
        vacancy.status = VacancyStatus.draft
    elif text.review_reasons:
        vacancy.status = VacancyStatus.held_for_review
    elif vacancy.status in (None, VacancyStatus.draft, VacancyStatus.held_for_review):
        vacancy.status = VacancyStatus.open
    vacancy.updated_at = utcnow()


def _previous_plain(vacancy: Vacancy) -> str | None:
    """The plain text the kept HTML was read into (an edited description makes the HTML stale)."""
    from sqlalchemy import inspect

    history = inspect(vacancy).attrs.description.history
    return history.deleted[0] if history.deleted else vacancy.description


def submit_vacancies(session: Session, items: Sequence[tuple[str, VacancyIn, VacancyText]], source: str,
                     ) -> tuple[int, dict[int, DomainError]]:
    """Many vacancies at once (imports): (organisation number, vacancy, its read text) each, with the
    rules of submit_vacancy (an external_id already sent by that employer updates it). The same
    external_id twice for one employer in the batch is refused. Returns how many were stored, or the
    error of each item that breaks a rule (then nothing is written)."""
    numbers = {number for number, _, _ in items}
    employers = {e.organisation_number: e for e in session.exec(
        select(Employer).where(col(Employer.organisation_number).in_(numbers)))}
    wanted = {(employers[n].id, d.external_id) for n, d, _ in items if n in employers and d.external_id}
    existing: dict[tuple[int, str], Vacancy] = {}
    for employer_id in {e for e, _ in wanted}:
        ids = [x for e, x in wanted if e == employer_id]
        for start in range(0, len(ids), 500):
            for v in session.exec(select(Vacancy).where(Vacancy.employer_id == employer_id,
                                                        col(Vacancy.external_id).in_(ids[start:start + 500]))):
                existing[(employer_id, v.external_id)] = v
    errors: dict[int, DomainError] = {}
    seen: dict[tuple[int, str], int] = {}
    for index, (number, data, _) in enumerate(items):
        try:
            if number not in employers:
                raise NotFound(f"Organisasjonen {number} er ikke registrert som arbeidsgiver.",
                               field="organisation_number")
            key = (employers[number].id, data.external_id)
            if data.external_id and key in seen:
                raise Conflict(f"external_id '{data.external_id}' står flere ganger for samme arbeidsgiver.",
                               field="external_id")
            seen[key] = index
            if key in existing:
                _ensure_changeable(existing[key])
        except DomainError as exc:
            errors[index] = exc
    if errors:
        return 0, errors
    rows = []
    for number, data, text in items:
        employer_id = employers[number].id
        if (employer_id, data.external_id) in existing:
            _apply(existing[(employer_id, data.external_id)], data, text)
            continue
        vacancy = Vacancy(employer_id=employer_id, source=source, status=None)
        _apply(vacancy, data, text)
        rows.append(vacancy.model_dump(exclude={"id"}))
    bulk_insert(session, prepare_rows(session, Vacancy, rows))
    session.flush()
    return len(items), {}


def submit_vacancy(session: Session, employer: Employer, data: VacancyIn, source: str) -> tuple[Vacancy, bool]:
    """Create a vacancy, or update it when the employer already sent one with the same external_id
    (so a retried submission never duplicates). Returns the vacancy and whether it was created."""
    existing = None
    if data.external_id:
        existing = session.exec(select(Vacancy).where(Vacancy.employer_id == employer.id,
                                                      Vacancy.external_id == data.external_id)).first()
    if existing is not None:
        _ensure_changeable(existing)
        _apply(existing, data)
        flush_or_conflict(session, "Stillingen ble endret samtidig. Prøv igjen.")
        return existing, False
    vacancy = Vacancy(employer_id=employer.id, source=source, status=None)
    _apply(vacancy, data)
    session.add(vacancy)
    try:
        with session.begin_nested():  # a concurrent retry with the same external_id wins the insert
            session.flush()
    except IntegrityError:
        if not data.external_id:
            raise
        return submit_vacancy(session, employer, data, source)
    return vacancy, True


def _ensure_changeable(vacancy: Vacancy) -> None:
    if vacancy.status in (VacancyStatus.closed, VacancyStatus.filled):
        raise Conflict(f"Stillingen er {VACANCY_STATUS[vacancy.status].lower()} og kan ikke endres.", field="status")


def vacancy_for_employer(session: Session, vacancy_id: int, employer: Employer) -> Vacancy:
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None or vacancy.employer_id != employer.id:  # another organisation's: as if it did not exist
        raise NotFound(f"Stilling {vacancy_id} finnes ikke for {employer.name}.")
    return vacancy


def get_vacancy(session: Session, vacancy_id: int) -> Vacancy:
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound(f"Stilling {vacancy_id} finnes ikke.")
    return vacancy


def replace_vacancy(session: Session, vacancy: Vacancy, data: VacancyIn) -> Vacancy:
    _ensure_changeable(vacancy)
    if data.external_id and data.external_id != vacancy.external_id:
        clash = session.exec(select(Vacancy.id).where(Vacancy.employer_id == vacancy.employer_id,
                                                      Vacancy.external_id == data.external_id)).first()
        if clash:
            raise Conflict(f"external_id '{data.external_id}' brukes av stilling {clash}.", field="external_id")
    _apply(vacancy, data)
    flush_or_conflict(session, "Stillingen ble endret samtidig. Prøv igjen.")
    return vacancy


def set_vacancy_status(session: Session, vacancy: Vacancy, status: VacancyStatus) -> Vacancy:
    if status is VacancyStatus.open and vacancy.status == VacancyStatus.held_for_review:
        raise Conflict("Stillingen venter på gjennomgang av en konsulent.", field="status")
    if status is VacancyStatus.open and vacancy.missing_fields:
        from core.labels import MUST_COMPLETE

        raise Conflict("Stillingen kan ikke åpnes før dette er fylt ut: "
                       + ", ".join(MUST_COMPLETE.get(f, f) for f in vacancy.missing_fields) + ".", field="status")
    vacancy.status = status
    vacancy.updated_at = utcnow()
    flush_or_conflict(session, "Stillingen ble endret samtidig. Prøv igjen.")
    return vacancy


def review_vacancy(session: Session, vacancy_id: int, release: bool, actor: Principal) -> Vacancy:
    """A consultant releases a held vacancy (it opens) or rejects it (it closes)."""
    vacancy = get_vacancy(session, vacancy_id)
    if vacancy.status != VacancyStatus.held_for_review:
        raise Conflict(f"Stillingen venter ikke på gjennomgang (status {vacancy.status}).", field="status")
    vacancy.status = VacancyStatus.open if release else VacancyStatus.closed
    vacancy.reviewed_by, vacancy.reviewed_at = actor.user_id, utcnow()
    flush_or_conflict(session, "Stillingen ble endret samtidig. Prøv igjen.")
    return vacancy


def close_expired(session: Session, now=None) -> list[int]:
    """Vacancies past their expiry date close themselves (imported ads carry one). Returns their ids."""
    now = now or utcnow()
    stmt = select(Vacancy).where(col(Vacancy.expires_at).is_not(None), Vacancy.expires_at < now,
                                 col(Vacancy.status).in_([VacancyStatus.open, VacancyStatus.draft,
                                                          VacancyStatus.held_for_review]))
    closed = []
    for vacancy in session.exec(stmt):
        vacancy.status, vacancy.updated_at = VacancyStatus.closed, now
        closed.append(vacancy.id)
    session.flush()
    return closed


def list_vacancies(
    session: Session, *, employer_id: int | None = None, status: str | None = None,
    occupation_code: str | None = None, municipality_code: str | None = None,
) -> list[Vacancy]:
    stmt = select(Vacancy)
    if employer_id is not None:
        stmt = stmt.where(Vacancy.employer_id == employer_id)
    if status:
        stmt = stmt.where(Vacancy.status == status)
    if occupation_code:
        stmt = stmt.where(Vacancy.occupation_code == occupation_code)
    if municipality_code:
        stmt = stmt.where(Vacancy.municipality_code == municipality_code)
    return list(session.exec(stmt.order_by(Vacancy.start, Vacancy.id)))


def vacancy_public(vacancy: Vacancy) -> VacancyPublic:
    return VacancyPublic(**vacancy.model_dump(exclude={"raw_payload", "description_html"}),
                         occupation_title=occupation_title(vacancy.occupation_code) if vacancy.occupation_code else None)


def count_by_status(session: Session) -> dict[str, int]:
    return dict(session.exec(select(Vacancy.status, func.count()).group_by(Vacancy.status)).all())
