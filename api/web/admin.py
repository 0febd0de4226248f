"""Administration in the pages: new users (with a temporary password shown once) and role changes,
projects (create, rename), checklist versions (a new version from the current one, with the
difference shown before it is published) and employers' API keys (shown once; revoking asks first).
The API's services, through the one form helper (api/web/forms.py)."""

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import Field
from sqlmodel import Session, select
from starlette.datastructures import FormData

from accounts import service as accounts
from accounts.models import ApiKey
from accounts.service import Principal
from api.deps import get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, flatten, form_values, parse, posted, submit
from api.web.programme import key_from
from api.web.users import _page as users_page
from api.web.vacancies import municipality_choices
from core.errors import DomainError, Invalid, NotFound
from core.projects import create_project, get_project, list_projects, rename_project
from core.text import InputModel
from core.types import MunicipalityCode, Role
from employers.service import employer_for_organisation, list_employers
from programme import service as programme
from programme.schemas import CodeListIn
from readiness.schemas import Actor, DefinitionIn, ItemKind
from readiness.service import active_definition, definition_diff, definitions_by_time
from readiness.service import create_definition as publish_definition

router = APIRouter()
ADMIN = page(Role.admin)
KEYS = page(Role.admin, Role.consultant)


class UserForm(InputModel):
    username: str = Field(min_length=3, max_length=80)
    full_name: str = Field(min_length=1, max_length=200)
    role: Role
    project_id: int | None = None
    organisation_number: str | None = Field(default=None, max_length=20)


class RoleForm(InputModel):
    role: Role
    project_id: int | None = None
    organisation_number: str | None = Field(default=None, max_length=20)


class ProjectForm(InputModel):
    name: str = Field(min_length=1, max_length=200)
    programme: str = Field(min_length=1, max_length=200)
    municipality_code: MunicipalityCode


class RenameForm(InputModel):
    name: str = Field(min_length=1, max_length=200)
    programme: str = Field(min_length=1, max_length=200)


class PartnerForm(InputModel):
    name: str = Field(min_length=1, max_length=200)
    organisation_number: str | None = Field(default=None, max_length=20)


class UserPartnerForm(InputModel):
    partner_id: int | None = None


class KeyForm(InputModel):
    organisation_number: str = Field(min_length=1, max_length=20)
    label: str = Field(min_length=1, max_length=200)


def _org(value) -> str:
    return re.sub(r"[\s.]", "", str(value or ""))


def _form(request, session, actor, kind: str, values: dict, errors: dict, *, status_code: int = 200, title: str,
          user=None, project=None):
    return render(request, "admin_form.html", actor, active="users", status_code=status_code, title=title, kind=kind,
                  values=values, errors=errors, user=user, project=project,
                  projects=[(p.id, p.name) for p in list_projects(session)], municipalities=municipality_choices(),
                  roles=[(r.value, r.value) for r in Role])


# ---------------------------------------------------------------- users


@router.get("/brukere/ny")
def new_user_form(request: Request, actor: Principal = Depends(ADMIN), session: Session = Depends(get_session)):
    return _form(request, session, actor, "user", {"role": "consultant"}, {}, title="Ny bruker")


@router.post("/brukere/ny", dependencies=[Depends(verify_csrf)])
def new_user(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
             session: Session = Depends(get_session)):
    values = form_values(form, UserForm)
    values["organisation_number"] = _org(values.get("organisation_number"))
    made: dict = {}

    def save():
        data = parse(UserForm, values)
        user, secret = accounts.invite_user(session, **data.model_dump())
        made.update(user=user.username, secret=secret)
        return user

    answer = submit(session, save, success="", again=lambda errors, status: _form(
        request, session, actor, "user", values, errors, status_code=status, title="Ny bruker"))
    if not made:
        return answer
    # The temporary password is shown in this answer only (never in an address), as after a reset.
    return users_page(request, actor, session, done=f"{made['user']} er opprettet.", temporary=(made["user"], made["secret"]))


@router.get("/brukere/{user_id}/rolle")
def role_form(request: Request, user_id: int, actor: Principal = Depends(ADMIN),
              session: Session = Depends(get_session)):
    user = accounts.get_user(session, user_id)
    values = {"role": user.role, "project_id": str(user.project_id or ""),
              "organisation_number": user.organisation_number or ""}
    return _form(request, session, actor, "role", values, {}, title=f"Endre rolle for {user.username}", user=user)


@router.post("/brukere/{user_id}/rolle", dependencies=[Depends(verify_csrf)])
def change_role(request: Request, user_id: int, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
                session: Session = Depends(get_session)):
    user = accounts.get_user(session, user_id)
    values = form_values(form, RoleForm)
    values["organisation_number"] = _org(values.get("organisation_number"))
    return submit(session, lambda: accounts.change_role(session, user_id, **parse(RoleForm, values).model_dump(),
                                                        actor=actor),
                  success=f"{PREFIX}/brukere?utfort=rolle&bruker={user_id}",
                  again=lambda errors, status: _form(request, session, actor, "role", values, errors, status_code=status,
                                                     title=f"Endre rolle for {user.username}", user=user))


# ---------------------------------------------------------------- recruitment partners


def _partner_form(request, session, actor, user, values: dict, errors: dict, *, status_code: int = 200):
    return render(request, "user_partner.html", actor, active="users", status_code=status_code,
                  title=f"Rekrutteringspartner for {user.username}", user=user, values=values, errors=errors,
                  partners=[(p.id, p.name) for p in accounts.list_partners(session)])


@router.get("/brukere/{user_id}/partner")
def user_partner_form(request: Request, user_id: int, actor: Principal = Depends(ADMIN),
                      session: Session = Depends(get_session)):
    user = accounts.get_user(session, user_id)
    return _partner_form(request, session, actor, user, {"partner_id": str(user.partner_id or "")}, {})


@router.post("/brukere/{user_id}/partner", dependencies=[Depends(verify_csrf)])
def set_user_partner(request: Request, user_id: int, form: FormData = Depends(posted),
                     actor: Principal = Depends(ADMIN), session: Session = Depends(get_session)):
    user = accounts.get_user(session, user_id)
    values = form_values(form, UserPartnerForm)
    return submit(session, lambda: accounts.set_user_partner(
                      session, user_id, parse(UserPartnerForm, values, edits={"partner_id"}).partner_id, actor),
                  success=f"{PREFIX}/brukere?utfort=partner&bruker={user_id}",
                  again=lambda errors, status: _partner_form(request, session, actor, user, values, errors,
                                                             status_code=status))


def _partners_page(request, session, actor, values: dict, errors: dict, *, status_code: int = 200, saved=None):
    users = accounts.list_users(session)
    members = {p.id: sorted(u.full_name for u in users if u.partner_id == p.id) for p in accounts.list_partners(session)}
    return render(request, "partners.html", actor, active="users", status_code=status_code,
                  title="Rekrutteringspartnere", partners=accounts.list_partners(session), members=members,
                  values=values, errors=errors, saved=saved)


@router.get("/partnere")
def partners_page(request: Request, lagret: str | None = None, actor: Principal = Depends(ADMIN),
                  session: Session = Depends(get_session)):
    return _partners_page(request, session, actor, {}, {}, saved=lagret == "1")


@router.post("/partnere", dependencies=[Depends(verify_csrf)])
def create_partner(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
                   session: Session = Depends(get_session)):
    values = form_values(form, PartnerForm)
    values["organisation_number"] = _org(values.get("organisation_number"))

    def save():
        data = parse(PartnerForm, values)
        return accounts.create_partner(session, name=data.name, organisation_number=data.organisation_number or None)

    return submit(session, save, success=f"{PREFIX}/partnere?lagret=1",
                  again=lambda errors, status: _partners_page(request, session, actor, values, errors,
                                                              status_code=status))


# ---------------------------------------------------------------- projects


@router.get("/prosjekter")
def projects_page(request: Request, lagret: str | None = None, actor: Principal = Depends(ADMIN),
                  session: Session = Depends(get_session)):
    return render(request, "projects.html", actor, active="users", title="Prosjekter", projects=list_projects(session),
                  saved=lagret == "1")


@router.get("/prosjekter/ny")
def new_project_form(request: Request, actor: Principal = Depends(ADMIN), session: Session = Depends(get_session)):
    return _form(request, session, actor, "project", {"municipality_code": "0301"}, {}, title="Nytt prosjekt")


@router.post("/prosjekter/ny", dependencies=[Depends(verify_csrf)])
def new_project(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
                session: Session = Depends(get_session)):
    values = form_values(form, ProjectForm)
    return submit(session, lambda: create_project(session, **parse(ProjectForm, values).model_dump()),
                  success=f"{PREFIX}/prosjekter?lagret=1",
                  again=lambda errors, status: _form(request, session, actor, "project", values, errors,
                                                     status_code=status, title="Nytt prosjekt"))


@router.get("/prosjekter/{project_id}/endre")
def rename_form(request: Request, project_id: int, actor: Principal = Depends(ADMIN),
                session: Session = Depends(get_session)):
    project = get_project(session, project_id, field=None)
    return _form(request, session, actor, "rename", {"name": project.name, "programme": project.programme}, {},
                 title=f"Endre navn: {project.name}", project=project)


@router.post("/prosjekter/{project_id}/endre", dependencies=[Depends(verify_csrf)])
def rename(request: Request, project_id: int, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
           session: Session = Depends(get_session)):
    project = get_project(session, project_id, field=None)
    values = form_values(form, RenameForm)
    return submit(session, lambda: rename_project(session, project_id, **parse(RenameForm, values).model_dump()),
                  success=f"{PREFIX}/prosjekter?lagret=1",
                  again=lambda errors, status: _form(request, session, actor, "rename", values, errors,
                                                     status_code=status, title=f"Endre navn: {project.name}",
                                                     project=project))


# ---------------------------------------------------------------- API keys


def _keys_page(request, session, actor, *, values=None, errors=None, status_code=200, created=None, done=None):
    keys = list(session.exec(select(ApiKey).order_by(ApiKey.id.desc())))
    employers = {e.organisation_number: e.name for e in list_employers(session)}
    return render(request, "api_keys.html", actor, active="employers", status_code=status_code, title="API-nøkler",
                  keys=keys, employers=employers, employer_choices=sorted(employers.items(), key=lambda e: e[1]),
                  values=values or {}, errors=errors or {}, created=created, done=done)


@router.get("/api-nokler")
def keys_page(request: Request, trukket: str | None = None, actor: Principal = Depends(KEYS),
              session: Session = Depends(get_session)):
    return _keys_page(request, session, actor, done="Nøkkelen er trukket tilbake og virker ikke lenger."
                      if trukket else None)


@router.post("/api-nokler", dependencies=[Depends(verify_csrf)])
def create_key(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(KEYS),
               session: Session = Depends(get_session)):
    values = form_values(form, KeyForm)
    try:
        data = parse(KeyForm, values)
        try:
            employer_for_organisation(session, data.organisation_number)
        except NotFound:
            raise FormInvalid({"organisation_number": "Arbeidsgiveren finnes ikke i kunderegisteret."}) from None
        secret, row = accounts.create_api_key(session, organisation_number=data.organisation_number,
                                              label=data.label, created_by=actor.user_id)
        session.commit()
    except FormInvalid as exc:
        session.rollback()
        return _keys_page(request, session, actor, values=values, errors=exc.errors, status_code=422)
    except DomainError as exc:
        session.rollback()
        return _keys_page(request, session, actor, values=values, errors={exc.field or "": exc.message},
                          status_code=422)
    # Shown in this answer only, never stored in the clear.
    return _keys_page(request, session, actor, created=(row.label, secret))


@router.get("/api-nokler/{key_id}/trekk")
def revoke_confirm(request: Request, key_id: int, actor: Principal = Depends(KEYS),
                   session: Session = Depends(get_session)):
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("Fant ikke nøkkelen.")
    return render(request, "admin_confirm.html", actor, active="employers", title=f"Trekke tilbake «{key.label}»?",
                  explanation="Arbeidsgiverens system får avslag med en gang nøkkelen brukes. Det kan ikke angres; "
                              "arbeidsgiveren må få en ny nøkkel.",
                  button="Trekk tilbake", action=f"{PREFIX}/api-nokler/{key_id}/trekk", back=f"{PREFIX}/api-nokler")


@router.post("/api-nokler/{key_id}/trekk", dependencies=[Depends(verify_csrf)])
def revoke(key_id: int, actor: Principal = Depends(KEYS), session: Session = Depends(get_session)):
    accounts.revoke_api_key(session, key_id)
    session.commit()
    return RedirectResponse(f"{PREFIX}/api-nokler?trukket=1", status_code=303)


# ---------------------------------------------------------------- checklist versions


_ITEM_FIELDS = ("key", "label", "description", "kind", "weight", "evidence_required", "expiry_days", "actor", "step")


def _checklist(request, session, actor, values, errors, *, status_code=200, saved=None):
    versions = definitions_by_time(session)
    numbers = [int(m.group(1)) for k in values if (m := re.match(r"items\.(\d+)\.", k))]
    return render(request, "checklist_versions.html", actor, active="users", status_code=status_code,
                  title="Sjekklisteversjoner", versions=versions, current=versions[-1] if versions else None,
                  values=values, errors=errors, rows=(max(numbers) + 2) if numbers else 1, saved=saved,
                  kinds=[(k.value, k.value) for k in ItemKind], actors=[(a.value, a.value) for a in Actor])


def _current_values(session) -> dict:
    current = active_definition(session)
    values = {"title": current.row.title, "ready_threshold": str(current.row.ready_threshold),
              "current_version": str(current.row.version)}
    for n, item in enumerate(current.items):
        for key, value in flatten({f: getattr(item, f) for f in _ITEM_FIELDS}, f"items.{n}.").items():
            values[key] = value
    return values


@router.get("/sjekkliste")
def checklist_page(request: Request, publisert: str | None = None, actor: Principal = Depends(ADMIN),
                   session: Session = Depends(get_session)):
    return _checklist(request, session, actor, _current_values(session), {},
                      saved=f"Versjon {publisert} er publisert." if publisert and publisert.isdigit() else None)


def _typed_checklist(form: FormData) -> dict:
    """The checklist form as typed, without the rows marked "Ta bort" or left without key and name
    (the selects of an empty line always send a value, so a line is empty when its texts are)."""
    values = form_values(form, DefinitionIn)
    values["current_version"] = str(form.get("current_version", ""))
    numbers = {int(m.group(1)) for k in values if (m := re.match(r"items\.(\d+)\.", k))}
    for n in numbers:
        row = f"items.{n}."
        if values.get(row + "remove") or not (str(values.get(row + "key", "")).strip()
                                              or str(values.get(row + "label", "")).strip()):
            for key in [k for k in values if k.startswith(row)]:
                values.pop(key)
    return values


def _proposed(values: dict) -> DefinitionIn:
    return parse(DefinitionIn, {k: v for k, v in values.items() if k != "current_version"})


@router.post("/sjekkliste/forhandsvis", dependencies=[Depends(verify_csrf)])
def checklist_preview(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
                      session: Session = Depends(get_session)):
    values = _typed_checklist(form)
    try:
        proposed = _proposed(values)
    except FormInvalid as exc:
        return _checklist(request, session, actor, values, exc.errors, status_code=422)
    current = active_definition(session)
    diff = definition_diff(current, proposed)
    return render(request, "checklist_preview.html", actor, active="users", title="Publisere ny versjon?",
                  diff=diff, current=current, values=values, hidden=sorted(values.items()))


@router.post("/sjekkliste/publiser", dependencies=[Depends(verify_csrf)])
def checklist_publish(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
                      session: Session = Depends(get_session)):
    values = _typed_checklist(form)

    def save():
        if values["current_version"] != str(active_definition(session).row.version):
            raise Invalid("Noen andre publiserte en versjon i mellomtiden. Se over endringene igjen.",
                          field="current_version")
        return publish_definition(session, _proposed(values), actor)

    return submit(session, save, success=lambda d: f"{PREFIX}/sjekkliste?publisert={d.row.version}",
                  again=lambda errors, status: _checklist(request, session, actor, values, errors, status_code=status))


@router.post("/sjekkliste/tilbake", dependencies=[Depends(verify_csrf)])
def checklist_back(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
                   session: Session = Depends(get_session)):
    """Back from the differences to the form, with everything as typed."""
    values = _typed_checklist(form)
    return _checklist(request, session, actor, values, {})


# ---------------------------------------------------------------- the programme's code lists

CODE_KINDS = (("refusal", "Årsaker til avslag"), ("completed", "Fullført: utfall"),
              ("interrupted", "Avbrutt: årsaker"), ("criterion", "Nasjonale inntakskriterier"))
_CODE_FIELDS = ("kind", "key", "label", "requires_text")


def _code_rows(values: dict) -> dict[str, list[int]]:
    """Row numbers per kind, with one empty row per kind added at the end (to add a code)."""
    numbers = sorted({int(m.group(1)) for k in values if (m := re.match(r"codes\.(\d+)\.", k))})
    rows: dict[str, list[int]] = {kind: [] for kind, _ in CODE_KINDS}
    for n in numbers:
        rows.setdefault(str(values.get(f"codes.{n}.kind", "")), []).append(n)
    last = max(numbers, default=-1)
    for kind, _ in CODE_KINDS:
        last += 1
        values[f"codes.{last}.kind"] = kind
        rows[kind].append(last)
    return rows


def _codes_page(request, session, actor, values, errors, *, status_code=200, saved=None):
    values = dict(values)
    rows = _code_rows(values)
    return render(request, "code_lists.html", actor, active="users", status_code=status_code, title="Kodelister",
                  versions=programme.code_lists(session), values=values, errors=errors, saved=saved,
                  groups=[(kind, title, rows[kind]) for kind, title in CODE_KINDS])


def _current_codes(session) -> dict:
    current = programme.code_list(session)
    values = {"current_version": str(current.version)}
    for n, code in enumerate(current.codes):
        values.update(flatten({f: getattr(code, f) for f in _CODE_FIELDS}, f"codes.{n}."))
    return values


def _typed_codes(form: FormData) -> dict:
    """The code form as typed, without rows marked "Ta bort" or left without key and name; a new
    code's key made from its name when left empty."""
    values = form_values(form, CodeListIn)
    values["current_version"] = str(form.get("current_version", ""))
    numbers = {int(m.group(1)) for k in values if (m := re.match(r"codes\.(\d+)\.", k))}
    for n in numbers:
        row = f"codes.{n}."
        key, label = str(values.get(row + "key", "")).strip(), str(values.get(row + "label", "")).strip()
        if values.get(row + "remove") or not (key or label):
            for k in [k for k in values if k.startswith(row)]:
                values.pop(k)
        elif not key:
            values[row + "key"] = key_from(label)
    return values


def _proposed_codes(values: dict) -> CodeListIn:
    kinds = {str(v) for k, v in values.items() if re.fullmatch(r"codes\.\d+\.kind", k)}
    empty = [title for kind, title in CODE_KINDS if kind != "criterion" and kind not in kinds]
    if empty:
        raise FormInvalid({"codes": f"Hver gruppe må ha minst én kode: {', '.join(empty).lower()} har ingen."})
    return parse(CodeListIn, {k: v for k, v in values.items() if k != "current_version"})


@router.get("/kodelister")
def codes_page(request: Request, publisert: str | None = None, actor: Principal = Depends(ADMIN),
               session: Session = Depends(get_session)):
    return _codes_page(request, session, actor, _current_codes(session), {},
                       saved=f"Versjon {publisert} er publisert." if publisert and publisert.isdigit() else None)


@router.post("/kodelister/forhandsvis", dependencies=[Depends(verify_csrf)])
def codes_preview(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
                  session: Session = Depends(get_session)):
    values = _typed_codes(form)
    try:
        proposed = _proposed_codes(values)
    except FormInvalid as exc:
        return _codes_page(request, session, actor, values, exc.errors, status_code=422)
    current = programme.code_list(session)
    diff = programme.code_list_diff(current, proposed)
    return render(request, "code_lists_preview.html", actor, active="users", title="Publisere nye kodelister?",
                  diff=diff, current=current, empty=not any(diff.values()), hidden=sorted(values.items()),
                  kinds=dict(CODE_KINDS))


@router.post("/kodelister/publiser", dependencies=[Depends(verify_csrf)])
def codes_publish(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
                  session: Session = Depends(get_session)):
    values = _typed_codes(form)

    def save():
        if values["current_version"] != str(programme.code_list(session).version):
            raise Invalid("Noen andre publiserte en versjon i mellomtiden. Se over endringene igjen.",
                          field="current_version")
        return programme.publish_codes(session, _proposed_codes(values), actor)

    return submit(session, save, success=lambda c: f"{PREFIX}/kodelister?publisert={c.version}",
                  again=lambda errors, status: _codes_page(request, session, actor, values, errors, status_code=status))


@router.post("/kodelister/tilbake", dependencies=[Depends(verify_csrf)])
def codes_back(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(ADMIN),
               session: Session = Depends(get_session)):
    """Back from the differences to the form, with everything as typed."""
    return _codes_page(request, session, actor, _typed_codes(form), {})
