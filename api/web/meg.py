"""The job seeker's own pages under /app/meg, in plain bokmål and English (selfservice/i18n.py), and
the invitation page where they choose their password. Staff's side (invite, end access, review
wishes) is on the candidate's page (api/web/candidates.py)."""

import json

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from accounts import invitations
from accounts.models import User
from accounts.service import Principal, principal_from_token
from api.deps import PUBLIC, audit_read, client_address, get_session, settings_dep
from api.web.auth import _logged_in, _login_csrf_ok
from api.web.deps import LOGIN_CSRF_COOKIE, PREFIX, new_login_csrf, page, render, verify_csrf
from candidates.catalogue import SECTORS
from core import audit
from core.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited, Unauthorized
from core.settings import Settings
from core.types import Role
from privacy.service import data_export
from selfservice import service
from selfservice.i18n import LANGUAGES, N_, Translator, form_error, page_text

router = APIRouter()
# Messages from accounts that reach the invitation page, for the translation catalogue.
ACCOUNT_MESSAGES = (
    N_("Skriv inn koden du fikk."), N_("Koden er feil, brukt eller utløpt. Be veilederen din om en ny kode."),
    N_("Passordet mangler."), N_("Passordet må ha minst 12 tegn."), N_("Passordet inneholder tegn som ikke kan brukes."),
    N_("Passordet kan ikke være eller inneholde brukernavnet."),
    N_("Passordet er for vanlig eller lett å gjette. Bruk gjerne tre-fire tilfeldige ord eller en lengre setning."),
    N_("Passordene er ikke like."), N_("Skjemaet var utløpt. Prøv igjen."),
)
# Messages from the pages' common parts (api/web/deps.py) that reach a job seeker's error page.
PAGE_MESSAGES = (N_("Skjemaet er utløpt eller kom ikke fra denne siden. Last inn siden på nytt og prøv igjen."),)
ME = page(Role.candidate)
HOME = PREFIX + "/meg"
PAGES = [("vei", N_("Min vei"), ""), ("plan", N_("Min plan"), "/plan"), ("avtaler", N_("Avtaler"), "/avtaler"),
         ("jobber", N_("Jobber"), "/jobber"), ("samtykker", N_("Samtykker"), "/samtykker"),
         ("data", N_("Mine data"), "/data"), ("profil", N_("Profil"), "/profil")]
TITLES = (N_("Velkommen"), N_("Jobber som kan passe"), N_("Mine samtykker"))


def _language(session: Session, actor: Principal) -> str:
    user = session.get(User, actor.user_id) if actor.user_id else None
    return user.language if user else "nb"


def _render(request: Request, session: Session, actor: Principal | None, name: str, active: str, *,
            language: str | None = None, status_code: int = 200, **context):
    t = Translator(language or (_language(session, actor) if actor else "nb"))
    return render(request, name, actor, status_code=status_code, active=active, _=t.gettext, ngettext=t.ngettext,
                  lang=t.language, languages=LANGUAGES, pages=PAGES, home=HOME, words=service, **context)


def _read(session: Session, actor: Principal, what: str) -> None:
    audit_read(session, actor, f"{what} (egen side)", [actor.candidate_id])


# ---------------------------------------------------------------- the pages


@router.get("/meg")
def my_way_page(request: Request, actor: Principal = Depends(ME), session: Session = Depends(get_session)):
    way = service.my_way(session, actor)
    candidate = service.own_candidate(session, actor)
    _read(session, actor, "min vei: trinn og sjekkliste")
    return _render(request, session, actor, "meg_vei.html", "vei", way=way, first_name=candidate.first_name)


@router.get("/meg/plan")
def plan_page(request: Request, lagret: str | None = None, actor: Principal = Depends(ME),
              session: Session = Depends(get_session)):
    tasks = service.own_plan(session, actor)
    _read(session, actor, "min plan")
    return _render(request, session, actor, "meg_plan.html", "plan", tasks=tasks, saved=lagret, error={})


@router.post("/meg/plan/{task_key}", dependencies=[Depends(verify_csrf)])
def plan_tick(request: Request, task_key: str, done: str | None = Form(default=None),
              comment: str | None = Form(default=None), actor: Principal = Depends(ME),
              session: Session = Depends(get_session)):
    try:
        service.tick_own_task(session, actor, task_key[:60], done == "ja", comment)
        session.commit()
    except (Invalid, Forbidden, ValidationError) as exc:
        session.rollback()
        message = (form_error(Translator(_language(session, actor)), exc.errors()[0])
                   if isinstance(exc, ValidationError) else exc.message)
        tasks = service.own_plan(session, actor)
        _read(session, actor, "min plan")
        return _render(request, session, actor, "meg_plan.html", "plan", status_code=422, tasks=tasks, saved=None,
                       error={"key": task_key, "message": message, "comment": comment or ""})
    return RedirectResponse(f"{HOME}/plan?lagret={task_key}#oppgave-{task_key}", status_code=303)


@router.get("/meg/avtaler")
def appointments_page(request: Request, actor: Principal = Depends(ME), session: Session = Depends(get_session)):
    found = service.own_appointments(session, actor)
    _read(session, actor, "avtaler")
    return _render(request, session, actor, "meg_avtaler.html", "avtaler", appointments=found)


@router.get("/meg/avtaler/{key}.ics")
def appointment_file(key: str, actor: Principal = Depends(ME), session: Session = Depends(get_session)):
    found = {a.key: a for a in service.own_appointments(session, actor)}
    if key not in found:
        raise NotFound(N_("Fant ikke avtalen."))
    appointment = found[key]
    t = Translator(_language(session, actor))
    summary = f"{t.gettext(appointment.title)}: {appointment.with_whom}"
    description = "\n".join([appointment.job, t.gettext("Ta med:")] + [f"- {t.gettext(b)}" for b in appointment.bring])
    body = service.appointment_ics(appointment, summary, description)
    _read(session, actor, "avtale som kalenderfil")
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{key}.ics"'})


@router.get("/meg/jobber")
def jobs_page(request: Request, actor: Principal = Depends(ME), session: Session = Depends(get_session)):
    openings, presented = service.own_openings(session, actor)
    _read(session, actor, "jobber som kan passe")
    return _render(request, session, actor, "meg_jobber.html", "jobber", openings=openings, presented=presented)


def _consents_page(request: Request, session: Session, actor: Principal, *, saved: str | None = None,
                   error: str | None = None, status_code: int = 200):
    consents, employers = service.own_consents(session, actor)
    _read(session, actor, "samtykker")
    standing = {(c.purpose, c.employer) for c in consents if c.withdrawn_on is None}
    return _render(request, session, actor, "meg_samtykker.html", "samtykker", status_code=status_code,
                   consents=consents, employers=employers, standing=standing, saved=saved, error=error)


@router.get("/meg/samtykker")
def consents_page(request: Request, lagret: str | None = None, actor: Principal = Depends(ME),
                  session: Session = Depends(get_session)):
    return _consents_page(request, session, actor, saved=lagret)


@router.post("/meg/samtykker", dependencies=[Depends(verify_csrf)])
def consent_grant(request: Request, purpose: str = Form(default=""), employer_id: str | None = Form(default=None),
                  actor: Principal = Depends(ME), session: Session = Depends(get_session)):
    try:
        employer = int(employer_id) if employer_id and employer_id.isdigit() else None
        service.grant_own_consent(session, actor, purpose, employer)
        session.commit()
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _consents_page(request, session, actor, error=exc.message, status_code=422)
    return RedirectResponse(f"{HOME}/samtykker?lagret=gitt", status_code=303)


@router.post("/meg/samtykker/{consent_id}/trekk", dependencies=[Depends(verify_csrf)])
def consent_withdraw(consent_id: int, actor: Principal = Depends(ME), session: Session = Depends(get_session)):
    service.withdraw_own_consent(session, actor, consent_id)
    session.commit()
    return RedirectResponse(f"{HOME}/samtykker?lagret=trukket", status_code=303)


@router.get("/meg/data")
def data_page(request: Request, actor: Principal = Depends(ME), session: Session = Depends(get_session)):
    lines = service.seen_by(session, actor)
    _read(session, actor, "innsyn: hvem har sett opplysningene")
    return _render(request, session, actor, "meg_data.html", "data", lines=lines)


@router.get("/meg/data/last-ned")
def data_download(actor: Principal = Depends(ME), session: Session = Depends(get_session)):
    """Everything held about the job seeker: privacy's portability export, as staff would hand it out."""
    service.own_candidate(session, actor)
    data = data_export(session, actor.candidate_id, actor)
    session.commit()
    return Response(json.dumps(data, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="mine-opplysninger.json"'})


def _profile_page(request: Request, session: Session, actor: Principal, *, saved: str | None = None,
                  errors: dict | None = None, values: dict | None = None, status_code: int = 200):
    candidate = service.own_candidate(session, actor)
    wishes = service.current_wishes(session, actor.candidate_id)
    pending = service.pending_wish_change(session, actor.candidate_id)
    _read(session, actor, "profil")
    values = values or {"email": candidate.email or "", "phone": candidate.phone or "",
                        "address": candidate.address or ""}
    return _render(request, session, actor, "meg_profil.html", "profil", status_code=status_code, c=candidate,
                   wishes=wishes, pending=pending, sectors=list(SECTORS), saved=saved, errors=errors or {},
                   values=values)


@router.get("/meg/profil")
def profile_page(request: Request, lagret: str | None = None, actor: Principal = Depends(ME),
                 session: Session = Depends(get_session)):
    return _profile_page(request, session, actor, saved=lagret)


@router.post("/meg/profil", dependencies=[Depends(verify_csrf)])
def profile_save(request: Request, email: str = Form(default=""), phone: str = Form(default=""),
                 address: str = Form(default=""), actor: Principal = Depends(ME),
                 session: Session = Depends(get_session)):
    values = {"email": email, "phone": phone, "address": address}
    try:
        service.update_own_contact(session, actor, email=email.strip() or None, phone=phone.strip() or None,
                                   address=address.strip() or None)
        session.commit()
    except ValidationError as exc:
        session.rollback()
        # Every field's problem at once, each beside its own field (the first per field).
        t = Translator(_language(session, actor))
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error.get("loc") else ""
            errors.setdefault(field if field in values else "email", form_error(t, error))
        return _profile_page(request, session, actor, errors=errors, values=values, status_code=422)
    except (Invalid, Conflict) as exc:
        session.rollback()
        message = page_text(Translator(_language(session, actor)), exc.message, N_("Noe i skjemaet er ikke gyldig."))
        return _profile_page(request, session, actor, errors={exc.field or "email": message}, values=values,
                             status_code=422)
    return RedirectResponse(f"{HOME}/profil?lagret=kontakt", status_code=303)


@router.post("/meg/profil/onsker", dependencies=[Depends(verify_csrf)])
def wishes_request(request: Request, sectors: list[str] = Form(default=[]), other: str = Form(default=""),
                   actor: Principal = Depends(ME), session: Session = Depends(get_session)):
    try:
        service.request_wish_change(session, actor, sectors, other)
        session.commit()
    except Invalid as exc:
        session.rollback()
        return _profile_page(request, session, actor, errors={"wishes": exc.message}, status_code=422)
    return RedirectResponse(f"{HOME}/profil?lagret=onsker", status_code=303)


@router.post("/meg/sprak", dependencies=[Depends(verify_csrf)])
def language_save(language: str = Form(default="nb"), back: str = Form(default=""), actor: Principal = Depends(ME),
                  session: Session = Depends(get_session)):
    invitations.set_language(session, actor.user_id, language if language in LANGUAGES else "nb")
    audit.record(session, actor, "update", "språk (egen side)", [actor.candidate_id])
    session.commit()
    target = back if back.startswith(HOME) and "//" not in back and "\\" not in back else HOME
    return RedirectResponse(target, status_code=303)


# ---------------------------------------------------------------- error pages


def error_page(request: Request, actor: Principal, status: int, title: str, detail: str, errors: list | None):
    """A job seeker's error page (api/web/__init__.py): their menu, their language. A message the
    catalogue lacks (a staff page's own words) is shown as the status's plain message instead."""
    language = "nb"
    try:
        with Session(request.app.state.engine) as session:
            language = _language(session, actor)
    except Exception:  # an error page must never fail because the language could not be read
        pass
    t = Translator(language)
    text = " ".join(form_error(t, e) for e in errors) if errors else page_text(t, detail, title)
    return _render(request, None, actor, "meg_error.html", "", language=language, status_code=status,
                   title=title, detail=text)


# ---------------------------------------------------------------- the invitation (before a login)


def _invitation_form(request: Request, *, language: str, code: str = "", error: str | None = None,
                     errors: dict | None = None, status_code: int = 200):
    token = new_login_csrf()
    response = _render(request, None, None, "meg_invitasjon.html", "", language=language, status_code=status_code,
                       login_csrf=token, code=code, error=error, errors=errors or {})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path=PREFIX + "/logg-inn",
                        secure=request.url.scheme == "https", max_age=3600)
    return response


@router.get("/logg-inn/invitasjon", dependencies=[Depends(PUBLIC)])
def invitation_page(request: Request, kode: str = "", sprak: str = "nb"):
    return _invitation_form(request, language=sprak if sprak in LANGUAGES else "nb",
                            code=invitations.normalise_code(kode[:40]))


@router.post("/logg-inn/invitasjon", dependencies=[Depends(PUBLIC)])
def invitation_accept(
    request: Request,
    code: str = Form(default=""),
    new_password: str = Form(default=""),
    new_password_again: str = Form(default=""),
    language: str = Form(default="nb"),
    login_csrf: str = Form(default=""),
    session: Session = Depends(get_session),
    settings: Settings = Depends(settings_dep),
):
    language = language if language in LANGUAGES else "nb"

    def again(status: int, message: str, field: str | None = None):
        return _invitation_form(request, language=language, code=code[:40], status_code=status,
                                error=None if field else message, errors={field: message} if field else {})

    if not _login_csrf_ok(request, login_csrf):
        return again(400, "Skjemaet var utløpt. Prøv igjen.")
    if new_password != new_password_again:
        return again(422, "Passordene er ikke like.", "new_password_again")
    try:
        token, row = invitations.accept(session, code=code, password=new_password, client=client_address(request),
                                        ttl_minutes=settings.token_ttl_minutes)
        invitations.set_language(session, row.user_id, language)
        actor = principal_from_token(session, token)
        audit.record(session, actor, "update", "passord valgt med invitasjonskode", [actor.candidate_id])
    except Invalid as exc:
        return again(422, exc.message, "code" if exc.field == "code" else "new_password")
    except (Unauthorized, RateLimited) as exc:
        return again(401 if isinstance(exc, Unauthorized) else 429, exc.message, "code")
    session.commit()
    return _logged_in(request, token, row.user_id, session, settings, HOME)
