from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, ValidationInfo, field_validator

from candidates.catalogue import CERTIFICATE_KINDS, SECTORS
from core.text import InputModel, MultiLineText
from core.types import CEFR, MunicipalityCode, PastDate, WorkingHours, not_before
from employers.models import Employer

Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
OrgNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{9}$")]


class EmployerStatus(StrEnum):
    potential = "potential"  # potensiell
    contacted = "contacted"  # kontaktet
    in_dialogue = "in_dialogue"  # i dialog (gjentatte oppfølginger)
    customer = "customer"  # kunde
    inactive = "inactive"


class Unknown3(StrEnum):
    unknown = "unknown"
    yes = "yes"
    maybe = "maybe"
    no = "no"


class Attitude(StrEnum):
    unknown = "unknown"
    positive = "positive"
    neutral = "neutral"
    negative = "negative"


class ContactKind(StrEnum):
    phone = "phone"
    sms = "sms"
    email = "email"
    meeting = "meeting"
    visit = "visit"


class AgreementKind(StrEnum):
    recurring_recruitment = "recurring_recruitment"
    trial_period = "trial_period"
    work_practice = "work_practice"
    wage_subsidy = "wage_subsidy"
    on_call_temps = "on_call_temps"
    other = "other"


class ContractType(StrEnum):
    permanent = "permanent"
    temporary = "temporary"
    seasonal = "seasonal"
    on_call = "on_call"


class VacancyStatus(StrEnum):
    draft = "draft"
    held_for_review = "held_for_review"
    open = "open"
    filled = "filled"
    closed = "closed"


class PayUnit(StrEnum):
    hour = "hour"
    month = "month"
    year = "year"


def _sector(value: str) -> str:
    if value not in SECTORS:
        raise ValueError(f"ukjent bransje '{value}'; gyldige: {', '.join(SECTORS)}")
    return value


class StaffingSolutions(InputModel):
    work_practice_attitude: Attitude = Attitude.unknown
    wage_subsidy_interest: Unknown3 = Unknown3.unknown
    needs_on_call_temps: Unknown3 = Unknown3.unknown
    trial_period_before_hiring: Unknown3 = Unknown3.unknown


class EmployerCreate(StaffingSolutions):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "organisation_number": "974760673", "name": "Renhold Øst AS", "sector": "cleaning",
        "municipality_code": "0301", "address": "Storgata 1, 0155 Oslo", "employees": 120,
        "wage_subsidy_interest": "yes"}]})

    organisation_number: OrgNumber
    legal_entity_number: OrgNumber | None = Field(default=None, description="Hovedenhetens organisasjonsnummer; "
                                                  "stillinger sendt under det når også denne arbeidsgiveren")
    name: Text200
    sector: str
    municipality_code: MunicipalityCode
    address: str | None = Field(default=None, max_length=300)
    employees: int | None = Field(default=None, ge=0, le=1_000_000)
    notes: MultiLineText | None = Field(default=None, max_length=4000)

    @field_validator("sector")
    @classmethod
    def known_sector(cls, value: str) -> str:
        return _sector(value)


class EmployerUpdate(InputModel):
    updates = Employer  # null for a NOT NULL column is refused with a 422

    version: int | None = Field(default=None, description="Versjonen du leste; 409 hvis den er utdatert")
    name: Text200 | None = None
    sector: str | None = None
    municipality_code: MunicipalityCode | None = None
    address: str | None = Field(default=None, max_length=300)
    employees: int | None = Field(default=None, ge=0, le=1_000_000)
    notes: MultiLineText | None = Field(default=None, max_length=4000)
    work_practice_attitude: Attitude | None = None
    wage_subsidy_interest: Unknown3 | None = None
    needs_on_call_temps: Unknown3 | None = None
    trial_period_before_hiring: Unknown3 | None = None

    @field_validator("sector")
    @classmethod
    def known_sector(cls, value: str | None) -> str | None:
        return None if value is None else _sector(value)


class EmployerPublic(EmployerCreate):
    text_rule = False  # stored data is shown as it is
    id: int
    status: EmployerStatus
    created_at: datetime
    updated_at: datetime
    version: int


class StatusChangeIn(InputModel):
    status: EmployerStatus
    note: MultiLineText | None = Field(default=None, max_length=1000)


class StatusChangePublic(StatusChangeIn):
    text_rule = False  # stored data is shown as it is
    changed_at: datetime
    changed_by_name: str


class ContactPersonIn(InputModel):
    name: Text200
    role: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=30, pattern=r"^\+?[0-9 ]{5,30}$")
    email: EmailStr | None = None
    active: bool = True


class ContactPersonPublic(ContactPersonIn):
    text_rule = False  # stored data is shown as it is
    id: int
    employer_id: int


class AgreementIn(InputModel):
    kind: AgreementKind
    description: Annotated[MultiLineText, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    start: date
    end: date | None = None

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, value, info: ValidationInfo):
        return not_before(value, info, "start")


class AgreementPublic(AgreementIn):
    text_rule = False  # stored data is shown as it is
    id: int
    employer_id: int


class ContactLogIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "phone", "occurred_at": "2026-11-20T10:15:00+01:00", "duration_minutes": 12,
        "summary": "Snakket med daglig leder om to kandidater til renhold.", "outcome": "Ønsker CV-er",
        "next_follow_up": "2026-11-27", "candidate_ids": [12, 31]}]})

    kind: ContactKind
    occurred_at: datetime
    duration_minutes: int = Field(ge=1, le=24 * 60)
    summary: Annotated[MultiLineText, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
    outcome: MultiLineText | None = Field(default=None, max_length=1000)
    next_follow_up: date | None = None
    contact_person_id: int | None = None
    candidate_ids: list[int] = Field(default_factory=list, max_length=50)

    @field_validator("occurred_at")
    @classmethod
    def aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:  # a time without zone is Norwegian local time
            from core.types import LOCAL_TZ

            value = value.replace(tzinfo=LOCAL_TZ)
        return value


class ContactIn(ContactLogIn):
    """A contact from the consultant's log: with an employer (about candidates or general), or with
    candidates alone (a call, an SMS or a meeting with the job seeker)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "phone", "occurred_at": "2026-11-20T09:05:00+01:00", "duration_minutes": 6,
        "summary": "Forberedte kandidaten til intervjuet i morgen.", "candidate_ids": [12]}]})

    employer_id: int | None = Field(default=None, ge=1, description="Tom for en kontakt med kandidaten alene")


class FollowUpDoneIn(InputModel):
    note: MultiLineText | None = Field(default=None, max_length=1000, description="Hva oppfølgingen ga")


class ContactLogPublic(BaseModel):
    id: int
    employer_id: int | None
    employer_name: str | None
    consultant_id: int
    kind: ContactKind
    occurred_at: datetime
    duration_minutes: int
    summary: MultiLineText
    outcome: MultiLineText | None
    next_follow_up: date | None
    follow_up_done_at: datetime | None
    follow_up_note: MultiLineText | None = None
    contact_person_id: int | None
    candidate_ids: list[int]


class FollowUpDue(ContactLogPublic):
    days_overdue: int


class DurationRow(BaseModel):
    key: int
    name: str
    contacts: int
    minutes: float


class DiscriminationIn(InputModel):
    observed_on: PastDate
    description: Annotated[MultiLineText, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class DiscriminationPublic(DiscriminationIn):
    text_rule = False  # stored data is shown as it is
    id: int
    employer_id: int
    recorded_by: int | None
    created_at: datetime


class BarometerQuestionPublic(BaseModel):
    key: str
    text: str
    answer_type: str
    scale_min: int | None
    scale_max: int | None
    follow_up_of: str | None


class BarometerQuestionSetPublic(BaseModel):
    version: int
    title: str
    questions: list[BarometerQuestionPublic]


class BarometerSurveyIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "asked_on": "2026-11-20", "answers": {"immigrant_employees": 14, "employees_total": 120,
                                             "has_diversity_policy": True, "attitude_to_hiring": 4}}]})

    asked_on: PastDate
    contact_person_id: int | None = None
    answers: dict[str, float | bool | str | None] = Field(description="Svar per spørsmålsnøkkel")


class BarometerProfilePublic(BaseModel):
    level: str
    label: str
    rule: str
    based_on_survey: date | None


class BarometerSurveyPublic(BaseModel):
    id: int
    employer_id: int
    question_set_version: int
    asked_on: date
    asked_by_name: str
    answers: dict[str, float | bool | str | None]
    profile: BarometerProfilePublic


class BarometerOverviewRow(BaseModel):
    group: str
    experienced: int
    some: int
    none: int
    unknown: int


class VacancyIn(InputModel):
    """A vacancy as an employer or consultant submits it. Give `occupation_code` (STYRK-08) or
    let the title be mapped; a retried submission with the same `external_id` updates the vacancy."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "external_id": "ATS-2027-0042", "title": "Renholder 50 %, kveld", "occupation_code": "9112",
        "description": "Kveldsrenhold av kontorbygg. Norsk muntlig på B1-nivå.", "municipality_code": "0301",
        "fte": 50, "contract_type": "permanent", "start": "2027-01-15", "working_hours": ["evening"],
        "headcount": 2, "pay_amount": 215.5, "pay_unit": "hour", "required_certificates": [],
        "min_norwegian_level": "B1", "police_certificate_required": False}]})

    external_id: str | None = Field(default=None, max_length=100, pattern=r"^[\w.:/-]+$",
                                    description="Deres egen id; gjør innsending idempotent")
    title: Text200
    occupation_code: str | None = Field(default=None, description="STYRK-08-kode fra yrkeslisten (GET /occupations)")
    description: MultiLineText | None = Field(default=None, max_length=8000)
    municipality_code: MunicipalityCode
    fte: int = Field(ge=1, le=100, description="Stillingsprosent 1-100")
    contract_type: ContractType
    start: date
    end: date | None = Field(default=None, validate_default=True)
    working_hours: list[WorkingHours] = Field(min_length=1)
    headcount: int = Field(default=1, ge=1, le=500)
    pay_amount: float | None = Field(default=None, ge=0, le=10_000_000)
    pay_unit: PayUnit | None = Field(default=None, validate_default=True)
    required_certificates: list[str] = Field(default_factory=list, max_length=20)
    min_norwegian_level: CEFR | None = None
    police_certificate_required: bool = False
    documents_before_interview: bool = Field(
        default=False, description="Arbeidsgiver krever politiattest og vaksinasjonsdokumentasjon før intervjuet. "
        "Ellers hentes de etter intervjuet, før oppstart, og kandidater uten dem foreslås likevel.")
    status: VacancyStatus = Field(default=VacancyStatus.open, description="draft eller open ved innsending")

    @field_validator("required_certificates")
    @classmethod
    def known_certificates(cls, values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in CERTIFICATE_KINDS]
        if unknown:
            raise ValueError(f"ukjente sertifikatkoder: {', '.join(unknown)}")
        return sorted(set(values))

    @field_validator("end")
    @classmethod
    def end_fits_contract(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is None and info.data.get("contract_type") in (ContractType.temporary, ContractType.seasonal):
            raise ValueError("midlertidige stillinger og sesongstillinger må ha en sluttdato")
        return not_before(value, info, "start")

    @field_validator("pay_unit")
    @classmethod
    def pay_together(cls, value: PayUnit | None, info: ValidationInfo) -> PayUnit | None:
        if "pay_amount" in info.data and (info.data["pay_amount"] is None) != (value is None):
            raise ValueError("oppgi både lønn og hva den gjelder (per time, måned eller år), eller ingen av dem")
        return value

    @field_validator("status")
    @classmethod
    def submittable(cls, value: VacancyStatus) -> VacancyStatus:
        if value not in (VacancyStatus.draft, VacancyStatus.open):
            raise ValueError("status kan bare være draft eller open ved innsending")
        return value


class VacancyPublic(BaseModel):
    id: int
    employer_id: int
    external_id: str | None
    title: str
    occupation_code: str | None = Field(description="Tom i et utkast der yrket ikke er kjent")
    occupation_title: str | None
    occupation_confidence: int
    description: MultiLineText | None
    municipality_code: str
    fte: int | None = Field(description="Tom i et utkast der stillingsandelen ikke er oppgitt")
    contract_type: ContractType | None
    start: date | None
    end: date | None
    working_hours: list[WorkingHours]
    headcount: int
    pay_amount: float | None
    pay_unit: PayUnit | None
    required_certificates: list[str]
    min_norwegian_level: CEFR | None
    police_certificate_required: bool
    documents_before_interview: bool = False
    status: VacancyStatus
    review_reasons: list[str]
    missing_fields: list[str] = Field(default_factory=list, description="Må fylles ut før stillingen kan åpnes")
    suggested_requirements: list[dict] = Field(default_factory=list,
                                               description="Krav funnet i teksten: forslag, aldri satt av seg selv")
    application_deadline: date | None = None
    application_url: str | None = None
    application_email: str | None = None
    contacts: list[dict] = Field(default_factory=list)
    address: str | None = None
    postal_code: str | None = None
    published_at: datetime | None = None
    expires_at: datetime | None = None
    keywords: list[str] = Field(default_factory=list)
    sector_type: str | None = None
    shift_arrangement: str | None = None
    source: str
    created_at: datetime
    updated_at: datetime
    version: int


class BulkItemResult(BaseModel):
    index: int
    external_id: str | None
    outcome: str = Field(description="created | updated | held_for_review | error")
    vacancy: VacancyPublic | None = None
    status_code: int
    errors: list[dict] = Field(default_factory=list)


class BulkResult(BaseModel):
    created: int
    updated: int
    held_for_review: int
    errors: int
    results: list[BulkItemResult]


class ReviewDecision(InputModel):
    note: MultiLineText | None = Field(default=None, max_length=1000)


class OccupationGroupPublic(BaseModel):
    """A group of STYRK-08; unit groups (level 4) carry the project's title, sector and synonyms."""

    code: str
    level: int
    name: str = Field(description="SSBs navn")
    parent: str | None
    title: str | None = Field(default=None, description="Kort tittel (kuratert der den finnes)")
    nav_name: str | None = None
    nav_category: str | None = None
    sector: str | None = None
    synonyms: list[str] = Field(default_factory=list)


class OccupationPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[OccupationGroupPublic]


class OccupationSuggestion(BaseModel):
    code: str
    name: str
    confidence: int = Field(description="0-100")
    accepted: bool = Field(description="Høy nok til at tittelen godtas uten occupation_code")
