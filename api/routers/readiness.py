"""Readiness: the shared checklist definition and each candidate's evidence."""

from datetime import date

from fastapi import APIRouter, Depends
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, allow, audit_read, get_session
from core import audit
from core.types import Role
from readiness import service
from readiness.schemas import (
    DefinitionIn,
    DefinitionPublic,
    HistoryEntry,
    ItemUpdate,
    ProgressReport,
    ReadinessOverview,
    ReadinessPublic,
)

router = APIRouter(tags=["formidlingsklar"])


@router.get("/readiness/definitions", response_model=list[DefinitionPublic], summary="Alle versjoner av sjekklisten")
def get_definitions(_actor: Principal = Depends(allow(*CANDIDATE_ROLES)), session: Session = Depends(get_session)):
    return [service.to_public_definition(d) for d in service.definitions_by_time(session)]


@router.get("/readiness/definitions/active", response_model=DefinitionPublic, summary="Gjeldende sjekkliste")
def get_active_definition(
    _actor: Principal = Depends(allow(*CANDIDATE_ROLES)), session: Session = Depends(get_session)
) -> DefinitionPublic:
    return service.to_public_definition(service.active_definition(session))


@router.get("/readiness/definitions/{version}", response_model=DefinitionPublic, summary="Én versjon")
def get_definition(
    version: int, _actor: Principal = Depends(allow(*CANDIDATE_ROLES)), session: Session = Depends(get_session)
) -> DefinitionPublic:
    return service.to_public_definition(service.get_definition(session, version))


@router.post(
    "/readiness/definitions", response_model=DefinitionPublic, status_code=201,
    summary="Publiser en ny versjon av sjekklisten",
)
def post_definition(
    body: DefinitionIn, actor: Principal = Depends(allow(Role.admin)), session: Session = Depends(get_session)
) -> DefinitionPublic:
    definition = service.create_definition(session, body, actor)
    session.commit()
    return service.to_public_definition(definition)


@router.get("/readiness/overview", response_model=ReadinessOverview, summary="Kandidater per trinn")
def get_overview(
    project_id: int | None = None,
    actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
    session: Session = Depends(get_session),
) -> ReadinessOverview:
    return service.overview(session, actor, project_id)


@router.get("/readiness/progress", response_model=ProgressReport, summary="Dokumentert progresjon mellom to datoer")
def get_progress(
    date_from: date,
    date_to: date,
    project_id: int | None = None,
    actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
    session: Session = Depends(get_session),
) -> ProgressReport:
    report = service.progress_report(session, actor, date_from=date_from, date_to=date_to, project_id=project_id)
    audit_read(session, actor, "progresjon", [e.candidate_id for e in report.entries], action="list")
    return report


@router.get("/candidates/{candidate_id}/readiness", response_model=ReadinessPublic, summary="Kandidatens status")
def get_readiness(
    candidate_id: int,
    as_of: date | None = None,
    actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
    session: Session = Depends(get_session),
) -> ReadinessPublic:
    readiness = service.readiness_of(session, candidate_id, actor, as_of)
    audit_read(session, actor, "sjekkliste", [candidate_id])
    return readiness


@router.put(
    "/candidates/{candidate_id}/readiness/{item_key}", response_model=ReadinessPublic,
    summary="Sett status på et punkt, med dokumentasjon",
)
def put_item(
    candidate_id: int,
    item_key: str,
    body: ItemUpdate,
    actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
    session: Session = Depends(get_session),
) -> ReadinessPublic:
    service.set_item_status(session, candidate_id, item_key, body, actor)
    audit.record(session, actor, "update", f"sjekklistepunkt {item_key}", [candidate_id])
    session.commit()
    return service.readiness_of(session, candidate_id, actor)


@router.get(
    "/candidates/{candidate_id}/readiness/history", response_model=list[HistoryEntry], summary="Historikk, nyeste først"
)
def get_history(
    candidate_id: int, actor: Principal = Depends(allow(*CANDIDATE_ROLES)), session: Session = Depends(get_session)
) -> list[HistoryEntry]:
    entries = service.history(session, candidate_id, actor)
    audit_read(session, actor, "sjekklistehistorikk", [candidate_id])
    return entries
