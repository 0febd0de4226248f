"""Provider keys for NAV's import format, and the rules that pick ads from NAV's public job feed."""

from fastapi import APIRouter, Depends
from sqlmodel import Session, select

from accounts.models import Provider
from accounts.service import Principal, create_provider, grant_organisations, provider_grants
from api.deps import allow, get_session
from core.types import Role
from nav import feed
from nav.schemas import FeedRulesIn, FeedRulesOut, GrantIn, ProviderCreated, ProviderIn, ProviderOut

router = APIRouter(tags=["NAVs importformat (for leverandører)"])
STAFF = allow(Role.admin, Role.consultant)
ADMIN = allow(Role.admin)


def _out(session: Session, row: Provider) -> dict:
    return dict(**row.model_dump(exclude={"key_hash"}), organisation_numbers=provider_grants(session, row.id))


@router.post("/nav-providers", response_model=ProviderCreated, status_code=201,
             summary="Lag en leverandørnøkkel (ATS) for flere organisasjoner")
def post_provider(body: ProviderIn, actor: Principal = Depends(STAFF), session: Session = Depends(get_session)):
    secret, row = create_provider(session, name=body.name, email=body.email,
                                  organisation_numbers=body.organisation_numbers, created_by=actor.user_id)
    session.commit()
    return ProviderCreated(key=secret, **_out(session, row))


@router.get("/nav-providers", response_model=list[ProviderOut], summary="Leverandører og organisasjonene deres")
def get_providers(_actor: Principal = Depends(STAFF), session: Session = Depends(get_session)):
    return [_out(session, p) for p in session.exec(select(Provider).order_by(Provider.id))]


@router.post("/nav-providers/{provider_id}/grants", response_model=ProviderOut,
             summary="Gi en leverandør tilgang til flere organisasjoner")
def post_grants(provider_id: int, body: GrantIn, actor: Principal = Depends(STAFF),
                session: Session = Depends(get_session)):
    grant_organisations(session, provider_id, body.organisation_numbers, actor.user_id)
    session.commit()
    return _out(session, session.get(Provider, provider_id))


@router.get("/nav-feed/rules", response_model=FeedRulesOut, summary="Hvilke annonser fra NAVs stillingsfeed som tas inn")
def get_rules(_actor: Principal = Depends(STAFF), session: Session = Depends(get_session)):
    return FeedRulesOut(**feed.rules_dict(feed.get_rules(session)))


@router.put("/nav-feed/rules", response_model=FeedRulesOut, summary="Sett reglene for NAVs stillingsfeed")
def put_rules(body: FeedRulesIn, actor: Principal = Depends(ADMIN), session: Session = Depends(get_session)):
    rules = feed.set_rules(session, body.model_dump(), actor)
    session.commit()
    return FeedRulesOut(**feed.rules_dict(rules))
