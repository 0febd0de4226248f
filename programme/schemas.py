"""Request and response shapes for referral, intake, exits and obstacles."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, ValidationInfo, field_validator

from core.text import InputModel, MultiLineText
from core.types import MunicipalityCode, PastDate

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")]


class ReferrerKind(StrEnum):
    nav_office = "nav_office"
    caseworker = "caseworker"
    other = "other"


class Decision(StrEnum):
    admitted = "admitted"
    refused = "refused"
    waiting_list = "waiting_list"


class ExitOutcome(StrEnum):
    completed = "completed"
    interrupted = "interrupted"


class ObstacleKind(StrEnum):
    norwegian = "norwegian"
    moving = "moving"
    education = "education"
    childcare = "childcare"
    documents = "documents"
    finances_housing = "finances_housing"
    health = "health"  # only that an obstacle exists: never details


class ObstacleOwner(StrEnum):
    candidate = "candidate"
    staff = "staff"
    consultant = "consultant"
    other_service = "other_service"


class CodeIn(InputModel):
    kind: Annotated[str, StringConstraints(pattern=r"^(criterion|refusal|completed|interrupted)$")]
    key: Key
    label: ShortText
    requires_text: bool = False


class CodeListIn(InputModel):
    codes: list[CodeIn] = Field(min_length=1)

    @field_validator("codes")
    @classmethod
    def every_kind_present(cls, codes: list[CodeIn]) -> list[CodeIn]:
        missing = {"refusal", "completed", "interrupted"} - {c.kind for c in codes}
        if missing:
            raise ValueError(f"mangler koder for {', '.join(sorted(missing))}")
        seen = set()
        for c in codes:
            if (c.kind, c.key) in seen:
                raise ValueError(f"koden {c.key} står to ganger")
            seen.add((c.kind, c.key))
        return codes


class CodePublic(BaseModel):
    kind: str
    key: str
    label: str
    requires_text: bool


class CodeListPublic(BaseModel):
    version: int
    created_at: datetime
    codes: list[CodePublic]


class LocalCriterionIn(InputModel):
    key: Key
    label: ShortText


class LocalCriterionPublic(BaseModel):
    id: int
    project_id: int
    key: str
    label: str


class ReferralIn(InputModel):
    """A referral of a person already registered (`candidate_id`) or of a new person (name, and the
    project for admins; the person is registered as in intake)."""

    candidate_id: int | None = None
    project_id: int | None = Field(default=None, description="For en ny person: prosjektet (ansatte: eget prosjekt)")
    first_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    last_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    municipality_code: MunicipalityCode | None = None
    referrer_kind: ReferrerKind
    referrer_name: ShortText = Field(description="Hvem som henviste, f.eks. «NAV Grünerløkka» eller saksbehandleren")
    referred_on: PastDate
    criteria_met: list[Key] = Field(default_factory=list, description="Inntakskriteriene som er oppfylt")
    interview_on: PastDate | None = None
    interview_note: MultiLineText | None = Field(default=None, max_length=2000)


class DecisionIn(InputModel):
    decision: Decision
    decided_on: PastDate
    start_on: date | None = Field(default=None, validate_default=True, description="Oppstart (for tatt inn)")
    refusal_reason: Key | None = Field(default=None, validate_default=True, description="Kode (for avslag)")
    refusal_text: MultiLineText | None = Field(default=None, max_length=1000)
    interview_on: PastDate | None = None
    interview_note: MultiLineText | None = Field(default=None, max_length=2000)

    @field_validator("start_on")
    @classmethod
    def start_for_admitted(cls, value: date | None, info: ValidationInfo) -> date | None:
        if info.data.get("decision") is Decision.admitted and value is None:
            raise ValueError("oppstartsdato er påkrevd når personen tas inn")
        return value

    @field_validator("refusal_reason")
    @classmethod
    def reason_for_refused(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("decision") is Decision.refused and not value:
            raise ValueError("årsak er påkrevd ved avslag")
        return value


class ReferralPublic(BaseModel):
    id: int
    candidate_id: int
    candidate_name: str
    project_id: int
    referrer_kind: str
    referrer_name: str
    referred_on: date
    code_list_version: int
    criteria: dict[str, bool]
    interview_on: date | None
    interview_note: str | None
    decision: str
    decided_on: date | None
    start_on: date | None
    refusal_reason: str | None
    refusal_text: str | None


class ExitIn(InputModel):
    on: PastDate
    outcome: ExitOutcome = Field(description="Fullført eller avbrutt: to grupper som aldri blandes")
    reason: Key = Field(description="Kode fra gruppen: fullført (utfall) eller avbrutt (årsak)")
    reason_text: MultiLineText | None = Field(default=None, max_length=1000)


class ExitPublic(BaseModel):
    id: int
    candidate_id: int
    on: date
    outcome: str
    reason: str
    reason_text: str | None
    code_list_version: int


class ObstacleIn(InputModel):
    kind: ObstacleKind
    found_on: PastDate
    owner: ObstacleOwner = Field(description="Hvem som jobber med det")
    note: MultiLineText | None = Field(default=None, max_length=2000, validate_default=True)

    @field_validator("note")
    @classmethod
    def no_health_details(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("kind") is ObstacleKind.health and value:
            raise ValueError("helse registreres bare som at et hinder finnes, aldri med detaljer: la notatet stå tomt")
        return value


class ObstacleResolveIn(InputModel):
    resolved_on: PastDate


class ObstaclePublic(BaseModel):
    id: int
    candidate_id: int
    kind: str
    found_on: date
    owner: str
    note: str | None
    resolved_on: date | None
