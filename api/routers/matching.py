"""Match runs for consultants: start one, watch its progress, read proposals, shortlists, what would
unlock more jobs, what changed since the last run; pin, veto and accept pairs."""

from datetime import date, datetime

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from accounts.service import Principal
from api.deps import allow, audit_read, get_session, settings_dep
from core import audit
from core.settings import Settings
from core.text import InputModel, MultiLineText
from core.types import Role, today
from jobs import service as jobs
from matching import service
from readiness.service import readiness_of

router = APIRouter(tags=["matching"])
CONSULTANTS = allow(Role.admin, Role.consultant)


class RunIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"time_limit": 10, "seed": 1, "min_step": 6}]})

    time_limit: float = Field(default=10, ge=1, le=600, description="Sekunder løseren får")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    min_step: int = Field(default=6, ge=1, le=7, description="Laveste trinn som kan matches (6 = formidlingsklar)")
    plan_start: date | None = Field(default=None, description="Første dag i planåret; i dag hvis tom")
    max_concurrent_jobs: int = Field(default=2, ge=1, le=5)
    shortlist_per_vacancy: int = Field(default=3, ge=1, le=20)
    shortlists_per_candidate: int = Field(default=3, ge=1, le=20)
    warm_start: bool = Field(default=True, description="Start fra forrige ferdige kjøring over de samme kandidatene og "
                             "det samme planåret (raskere etter noen få beslutninger); false: fra bunnen, som kan gi "
                             "litt andre forslag")


class WarmStartOut(BaseModel):
    from_run_id: int | None = Field(description="Kjøringen denne startet fra; null: kjørt fra bunnen")
    reused_components: int = Field(description="Deler (kandidater og stillinger som kan matches med hverandre) "
                                   "som var uendret og ble gjenbrukt")
    changed_components: int = Field(description="Deler som var endret eller nye og ble regnet på nytt")
    cold_reason: str | None = Field(description="Hvorfor fra bunnen: off | none | unreadable | unusable | mismatch "
                                    "| nothing_to_reuse")
    text: str


class RunOut(BaseModel):
    id: int
    status: str = Field(description="queued | running | done | failed | cancelled")
    job_id: int | None = Field(default=None, description="Jobben som kjører den (GET /jobs/{id}, avbryt med "
                               "POST /jobs/{id}/cancel)")
    params: dict
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress: int
    progress_message: str
    timings: dict
    stats: dict
    coverage_objective: int | None
    coverage_bound: int | None
    coverage_gap: float | None
    quality_objective: int | None
    quality_bound: int | None
    quality_gap: float | None
    solver_status: str | None
    messages: list[str]
    error: str | None
    warm_start: WarmStartOut | None = Field(default=None, description="Hvordan en ferdig kjøring startet: fra "
                                            "forrige kjøring eller fra bunnen")


class ProposalOut(BaseModel):
    candidate_id: int
    vacancy_id: int
    employer_id: int
    fte: int
    start: date
    end: date | None
    score: int
    year_coverage: float
    components: dict
    requirements_met: list[str]
    explanation: str
    notes: list[str] = Field(default_factory=list, description="Å planlegge: dokumenter før oppstart, tettere oppfølging")


class ShortlistOut(BaseModel):
    vacancy_id: int
    rank: int
    candidate_id: int
    score: int
    explanation: str


class UnlockOut(BaseModel):
    candidate_id: int
    kind: str
    value: str
    vacancies: int
    text: str


class DecisionIn(InputModel):
    candidate_id: int
    vacancy_id: int
    decision: str = Field(pattern="^(pin|veto|accept)$", description="pin = må, veto = aldri, accept = godtatt")
    note: MultiLineText | None = Field(default=None, max_length=1000)
    run_id: int | None = Field(default=None, description="Kjøringen forslaget kom fra (for accept)")


class DecisionOut(DecisionIn):
    text_rule = False  # stored data is shown as it is
    id: int
    decided_by: int | None
    decided_at: datetime
    withdrawn_at: datetime | None


def _with_job(session: Session, run, actor: Principal) -> dict:
    job = jobs.job_for_run(session, run.id)
    return {**run.model_dump(), "messages": service.visible_messages(session, actor, run), "job_id": job.id if job else None,
            "warm_start": service.warm_start_summary(run)}


def _named(session: Session, actor: Principal, runs) -> list[int]:
    """The candidates the shown messages name (only those the actor may see are shown)."""
    return [cid for run in runs for m in service.visible_messages(session, actor, run)
            if (cid := service.candidate_named(m)) is not None]


@router.post("/match-runs", response_model=RunOut, status_code=202, summary="Start en matchkjøring (jobb)",
             description="Kjøres som jobb av en arbeidsprosess. Bare én matchkjøring kjører om gangen: en ny venter "
                         "i kø bak den som kjører, og en forespørsel med samme parametere som en kjøring som "
                         "fortsatt står i kø, får den samme kjøringen tilbake.")
def post_run(body: RunIn, request: Request, actor: Principal = Depends(CONSULTANTS),
             session: Session = Depends(get_session), settings: Settings = Depends(settings_dep)):
    params = service.RunParams(**{**body.model_dump(), "plan_start": body.plan_start or today()})
    run, job, joined = jobs.start_match_run(session, params, actor, settings.job_max_attempts)
    session.commit()
    answer = {**run.model_dump(), "job_id": job.id}  # as it stands now, before a worker may take it
    if not joined:
        request.app.state.jobs.send(job.id)
    return answer


@router.get("/match-runs", response_model=list[RunOut], summary="Matchkjøringer, nyeste først")
def get_runs(actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    runs = service.list_runs(session, actor=actor)
    answer = [_with_job(session, run, actor) for run in runs]
    audit_read(session, actor, "meldinger i matchkjøringer", _named(session, actor, runs), action="list")
    return answer


@router.get("/match-runs/{run_id}", response_model=RunOut, summary="Status og fremdrift for en kjøring")
def get_run(run_id: int, actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    run = service.get_run(session, run_id, actor)
    answer = _with_job(session, run, actor)
    audit_read(session, actor, f"meldinger i kjøring {run_id}", _named(session, actor, [run]), action="list")
    return answer


@router.get("/match-runs/{run_id}/proposals", response_model=list[ProposalOut], summary="Forslag med forklaring")
def get_proposals(run_id: int, candidate_id: int | None = None, vacancy_id: int | None = None,
                  actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    rows = service.proposals(session, run_id, candidate_id, vacancy_id, actor=actor)
    audit_read(session, actor, f"matchforslag i kjøring {run_id}", [p.candidate_id for p in rows], action="list")
    return rows


@router.get("/match-runs/{run_id}/shortlists", response_model=list[ShortlistOut],
            summary="Kortlister: kandidater å presentere per stilling")
def get_shortlists(run_id: int, vacancy_id: int | None = None, actor: Principal = Depends(CONSULTANTS),
                   session: Session = Depends(get_session)):
    rows = service.shortlist(session, run_id, vacancy_id, actor=actor)
    audit_read(session, actor, f"kortlister i kjøring {run_id}", [s.candidate_id for s in rows], action="list")
    return rows


@router.get("/match-runs/{run_id}/unlock", response_model=list[UnlockOut],
            summary="Hva ville åpnet flest stillinger for hver kandidat")
def get_unlock(run_id: int, candidate_id: int | None = None, actor: Principal = Depends(CONSULTANTS),
               session: Session = Depends(get_session)):
    rows = service.unlock(session, run_id, candidate_id, actor=actor)
    audit_read(session, actor, f"hva som åpner flere jobber, kjøring {run_id}", [u.candidate_id for u in rows], action="list")
    return rows


@router.get("/match-runs/{run_id}/changes", summary="Hva er endret siden forrige kjøring")
def get_changes(run_id: int, actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)) -> dict:
    changes = service.changes(session, run_id, actor)
    audit_read(session, actor, f"endringer i kjøring {run_id}",
               [p["candidate_id"] for p in changes["added"] + changes["removed"]], action="list")
    return changes


@router.post("/match-decisions", response_model=DecisionOut, status_code=201, summary="Lås, avvis eller godta et par")
def post_decision(body: DecisionIn, actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    row = service.decide(session, actor=actor, **body.model_dump())
    audit.record(session, actor, "update", f"matchbeslutning {body.decision} stilling {body.vacancy_id}", [body.candidate_id])
    session.commit()
    return row


@router.get("/match-decisions", response_model=list[DecisionOut], summary="Gjeldende låser, avvisninger og godkjenninger")
def get_decisions(actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    rows = service.active_decisions(session, actor)
    audit_read(session, actor, "matchbeslutninger", [d.candidate_id for d in rows], action="list")
    return rows


@router.post("/match-decisions/{decision_id}/withdraw", response_model=DecisionOut, summary="Trekk tilbake en beslutning")
def post_withdraw(decision_id: int, actor: Principal = Depends(CONSULTANTS), session: Session = Depends(get_session)):
    row = service.withdraw_decision(session, decision_id, actor)
    audit.record(session, actor, "update", f"matchbeslutning {row.decision} stilling {row.vacancy_id} trukket",
                 [row.candidate_id])
    session.commit()
    return row


class NextStepsOut(BaseModel):
    candidate_id: int
    formidlingsklar: bool
    step: int
    missing: dict[str, list[str]] = Field(description="Sjekklistepunkter som mangler, etter hvem som må handle")
    unlock: list[UnlockOut] = Field(description="Fra siste matchkjøring: hva som ville åpnet flest stillinger")
    before_start: list[str] = Field(default_factory=list, description="Fra siste matchkjøring: dokumenter kandidaten "
                                    "må hente før oppstart i en foreslått jobb (politiattest, vaksinasjonsdokumentasjon)")
    from_run_id: int | None


@router.get("/candidates/{candidate_id}/next-steps", response_model=NextStepsOut,
            summary="Neste steg: hva som mangler for å bli formidlingsklar, og hva som ville åpnet flere jobber")
def get_next_steps(candidate_id: int, actor: Principal = Depends(allow(Role.admin, Role.consultant, Role.staff)),
                   session: Session = Depends(get_session)) -> NextStepsOut:
    readiness = readiness_of(session, candidate_id, actor)  # also checks that the caller may see the candidate
    run = service.latest_visible_run(session, actor)
    audit_read(session, actor, "neste steg", [candidate_id])
    return NextStepsOut(candidate_id=candidate_id, formidlingsklar=readiness.formidlingsklar, step=readiness.step,
                        missing=readiness.missing, from_run_id=run.id if run else None,
                        unlock=[UnlockOut.model_validate(row, from_attributes=True)
                                for row in (service.unlock(session, run.id, candidate_id, actor=actor) if run else [])],
                        before_start=service.tasks_before_start(session, run.id, candidate_id) if run else [])
