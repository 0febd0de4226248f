"""Jobs a candidate holds outside the pipeline, in the pages (issue 11, section 3): a job found on
their own or held before, with employer, share, period and working hours. Matching counts it as
fixed occupancy, so the candidate keeps being matched for the rest of their wanted share."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, audit_read, get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, form_values, parse, posted, submit
from candidates.service import get_candidate
from core import audit
from core.labels import WORKING_HOURS
from placement import held_jobs
from placement.schemas import CandidateJobIn

router = APIRouter()
SAVED = {"ja": "Jobben er registrert. Matchingen regner med den fra neste kjøring.", "slettet": "Jobben er slettet."}
READERS = page(*CANDIDATE_ROLES)


def _page(request: Request, session: Session, actor: Principal, candidate_id: int, values: dict, errors: dict,
          status_code: int = 200, confirm: int | None = None, saved: str | None = None):
    candidate = get_candidate(session, candidate_id, actor)
    jobs = held_jobs.candidate_jobs(session, candidate_id, actor)
    audit_read(session, actor, "jobber kandidaten har (side)", [candidate_id])
    return render(request, "held_jobs.html", actor, active="candidates", status_code=status_code,
                  title=f"Jobber: {candidate.first_name} {candidate.last_name}", c=candidate, jobs=jobs,
                  values=values, errors=errors, hours=list(WORKING_HOURS.items()), confirm=confirm,
                  saved=SAVED.get(saved or ""))


@router.get("/kandidater/{candidate_id}/jobber")
def jobs_page(request: Request, candidate_id: int, slett: int | None = None, lagret: str | None = None,
              actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    # ?slett=N asks "are you sure" beside job N before anything is deleted.
    return _page(request, session, actor, candidate_id, {}, {}, confirm=slett, saved=lagret)


@router.post("/kandidater/{candidate_id}/jobber", dependencies=[Depends(verify_csrf)])
def record_job(request: Request, candidate_id: int, form: FormData = Depends(posted),
               actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    values = form_values(form, CandidateJobIn)

    def save():
        data = parse(CandidateJobIn, values)
        if not data.employer_name and data.employer_id is None:
            raise FormInvalid({"employer_name": "Skriv arbeidsgiverens navn."})
        row = held_jobs.record_job(session, candidate_id, data, actor)
        audit.record(session, actor, "update", f"registrert jobb {row.id}", [candidate_id])
        return row

    return submit(session, save, success=f"{PREFIX}/kandidater/{candidate_id}/jobber?lagret=ja",
                  again=lambda errors, status: _page(request, session, actor, candidate_id, values, errors, status))


@router.post("/kandidater/{candidate_id}/jobber/{job_id}/slett", dependencies=[Depends(verify_csrf)])
def delete_job(candidate_id: int, job_id: int, actor: Principal = Depends(READERS),
               session: Session = Depends(get_session)):
    held_jobs.delete_job(session, candidate_id, job_id, actor)
    audit.record(session, actor, "update", f"slettet registrert jobb {job_id}", [candidate_id])
    session.commit()
    return RedirectResponse(f"{PREFIX}/kandidater/{candidate_id}/jobber?lagret=slettet", status_code=303)
