"""Long work as jobs: see their state and progress, cancel them (docs/decisions/0001-job-queue.md)."""

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from accounts.service import Principal
from api.deps import allow, audit_read, get_session
from core.spreadsheets import MEDIA_TYPES as MEDIA
from core.types import Role
from jobs import service

router = APIRouter(tags=["jobber"])
JOB_ROLES = allow(Role.admin, Role.consultant, Role.staff)
STATES = "^(queued|running|done|failed|cancelled)$"


class JobOut(BaseModel):
    id: int
    kind: str = Field(description="match_run | import | export | retention | reminders")
    kind_label: str
    state: str = Field(description="queued | running | done | failed | cancelled")
    state_label: str = Field(description="På norsk: I kø, Kjører, Ferdig, Feilet, Avbrutt")
    progress: int = Field(description="Prosent")
    progress_message: str
    error: str | None = Field(description="Hvorfor den feilet eller ble avbrutt, på norsk")
    result: dict
    params: dict
    match_run_id: int | None
    created_by: int | None
    created_by_name: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    max_attempts: int
    worker: str | None = Field(description="Arbeidsprosessen som har jobben (vert:pid)")
    heartbeat_at: datetime | None
    lease_until: datetime | None = Field(description="Uten livstegn innen dette regnes arbeidsprosessen som død")
    cancel_requested: bool


@router.get("/jobs", response_model=list[JobOut], summary="Jobber, nyeste først (egne; alle for admin og konsulent)")
def get_jobs(state: str | None = Query(default=None, pattern=STATES), kind: str | None = Query(default=None, max_length=30),
             limit: int = Query(default=50, ge=1, le=500), actor: Principal = Depends(JOB_ROLES),
             session: Session = Depends(get_session)):
    return [service.public(session, j) for j in service.list_jobs(session, actor, state=state, kind=kind, limit=limit)]


@router.get("/jobs/{job_id}", response_model=JobOut, summary="Status og fremdrift for en jobb")
def get_job(job_id: int, actor: Principal = Depends(JOB_ROLES), session: Session = Depends(get_session)):
    return service.public(session, service.get_job(session, job_id, actor))


@router.post("/jobs/{job_id}/cancel", response_model=JobOut, status_code=202,
             summary="Avbryt en jobb (den som startet den, eller admin)",
             description="En jobb i kø avbrytes med en gang; en som kjører stopper ved neste fremdriftspunkt og "
                         "lagrer ingenting. 409 hvis den allerede er ferdig.")
def post_cancel(job_id: int, actor: Principal = Depends(JOB_ROLES), session: Session = Depends(get_session)):
    job = service.cancel(session, job_id, actor)
    session.commit()
    return service.public(session, job)


@router.get("/jobs/{job_id}/file", summary="Last ned filen en eksportjobb laget",
            description="For den som bestilte eksporten, eller admin, i " + str(service.EXPORT_KEEP_HOURS) +
                        " timer. 409 når jobben ikke er ferdig eller filen er slettet.")
def get_job_file(job_id: int, actor: Principal = Depends(JOB_ROLES), session: Session = Depends(get_session)):
    job = service.export_download(session, job_id, actor)
    if job.output_candidates:
        audit_read(session, actor, f"eksport lastet ned (jobb {job.id})", job.output_candidates, action="export")
    media = MEDIA.get(job.params.get("format"), "application/octet-stream")
    return Response(job.output, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{job.params.get("filename", "eksport")}"'})
