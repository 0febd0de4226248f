from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field
from sqlmodel import Session

from accounts.service import PasswordChangeRequired, Principal, change_password, log_in, revoke_token
from api.deps import ANY_ROLE, PUBLIC, allow, bearer, client_address, get_session, settings_dep
from core.settings import Settings
from core.text import InputModel

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


class PasswordChangeIn(InputModel):
    username: str = Field(examples=["kari.veileder"])
    current_password: str = Field(description="Nåværende passord, eller det midlertidige fra en administrator")
    new_password: str = Field(description="Minst 12 tegn, ikke vanlig eller lett å gjette, uten brukernavnet",
                              examples=["fire-tilfeldige-ord-her"])


class PasswordChangeRequiredOut(BaseModel):
    detail: str
    field: str = "password"
    password_change_required: bool = True
    change_password: str = Field(default="/auth/password", description="Her velger brukeren nytt passord")


@router.post("/token", response_model=TokenOut, dependencies=[Depends(PUBLIC)], summary="Logg inn",
             responses={403: {"model": PasswordChangeRequiredOut,
                              "description": "Passordet er nullstilt: velg nytt med POST /auth/password"},
                        429: {"description": "For mange mislykkede forsøk herfra: vent Retry-After sekunder"}})
def login(
    request: Request,
    form: OAuth2PasswordRequestForm = Depends(),
    session: Session = Depends(get_session),
    settings: Settings = Depends(settings_dep),
) -> TokenOut:
    try:
        token, _ = log_in(session, form.username, form.password, client_address(request), settings.token_ttl_minutes)
    except PasswordChangeRequired as exc:
        return JSONResponse(PasswordChangeRequiredOut(detail=exc.message).model_dump(), status_code=403)
    session.commit()
    return TokenOut(access_token=token, expires_in=settings.token_ttl_minutes * 60)


@router.post("/password", response_model=TokenOut, dependencies=[Depends(PUBLIC)],
             summary="Bytt passord (også etter nullstilling); gir et nytt token og avslutter andre innlogginger",
             responses={429: {"description": "For mange mislykkede forsøk herfra: vent Retry-After sekunder"}})
def post_password(
    request: Request,
    body: PasswordChangeIn,
    session: Session = Depends(get_session),
    settings: Settings = Depends(settings_dep),
) -> TokenOut:
    token, _ = change_password(session, body.username, body.current_password, body.new_password,
                               client_address(request), settings.token_ttl_minutes)
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
