"""Jobs: long work (match runs, large imports, scheduled work) with its state and progress; cancel
the ones you started (admins: any)."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from accounts.service import Principal
from api.deps import get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.paging import pager
from core.types import Role
from jobs import service

router = APIRouter()
ROLES = (Role.admin, Role.consultant, Role.staff)


@router.get("/jobber")
def jobs_page(request: Request, avbrutt: str | None = None, actor: Principal = Depends(page(*ROLES)),
              session: Session = Depends(get_session)):
    paging = pager(request, service.count_jobs(session, actor))
    rows = service.list_jobs(session, actor, limit=paging.per_page, offset=paging.offset)
    shown = [dict(service.public(session, j), may_cancel=service.may_cancel(j, actor)) for j in rows]
    return render(request, "jobs.html", actor, active="jobs", title="Jobber", jobs=shown, paging=paging,
                  done="Jobben er avbrutt, eller stopper ved neste fremdriftspunkt." if avbrutt else None)


@router.post("/jobber/{job_id}/avbryt", dependencies=[Depends(verify_csrf)])
def cancel_job(job_id: int, request: Request, actor: Principal = Depends(page(*ROLES)),
               session: Session = Depends(get_session)):
    job = service.cancel(session, job_id, actor)
    session.commit()
    back = f"{PREFIX}/matching/{job.match_run_id}" if request.query_params.get("fra") == "kjoring" and job.match_run_id \
        else f"{PREFIX}/jobber?avbrutt=1"
    return RedirectResponse(back, status_code=303)
