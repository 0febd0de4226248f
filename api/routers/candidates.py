"""Candidates. Staff see and change only their own project's; employers see none."""

from fastapi import APIRouter, Depends, Query
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, allow, audit_read, get_session
from candidates import handover, service
from candidates.schemas import (
    CandidateCreate,
    CandidatePublic,
    CandidateSummary,
    CandidateUpdate,
    ConsentIn,
    ConsentPublic,
    HandoverEndIn,
    HandoverIn,
    HandoverPublic,
    ProgrammeStatus,
)
from core import audit
from core.types import Role
from employers.service import get_employer
from readiness.service import list_candidate_summaries

router = APIRouter(prefix="/candidates", tags=["kandidater"])
WRITERS = (Role.admin, Role.staff)
CV_WRITERS = (Role.admin, Role.staff, Role.consultant)  # consultants: the CV only (candidates/service.py)


@router.get("", response_model=list[CandidateSummary], summary="Kandidater, med filtre")
def get_candidates(
    project_id: int | None = None,
    formidlingsklar: bool | None = None,
    step: int | None = Query(default=None, ge=1, le=7, description="Trinn i trappen"),
    wish: str | None = Query(default=None, max_length=200, description="Ønsket yrke eller bransje (del av teksten)"),
    programme_status: ProgrammeStatus | None = None,
    search: str | None = Query(default=None, max_length=100, description="Del av navnet"),
    include_archived: bool = False,
    limit: int = Query(default=100, ge=1, le=1000),
    offset: int = Query(default=0, ge=0),
    actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
    session: Session = Depends(get_session),
):
    rows = list_candidate_summaries(
        session, actor, formidlingsklar=formidlingsklar, step=step, project_id=project_id, wish=wish,
        programme_status=programme_status, search=search, include_archived=include_archived,
    )
    page = rows[offset : offset + limit]
    audit_read(session, actor, "kandidatliste", [r.id for r in page], action="list")
    return page


@router.post("", response_model=CandidatePublic, status_code=201, summary="Registrer kandidat")
def post_candidate(
    body: CandidateCreate, actor: Principal = Depends(allow(*WRITERS)), session: Session = Depends(get_session)
) -> CandidatePublic:
    candidate = service.create_candidate(session, body, actor)
    audit.record(session, actor, "create", "profil", [candidate.id])
    session.commit()
    return service.to_public(session, candidate)


@router.get("/{candidate_id}", response_model=CandidatePublic, summary="Én kandidat")
def get_candidate(
    candidate_id: int, actor: Principal = Depends(allow(*CANDIDATE_ROLES)), session: Session = Depends(get_session)
) -> CandidatePublic:
    candidate = service.get_candidate(session, candidate_id, actor)
    audit_read(session, actor, "profil", [candidate_id])
    return service.to_public(session, candidate)


@router.patch("/{candidate_id}", response_model=CandidatePublic, summary="Endre kandidat",
              description="Konsulenter kan bare endre CV-en: `experience`, `education`, `references` og `wishes` "
                          "(andre felt gir 403). Veiledere endrer alt for kandidater i sitt prosjekt.")
def patch_candidate(
    candidate_id: int,
    body: CandidateUpdate,
    actor: Principal = Depends(allow(*CV_WRITERS)),
    session: Session = Depends(get_session),
) -> CandidatePublic:
    candidate = service.update_candidate(session, candidate_id, body, actor)
    audit.record(session, actor, "update", "profil: " + ", ".join(sorted(body.model_fields_set))[:180], [candidate_id])
    session.commit()
    return service.to_public(session, candidate)


@router.post("/{candidate_id}/archive", response_model=CandidatePublic, summary="Arkiver kandidat")
def archive(
    candidate_id: int, actor: Principal = Depends(allow(*WRITERS)), session: Session = Depends(get_session)
) -> CandidatePublic:
    candidate = service.archive_candidate(session, candidate_id, actor)
    audit.record(session, actor, "archive", "profil", [candidate_id])
    session.commit()
    return service.to_public(session, candidate)


@router.post("/{candidate_id}/restore", response_model=CandidatePublic, summary="Hent kandidat fra arkivet")
def restore(
    candidate_id: int, actor: Principal = Depends(allow(*WRITERS)), session: Session = Depends(get_session)
) -> CandidatePublic:
    candidate = service.restore_candidate(session, candidate_id, actor)
    audit.record(session, actor, "restore", "profil", [candidate_id])
    session.commit()
    return service.to_public(session, candidate)


@router.post("/{candidate_id}/consents", response_model=ConsentPublic, status_code=201, summary="Registrer samtykke")
def post_consent(
    candidate_id: int,
    body: ConsentIn,
    actor: Principal = Depends(allow(*WRITERS)),
    session: Session = Depends(get_session),
) -> ConsentPublic:
    if body.employer_id is not None:
        get_employer(session, body.employer_id)
    record = service.add_consent(session, candidate_id, body, actor)
    audit.record(session, actor, "update", f"samtykke: {body.purpose}", [candidate_id])
    session.commit()
    return ConsentPublic(**record.model_dump())


@router.post(
    "/{candidate_id}/consents/{consent_id}/withdraw", response_model=ConsentPublic, summary="Trekk tilbake samtykke"
)
def withdraw_consent(
    candidate_id: int,
    consent_id: int,
    actor: Principal = Depends(allow(*WRITERS)),
    session: Session = Depends(get_session),
) -> ConsentPublic:
    record = service.withdraw_consent(session, candidate_id, consent_id, actor)
    audit.record(session, actor, "update", f"samtykke trukket: {record.purpose}", [candidate_id])
    session.commit()
    return ConsentPublic(**record.model_dump())


@router.get("/{candidate_id}/handovers", response_model=list[HandoverPublic],
            summary="Tildelinger til rekrutteringspartnere (historikk, nyeste først)")
def get_handovers(candidate_id: int, actor: Principal = Depends(allow(*CANDIDATE_ROLES)),
                  session: Session = Depends(get_session)) -> list[HandoverPublic]:
    rows = handover.to_public(session, handover.history(session, candidate_id, actor))
    audit_read(session, actor, "tildelinger", [candidate_id])
    return rows


@router.post("/{candidate_id}/handovers", response_model=HandoverPublic, status_code=201,
             summary="Tildel kandidaten til en rekrutteringspartner",
             description="Krever at kandidatens samtykke til deling med akkurat denne partneren "
                         "(share_with_recruiter med partner_id) er registrert og står; ellers 422 på partner_id. "
                         "Bare én tildeling kan stå om gangen: en ny til en annen partner gir 409. "
                         "En ny tildeling etter en avsluttet er «tatt inn igjen».")
def post_handover(candidate_id: int, body: HandoverIn, actor: Principal = Depends(allow(*WRITERS)),
                  session: Session = Depends(get_session)) -> HandoverPublic:
    row = handover.hand_over(session, candidate_id, body, actor)
    audit.record(session, actor, "update", f"tildelt rekrutteringspartner {body.partner_id}", [candidate_id])
    session.commit()
    return handover.to_public(session, [row])[0]


@router.post("/{candidate_id}/handovers/end", response_model=HandoverPublic,
             summary="Ta kandidaten tilbake fra rekrutteringspartneren (avslutt tildelingen, med årsak)")
def post_handover_end(candidate_id: int, body: HandoverEndIn, actor: Principal = Depends(allow(*WRITERS)),
                      session: Session = Depends(get_session)) -> HandoverPublic:
    row = handover.end_handover(session, candidate_id, body, actor)
    audit.record(session, actor, "update", f"tatt tilbake fra rekrutteringspartner {row.partner_id}", [candidate_id])
    session.commit()
    return handover.to_public(session, [row])[0]
