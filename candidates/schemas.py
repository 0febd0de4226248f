"""Request and response shapes for candidates. Field rules here give 422s that name the field."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, ValidationInfo, field_validator

from candidates.catalogue import CERTIFICATE_KINDS, SECTORS
from candidates.models import Candidate
from core.occupations import is_unit_group
from core.text import InputModel, MultiLineText
from core.types import CEFR, MunicipalityCode, PastDate, WorkingHours, not_before

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ProgrammeStatus(StrEnum):
    intake = "intake"  # inntak: not yet taken in
    active = "active"  # i program
    paused = "paused"
    in_recruitment = "in_recruitment"
    in_work = "in_work"
    completed = "completed"
    withdrawn = "withdrawn"


class ExitAssessment(StrEnum):
    job_ready = "job_ready"  # klar for jobb
    measures_ready = "measures_ready"  # klar for tiltak
    needs_more_help = "needs_more_help"  # trenger mer hjelp først
    disability_benefit = "disability_benefit"  # på vei mot uføretrygd
    unclarified = "unclarified"  # fortsatt uavklart


class ConsentPurpose(StrEnum):
    data_processing = "data_processing"  # behandling av personopplysninger i programmet
    presentation_to_employers = "presentation_to_employers"  # presenteres for arbeidsgivere
    share_with_recruiter = "share_with_recruiter"  # deles med rekrutteringsbyrået
    share_with_employer = "share_with_employer"  # navnet kan vises til én bestemt arbeidsgiver


class HandoverEndReason(StrEnum):
    consent_withdrawn = "consent_withdrawn"  # samtykket til deling trukket (satt av systemet)
    back_to_programme = "back_to_programme"  # tilbake til programmet
    candidate_wish = "candidate_wish"  # kandidatens ønske
    partner_request = "partner_request"  # partneren ba om det
    moved_to_other_partner = "moved_to_other_partner"  # flyttes til en annen partner
    other = "other"


class WishKind(StrEnum):
    occupation = "occupation"
    sector = "sector"



class Norskprove(InputModel):
    """Norskprøve result per part; levels A1-C1 as the test reports them."""

    test_date: date
    reading: CEFR | None = None
    listening: CEFR | None = None
    writing: CEFR | None = None
    oral: CEFR | None = None


class CertificateIn(InputModel):
    code: str = Field(description="Kode fra sertifikatkatalogen, f.eks. driving_licence_B, police_certificate")
    name: str | None = Field(default=None, max_length=200, description="Navn for kurs/annet")
    issued_on: date | None = None
    expires_on: date | None = None
    document_ref: str | None = Field(default=None, max_length=300)

    @field_validator("code")
    @classmethod
    def known_code(cls, value: str) -> str:
        if value not in CERTIFICATE_KINDS:
            raise ValueError(f"ukjent sertifikatkode '{value}'; gyldige: {', '.join(CERTIFICATE_KINDS)}")
        return value

    @field_validator("expires_on")
    @classmethod
    def _expires_on_not_before_issued_on(cls, value, info: ValidationInfo):
        return not_before(value, info, "issued_on")


class CertificatePublic(CertificateIn):
    text_rule = False  # stored data is shown as it is
    id: int
    label: str


def _unit_group(code: str) -> str:
    if not is_unit_group(code):
        raise ValueError(f"'{code}' er ikke en yrkeskode i STYRK-08 (fire siffer, se GET /occupations)")
    return code


class ExperienceIn(InputModel):
    employer_name: ShortText
    title: ShortText
    occupation_code: str | None = Field(default=None, max_length=10, description="STYRK-08-kode (fire siffer)")
    start: date | None = None
    end: date | None = None
    is_work_practice: bool = False
    description: MultiLineText | None = Field(default=None, max_length=2000)

    @field_validator("occupation_code")
    @classmethod
    def _known_occupation(cls, value: str | None) -> str | None:
        return None if value is None else _unit_group(value)

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, value, info: ValidationInfo):
        return not_before(value, info, "start")


class ExperiencePublic(ExperienceIn):
    text_rule = False  # stored data is shown as it is
    id: int

    @field_validator("occupation_code")
    @classmethod
    def _known_occupation(cls, value: str | None) -> str | None:
        return value  # shown as stored: codes recorded before they were checked must still be readable


class EducationIn(InputModel):
    institution: ShortText
    title: ShortText
    level: str | None = Field(default=None, max_length=60)
    country: str | None = Field(default=None, max_length=60)
    start: date | None = None
    end: date | None = None
    completed: bool = False

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, value, info: ValidationInfo):
        return not_before(value, info, "start")


class EducationPublic(EducationIn):
    text_rule = False  # stored data is shown as it is
    id: int


class ReferenceIn(InputModel):
    name: ShortText = Field(description="Referansens navn")
    relation: ShortText = Field(description="Hvem referansen er for kandidaten, f.eks. leder på praksisplassen")
    phone: str | None = Field(default=None, max_length=30, pattern=r"^\+?[0-9 ]{5,30}$")
    email: EmailStr | None = None
    checked_on: PastDate | None = Field(default=None, description="Dagen referansen ble sjekket")
    checked_by: str | None = Field(default=None, max_length=200, description="Hvem som sjekket den")
    note: MultiLineText | None = Field(default=None, max_length=2000)

    @field_validator("checked_by")
    @classmethod
    def _checked_by_needs_date(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and info.data.get("checked_on") is None and "checked_on" in info.data:
            raise ValueError("fyll ut datoen referansen ble sjekket")
        return value


class ReferencePublic(ReferenceIn):
    text_rule = False  # stored data is shown as it is
    id: int


class WishIn(InputModel):
    kind: WishKind
    value: ShortText = Field(description="sector: en bransje; occupation: en yrkestittel eller en STYRK-08-kode (fire siffer)")

    @field_validator("value")
    @classmethod
    def known_sector(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("kind") is WishKind.sector and value not in SECTORS:
            raise ValueError(f"ukjent bransje '{value}'; gyldige: {', '.join(SECTORS)}")
        if info.data.get("kind") is WishKind.occupation and value.strip().isdigit():
            return _unit_group(value.strip())
        return value


class ConsentIn(InputModel):
    purpose: ConsentPurpose
    employer_id: int | None = Field(default=None, validate_default=True,
                                    description="Påkrevd for share_with_employer: arbeidsgiveren det gjelder")
    partner_id: int | None = Field(default=None, validate_default=True,
                                   description="Påkrevd for share_with_recruiter: rekrutteringspartneren det gjelder")
    given_on: PastDate
    note: MultiLineText | None = Field(default=None, max_length=1000)

    @field_validator("employer_id")
    @classmethod
    def employer_named(cls, value: int | None, info: ValidationInfo) -> int | None:
        sharing = info.data.get("purpose") is ConsentPurpose.share_with_employer
        if sharing and value is None:
            raise ValueError("påkrevd når samtykket gjelder deling med en arbeidsgiver")
        if not sharing and value is not None:
            raise ValueError("gjelder bare samtykke til deling med en arbeidsgiver")
        return value

    @field_validator("partner_id")
    @classmethod
    def partner_named(cls, value: int | None, info: ValidationInfo) -> int | None:
        sharing = info.data.get("purpose") is ConsentPurpose.share_with_recruiter
        if sharing and value is None:
            raise ValueError("påkrevd når samtykket gjelder deling med en rekrutteringspartner")
        if not sharing and value is not None:
            raise ValueError("gjelder bare samtykke til deling med en rekrutteringspartner")
        return value


class ConsentPublic(ConsentIn):
    text_rule = False  # stored data is shown as it is

    @field_validator("partner_id")
    @classmethod
    def partner_named(cls, value: int | None, info: ValidationInfo) -> int | None:
        return value  # records from before partners were named are shown as they are
    id: int
    withdrawn_on: date | None
    recorded_by: int | None


class _CandidateFields(InputModel):
    """Fields shared by create and update; all optional here, required ones re-declared in create."""

    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=30, pattern=r"^\+?[0-9 ]{5,30}$")
    address: str | None = Field(default=None, max_length=300)
    contact_person_id: int | None = None
    norwegian_level: CEFR | None = Field(default=None, description="CEFR-nivå A1-C2")
    norskprove: Norskprove | None = None
    languages: list[ShortText] | None = None
    available_from: date | None = None
    available_to: date | None = None
    working_hours: list[WorkingHours] | None = None
    max_commute_km: int | None = Field(default=None, ge=0, le=500)
    exit_assessment: ExitAssessment | None = None
    certificates: list[CertificateIn] | None = None
    experience: list[ExperienceIn] | None = None
    education: list[EducationIn] | None = None
    wishes: list[WishIn] | None = None
    references: list[ReferenceIn] | None = None

    @field_validator("available_to")
    @classmethod
    def _available_to_not_before_available_from(cls, value, info: ValidationInfo):
        return not_before(value, info, "available_from")


class CandidateCreate(_CandidateFields):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "project_id": 1,
                    "first_name": "Amina",
                    "last_name": "Hassan",
                    "email": "amina.hassan@example.no",
                    "phone": "+47 900 12 345",
                    "municipality_code": "0301",
                    "norwegian_level": "B1",
                    "languages": ["somali", "arabisk", "norsk"],
                    "wanted_fte": 100,
                    "available_from": "2027-01-01",
                    "working_hours": ["day", "evening"],
                    "max_commute_km": 25,
                    "certificates": [{"code": "police_certificate", "issued_on": "2026-11-01"}],
                    "wishes": [{"kind": "sector", "value": "cleaning"}],
                    "consents": [{"purpose": "data_processing", "given_on": "2026-09-01"}],
                }
            ]
        }
    )

    project_id: int
    first_name: Name
    last_name: Name
    municipality_code: MunicipalityCode | None = Field(
        default=None, description="Bostedskommune (kommunenummer); prosjektets kommune hvis tom"
    )
    wanted_fte: int = Field(default=100, ge=1, le=100, description="Ønsket stillingsandel over året, 1-100 %")
    programme_status: ProgrammeStatus = ProgrammeStatus.active
    consents: list[ConsentIn] = Field(default_factory=list)


class CandidateUpdate(_CandidateFields):
    """Only the fields sent are changed. Lists sent replace the stored list.
    `version` is the version read; a stale one gives 409 instead of overwriting someone's change."""

    updates = Candidate  # null for a NOT NULL column is refused with a 422
    version: int | None = Field(default=None, description="Versjonen du leste (for å oppdage samtidige endringer)")
    first_name: Name | None = None
    last_name: Name | None = None
    municipality_code: MunicipalityCode | None = None
    wanted_fte: int | None = Field(default=None, ge=1, le=100)
    programme_status: ProgrammeStatus | None = None
    project_id: int | None = None


class CandidatePublic(BaseModel):
    id: int
    project_id: int
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    address: str | None
    municipality_code: str
    contact_person_id: int | None
    norwegian_level: CEFR | None
    norskprove: Norskprove | None
    languages: list[str]
    wanted_fte: int
    available_from: date | None
    available_to: date | None
    working_hours: list[WorkingHours]
    max_commute_km: int
    programme_status: ProgrammeStatus
    exit_assessment: ExitAssessment | None
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None
    version: int
    certificates: list[CertificatePublic]
    experience: list[ExperiencePublic]
    education: list[EducationPublic]
    wishes: list[WishIn]
    references: list[ReferencePublic] = []
    consents: list[ConsentPublic]


class CandidateSummary(BaseModel):
    """A row in the candidate list, with the readiness figures the list is filtered on."""

    id: int
    project_id: int
    first_name: str
    last_name: str
    municipality_code: str
    norwegian_level: CEFR | None
    wanted_fte: int
    programme_status: ProgrammeStatus
    archived: bool
    readiness_score: int
    formidlingsklar: bool
    step: int


class HandoverIn(InputModel):
    """Hand a candidate over to a recruitment partner. The candidate's consent to share with that
    partner (share_with_recruiter with its partner_id) must be recorded first."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"partner_id": 1}]})

    partner_id: int = Field(description="Rekrutteringspartneren kandidaten tildeles")
    started_on: PastDate | None = Field(default=None, description="Dato tildelt; i dag hvis tom")


class HandoverEndIn(InputModel):
    """Take a candidate back from the partner (end the handover), with a reason."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "back_to_programme"}]})

    reason: HandoverEndReason = Field(description="Årsak; consent_withdrawn settes bare når samtykket trekkes")
    note: MultiLineText | None = Field(default=None, max_length=1000)
    ended_on: PastDate | None = Field(default=None, description="Dato tatt tilbake; i dag hvis tom")

    @field_validator("reason")
    @classmethod
    def not_consent(cls, value: HandoverEndReason) -> HandoverEndReason:
        if value is HandoverEndReason.consent_withdrawn:
            raise ValueError("settes når samtykket trekkes; trekk samtykket i stedet")
        return value


class HandoverPublic(BaseModel):
    id: int
    candidate_id: int
    partner_id: int
    partner_name: str
    started_on: date
    started_by: int | None
    taken_back_in: bool = Field(description="Tatt inn igjen: en tidligere tildeling av kandidaten var avsluttet")
    ended_on: date | None
    ended_by: int | None
    end_reason: HandoverEndReason | None
    end_note: str | None
    standing: bool = Field(description="Tildelingen står (partnerens konsulenter ser kandidaten)")
