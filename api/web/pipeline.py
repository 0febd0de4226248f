"""The pipeline in the pages: a vacancy's candidate list (kandidatliste) with moves the pipeline allows,
the board of all open vacancies' candidate lists, and the name search the pages' candidate pickers use."""

from collections import defaultdict
from types import SimpleNamespace

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from api.deps import audit_read, get_session
from api.web.charts import PALETTE, year_strip
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, form_values, parse, posted, submit
from candidates.models import Candidate
from candidates.service import get_candidate, query_candidates, search_by_name
from core import audit
from core.labels import CLOSE_REASON, NEXT_STEP, STAGE
from core.projects import list_projects
from core.types import Role, today
from employers.service import get_employer, get_vacancy, list_vacancies, vacancy_public
from matching.service import latest_visible_run, shortlist
from matching.service import proposals as run_proposals
from placement import service
from placement.schemas import Stage, TransitionIn

router = APIRouter()
CRM = page(Role.admin, Role.consultant)
SUGGESTIONS = 10


def _names(session: Session, actor: Principal, ids) -> dict[int, Candidate]:
    wanted = set(ids)
    return {c.id: c for c in query_candidates(session, actor, include_archived=True) if c.id in wanted}


def _rows(session: Session, placements) -> list[dict]:
    due = service.next_follow_up_due(session, [p.id for p in placements])
    rows = []
    for p in placements:
        onward, closing = service.moves(p)
        step = NEXT_STEP.get(p.stage, "")
        if p.id in due:
            step = f"Oppfølging {due[p.id].strftime('%d.%m.%Y')}"
        rows.append(dict(p=p, onward=onward, closing=closing, next_step=step))
    return rows


def _vacancy_page(request: Request, session: Session, actor: Principal, vacancy_id: int, *, status_code: int = 200,
                  form_for: str = "", values: dict | None = None, errors: dict | None = None, saved: str | None = None):
    vacancy = vacancy_public(get_vacancy(session, vacancy_id))
    employer = get_employer(session, vacancy.employer_id)
    placements = service.list_placements(session, actor, vacancy_id=vacancy_id)
    run = latest_visible_run(session, actor)
    on_list = {p.candidate_id for p in placements}
    entries = shortlist(session, run.id, vacancy_id) if run else []
    # The run's own proposals for this vacancy too (the shortlist ranks more candidates than it places).
    listed = {e.candidate_id for e in entries}
    entries += [SimpleNamespace(candidate_id=p.candidate_id, rank=None, score=p.score)
                for p in (run_proposals(session, run.id, vacancy_id=vacancy_id) if run else [])
                if p.candidate_id not in listed]
    visible = _names(session, actor, on_list | {e.candidate_id for e in entries})
    proposals = [e for e in entries if e.candidate_id in visible and e.candidate_id not in on_list]
    audit_read(session, actor, f"kandidatliste for stilling {vacancy_id} (side)",
               [p.candidate_id for p in placements] + [e.candidate_id for e in proposals], action="list")
    return render(request, "vacancy.html", actor, active="employers", status_code=status_code,
                  title=f"{vacancy.title} hos {employer.name}", v=vacancy, e=employer, rows=_rows(session, placements),
                  candidates=visible, proposals=proposals, run=run, form_for=form_for, values=values or {},
                  errors=errors or {}, saved=saved, today=today(), stage_names=STAGE, close_reasons=CLOSE_REASON)


@router.get("/stillinger/{vacancy_id}")
def vacancy_page(request: Request, vacancy_id: int, lagret: str | None = None, actor: Principal = Depends(CRM),
                 session: Session = Depends(get_session)):
    return _vacancy_page(request, session, actor, vacancy_id, saved=lagret)


def _picked_candidate(session: Session, actor: Principal, values: dict) -> int:
    """The candidate chosen in a picker: the id the suggestion list filled in, or the one name typed that
    matches exactly one candidate (the form works without script too)."""
    chosen = str(values.get("candidate_id", "")).strip()
    if chosen.isdigit():
        return get_candidate(session, int(chosen), actor).id
    typed = str(values.get("navn", "")).strip()
    if not typed:
        raise FormInvalid({"navn": "Skriv navnet og velg kandidaten i listen."})
    found = search_by_name(session, actor, typed, limit=2)
    if len(found) != 1:
        raise FormInvalid({"navn": "Fant ingen kandidat med det navnet." if not found else
                           "Flere kandidater passer: skriv mer av navnet og velg i listen."})
    return found[0].id


@router.post("/stillinger/{vacancy_id}/kandidater", dependencies=[Depends(verify_csrf)])
def add_candidate(request: Request, vacancy_id: int, form: FormData = Depends(posted), actor: Principal = Depends(CRM),
                  session: Session = Depends(get_session)):
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}

    def save():
        candidate_id = _picked_candidate(session, actor, values)
        placement = service.open_placement(session, candidate_id, vacancy_id, actor)
        audit.record(session, actor, "update", f"satt på kandidatlisten for stilling {vacancy_id} (side)",
                     [candidate_id])
        return placement

    return submit(session, save, success=lambda p: f"{PREFIX}/stillinger/{vacancy_id}?lagret=lagt-til#plassering-{p.id}",
                  again=lambda errors, status: _vacancy_page(request, session, actor, vacancy_id, status_code=status,
                                                             form_for="add", values=values, errors=errors))


def _move_values(form: FormData) -> dict:
    values = form_values(form, TransitionIn)
    for key in ("grunn", "bekreft", "fast", "back"):
        if key in form:
            values[key] = str(form[key])
    return values


def _back(values: dict, vacancy_id: int, placement_id: int) -> str:
    back = values.get("back", "")
    if back == "tavle":
        return f"{PREFIX}/tavle?lagret=flyttet#plassering-{placement_id}"
    return f"{PREFIX}/stillinger/{vacancy_id}?lagret=flyttet#plassering-{placement_id}"


@router.post("/plasseringer/{placement_id}/flytt", dependencies=[Depends(verify_csrf)])
def move(request: Request, placement_id: int, form: FormData = Depends(posted), actor: Principal = Depends(CRM),
         session: Session = Depends(get_session)):
    """Move a candidate on with a date; a start asks for share, period and wage subsidy."""
    placement = service.get_placement(session, placement_id, actor)
    values = _move_values(form)
    starting = values.get("to") == Stage.started
    permanent = values.get("fast") in ("true", "on")
    extra: dict = {}
    if starting:
        extra["with_wage_subsidy"] = values.get("with_wage_subsidy") in ("true", "on")
        if permanent:
            extra["end"] = None
    if values.get("to") != Stage.interview_held:
        extra["with_consultant"] = False
    parsed = {k: v for k, v in values.items() if starting or k not in ("fte", "with_wage_subsidy", "end")}

    def save():
        if starting and not permanent and not str(values.get("end", "")).strip():
            raise FormInvalid({"end": "Oppgi siste dag i perioden, eller kryss av for fast ansettelse."})
        data = parse(TransitionIn, parsed, extra=extra)
        if data.to in (Stage.chance_lost, Stage.rejected, Stage.ended):
            raise FormInvalid({"to": "Bruk «Avslutt» for å ta kandidaten av listen."})
        moved = service.transition(session, placement_id, data, actor)
        audit.record(session, actor, "update", f"formidling {placement_id}: {STAGE[data.to].lower()} (side)",
                     [moved.candidate_id])
        return moved

    return submit(session, save, success=lambda p: _back(values, p.vacancy_id, p.id),
                  again=lambda errors, status: _vacancy_page(request, session, actor, placement.vacancy_id,
                                                             status_code=status, form_for=f"move-{placement_id}",
                                                             values=values, errors=errors))


@router.post("/plasseringer/{placement_id}/avslutt", dependencies=[Depends(verify_csrf)])
def close(request: Request, placement_id: int, form: FormData = Depends(posted), actor: Principal = Depends(CRM),
          session: Session = Depends(get_session)):
    """Take a candidate off a vacancy's list with a reason; it cannot be undone, so it asks first."""
    placement = service.get_placement(session, placement_id, actor)
    values = _move_values(form)

    def save():
        errors = {}
        reason_key = values.get("grunn", "")
        if reason_key not in CLOSE_REASON:
            errors["grunn"] = "Velg en årsak."
        if values.get("bekreft") not in ("true", "on"):
            errors["bekreft"] = "Kryss av for å bekrefte: dette kan ikke angres."
        if errors:
            raise FormInvalid(errors)
        stage, code, _label = CLOSE_REASON[reason_key]
        typed = str(values.get("reason", "")).strip()
        if code is None and not typed:
            raise FormInvalid({"reason": "Skriv årsaken."})
        data = parse(TransitionIn, {**values, "to": stage}, extra={"reason": code or typed,
                                                                   "note": typed if code else None})
        closed = service.transition(session, placement_id, data, actor)
        audit.record(session, actor, "update", f"formidling {placement_id}: {STAGE[stage].lower()} (side)",
                     [closed.candidate_id])
        return closed

    return submit(session, save, success=lambda p: _back(values, p.vacancy_id, p.id),
                  again=lambda errors, status: _vacancy_page(request, session, actor, placement.vacancy_id,
                                                             status_code=status, form_for=f"close-{placement_id}",
                                                             values=values, errors=errors))


@router.get("/tavle")
def board(request: Request, mine: str | None = None, lagret: str | None = None, actor: Principal = Depends(CRM),
          session: Session = Depends(get_session)):
    """All open vacancies' candidate lists as columns per stage."""
    placements = service.open_vacancy_pipelines(session, actor, mine_only=mine == "ja")
    vacancies = {v.id: v for v in list_vacancies(session, status="open")}
    employers = {}
    for v in vacancies.values():
        if v.employer_id not in employers:
            employers[v.employer_id] = get_employer(session, v.employer_id).name
    candidates = _names(session, actor, {p.candidate_id for p in placements})
    columns = defaultdict(list)
    for row in _rows(session, placements):
        columns[row["p"].stage].append(row)
    audit_read(session, actor, "tavle over kandidatlister (side)", [p.candidate_id for p in placements], action="list")
    return render(request, "board.html", actor, active="board", title="Tavle", stages=service.OPEN_STAGES,
                  columns=columns, vacancies=vacancies, employers=employers, candidates=candidates,
                  mine=mine == "ja", total=len(placements), saved=lagret, stage_names=STAGE)


@router.get("/kandidatsok")
def candidate_suggestions(q: str = "", actor: Principal = Depends(CRM), session: Session = Depends(get_session)) -> list:
    """For the pages' candidate pickers (search as you type): names and project, never more."""
    found = search_by_name(session, actor, q[:100], limit=SUGGESTIONS) if len(q.strip()) >= 2 else []
    projects = {p.id: p.name for p in list_projects(session)}
    audit_read(session, actor, "navnesøk (side)", [c.id for c in found], action="list")
    return [dict(id=c.id, name=f"{c.first_name} {c.last_name}", project=projects.get(c.project_id, ""))
            for c in found]


IN_PROGRESS = (Stage.proposed, Stage.presented, Stage.interview_scheduled, Stage.interview_held, Stage.offer,
               Stage.accepted)


def candidate_pipelines(session: Session, actor: Principal, candidate_id: int, wanted_fte: int, held: list[dict]):
    """A candidate's candidate lists side by side (fler-fangst), and the year with the jobs they hold (grey)
    and the ones in progress (coloured), for the candidate page."""
    placements = service.list_placements(session, actor, candidate_id=candidate_id)
    vacancies = {p.vacancy_id: get_vacancy(session, p.vacancy_id) for p in placements}
    employers = {v.employer_id: get_employer(session, v.employer_id).name for v in vacancies.values()}
    rows = _rows(session, placements)
    for row in rows:
        v = vacancies[row["p"].vacancy_id]
        row.update(v=v, employer=employers[v.employer_id])
    live = [r for r in rows if r["p"].stage in IN_PROGRESS]
    bands = [dict(key=f"prosess-{r['p'].id}", title=f"I prosess ({STAGE[r['p'].stage].lower()}): {r['v'].title}, "
                  f"{r['employer']}", fte=r["p"].fte, start=max(r["v"].start, today()), end=r["v"].end,
                  color=PALETTE[i % len(PALETTE)], on_call=r["v"].contract_type == "on_call")
             for i, r in enumerate(live) if r["v"].end is None or r["v"].end >= today()]
    strip = year_strip(today(), held + bands, wanted_fte) if held or bands else None
    colors = {b["key"]: b["color"] for b in bands}
    return dict(rows=rows, strip=strip, colors=colors, stage_names=STAGE)
