"""The candidate's rights: insight (innsyn: who has seen my data), erasure, and portability."""

import json
from datetime import datetime

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel
from sqlmodel import Session

from accounts.service import Principal
from api.deps import allow, audit_read, get_session
from candidates.schemas import CandidatePublic
from candidates.service import to_public
from core.types import Role
from jobs import service as jobs
from privacy import service

router = APIRouter(tags=["personvern"])
DATA_OFFICERS = allow(Role.admin, Role.staff)  # staff handle requests from their own project's candidates


class AccessLogEntry(BaseModel):
    at: datetime
    actor_name: str
    actor_role: str
    action: str
    what: str


@router.get("/candidates/{candidate_id}/access-log", response_model=list[AccessLogEntry],
            summary="Innsyn: hvem har lest eller endret kandidatens opplysninger")
def get_access_log(candidate_id: int, actor: Principal = Depends(DATA_OFFICERS), session: Session = Depends(get_session)):
    entries = service.access_log(session, candidate_id, actor)
    audit_read(session, actor, "innsyn (tilgangslogg)", [candidate_id])
    return entries


@router.get("/candidates/{candidate_id}/data-export", summary="Alle opplysninger om kandidaten som JSON (dataportabilitet)")
def get_data_export(candidate_id: int, actor: Principal = Depends(DATA_OFFICERS), session: Session = Depends(get_session)):
    data = service.data_export(session, candidate_id, actor)
    session.commit()
    return Response(json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="kandidat_{candidate_id}.json"'})


@router.post("/candidates/{candidate_id}/erase", response_model=CandidatePublic,
             summary="Slett (anonymiser) kandidaten; tall som allerede er rapportert, blir stående")
def post_erase(candidate_id: int, actor: Principal = Depends(allow(Role.admin)), session: Session = Depends(get_session)):
    candidate = service.erase_candidate(session, candidate_id, actor)
    jobs.drop_export_files(session)  # a stored export may name the candidate
    session.commit()
    return to_public(session, candidate)
