"""Projects: a qualification programme in one municipality. Staff are scoped to one project,
and the funders' figures are counted per project, so everything else refers to it."""

import re
from datetime import datetime

from sqlmodel import Field, Session, SQLModel, select

from core.errors import Conflict, Invalid, NotFound
from core.types import utcnow


class Project(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    programme: str = Field(max_length=200)
    municipality_code: str = Field(max_length=4, index=True)
    created_at: datetime = Field(default_factory=utcnow)


def validate_municipality_code(value: str, field: str = "municipality_code") -> str:
    """A known kommunenummer, returned as its 2024 number."""
    from core.geography import UnknownMunicipality, normalise_code

    if not re.fullmatch(r"\d{4}", value or ""):
        raise Invalid("Kommunenummer må være fire siffer, f.eks. 0301 for Oslo.", field=field)
    try:
        return normalise_code(value)
    except UnknownMunicipality:
        raise Invalid(f"Ukjent kommunenummer '{value}'.", field=field) from None


def create_project(session: Session, *, name: str, programme: str, municipality_code: str) -> Project:
    if not (name or "").strip():
        raise Invalid("Prosjektet må ha et navn.", field="name")
    municipality_code = validate_municipality_code(municipality_code)
    if session.exec(select(Project).where(Project.name == name.strip())).first():
        raise Conflict(f"Et prosjekt heter allerede '{name}'.", field="name")
    project = Project(name=name.strip(), programme=programme.strip(), municipality_code=municipality_code)
    session.add(project)
    session.flush()
    return project


def get_project(session: Session, project_id: int, field: str = "project_id") -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFound(f"Prosjekt {project_id} finnes ikke.", field=field)
    return project


def list_projects(session: Session) -> list[Project]:
    return list(session.exec(select(Project).order_by(Project.name)))


def rename_project(session: Session, project_id: int, *, name: str, programme: str | None = None) -> Project:
    project = get_project(session, project_id)
    name = (name or "").strip()
    if not name:
        raise Invalid("Prosjektet må ha et navn.", field="name")
    other = session.exec(select(Project).where(Project.name == name, Project.id != project_id)).first()
    if other:
        raise Conflict(f"Et prosjekt heter allerede '{name}'.", field="name")
    project.name = name
    if programme is not None and programme.strip():
        project.programme = programme.strip()
    session.add(project)
    session.flush()
    return project
