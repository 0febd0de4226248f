"""The programme side in the pages (admin, staff): referrals and the intake decision, exits, and the
obstacles found on the way (arenarydding; consultants record them too). The API's schemas and service
functions, through the one form helper (api/web/forms.py)."""

import re

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, audit_read, get_session
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, form_values, parse, posted, submit
from api.web.paging import pager
from candidates.service import get_candidate
from core import audit
from core.labels import OBSTACLE_KIND, OBSTACLE_OWNER, REFERRAL_DECISION, REFERRER_KIND
from core.projects import get_project, list_projects
from core.types import Role, today
from programme import service
from programme.schemas import DecisionIn, ExitIn, LocalCriterionIn, ObstacleIn, ObstacleResolveIn, ReferralIn

router = APIRouter()
PROGRAMME = page(Role.admin, Role.staff)
READERS = page(*CANDIDATE_ROLES)


def _decision_choices():
    return [(k, v) for k, v in REFERRAL_DECISION.items() if k != "pending"]


# ---------------------------------------------------------------- referrals


@router.get("/henvisninger")
def referral_list(request: Request, vedtak: str | None = None, actor: Principal = Depends(PROGRAMME),
                  session: Session = Depends(get_session)):
    decision = vedtak if vedtak in REFERRAL_DECISION else None
    found = service.list_referrals(session, actor, decision=decision)
    paging = pager(request, len(found))
    rows = [service.to_public(session, r) for r in paging.rows(found)]
    audit_read(session, actor, "henvisninger (side)", [r.candidate_id for r in rows], action="list")
    projects = {p.id: p.name for p in list_projects(session)}
    return render(request, "referrals.html", actor, active="referrals", title="Henvisninger", rows=rows,
                  paging=paging, decision=decision or "", projects=projects, many_projects=actor.role is not Role.staff)


def _referral_form(request: Request, session: Session, actor: Principal, values: dict, errors: dict,
                   status_code: int = 200):
    projects = [p for p in list_projects(session) if actor.role is not Role.staff or p.id == actor.project_id]
    project_id = actor.project_id if actor.role is Role.staff else None
    if project_id is None and str(values.get("project_id", "")).isdigit():
        project_id = int(values["project_id"])
    criteria = (service.intake_criteria(session, project_id, actor) if project_id is not None else
                [(c.key, c.label) for c in service.code_list(session).codes if c.kind == "criterion"])
    return render(request, "referral_form.html", actor, active="referrals", status_code=status_code,
                  title="Ny henvisning", values=values, errors=errors, projects=[(p.id, p.name) for p in projects],
                  criteria=criteria, referrer_kinds=list(REFERRER_KIND.items()))


@router.get("/henvisninger/ny")
def new_referral(request: Request, actor: Principal = Depends(PROGRAMME), session: Session = Depends(get_session)):
    return _referral_form(request, session, actor, {"referrer_kind": "nav_office", "referred_on": today()}, {})


@router.post("/henvisninger/ny", dependencies=[Depends(verify_csrf)])
def create_referral(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(PROGRAMME),
                    session: Session = Depends(get_session)):
    values = form_values(form, ReferralIn)

    def save():
        row = service.refer(session, parse(ReferralIn, values), actor)
        audit.record(session, actor, "update", f"henvisning {row.id} (side)", [row.candidate_id])
        return row

    return submit(session, save, success=lambda r: f"{PREFIX}/henvisninger/{r.id}?lagret=henvisning",
                  again=lambda errors, status: _referral_form(request, session, actor, values, errors, status))


def _referral_page(request: Request, session: Session, actor: Principal, referral_id: int, values: dict,
                   errors: dict, saved: str | None = None, status_code: int = 200):
    row = service.to_public(session, service.get_referral(session, referral_id, actor))
    criteria = dict(service.intake_criteria(session, row.project_id, actor))
    codes = service.code_list(session)
    refusal = [(c.key, c.label) for c in codes.codes if c.kind == "refusal"]
    audit_read(session, actor, f"henvisning {referral_id} (side)", [row.candidate_id])
    return render(request, "referral.html", actor, active="referrals", status_code=status_code,
                  title=f"Henvisning: {row.candidate_name}", r=row, criteria=criteria, values=values, errors=errors,
                  saved=saved, decisions=_decision_choices(), refusal_reasons=refusal,
                  refusal_labels=dict(refusal), open=row.decision in ("pending", "waiting_list"))


@router.get("/henvisninger/{referral_id}")
def referral_page(request: Request, referral_id: int, lagret: str | None = None,
                  actor: Principal = Depends(PROGRAMME), session: Session = Depends(get_session)):
    return _referral_page(request, session, actor, referral_id, {"decided_on": today()}, {}, lagret)


@router.post("/henvisninger/{referral_id}/vedtak", dependencies=[Depends(verify_csrf)])
def decide(request: Request, referral_id: int, form: FormData = Depends(posted), actor: Principal = Depends(PROGRAMME),
           session: Session = Depends(get_session)):
    values = form_values(form, DecisionIn)

    def save():
        row = service.decide(session, referral_id, parse(DecisionIn, values), actor)
        audit.record(session, actor, "update", f"inntaksvedtak {referral_id}: {row.decision} (side)", [row.candidate_id])
        return row

    return submit(session, save, success=f"{PREFIX}/henvisninger/{referral_id}?lagret=vedtak",
                  again=lambda errors, status: _referral_page(request, session, actor, referral_id, values, errors,
                                                              status_code=status))


# ---------------------------------------------------------------- local intake criteria


def key_from(label: str) -> str:
    """A code's key from its Norwegian name, for a key left blank: «Bor i bydelen» -> "bor_i_bydelen"."""
    text = str(label or "").lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return "_".join(re.findall(r"[a-z0-9]+", text))[:40].strip("_")


def _criteria_page(request: Request, session: Session, actor: Principal, project_id: int, values: dict,
                   errors: dict, status_code: int = 200, saved: bool = False):
    project = get_project(session, project_id, field=None)
    local = service.local_criteria(session, project_id, actor)
    national = [c for c in service.code_list(session).codes if c.kind == "criterion"]
    return render(request, "intake_criteria.html", actor, active="referrals", status_code=status_code,
                  title=f"Inntakskriterier: {project.name}", project=project, local=local, national=national,
                  values=values, errors=errors, saved=saved)


@router.get("/prosjekter/{project_id}/inntakskriterier")
def criteria_page(request: Request, project_id: int, lagret: str | None = None, actor: Principal = Depends(PROGRAMME),
                  session: Session = Depends(get_session)):
    return _criteria_page(request, session, actor, project_id, {}, {}, saved=lagret == "1")


@router.post("/prosjekter/{project_id}/inntakskriterier", dependencies=[Depends(verify_csrf)])
def add_criterion(request: Request, project_id: int, form: FormData = Depends(posted),
                  actor: Principal = Depends(PROGRAMME), session: Session = Depends(get_session)):
    values = form_values(form, LocalCriterionIn)
    typed = {**values, "key": values.get("key") or key_from(values.get("label", ""))}

    def save():
        data = parse(LocalCriterionIn, typed)
        if not values.get("key") and any(c.key == data.key for c in service.local_criteria(session, project_id, actor)):
            raise FormInvalid({"label": "Prosjektet har allerede et kriterium med dette navnet."})
        return service.add_local_criterion(session, project_id, data, actor)

    return submit(session, save,
                  success=f"{PREFIX}/prosjekter/{project_id}/inntakskriterier?lagret=1",
                  again=lambda errors, status: _criteria_page(request, session, actor, project_id, values, errors,
                                                              status))


# ---------------------------------------------------------------- exits


def _exit_form(request: Request, session: Session, actor: Principal, candidate_id: int, values: dict, errors: dict,
               status_code: int = 200):
    candidate = get_candidate(session, candidate_id, actor)
    codes = service.code_list(session)
    groups = [(label, [(f"{kind}:{c.key}", c.label) for c in codes.codes if c.kind == kind])
              for kind, label in (("completed", "Fullført (utfall)"), ("interrupted", "Avbrutt (årsak)"))]
    audit_read(session, actor, "avslutning (skjema)", [candidate_id])
    return render(request, "exit_form.html", actor, active="candidates", status_code=status_code,
                  title=f"Avslutt deltakelsen: {candidate.first_name} {candidate.last_name}", c=candidate,
                  values=values, errors=errors, groups=groups,
                  exits=service.exits(session, candidate_id, actor))


@router.get("/kandidater/{candidate_id}/avslutning")
def exit_form(request: Request, candidate_id: int, actor: Principal = Depends(PROGRAMME),
              session: Session = Depends(get_session)):
    return _exit_form(request, session, actor, candidate_id, {"on": today()}, {})


@router.post("/kandidater/{candidate_id}/avslutning", dependencies=[Depends(verify_csrf)])
def record_exit(request: Request, candidate_id: int, form: FormData = Depends(posted),
                actor: Principal = Depends(PROGRAMME), session: Session = Depends(get_session)):
    values = form_values(form, ExitIn)
    # The page's one select names both the group and the reason ("completed:to_work"); the API takes them apart.
    outcome, _, reason = str(values.get("reason", "")).partition(":")
    data = {**values, "outcome": outcome, "reason": reason} if reason else values

    def save():
        row = service.record_exit(session, candidate_id, parse(ExitIn, data), actor)
        audit.record(session, actor, "update", f"avslutning: {row.outcome} (side)", [candidate_id])
        return row

    return submit(session, save, success=f"{PREFIX}/kandidater/{candidate_id}?lagret=avslutning#program",
                  again=lambda errors, status: _exit_form(
                      request, session, actor, candidate_id, values,
                      {("reason" if k == "outcome" else k): v for k, v in errors.items()}, status))


# ---------------------------------------------------------------- obstacles


def _obstacle_form(request: Request, session: Session, actor: Principal, candidate_id: int, values: dict,
                   errors: dict, status_code: int = 200):
    candidate = get_candidate(session, candidate_id, actor)
    audit_read(session, actor, "hinder (skjema)", [candidate_id])
    return render(request, "obstacle_form.html", actor, active="candidates", status_code=status_code,
                  title=f"Nytt hinder: {candidate.first_name} {candidate.last_name}", c=candidate, values=values,
                  errors=errors, kinds=list(OBSTACLE_KIND.items()), owners=list(OBSTACLE_OWNER.items()))


@router.get("/kandidater/{candidate_id}/hindringer/ny")
def obstacle_form(request: Request, candidate_id: int, actor: Principal = Depends(READERS),
                  session: Session = Depends(get_session)):
    default_owner = "consultant" if actor.role is Role.consultant else "staff"
    return _obstacle_form(request, session, actor, candidate_id, {"found_on": today(), "owner": default_owner}, {})


@router.post("/kandidater/{candidate_id}/hindringer/ny", dependencies=[Depends(verify_csrf)])
def add_obstacle(request: Request, candidate_id: int, form: FormData = Depends(posted),
                 actor: Principal = Depends(READERS), session: Session = Depends(get_session)):
    values = form_values(form, ObstacleIn)

    def save():
        row = service.add_obstacle(session, candidate_id, parse(ObstacleIn, values), actor)
        audit.record(session, actor, "update", f"hinder: {row.kind} (side)", [candidate_id])
        return row

    return submit(session, save, success=f"{PREFIX}/kandidater/{candidate_id}?lagret=hinder#hindringer",
                  again=lambda errors, status: _obstacle_form(request, session, actor, candidate_id, values, errors,
                                                              status))


@router.post("/kandidater/{candidate_id}/hindringer/{obstacle_id}/lost", dependencies=[Depends(verify_csrf)])
def resolve_obstacle(request: Request, candidate_id: int, obstacle_id: int, actor: Principal = Depends(READERS),
                     session: Session = Depends(get_session)):
    from fastapi.responses import RedirectResponse

    service.resolve_obstacle(session, candidate_id, obstacle_id, ObstacleResolveIn(resolved_on=today()), actor)
    audit.record(session, actor, "update", f"hinder {obstacle_id} løst (side)", [candidate_id])
    session.commit()
    return RedirectResponse(f"{PREFIX}/kandidater/{candidate_id}?lagret=hinder_lost#hindringer", status_code=303)
