"""The admin's user page: every user with their state, and the actions deactivate / activate,
reset password and end all sessions. The irreversible ones ask first, on a page of their own (no
script needed); every post carries the session's CSRF token."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from accounts import service
from accounts.service import Principal
from api.deps import get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.labels import USER_ACTION
from api.web.paging import pager
from core.errors import DomainError, NotFound
from core.projects import list_projects
from core.types import Role

router = APIRouter()
ADMIN = page(Role.admin)


def _page(request: Request, actor: Principal, session: Session, *, status_code: int = 200, done: str | None = None,
          error: str | None = None, temporary: tuple[str, str] | None = None):
    projects = {p.id: p.name for p in list_projects(session)}
    partners = {p.id: p.name for p in service.list_partners(session)}
    users = service.list_users(session)
    paging = pager(request, len(users), path=f"{PREFIX}/brukere")
    return render(request, "users.html", actor, status_code=status_code, active="users", title="Brukere",
                  users=paging.rows(users), paging=paging, projects=projects, partners=partners, actions=USER_ACTION,
                  done=done, error=error, temporary=temporary)


@router.get("/brukere")
def users_page(request: Request, utfort: str | None = None, bruker: int | None = None,
               actor: Principal = Depends(ADMIN), session: Session = Depends(get_session)):
    done = None
    if utfort == "rolle" and bruker is not None:
        try:
            done = f"Rollen til {service.get_user(session, bruker).username} er endret. Brukeren må logge inn på nytt."
        except NotFound:
            done = None
    elif utfort == "partner" and bruker is not None:
        try:
            user = service.get_user(session, bruker)
            partner = service.get_partner(session, user.partner_id).name if user.partner_id else None
            done = (f"{user.username} hører nå til {partner} og ser kandidatene som er tildelt den." if partner else
                    f"{user.username} hører ikke til noen rekrutteringspartner og ser ingen kandidater.")
        except NotFound:
            done = None
    elif utfort in USER_ACTION and bruker is not None:
        try:
            done = USER_ACTION[utfort][3].format(name=service.get_user(session, bruker).username)
        except NotFound:
            done = None
    return _page(request, actor, session, done=done)


@router.get("/brukere/{user_id}/{action}")
def confirm_page(request: Request, user_id: int, action: str, actor: Principal = Depends(ADMIN),
                 session: Session = Depends(get_session)):
    if action not in USER_ACTION:
        raise NotFound("Ukjent handling.")
    user = service.get_user(session, user_id)
    button, question, explanation, _ = USER_ACTION[action]
    return render(request, "user_confirm.html", actor, active="users", title=question.format(name=user.username),
                  user=user, action=action, button=button, explanation=explanation)


@router.post("/brukere/{user_id}/{action}", dependencies=[Depends(verify_csrf)])
def do_action(request: Request, user_id: int, action: str, actor: Principal = Depends(ADMIN),
              session: Session = Depends(get_session)):
    if action not in USER_ACTION:
        raise NotFound("Ukjent handling.")
    try:
        if action == "deactivate":
            service.deactivate_user(session, user_id, actor)
        elif action == "activate":
            service.activate_user(session, user_id, actor)
        elif action == "revoke-sessions":
            service.revoke_sessions(session, service.get_user(session, user_id))
        else:
            user, secret = service.reset_password(session, user_id, actor)
            session.commit()
            # Shown in this answer only (not in an address or a redirect), and never stored in the clear.
            return _page(request, actor, session, done=USER_ACTION[action][3].format(name=user.username),
                         temporary=(user.username, secret))
    except DomainError as exc:
        session.rollback()
        status = 404 if isinstance(exc, NotFound) else 409
        return _page(request, actor, session, status_code=status, error=exc.message)
    session.commit()
    if actor.user_id == user_id and action == "revoke-sessions":
        return RedirectResponse(PREFIX + "/logg-inn?utlogget=1", status_code=303)
    return RedirectResponse(f"{PREFIX}/brukere?utfort={action}&bruker={user_id}", status_code=303)
