"""Matching for consultants: start a run and watch it, proposals per candidate with the year drawn as
twelve months, explanations, accept / veto / pin, shortlists per vacancy."""

from collections import defaultdict
from datetime import date

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from accounts.service import Principal
from api.deps import audit_read, get_session
from api.web.charts import HELD_COLORS, year_strip
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import blank_to_none, optional_date, optional_int
from candidates.service import query_candidates
from core import audit
from core.settings import get_settings
from core.types import Role, today
from employers.service import list_vacancies, vacancy_public
from jobs import service as job_service
from matching import service
from matching.scoring import COMPONENT_NB, COMPONENTS
from placement.held_jobs import held_jobs

router = APIRouter()
CRM = (Role.admin, Role.consultant)
CANDIDATES_PER_PAGE = 40


def _run_public(run) -> dict:
    return dict(id=run.id, status=run.status, progress=run.progress, message=run.progress_message,
                error=(run.error or "").splitlines()[0] if run.error else None)


@router.get("/matching")
def runs_page(request: Request, actor: Principal = Depends(page(*CRM)), session: Session = Depends(get_session)):
    return render(request, "matching.html", actor, active="matching", title="Matching", runs=service.list_runs(session, actor=actor),
                  defaults=service.RunParams(), today=today())


@router.post("/matching", dependencies=[Depends(verify_csrf)])
def start_run(request: Request, time_limit: str | None = Form(default=None), seed: str | None = Form(default=None),
              min_step: str | None = Form(default=None), plan_start: str | None = Form(default=None),
              warm_start: str | None = Form(default=None), actor: Principal = Depends(page(*CRM)),
              session: Session = Depends(get_session)):
    defaults = service.RunParams()
    params = service.RunParams(
        time_limit=float(optional_int(time_limit, "time_limit") or defaults.time_limit),
        seed=optional_int(seed, "seed") or 0,
        min_step=optional_int(min_step, "min_step") or defaults.min_step,
        plan_start=optional_date(plan_start, "plan_start") or today(),
        warm_start=warm_start is not None,  # the form's checkbox: sent only when ticked
    )
    run, job, joined = job_service.start_match_run(session, params, actor, get_settings().job_max_attempts)
    session.commit()
    if not joined:
        request.app.state.jobs.send(job.id)
    return RedirectResponse(f"{PREFIX}/matching/{run.id}", status_code=303)


@router.get("/matching/{run_id}/status")
def run_status(run_id: int, actor: Principal = Depends(page(*CRM)), session: Session = Depends(get_session)) -> dict:
    """For the page's progress poll."""
    return _run_public(service.get_run(session, run_id, actor))


def _names(session: Session, actor: Principal) -> dict[int, object]:
    return {c.id: c for c in query_candidates(session, actor, include_archived=True)}


@router.get("/matching/{run_id}")
def run_page(request: Request, run_id: int, sok: str | None = None, side: str | None = None,
             actor: Principal = Depends(page(*CRM)), session: Session = Depends(get_session)):
    run = service.get_run(session, run_id, actor)
    job = job_service.job_for_run(session, run_id)
    context = dict(run=run, state=_run_public(run), groups=[], pages=0, page_no=1, sok=sok or "",
                   messages=service.visible_messages(session, actor, run),
                   plan_start=date.fromisoformat(run.params["plan_start"]), job=job,
                   warm=service.warm_start_summary(run),
                   may_cancel=job is not None and job_service.may_cancel(job, actor))
    if run.status == "done":
        candidates = _names(session, actor)
        vacancies = {v.id: vacancy_public(v) for v in list_vacancies(session)}
        employers = service.employer_names(session, {v.employer_id for v in vacancies.values()})
        decisions = {(d.candidate_id, d.vacancy_id): d.decision for d in service.active_decisions(session, actor)}
        plan_start = context["plan_start"]
        by_candidate = defaultdict(list)
        for p in service.proposals(session, run_id, actor=actor):
            by_candidate[p.candidate_id].append(p)
        wanted = (sok or "").strip().lower()
        ids = [cid for cid in sorted(by_candidate, key=lambda i: (candidates[i].last_name, candidates[i].first_name))
               if not wanted or wanted in f"{candidates[cid].first_name} {candidates[cid].last_name}".lower()]
        pages = max(1, -(-len(ids) // CANDIDATES_PER_PAGE))
        page_no = min(max(optional_int(side) or 1, 1), pages)
        groups = []
        shown_ids = ids[(page_no - 1) * CANDIDATES_PER_PAGE : page_no * CANDIDATES_PER_PAGE]
        holding = held_jobs(session, shown_ids)
        for cid in shown_ids:
            c, rows = candidates[cid], by_candidate[cid]
            jobs = [dict(p=p, v=vacancies[p.vacancy_id], employer=employers.get(p.employer_id, ""),
                         decision=decisions.get((cid, p.vacancy_id))) for p in rows]
            # Jobs the candidate already holds: grey, fixed; the coverage counts them. The chart's band says
            # "Har allerede" in its title; the list beside it shows the plain name and one tag.
            held = [dict(key=f"held-{h.source}-{h.id}", title=f"Har allerede: {h.title or h.employer_name}",
                         name=f"{h.title}, {h.employer_name}" if h.title else h.employer_name, fte=h.fte, start=h.start, end=h.end,
                         color=HELD_COLORS[i % len(HELD_COLORS)])
                    for i, h in enumerate(holding.get(cid, [])) if h.end is None or h.end >= plan_start]
            strip = year_strip(plan_start, held + [dict(key=j["p"].vacancy_id, title=j["v"].title, fte=j["p"].fte,
                                                        start=j["p"].start, end=j["p"].end,
                                                        on_call=j["v"].contract_type == "on_call") for j in jobs],
                               c.wanted_fte)
            colors = {b.key: b.color for b in strip.bands}
            groups.append(dict(c=c, jobs=jobs, held=held, strip=strip, colors=colors, coverage=rows[0].year_coverage))
        suggestions = service.unlock(session, run_id, actor=actor)[:15]
        active = service.active_decisions(session, actor)  # listed by name on the page
        shown = [g["c"].id for g in groups] + [s.candidate_id for s in suggestions] + [d.candidate_id for d in active]
        shown += [c for m in context["messages"] if (c := service.candidate_named(m)) is not None]
        audit_read(session, actor, f"matchforslag i kjøring {run_id} (side)", shown, action="list")
        context.update(groups=groups, pages=pages, page_no=page_no, total=len(ids), suggestions=suggestions,
                       candidates=candidates, components=COMPONENTS, component_nb=COMPONENT_NB,
                       active_decisions=active,
                       vacancies=vacancies)
    return render(request, "run.html", actor, active="matching", title=f"Matchkjøring {run_id}", **context)


@router.get("/matching/{run_id}/kortlister")
def shortlists_page(request: Request, run_id: int, actor: Principal = Depends(page(*CRM)),
                    session: Session = Depends(get_session)):
    run = service.get_run(session, run_id, actor)
    candidates = _names(session, actor)
    vacancies = {v.id: vacancy_public(v) for v in list_vacancies(session)}
    employers = service.employer_names(session, {v.employer_id for v in vacancies.values()})
    lists = defaultdict(list)
    for entry in service.shortlist(session, run_id, actor=actor):
        lists[entry.vacancy_id].append(entry)
    audit_read(session, actor, f"kortlister i kjøring {run_id} (side)",
               [e.candidate_id for entries in lists.values() for e in entries], action="list")
    return render(request, "shortlists.html", actor, active="matching", title=f"Kortlister, kjøring {run_id}",
                  run=run, lists=lists, vacancies=vacancies, employers=employers, candidates=candidates)


@router.post("/matching/beslutning", dependencies=[Depends(verify_csrf)])
def decide(candidate_id: int = Form(...), vacancy_id: int = Form(...), decision: str = Form(...),
           run_id: str | None = Form(default=None), note: str | None = Form(default=None),
           back: str | None = Form(default=None), actor: Principal = Depends(page(*CRM)),
           session: Session = Depends(get_session)):
    run = optional_int(run_id)
    service.decide(session, candidate_id=candidate_id, vacancy_id=vacancy_id, decision=decision,
                   note=blank_to_none(note), run_id=run if decision == "accept" else None, actor=actor)
    audit.record(session, actor, "update", f"matchbeslutning {decision} stilling {vacancy_id} (side)", [candidate_id])
    session.commit()
    target = back if back and back.startswith(PREFIX + "/") else f"{PREFIX}/matching/{run}" if run else f"{PREFIX}/matching"
    return RedirectResponse(f"{target}#kandidat-{candidate_id}", status_code=303)


@router.post("/matching/beslutning/{decision_id}/trekk", dependencies=[Depends(verify_csrf)])
def withdraw(decision_id: int, back: str | None = Form(default=None), actor: Principal = Depends(page(*CRM)),
             session: Session = Depends(get_session)):
    row = service.withdraw_decision(session, decision_id, actor)
    audit.record(session, actor, "update", f"matchbeslutning {row.decision} stilling {row.vacancy_id} trukket (side)",
                 [row.candidate_id])
    session.commit()
    return RedirectResponse(back if back and back.startswith(PREFIX + "/") else f"{PREFIX}/matching", status_code=303)
