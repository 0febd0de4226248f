from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlmodel import Session

from accounts.service import Principal, authenticate, issue_token, revoke_token
from api.deps import ANY_ROLE, PUBLIC, allow, bearer, client_address, get_session, settings_dep
from core.settings import Settings

router = APIRouter(prefix="/auth", tags=["innlogging"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeOut(BaseModel):
    name: str
    role: str
    user_id: int | None
    project_id: int | None
    organisation_number: str | None


@router.post("/token", response_model=TokenOut, dependencies=[Depends(PUBLIC)], summary="Logg inn")
def login(
    request: Request,
    form: OAuth2PasswordRequestForm = Depends(),
    session: Session = Depends(get_session),
    settings: Settings = Depends(settings_dep),
) -> TokenOut:
    user = authenticate(session, form.username, form.password, client_address(request))
    token, _ = issue_token(session, user, settings.token_ttl_minutes)
    session.commit()
    return TokenOut(access_token=token, expires_in=settings.token_ttl_minutes * 60)


@router.post("/logout", status_code=204, summary="Logg ut (tokenet slutter å virke)")
def logout(
    _actor: Principal = Depends(allow(*ANY_ROLE)),
    token: str | None = Depends(bearer),
    session: Session = Depends(get_session),
) -> None:
    if token:
        revoke_token(session, token)
        session.commit()


@router.get("/me", response_model=MeOut, summary="Hvem er jeg")
def me(actor: Principal = Depends(allow(*ANY_ROLE))) -> MeOut:
    return MeOut(name=actor.name, role=actor.role, user_id=actor.user_id, project_id=actor.project_id,
                 organisation_number=actor.organisation_number)
