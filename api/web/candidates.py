"""Candidates: the list with filters, and one candidate's page with the checklist to tick with evidence,
its history, what is missing by who must act, and what would unlock more jobs."""

from datetime import date

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from accounts.service import Principal
from api.deps import CANDIDATE_ROLES, audit_read, get_session
from api.web.charts import HELD_COLOR, HELD_COLORS, year_strip
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import (
    blank_to_none,
    form_values,
    optional_date,
    optional_int,
    parse,
    posted,
    submit,
    validation_message,
)
from api.web.labels import HANDOVER_END_REASON
from api.web.paging import pager
from api.web.pipeline import candidate_pipelines
from api.web.presentations import SAVED as PRESENTATION_SAVED
from api.web.presentations import presentation_cards
from candidates import handover
from candidates.schemas import HandoverEndIn, HandoverEndReason, HandoverIn, ProgrammeStatus
from candidates.service import get_candidate, to_public
from core import audit
from core.errors import Conflict, Invalid
from core.projects import get_project, list_projects
from core.types import Role, today
from employers.service import get_vacancy, vacancy_public
from matching.service import (
    active_decisions,
    employer_names,
    latest_visible_run,
    proposals,
    tasks_before_start,
    unlock,
)
from placement import assessments as employer_assessments
from placement.held_jobs import candidate_jobs
from placement.presentations import presented_without_record
from placement.service import partner_activity
from plans.service import candidate_plan
from programme import service as programme_service
from readiness.schemas import ItemUpdate
from readiness.scoring import ACTORS
from readiness.service import active_definition, history, list_candidate_summaries, readiness_of, set_item_status
from selfservice import service as selfservice

router = APIRouter()
# What the page says after a form elsewhere saved something (?lagret=...).
OWN_SAVED = {"tilgang": "Koden er laget og ligger i utboksen. Gi den til kandidaten.",
             "tilgang_stoppet": "Tilgangen er stoppet. Kandidaten er logget ut.", "onsker": "Jobbønskene er behandlet."}
SAVED = {"registrert": "Kandidaten er registrert.", "profile": "Kontaktopplysninger og profil er lagret.",
         "cv": "CV-en er lagret.", "samtykke": "Samtykket er registrert.",
         "samtykke-trukket": "Samtykket er trukket tilbake.", "arkivert": "Kandidaten er arkivert.",
         "gjenopprettet": "Kandidaten er hentet tilbake fra arkivet."}


@router.get("/kandidater")
def candidate_list(
    request: Request,
    sok: str | None = None,
    trinn: str | None = None,
    klar: str | None = None,
    onske: str | None = None,
    status: str | None = None,
    prosjekt: str | None = None,
    arkiverte: str | None = None,
    actor: Principal = Depends(page(*CANDIDATE_ROLES)),
    session: Session = Depends(get_session),
):
    step = optional_int(trinn, "trinn")
    project_id = optional_int(prosjekt, "prosjekt")
    programme_status = status if status in ProgrammeStatus.__members__ else None
    rows = list_candidate_summaries(
        session, actor, formidlingsklar={"ja": True, "nei": False}.get(klar or ""), step=step, project_id=project_id,
        wish=blank_to_none(onske), programme_status=programme_status, search=blank_to_none(sok),
        include_archived=arkiverte == "ja",
    )
    projects = {p.id: p for p in list_projects(session)}
    visible_projects = [p for p in projects.values() if actor.role is not Role.staff or p.id == actor.project_id]
    filters = dict(sok=sok or "", trinn=step, klar=klar or "", onske=onske or "", status=programme_status or "",
                   prosjekt=project_id, arkiverte=arkiverte == "ja")
    paging = pager(request, len(rows))
    shown = paging.rows(rows)
    audit_read(session, actor, "kandidatliste (side)", [r.id for r in shown], action="list")
    return render(request, "candidates.html", actor, active="candidates", title="Kandidater", rows=shown,
                  paging=paging, projects=projects, visible_projects=visible_projects,
                  filters=filters, programme_statuses=list(ProgrammeStatus))


PLAN_SAVED = {"fra-punkt": "Oppgaven er lagt i handlingsplanen, med frist om to uker.",
              "fantes": "Oppgaven sto allerede i handlingsplanen; det er ikke laget en ny."}
HANDOVER_ROLES = (Role.admin, Role.staff)


def _candidate_page(request: Request, session: Session, actor: Principal, candidate_id: int, *,
                    status_code: int = 200, error: dict | None = None, saved: str | None = None,
                    plan_saved: str | None = None, handover_form: dict | None = None):
    candidate = to_public(session, get_candidate(session, candidate_id, actor))
    handovers = handover.to_public(session, handover.history(session, candidate_id, actor))
    standing = next((h for h in handovers if h.standing), None)
    partners = [(p.id, p.name) for p in handover.list_active_partners(session)]
    activity = partner_activity(session, candidate_id, actor)
    readiness = readiness_of(session, candidate_id, actor)
    definition = active_definition(session)
    items_by_key = {i.key: i for i in definition.items}
    labels = {i.key: i.label for i in definition.items}
    run = latest_visible_run(session, actor)
    suggestions = unlock(session, run.id, candidate_id) if run else []
    tasks = tasks_before_start(session, run.id, candidate_id) if run else []
    placed, strip, decisions, colors = [], None, {}, {}
    work = candidate_jobs(session, candidate_id, actor)
    # Jobs the candidate already holds, drawn grey in the year next to any proposals.
    held = [dict(key=f"held-{j.source}-{j.id}", title=f"Har allerede: {j.title or j.employer_name}", fte=j.fte,
                 start=j.start, end=j.end, color=HELD_COLORS[i % len(HELD_COLORS)])
            for i, j in enumerate(work.jobs) if j.end is None or j.end >= today()]
    held_colors = {f"{j.source}-{j.id}": HELD_COLORS[i % len(HELD_COLORS)] for i, j in enumerate(work.jobs)}
    if run and actor.role in (Role.admin, Role.consultant):
        placed = proposals(session, run.id, candidate_id=candidate_id)
        names = employer_names(session, {p.employer_id for p in placed})
        shown = {p.vacancy_id: vacancy_public(get_vacancy(session, p.vacancy_id)) for p in placed}
        placed = [dict(p=p, employer=names.get(p.employer_id, ""), title=shown[p.vacancy_id].title) for p in placed]
        strip = year_strip(date.fromisoformat(run.params["plan_start"]),
                           held + [dict(key=x["p"].vacancy_id, title=x["title"], fte=x["p"].fte, start=x["p"].start,
                                        end=x["p"].end, on_call=shown[x["p"].vacancy_id].contract_type == "on_call")
                                   for x in placed], candidate.wanted_fte)
        colors = {b.key: b.color for b in strip.bands}
    elif held:
        strip = year_strip(today(), held, candidate.wanted_fte)
        decisions = {d.vacancy_id: d.decision for d in active_decisions(session) if d.candidate_id == candidate_id}
    plan = candidate_plan(session, candidate_id)
    in_plan = {t.source: t.id for t in plan.tasks if t.status == "open" and t.source}
    # All their candidate lists side by side, and the year with held jobs and the ones in progress.
    pipelines = candidate_pipelines(session, actor, candidate_id, candidate.wanted_fte, held)
    own = dict(access=selfservice.access_status(session, candidate_id, actor),
               ticks=selfservice.ticks_for_staff(session, candidate_id, actor),
               wish_change=selfservice.pending_wish_change(session, candidate_id),
               item_words=selfservice.ITEM_WORDS, purpose_words=selfservice.PURPOSE_WORDS,
               sector_words=selfservice.SECTOR_WORDS)
    audit_read(session, actor, "kandidatside (side)", [candidate_id])
    may_refer = actor.role in (Role.admin, Role.staff)
    programme = dict(
        obstacles=programme_service.obstacles(session, candidate_id, actor),
        exits=programme_service.exits(session, candidate_id, actor),
        referrals=programme_service.list_referrals(session, actor, candidate_id=candidate_id) if may_refer else [],
        reason_labels=programme_service.code_labels(session), may_refer=may_refer)
    return render(
        request, "candidate.html", actor, active="candidates", status_code=status_code,
        title=f"{candidate.first_name} {candidate.last_name}", c=candidate, r=readiness,
        project=get_project(session, candidate.project_id), definition=definition, items_by_key=items_by_key,
        item_labels=labels, history=history(session, candidate_id, actor), actors=ACTORS, run=run,
        suggestions=suggestions, placed=placed, strip=strip, colors=colors, decisions=decisions, error=error or {}, saved=saved,
        work=work, held_color=HELD_COLOR, held_colors=held_colors, tasks=tasks, pipelines=pipelines,
        today=today(), plan=plan, in_plan=in_plan, plan_saved=PLAN_SAVED.get(plan_saved or ""),
        presentations=presentation_cards(session, candidate_id, actor),
        presented_elsewhere=presented_without_record(session, candidate_id, actor),
        saved_texts={**SAVED, **PRESENTATION_SAVED, **OWN_SAVED}, may_edit=actor.role in (Role.admin, Role.staff),
        may_edit_cv=actor.role in (Role.admin, Role.staff, Role.consultant),
        consent_employers=employer_names(session, {x.employer_id for x in candidate.consents if x.employer_id}),
        programme=programme, own=own,
        handovers=handovers, standing=standing, partners=partners, activity=activity,
        may_hand_over=actor.role in HANDOVER_ROLES,
        handover_form=handover_form or dict(values={}, errors={}),
        employer_assessments=_employer_assessments(session, candidate_id, actor),
        assessment_item=employer_assessments.CHECKLIST_ITEM,
    )


def _employer_assessments(session: Session, candidate_id: int, actor: Principal) -> list[dict]:
    """The employers' own assessments, shown as evidence on the checklist item they belong to."""
    rows = employer_assessments.for_candidate(session, candidate_id, actor)
    names = employer_names(session, {r.employer_id for r in rows})
    return [dict(a=r, employer=names.get(r.employer_id, "")) for r in rows]


@router.get("/kandidater/{candidate_id}")
def candidate_page(request: Request, candidate_id: int, lagret: str | None = None, plan: str | None = None,
                   actor: Principal = Depends(page(*CANDIDATE_ROLES)), session: Session = Depends(get_session)):
    return _candidate_page(request, session, actor, candidate_id, saved=lagret, plan_saved=plan)


@router.post("/kandidater/{candidate_id}/sjekkliste/{item_key}", dependencies=[Depends(verify_csrf)])
def set_item(
    request: Request,
    candidate_id: int,
    item_key: str,
    status: str = Form(...),
    evidence_date: str | None = Form(default=None),
    document_ref: str | None = Form(default=None),
    verified_by: str | None = Form(default=None),
    note: str | None = Form(default=None),
    expected_version: str | None = Form(default=None),
    actor: Principal = Depends(page(*CANDIDATE_ROLES)),
    session: Session = Depends(get_session),
):
    form = dict(status=status, evidence_date=evidence_date or "", document_ref=document_ref or "",
                verified_by=verified_by or "", note=note or "")
    try:
        update = ItemUpdate(status=status, evidence_date=optional_date(evidence_date, "evidence_date"),
                            document_ref=blank_to_none(document_ref), verified_by=blank_to_none(verified_by),
                            note=blank_to_none(note), expected_version=optional_int(expected_version))
        set_item_status(session, candidate_id, item_key, update, actor)
        audit.record(session, actor, "update", f"sjekklistepunkt {item_key} (side)", [candidate_id])
        session.commit()
    except (Invalid, Conflict) as exc:
        session.rollback()
        return _candidate_page(request, session, actor, candidate_id, status_code=409 if isinstance(exc, Conflict)
                               else 422, error=dict(key=item_key, message=exc.message, field=exc.field, form=form))
    except ValidationError as exc:
        message, field = validation_message(exc)
        return _candidate_page(request, session, actor, candidate_id, status_code=422,
                               error=dict(key=item_key, message=message, field=field, form=form))
    return RedirectResponse(f"{PREFIX}/kandidater/{candidate_id}?lagret={item_key}#punkt-{item_key}", status_code=303)


# ---------------------------------------------------------------- the job seeker's own page (staff side)


@router.post("/kandidater/{candidate_id}/tilgang", dependencies=[Depends(verify_csrf)])
def invite(request: Request, candidate_id: int, actor: Principal = Depends(page(*CANDIDATE_ROLES)),
           session: Session = Depends(get_session)):
    """A one-time code for the candidate's own page; in the outbox, shown here to hand over."""
    selfservice.invite_candidate(session, candidate_id, actor, f"{str(request.base_url).rstrip('/')}{PREFIX}/logg-inn/invitasjon")
    session.commit()
    return RedirectResponse(f"{PREFIX}/kandidater/{candidate_id}?lagret=tilgang#egen-side", status_code=303)


@router.post("/kandidater/{candidate_id}/tilgang/stopp", dependencies=[Depends(verify_csrf)])
def end_access(candidate_id: int, actor: Principal = Depends(page(*CANDIDATE_ROLES)),
               session: Session = Depends(get_session)):
    selfservice.end_candidate_access(session, candidate_id, actor)
    session.commit()
    return RedirectResponse(f"{PREFIX}/kandidater/{candidate_id}?lagret=tilgang_stoppet#egen-side", status_code=303)


@router.post("/kandidater/{candidate_id}/onsker/{change_id}", dependencies=[Depends(verify_csrf)])
def review_wishes(candidate_id: int, change_id: int, decision: str = Form(default=""),
                  actor: Principal = Depends(page(*CANDIDATE_ROLES)), session: Session = Depends(get_session)):
    if decision not in ("godkjenn", "avslå"):
        raise Invalid("Velg godkjenn eller avslå.", field="decision")
    selfservice.review_wish_change(session, candidate_id, change_id, decision == "godkjenn", actor)
    session.commit()
    return RedirectResponse(f"{PREFIX}/kandidater/{candidate_id}?lagret=onsker#egen-side", status_code=303)


# ---------------------------------------------------------------- handover to a recruitment partner


@router.post("/kandidater/{candidate_id}/tildeling", dependencies=[Depends(verify_csrf)])
def hand_over(request: Request, candidate_id: int, form=Depends(posted),
              actor: Principal = Depends(page(*HANDOVER_ROLES)), session: Session = Depends(get_session)):
    values = form_values(form, HandoverIn)

    def save():
        row = handover.hand_over(session, candidate_id, parse(HandoverIn, values), actor)
        audit.record(session, actor, "update", f"tildelt rekrutteringspartner {row.partner_id} (side)", [candidate_id])
        return row

    return submit(session, save, success=f"{PREFIX}/kandidater/{candidate_id}?lagret=tildeling#tildeling",
                  again=lambda errors, status: _candidate_page(
                      request, session, actor, candidate_id, status_code=status,
                      handover_form=dict(values=values, errors=errors)))


def _end_page(request: Request, session: Session, actor: Principal, candidate_id: int, *, values: dict,
              errors: dict, status_code: int = 200):
    candidate = get_candidate(session, candidate_id, actor)
    rows = handover.to_public(session, handover.history(session, candidate_id, actor))
    standing = next((h for h in rows if h.standing), None)
    audit_read(session, actor, "ta tilbake fra rekrutteringspartner (side)", [candidate_id])
    reasons = [(r.value, HANDOVER_END_REASON[r.value]) for r in HandoverEndReason
               if r is not HandoverEndReason.consent_withdrawn]
    return render(request, "handover_end.html", actor, active="candidates", status_code=status_code,
                  title=f"Ta tilbake {candidate.first_name} {candidate.last_name}", c=candidate, standing=standing,
                  reasons=reasons, values=values, errors=errors)


@router.get("/kandidater/{candidate_id}/tildeling/avslutt")
def end_handover_form(request: Request, candidate_id: int, actor: Principal = Depends(page(*HANDOVER_ROLES)),
                      session: Session = Depends(get_session)):
    return _end_page(request, session, actor, candidate_id, values={}, errors={})


@router.post("/kandidater/{candidate_id}/tildeling/avslutt", dependencies=[Depends(verify_csrf)])
def end_handover(request: Request, candidate_id: int, form=Depends(posted),
                 actor: Principal = Depends(page(*HANDOVER_ROLES)), session: Session = Depends(get_session)):
    values = form_values(form, HandoverEndIn)

    def save():
        row = handover.end_handover(session, candidate_id, parse(HandoverEndIn, values), actor)
        audit.record(session, actor, "update", f"tatt tilbake fra rekrutteringspartner {row.partner_id} (side)",
                     [candidate_id])
        return row

    return submit(session, save, success=f"{PREFIX}/kandidater/{candidate_id}?lagret=tatt-tilbake#tildeling",
                  again=lambda errors, status: _end_page(request, session, actor, candidate_id, values=values,
                                                         errors=errors, status_code=status))
