from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import Field
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, allow, get_session
from core.projects import create_project, list_projects
from core.text import InputModel
from core.types import MunicipalityCode, Role

router = APIRouter(prefix="/projects", tags=["prosjekter"])


class ProjectIn(InputModel):
    name: str = Field(min_length=1, max_length=200, examples=["Ny sjanse Drammen 2027"])
    programme: str = Field(min_length=1, max_length=200, examples=["Kvalifiseringsprogrammet"])
    municipality_code: MunicipalityCode = Field(examples=["3301"])


class ProjectOut(ProjectIn):
    text_rule = False  # stored data is shown as it is
    id: int
    created_at: datetime


@router.get("", response_model=list[ProjectOut], summary="Prosjekter")
def get_projects(_actor: Principal = Depends(allow(*CANDIDATE_ROLES)), session: Session = Depends(get_session)):
    return [ProjectOut(**p.model_dump()) for p in list_projects(session)]


@router.post("", response_model=ProjectOut, status_code=201, summary="Opprett prosjekt")
def post_project(
    body: ProjectIn, _actor: Principal = Depends(allow(Role.admin)), session: Session = Depends(get_session)
) -> ProjectOut:
    project = create_project(session, **body.model_dump())
    session.commit()
    return ProjectOut(**project.model_dump())
