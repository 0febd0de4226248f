"""The programme side: referral and intake, exits with coded reasons, obstacles (arenarydding), and
the versioned code lists and local intake criteria behind them."""

from fastapi import APIRouter, Depends
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, allow, audit_read, get_session
from core import audit
from core.types import Role
from programme import service
from programme.schemas import (
    CodeListIn,
    CodeListPublic,
    Decision,
    DecisionIn,
    ExitIn,
    ExitPublic,
    LocalCriterionIn,
    LocalCriterionPublic,
    ObstacleIn,
    ObstaclePublic,
    ObstacleResolveIn,
    ReferralIn,
    ReferralPublic,
)

router = APIRouter(tags=["program"])
PROGRAMME_STAFF = allow(Role.admin, Role.staff)
READERS = allow(*CANDIDATE_ROLES)


@router.get("/programme/codes", response_model=list[CodeListPublic], summary="Alle versjoner av kodelistene")
def get_code_lists(actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    return service.code_lists(session)


@router.get("/programme/codes/active", response_model=CodeListPublic,
            summary="Kodelistene i bruk: inntakskriterier, avslagsårsaker, fullført og avbrutt")
def get_active_codes(actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    return service.code_list(session)


@router.post("/programme/codes", response_model=CodeListPublic, status_code=201,
             summary="Publiser en ny versjon av kodelistene (admin)")
def post_code_list(body: CodeListIn, actor: Principal = Depends(allow(Role.admin)),
                   session: Session = Depends(get_session)):
    result = service.publish_codes(session, body, actor)
    session.commit()
    return result


@router.get("/projects/{project_id}/intake-criteria", response_model=list[LocalCriterionPublic],
            summary="Prosjektets egne inntakskriterier (i tillegg til de nasjonale)")
def get_local_criteria(project_id: int, actor: Principal = Depends(PROGRAMME_STAFF),
                       session: Session = Depends(get_session)):
    return service.local_criteria(session, project_id, actor)


@router.post("/projects/{project_id}/intake-criteria", response_model=LocalCriterionPublic, status_code=201,
             summary="Legg til et lokalt inntakskriterium")
def post_local_criterion(project_id: int, body: LocalCriterionIn, actor: Principal = Depends(PROGRAMME_STAFF),
                         session: Session = Depends(get_session)):
    row = service.add_local_criterion(session, project_id, body, actor)
    session.commit()
    return row


@router.post("/referrals", response_model=ReferralPublic, status_code=201,
             summary="Registrer en henvisning (ny person eller registrert kandidat)")
def post_referral(body: ReferralIn, actor: Principal = Depends(PROGRAMME_STAFF), session: Session = Depends(get_session)):
    row = service.refer(session, body, actor)
    audit.record(session, actor, "update", f"henvisning {row.id}", [row.candidate_id])
    session.commit()
    return service.to_public(session, row)


@router.get("/referrals", response_model=list[ReferralPublic], summary="Henvisninger, nyeste først")
def get_referrals(decision: Decision | None = None, candidate_id: int | None = None,
                  actor: Principal = Depends(PROGRAMME_STAFF), session: Session = Depends(get_session)):
    rows = service.list_referrals(session, actor, decision=decision or None, candidate_id=candidate_id)
    audit_read(session, actor, "henvisninger", [r.candidate_id for r in rows], action="list")
    return [service.to_public(session, r) for r in rows]


@router.get("/referrals/{referral_id}", response_model=ReferralPublic, summary="Én henvisning")
def get_referral(referral_id: int, actor: Principal = Depends(PROGRAMME_STAFF), session: Session = Depends(get_session)):
    row = service.get_referral(session, referral_id, actor)
    audit_read(session, actor, f"henvisning {referral_id}", [row.candidate_id])
    return service.to_public(session, row)


@router.post("/referrals/{referral_id}/decision", response_model=ReferralPublic,
             summary="Inntaksvedtak: tatt inn (oppstart), avslag (kodet årsak) eller venteliste")
def post_decision(referral_id: int, body: DecisionIn, actor: Principal = Depends(PROGRAMME_STAFF),
                  session: Session = Depends(get_session)):
    row = service.decide(session, referral_id, body, actor)
    audit.record(session, actor, "update", f"inntaksvedtak {referral_id}: {row.decision}", [row.candidate_id])
    session.commit()
    return service.to_public(session, row)


@router.get("/candidates/{candidate_id}/exits", response_model=list[ExitPublic], summary="Avslutninger")
def get_exits(candidate_id: int, actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    rows = service.exits(session, candidate_id, actor)
    audit_read(session, actor, "avslutninger", [candidate_id])
    return rows


@router.post("/candidates/{candidate_id}/exits", response_model=ExitPublic, status_code=201,
             summary="Avslutt: fullført (utfall) eller avbrutt (årsak); en årsak fra feil gruppe gir 422")
def post_exit(candidate_id: int, body: ExitIn, actor: Principal = Depends(PROGRAMME_STAFF),
              session: Session = Depends(get_session)):
    row = service.record_exit(session, candidate_id, body, actor)
    audit.record(session, actor, "update", f"avslutning: {row.outcome}", [candidate_id])
    session.commit()
    return row


@router.get("/candidates/{candidate_id}/obstacles", response_model=list[ObstaclePublic],
            summary="Hindringer funnet underveis (arenarydding)")
def get_obstacles(candidate_id: int, actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    rows = service.obstacles(session, candidate_id, actor)
    audit_read(session, actor, "hindringer", [candidate_id])
    return rows


@router.post("/candidates/{candidate_id}/obstacles", response_model=ObstaclePublic, status_code=201,
             summary="Registrer et hinder (helse bare som at det finnes, uten detaljer)")
def post_obstacle(candidate_id: int, body: ObstacleIn, actor: Principal = Depends(READERS),
                  session: Session = Depends(get_session)):
    row = service.add_obstacle(session, candidate_id, body, actor)
    audit.record(session, actor, "update", f"hinder: {row.kind}", [candidate_id])
    session.commit()
    return row


@router.post("/candidates/{candidate_id}/obstacles/{obstacle_id}/resolve", response_model=ObstaclePublic,
             summary="Marker et hinder som løst")
def post_obstacle_resolved(candidate_id: int, obstacle_id: int, body: ObstacleResolveIn,
                           actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    row = service.resolve_obstacle(session, candidate_id, obstacle_id, body, actor)
    audit.record(session, actor, "update", f"hinder {obstacle_id} løst", [candidate_id])
    session.commit()
    return row
