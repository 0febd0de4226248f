from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, select

from accounts.models import ApiKey
from accounts.service import (
    Principal,
    activate_user,
    create_api_key,
    create_partner,
    create_user,
    deactivate_user,
    get_user,
    list_partners,
    list_users,
    reset_password,
    revoke_api_key,
    revoke_sessions,
    set_user_partner,
)
from api.deps import allow, get_session
from core.text import InputModel
from core.types import Role
from employers.service import employer_for_organisation

router = APIRouter(tags=["administrasjon"])


class UserIn(InputModel):
    username: str = Field(examples=["kari.veileder"])
    password: str = Field(description="Minst 12 tegn (høyst 1024 byte), ikke vanlig eller lett å gjette, uten "
                                      "brukernavnet", examples=["gul-trikk-ved-fjorden"])
    full_name: str = Field(min_length=1, max_length=200, examples=["Kari Nordmann"])
    role: Role
    project_id: int | None = Field(default=None, description="Påkrevd for staff")
    organisation_number: str | None = Field(default=None, description="Påkrevd for employer")
    partner_id: int | None = Field(default=None, description="Konsulenter: rekrutteringspartneren de hører til "
                                   "(de ser bare kandidater tildelt den)")


class UserOut(BaseModel):
    id: int
    username: str
    full_name: str
    role: Role
    project_id: int | None
    organisation_number: str | None
    partner_id: int | None = None
    active: bool
    must_change_password: bool
    created_at: datetime


class PartnerIn(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "Bemanning Nord AS",
                                                               "organisation_number": "974760673"}]})

    name: str = Field(min_length=1, max_length=200)
    organisation_number: str | None = Field(default=None, description="Organisasjonsnummer (9 siffer)")


class PartnerOut(BaseModel):
    id: int
    name: str
    organisation_number: str | None
    active: bool
    created_at: datetime


class SessionsEnded(BaseModel):
    user: UserOut
    sessions_ended: int = Field(description="Innlogginger (tokens) som sluttet å virke")
    api_keys_revoked: int = Field(description="API-nøkler brukeren har laget, trukket tilbake")


class PasswordReset(BaseModel):
    user: UserOut
    temporary_password: str = Field(description="Vises bare denne ene gangen. Gir bare lov til å velge nytt passord "
                                                "(POST /auth/password)")


class ApiKeyIn(InputModel):
    organisation_number: str = Field(
        examples=["999999999"], description="Organisasjonsnummeret til en arbeidsgiver i kunderegisteret "
        "(demodataene har Demo Renhold AS, 999999999); et nummer som ikke er registrert gir 404")
    label: str = Field(min_length=1, max_length=200, examples=["Rekrutteringssystem, produksjon"])


class ApiKeyOut(BaseModel):
    id: int
    prefix: str
    organisation_number: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="Vises bare denne ene gangen; lagres bare som hash")


@router.post("/users", response_model=UserOut, status_code=201, summary="Opprett bruker")
def post_user(
    body: UserIn, _actor: Principal = Depends(allow(Role.admin)), session: Session = Depends(get_session)
) -> UserOut:
    user = create_user(session, **body.model_dump())
    session.commit()
    return UserOut(**user.model_dump())


@router.get("/users", response_model=list[UserOut], summary="Alle brukere")
def get_users(_actor: Principal = Depends(allow(Role.admin)), session: Session = Depends(get_session)):
    return [UserOut(**u.model_dump()) for u in list_users(session)]


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201, summary="Lag API-nøkkel for en arbeidsgiver")
def post_api_key(
    body: ApiKeyIn,
    actor: Principal = Depends(allow(Role.admin, Role.consultant)),
    session: Session = Depends(get_session),
) -> ApiKeyCreated:
    employer_for_organisation(session, body.organisation_number)  # keys only for employers in the register
    secret, row = create_api_key(session, organisation_number=body.organisation_number, label=body.label,
                                 created_by=actor.user_id)
    session.commit()
    return ApiKeyCreated(key=secret, **row.model_dump())


@router.get("/api-keys", response_model=list[ApiKeyOut], summary="API-nøkler (uten hemmeligheten)")
def get_api_keys(
    _actor: Principal = Depends(allow(Role.admin, Role.consultant)), session: Session = Depends(get_session)
):
    return [ApiKeyOut(**k.model_dump()) for k in session.exec(select(ApiKey).order_by(ApiKey.id))]


@router.post("/api-keys/{key_id}/revoke", response_model=ApiKeyOut, summary="Trekk tilbake en API-nøkkel")
def post_revoke_api_key(
    key_id: int,
    _actor: Principal = Depends(allow(Role.admin, Role.consultant)),
    session: Session = Depends(get_session),
) -> ApiKeyOut:
    row = revoke_api_key(session, key_id)
    session.commit()
    return ApiKeyOut(**row.model_dump())


@router.post("/users/{user_id}/deactivate", response_model=SessionsEnded,
             summary="Deaktiver en bruker (innlogginger og API-nøkler brukeren har laget slutter å virke straks)")
def post_deactivate_user(
    user_id: int, actor: Principal = Depends(allow(Role.admin)), session: Session = Depends(get_session)
) -> SessionsEnded:
    user, tokens, keys = deactivate_user(session, user_id, actor)
    session.commit()
    return SessionsEnded(user=UserOut(**user.model_dump()), sessions_ended=tokens, api_keys_revoked=keys)


@router.post("/users/{user_id}/activate", response_model=UserOut, summary="Aktiver en deaktivert bruker igjen")
def post_activate_user(
    user_id: int, actor: Principal = Depends(allow(Role.admin)), session: Session = Depends(get_session)
) -> UserOut:
    user = activate_user(session, user_id, actor)
    session.commit()
    return UserOut(**user.model_dump())


@router.post("/users/{user_id}/reset-password", response_model=PasswordReset,
             summary="Nullstill passordet: et midlertidig passord, og brukeren må velge nytt ved neste innlogging")
def post_reset_password(
    user_id: int, actor: Principal = Depends(allow(Role.admin)), session: Session = Depends(get_session)
) -> PasswordReset:
    user, secret = reset_password(session, user_id, actor)
    session.commit()
    return PasswordReset(user=UserOut(**user.model_dump()), temporary_password=secret)


@router.post("/users/{user_id}/revoke-sessions", response_model=SessionsEnded,
             summary="Avslutt alle innlogginger for en bruker og trekk tilbake API-nøklene brukeren har laget")
def post_revoke_sessions(
    user_id: int, _actor: Principal = Depends(allow(Role.admin)), session: Session = Depends(get_session)
) -> SessionsEnded:
    user = get_user(session, user_id)
    tokens, keys = revoke_sessions(session, user)
    session.commit()
    return SessionsEnded(user=UserOut(**user.model_dump()), sessions_ended=tokens, api_keys_revoked=keys)


@router.get("/partners", response_model=list[PartnerOut], summary="Rekrutteringspartnere")
def get_partners(_actor: Principal = Depends(allow(Role.admin, Role.staff, Role.consultant)),
                 session: Session = Depends(get_session)):
    return [PartnerOut(**p.model_dump()) for p in list_partners(session)]


@router.post("/partners", response_model=PartnerOut, status_code=201, summary="Registrer en rekrutteringspartner")
def post_partner(body: PartnerIn, _actor: Principal = Depends(allow(Role.admin)),
                 session: Session = Depends(get_session)) -> PartnerOut:
    partner = create_partner(session, name=body.name, organisation_number=body.organisation_number)
    session.commit()
    return PartnerOut(**partner.model_dump())


@router.put("/users/{user_id}/partner", response_model=UserOut,
            summary="Sett hvilken rekrutteringspartner en konsulent hører til (gjelder fra neste forespørsel)")
def put_user_partner(user_id: int,
                     partner_id: int | None = Query(default=None, description="Partneren; tom = ingen (konsulenten "
                                                    "ser da ingen kandidater)"),
                     actor: Principal = Depends(allow(Role.admin)), session: Session = Depends(get_session)) -> UserOut:
    user = set_user_partner(session, user_id, partner_id, actor)
    session.commit()
    return UserOut(**user.model_dump())
