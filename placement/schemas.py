from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from core.text import InputModel, MultiLineText
from core.types import PastDate, WorkingHours, not_before, not_in_future


class Stage(StrEnum):
    proposed = "proposed"  # foreslått
    presented = "presented"  # presentert
    interview_scheduled = "interview_scheduled"  # innkalt til intervju
    interview_held = "interview_held"  # intervju gjennomført
    chance_lost = "chance_lost"  # mistet sjansen (uteble, takket nei)
    rejected = "rejected"  # avslått av arbeidsgiver
    offer = "offer"  # tilbud
    accepted = "accepted"  # takket ja
    started = "started"  # begynt
    permanent = "permanent"  # fast ansatt uten lønnstilskudd
    ended = "ended"  # avsluttet


# Where each stage may go next. Ended, rejected and a lost chance are final for this vacancy.
TRANSITIONS: dict[Stage, set[Stage]] = {
    Stage.proposed: {Stage.presented, Stage.chance_lost, Stage.ended},
    Stage.presented: {Stage.interview_scheduled, Stage.offer, Stage.rejected, Stage.chance_lost, Stage.ended},
    Stage.interview_scheduled: {Stage.interview_held, Stage.rejected, Stage.chance_lost, Stage.ended},
    Stage.interview_held: {Stage.interview_scheduled, Stage.offer, Stage.rejected, Stage.chance_lost, Stage.ended},
    Stage.offer: {Stage.accepted, Stage.chance_lost, Stage.ended},
    Stage.accepted: {Stage.started, Stage.chance_lost, Stage.ended},
    Stage.started: {Stage.permanent, Stage.ended},
    Stage.permanent: {Stage.ended},
    Stage.chance_lost: set(),
    Stage.rejected: set(),
    Stage.ended: set(),
}
NEEDS_REASON = {Stage.chance_lost, Stage.rejected, Stage.ended}
LOST_REASONS = ("no_show", "declined")


class TransitionIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"to": "interview_held", "on": "2026-11-20", "with_consultant": True, "note": "Gikk bra"},
        {"to": "chance_lost", "on": "2026-11-20", "reason": "no_show"},
        {"to": "started", "on": "2026-12-01", "fte": 50, "with_wage_subsidy": True}]})

    to: Stage
    on: date = Field(description="Datoen det skjedde; for innkalt til intervju: intervjudatoen, også fremover")
    with_consultant: bool = Field(default=False, description="Konsulent til stede på intervjuet (intervjubistand)")
    reason: MultiLineText | None = Field(default=None, max_length=1000, validate_default=True,
                               description="Påkrevd for chance_lost (no_show/declined), rejected og ended")
    note: MultiLineText | None = Field(default=None, max_length=2000)
    fte: int | None = Field(default=None, ge=1, le=100, description="Stillingsandel ved start (standard: stillingens)")
    with_wage_subsidy: bool | None = Field(default=None, description="Ved start: med lønnstilskudd")
    end: date | None = Field(default=None, description="Ved start: siste dag i perioden; tom for fast ansettelse")

    @field_validator("on")
    @classmethod
    def happened(cls, value: date, info: ValidationInfo) -> date:
        # An interview is called to ahead of its date; everything else is recorded when it has happened.
        if info.data.get("to") is Stage.interview_scheduled:
            return value
        return not_in_future(value)

    @field_validator("end")
    @classmethod
    def end_for_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None and info.data.get("to") is not Stage.started:
            raise ValueError("sluttdato gjelder bare ved start")
        return not_before(value, info, "on")

    @field_validator("reason")
    @classmethod
    def reason_for_stage(cls, value: str | None, info: ValidationInfo) -> str | None:
        to = info.data.get("to")
        if to in NEEDS_REASON and not (value or "").strip():
            raise ValueError(f"påkrevd for {to}")
        if to is Stage.chance_lost and value not in LOST_REASONS:
            raise ValueError(f"for chance_lost må den være en av: {', '.join(LOST_REASONS)}")
        return value


class PlacementIn(InputModel):
    candidate_id: int
    vacancy_id: int
    on: PastDate | None = Field(default=None, description="Datoen kandidaten ble foreslått; i dag hvis tom")
    note: MultiLineText | None = Field(default=None, max_length=2000)


class PlacementEventPublic(BaseModel):
    from_stage: Stage | None
    to_stage: Stage
    on: date
    with_consultant: bool
    reason: MultiLineText | None
    note: MultiLineText | None
    recorded_at: datetime
    recorded_by_name: str


class PlacementPublic(BaseModel):
    id: int
    candidate_id: int
    vacancy_id: int
    employer_id: int
    stage: Stage
    stage_on: date
    fte: int
    with_wage_subsidy: bool
    started_on: date | None
    ended_on: date | None
    run_id: int | None
    version: int
    next_stages: list[Stage]
    events: list[PlacementEventPublic]


class PartnerActivityRow(BaseModel):
    placement: PlacementPublic
    vacancy_title: str
    employer_name: str


class PartnerActivity(BaseModel):
    """What the recruitment partner is doing with a candidate (for the project's staff)."""

    candidate_id: int
    placements: list[PartnerActivityRow] = Field(description="Stillinger kandidaten er på, nyeste først, med hvert steg")
    presented: int = Field(description="Stillinger kandidaten er presentert for")
    interviews: int = Field(description="Stillinger med intervju (innkalt eller gjennomført)")
    offers: int = Field(description="Tilbud")


class PracticeKind(StrEnum):
    practice_training = "practice_training"
    practice_with_hiring_promise = "practice_with_hiring_promise"
    wage_subsidy = "wage_subsidy"


class WorkPracticeIn(InputModel):
    employer_id: int
    kind: PracticeKind
    start: date
    end: date | None = None
    subsidy_percent: int | None = Field(default=None, ge=1, le=100, validate_default=True)
    note: MultiLineText | None = Field(default=None, max_length=2000)

    @field_validator("end")
    @classmethod
    def end_not_before_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start")

    @field_validator("subsidy_percent")
    @classmethod
    def subsidy_named(cls, value: int | None, info: ValidationInfo) -> int | None:
        if info.data.get("kind") is PracticeKind.wage_subsidy and value is None:
            raise ValueError("påkrevd for wage_subsidy")
        return value


class WorkPracticePublic(WorkPracticeIn):
    text_rule = False  # stored data is shown as it is
    id: int
    candidate_id: int


class CandidateEventKind(StrEnum):
    first_interview = "first_interview"
    interview_training = "interview_training"
    need_uncovered = "need_uncovered"
    removed_from_process = "removed_from_process"
    taken_back_in = "taken_back_in"


class NeedKind(StrEnum):
    norwegian = "norwegian"
    moving = "moving"
    education = "education"
    obstacles = "obstacles"


class CandidateEventIn(InputModel):
    kind: CandidateEventKind
    on: PastDate
    detail: NeedKind | None = Field(default=None, validate_default=True, description=(
        "Hvilket behov (for need_uncovered, de fire gamle typene; nye behov registreres som hindringer: "
        "POST /candidates/{id}/obstacles)"))
    note: MultiLineText | None = Field(default=None, max_length=2000, validate_default=True)

    @field_validator("detail")
    @classmethod
    def need_named(cls, value: NeedKind | None, info: ValidationInfo) -> NeedKind | None:
        if info.data.get("kind") is CandidateEventKind.need_uncovered and value is None:
            raise ValueError("påkrevd for need_uncovered")
        return value

    @field_validator("note")
    @classmethod
    def reason_given(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("kind") is CandidateEventKind.removed_from_process and not (value or "").strip():
            raise ValueError("årsak er påkrevd for removed_from_process")
        return value


class CandidateEventPublic(CandidateEventIn):
    text_rule = False  # stored data is shown as it is
    id: int
    candidate_id: int


class FollowUpIn(InputModel):
    done_on: PastDate
    still_employed: bool
    fte: int | None = Field(default=None, ge=1, le=100)
    with_wage_subsidy: bool | None = None
    note: MultiLineText | None = Field(default=None, max_length=2000)


class FollowUpPublic(BaseModel):
    id: int
    placement_id: int
    candidate_id: int
    employer_id: int
    months: int
    due_on: date
    done_on: date | None
    still_employed: bool | None
    fte: int | None
    with_wage_subsidy: bool | None
    note: MultiLineText | None


class PresentableField(StrEnum):
    """What a presentation may show. Contact details, health, benefits, programme notes and the
    checklist's evidence are not on the list, so they can never be chosen."""

    norwegian_level = "norwegian_level"
    languages = "languages"
    certificates = "certificates"
    experience = "experience"
    education = "education"
    wanted_fte = "wanted_fte"
    available_from = "available_from"
    working_hours = "working_hours"


class PresentationIn(InputModel):
    """Tied to a vacancy (`vacancy_id`: the candidate enters its candidate list as presented) or
    unsolicited (`employer_id` only)."""

    candidate_id: int
    vacancy_id: int | None = Field(default=None, description="Stillingen; tom for en uoppfordret presentasjon")
    employer_id: int | None = Field(default=None, validate_default=True,
                                    description="Arbeidsgiveren, når presentasjonen ikke gjelder en stilling")
    fields: list[PresentableField] = Field(min_length=1, description="Det arbeidsgiveren får se")
    summary: MultiLineText = Field(default="", max_length=2000, description="Konsulentens presentasjon, uten helse og trygd")

    @field_validator("employer_id")
    @classmethod
    def vacancy_or_employer(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is None and info.data.get("vacancy_id") is None:
            raise ValueError("velg en stilling eller en arbeidsgiver")
        return value


class PresentationAnswer(StrEnum):
    interested = "interested"  # interessert
    wants_interview = "wants_interview"  # vil ha intervju
    not_now = "not_now"  # ikke nå


class AnswerReason(StrEnum):
    """Why an employer said "not now": a short list, with free text beside it."""

    position_filled = "position_filled"
    requirements_not_met = "requirements_not_met"
    norwegian_level = "norwegian_level"
    no_need_now = "no_need_now"
    timing = "timing"
    other = "other"


class PresentationAnswerIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"answer": "wants_interview", "answer_on": "2026-11-20", "proposed_times": ["2026-12-08T10:00:00+01:00"]},
        {"answer": "not_now", "answer_on": "2026-11-20", "answer_reason": "position_filled", "answer_note": "Ring i mars"}]})

    answer: PresentationAnswer
    answer_on: PastDate = Field(description="Dagen arbeidsgiveren svarte")
    proposed_times: list[datetime] = Field(default_factory=list, max_length=3,
                                           description="Tidspunktene arbeidsgiveren foreslo for intervju")
    answer_reason: AnswerReason | None = Field(default=None, validate_default=True, description="Påkrevd for not_now")
    answer_note: MultiLineText | None = Field(default=None, max_length=2000)
    vacancy_id: int | None = Field(default=None, description="For en uoppfordret presentasjon: stillingen et intervju gjelder")

    @field_validator("answer_reason")
    @classmethod
    def reason_for_not_now(cls, value: AnswerReason | None, info: ValidationInfo) -> AnswerReason | None:
        if info.data.get("answer") is PresentationAnswer.not_now and value is None:
            raise ValueError("påkrevd når arbeidsgiveren sier ikke nå")
        return value


class InterviewIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"starts_at": "2026-12-08T10:00:00+01:00", "place": "Renhold Øst AS, Storgata 1", "consultant_attends": True}]})

    starts_at: datetime = Field(description="Når intervjuet begynner (norsk tid hvis ingen tidssone er gitt)")
    place: str = Field(min_length=1, max_length=300, description="Hvor: adresse, eller telefon/video")
    consultant_attends: bool = Field(default=False, description="Konsulenten blir med (intervjubistand)")
    notes: MultiLineText | None = Field(default=None, max_length=2000)


class InterviewPublic(BaseModel):
    id: int
    placement_id: int
    candidate_id: int
    employer_id: int
    vacancy_id: int
    starts_at: datetime
    place: str
    consultant_attends: bool
    notes: MultiLineText | None
    consultant_id: int | None


class PresentationPublic(BaseModel):
    """As the consultant sees it."""

    id: int
    candidate_id: int
    employer_id: int
    vacancy_id: int | None
    fields: list[PresentableField]
    summary: MultiLineText
    presented_at: datetime
    withdrawn_at: datetime | None
    answer: PresentationAnswer | None = None
    answer_on: date | None = None
    answer_reason: AnswerReason | None = None
    answer_note: MultiLineText | None = None
    proposed_times: list[datetime] = []


class EmployerPresentation(BaseModel):
    """As the employer sees it: no id of the candidate, the name only with consent."""

    id: int
    vacancy_id: int | None
    name: str | None = Field(description="Bare når kandidaten har samtykket til å deles med dere")
    presented_at: datetime
    summary: MultiLineText
    details: dict


class CandidateJobIn(InputModel):
    """A job found on the candidate's own or held before. Give `employer_id` (a registered
    employer) or `employer_name` (free text)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "employer_name": "Kiwi Grønland", "title": "Butikkmedarbeider", "fte": 50, "start": "2027-01-04",
        "end": "2027-06-30", "working_hours": ["evening", "weekend"]}]})

    employer_id: int | None = Field(default=None, ge=1, description="Arbeidsgiver i kunderegisteret")
    employer_name: str | None = Field(default=None, min_length=1, max_length=200,
                                      description="Arbeidsgiverens navn når den ikke er registrert")
    title: str | None = Field(default=None, max_length=200)
    fte: int = Field(ge=1, le=100, description="Stillingsandel i prosent; høyst kandidatens ønskede andel")
    start: date
    end: date | None = Field(default=None, description="Siste dag; tom når jobben løper")
    working_hours: list[WorkingHours] = Field(default_factory=list, max_length=4)

    @field_validator("end")
    @classmethod
    def end_not_before_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        return not_before(value, info, "start")

    @field_validator("working_hours")
    @classmethod
    def distinct_hours(cls, values: list[WorkingHours]) -> list[WorkingHours]:
        return sorted(set(values))


class HeldJobPublic(BaseModel):
    """A job the candidate holds: from the pipeline (`source` placement, change it there) or recorded
    here (`source` recorded)."""

    source: str = Field(description="placement | recorded")
    id: int = Field(description="Formidlingens eller den registrerte jobbens id")
    employer_id: int | None
    employer_name: str
    title: str | None
    fte: int
    start: date
    end: date | None
    working_hours: list[str]


class WorkStatusPublic(BaseModel):
    in_work: bool
    year_full: bool
    year_filled_percent: float = Field(description="Andel av ønsket årsverk de neste 365 dagene som jobbene dekker")
    label: str


class CandidateJobsPublic(BaseModel):
    candidate_id: int
    wanted_fte: int
    status: WorkStatusPublic
    jobs: list[HeldJobPublic]


class WouldHire(StrEnum):
    yes = "yes"
    maybe = "maybe"
    no = "no"


class EmployerAssessmentIn(InputModel):
    """The employer's assessment after work practice or a trial period (1 = svært svakt, 5 = svært godt)."""

    punctuality: int = Field(ge=1, le=5, description="Oppmøte og punktlighet")
    cooperation: int = Field(ge=1, le=5, description="Samarbeid")
    work_quality: int = Field(ge=1, le=5, description="Arbeidskvalitet")
    would_hire: WouldHire = Field(description="Ville dere ansatt kandidaten?")
    note: MultiLineText | None = Field(default=None, max_length=2000)
