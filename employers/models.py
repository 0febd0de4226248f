"""Employer tables: the customer register, contact log, barometer, vacancies."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.types import utcnow

_employer_version = Column("version", Integer, nullable=False)
_vacancy_version = Column("version", Integer, nullable=False)


class Employer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_number: str = Field(max_length=9, unique=True, index=True)  # the business unit (underenhet)
    # The legal entity (hovedenhet) it belongs to, where known: ads under either number reach this employer.
    legal_entity_number: str | None = Field(default=None, max_length=9, index=True)
    name: str = Field(max_length=200, index=True)
    sector: str = Field(max_length=30, index=True)
    municipality_code: str = Field(max_length=4, index=True)
    address: str | None = Field(default=None, max_length=300)
    employees: int | None = None
    notes: str | None = Field(default=None, max_length=4000)
    status: str = Field(default="potential", max_length=20, index=True)
    # Staffing solutions (bemanningsløsninger): unknown until asked.
    work_practice_attitude: str = Field(default="unknown", max_length=20)  # positive | neutral | negative
    wage_subsidy_interest: str = Field(default="unknown", max_length=20)  # yes | maybe | no
    needs_on_call_temps: str = Field(default="unknown", max_length=20)  # yes | no
    trial_period_before_hiring: str = Field(default="unknown", max_length=20)  # yes | no
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=_employer_version)

    __mapper_args__ = {"version_id_col": _employer_version}  # type: ignore[dict-item]


class EmployerStatusChange(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    status: str = Field(max_length=20)
    changed_at: datetime = Field(default_factory=utcnow)
    changed_by: int | None = Field(default=None, foreign_key="user.id")
    changed_by_name: str = Field(sa_type=Text)  # copied from the actor: unbounded
    note: str | None = Field(default=None, max_length=1000)


class ContactPerson(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    name: str = Field(max_length=200)
    role: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=30)
    email: str | None = Field(default=None, max_length=254)
    active: bool = True


class StandingAgreement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    kind: str = Field(max_length=30)
    description: str = Field(max_length=2000)
    start: date
    end: date | None = None
    created_by: int | None = Field(default=None, foreign_key="user.id")


class ContactLogEntry(SQLModel, table=True):
    """A phone call, SMS, e-mail, meeting or visit. Candidates it concerned are linked separately. A contact
    with a candidate alone has no employer; a general contact with an employer concerns no candidate."""

    id: int | None = Field(default=None, primary_key=True)
    employer_id: int | None = Field(default=None, foreign_key="employer.id", index=True)
    contact_person_id: int | None = Field(default=None, foreign_key="contactperson.id")
    consultant_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=20)  # phone | sms | email | meeting | visit
    occurred_at: datetime = Field(index=True)
    duration_minutes: int
    summary: str = Field(max_length=4000)
    outcome: str | None = Field(default=None, max_length=1000)
    next_follow_up: date | None = Field(default=None, index=True)
    follow_up_done_at: datetime | None = None
    follow_up_note: str | None = Field(default=None, max_length=1000)  # what came of the follow-up
    created_at: datetime = Field(default_factory=utcnow)


class ContactLogCandidate(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("contact_id", "candidate_id"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contactlogentry.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)


class DiscriminationObservation(SQLModel, table=True):
    """A dated fact about an employer. Recorded for the outcome and the follow-up; never a
    matching feature (nothing in matching reads this table)."""

    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    observed_on: date
    description: str = Field(max_length=4000)
    recorded_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class BarometerQuestionSet(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    title: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class BarometerQuestion(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("question_set_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    question_set_id: int = Field(foreign_key="barometerquestionset.id", index=True)
    key: str = Field(max_length=60)
    text: str = Field(max_length=1000)
    answer_type: str = Field(max_length=10)  # number | yes_no | scale | text
    scale_min: int | None = None
    scale_max: int | None = None
    follow_up_of: str | None = Field(default=None, max_length=60)
    position: int


class BarometerSurvey(SQLModel, table=True):
    """One round of asking an employer the barometer questions. Asking again adds a survey."""

    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    question_set_version: int
    asked_on: date
    asked_by: int | None = Field(default=None, foreign_key="user.id")
    asked_by_name: str = Field(sa_type=Text)  # copied from the actor: unbounded
    contact_person_id: int | None = Field(default=None, foreign_key="contactperson.id")
    created_at: datetime = Field(default_factory=utcnow)


class BarometerAnswer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("survey_id", "question_key"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="barometersurvey.id", index=True)
    question_key: str = Field(max_length=60)
    number_value: float | None = None
    bool_value: bool | None = None
    text_value: str | None = Field(default=None, max_length=4000)


class Vacancy(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("employer_id", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    external_id: str | None = Field(default=None, max_length=100)
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, sa_type=Text)  # plain text (the wording rules read it)
    description_html: str | None = Field(default=None, sa_type=Text)  # sanitised HTML as the employer wrote it
    # Occupation, share, contract type and start may be unknown in a draft (an imported ad that did not say):
    # `missing_fields` lists what must be filled in before the vacancy can open and be matched.
    occupation_code: str | None = Field(default=None, max_length=10, index=True)
    occupation_confidence: int = 100  # 100 when given as a code; rapidfuzz's score when mapped from the title
    municipality_code: str = Field(max_length=4, index=True)
    fte: int | None = None
    contract_type: str | None = Field(default=None, max_length=20)  # permanent | temporary | seasonal | on_call
    start: date | None = None
    end: date | None = None
    working_hours: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    headcount: int = 1
    pay_amount: float | None = None
    pay_unit: str | None = Field(default=None, max_length=10)  # hour | month | year
    required_certificates: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    min_norwegian_level: str | None = Field(default=None, max_length=2)
    police_certificate_required: bool = False
    # The employer wants the police certificate and vaccination records before the interview;
    # otherwise they are fetched after it, before the start, and do not hide a candidate.
    documents_before_interview: bool = False
    status: str = Field(default="open", max_length=20, index=True)  # draft | held_for_review | open | filled | closed
    review_reasons: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reviewed_by: int | None = Field(default=None, foreign_key="user.id")
    reviewed_at: datetime | None = None
    missing_fields: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Requirements read from the text (førerkort, truckførerbevis, politiattest, norsknivå): suggestions for
    # the consultant, never set on the vacancy by themselves.
    suggested_requirements: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # What integrators send besides (NAV's ad format).
    application_deadline: date | None = None
    application_url: str | None = Field(default=None, max_length=1000)
    application_email: str | None = Field(default=None, max_length=254)
    # The employer's contact people for the ad (name, title, e-mail, phone): employer staff, not candidates.
    # Removed when an ad from the public feed becomes inactive (the feed's terms).
    contacts: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    address: str | None = Field(default=None, max_length=300)
    postal_code: str | None = Field(default=None, max_length=4)
    published_at: datetime | None = None
    expires_at: datetime | None = Field(default=None, index=True)  # past it, the vacancy closes itself
    keywords: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sector_type: str | None = Field(default=None, max_length=10)  # public | private
    shift_arrangement: str | None = Field(default=None, max_length=10)  # shift | rota | on_duty
    raw_payload: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))  # as received, for audit
    source: str = Field(default="consultant", max_length=20)  # consultant | employer_api | nav_import | nav_feed
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(default=1, sa_column=_vacancy_version)

    __mapper_args__ = {"version_id_col": _vacancy_version}  # type: ignore[dict-item]
