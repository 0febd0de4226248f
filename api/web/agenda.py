""""Min dag" / "Min uke": interviews, tasks and follow-ups due, ticked off in place; making a task by hand
(candidate or employer chosen by name as you type); the secret calendar address (shown once, revocable)."""

from datetime import date, timedelta

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from agenda import service
from agenda.schemas import TaskDoneIn, TaskIn
from api.deps import CANDIDATE_ROLES, get_session
from api.routers.agenda import feed_url
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, optional_date, optional_int, parse, posted, submit
from core import audit
from core.errors import Conflict, DomainError, Invalid
from core.projects import list_projects
from core.types import today
from placement.schemas import FollowUpIn
from placement.service import record_follow_up

router = APIRouter()
PEOPLE = page(*CANDIDATE_ROLES)
SAVED = {"oppgave": "Oppgaven er krysset av som gjort.", "oppfolging": "Oppfølgingen er registrert.",
         "ny": "Oppgaven er lagt i agendaen.", "intervju": "Intervjuet er avtalt, og to oppgaver er lagt i agendaen din: "
         "«Forbered kandidaten» dagen før og «Ring begge etterpå» dagen etter.",
         "trukket": "Kalenderadressen er trukket tilbake. Kalendere som abonnerte på den, får ikke lenger noe."}


def _agenda_page(request: Request, session: Session, actor: Principal, periode: str, day: date, *,
                 saved: str | None = None, error: str | None = None, new_url: str | None = None,
                 status_code: int = 200):
    kind = "uke" if periode == "uke" else "dag"
    start, end = service.period(kind, day)
    items = service.agenda_items(session, actor, start, end)
    audit.record(session, actor, "list", "agenda (side)", [i.candidate_id for i in items if i.candidate_id])
    feed = service.active_feed(session, actor.user_id) if actor.user_id else None
    session.commit()
    step = timedelta(days=7 if kind == "uke" else 1)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    by_day = {d: [i for i in items if i.day == d] for d in days}
    overdue = [i for i in items if i.day < start]
    return render(request, "agenda.html", actor, active="agenda", status_code=status_code,
                  title="Min uke" if kind == "uke" else "Min dag", kind=kind, start=start, end=end, days=days,
                  by_day=by_day, overdue=overdue, today=today(), previous=start - step, next=start + step,
                  saved=SAVED.get(saved or ""), error=error, feed=feed, new_url=new_url,
                  back=f"{PREFIX}/agenda?periode={kind}&dag={day.strftime('%d.%m.%Y')}")


def _day(value: str | None) -> date:
    """The day asked for; a day that cannot be read (or far outside any agenda) is today."""
    try:
        day = optional_date(value, "dag") or today()
    except Invalid:
        return today()
    return day if service.FIRST_DAY < day < service.LAST_DAY else today()


@router.get("/agenda")
def agenda(request: Request, periode: str = "dag", dag: str | None = None, lagret: str | None = None,
           actor: Principal = Depends(PEOPLE), session: Session = Depends(get_session)):
    return _agenda_page(request, session, actor, periode, _day(dag), saved=lagret)


def _back(value: str | None) -> str:
    return value if value and value.startswith(PREFIX + "/agenda") and "//" not in value else PREFIX + "/agenda"


def _with(url: str, saved: str) -> str:
    return url + ("&" if "?" in url else "?") + f"lagret={saved}"


def _tick_failed(request: Request, session: Session, actor: Principal, back: str, exc: DomainError):
    session.rollback()
    query = dict(p.split("=", 1) for p in back.partition("?")[2].split("&") if "=" in p)
    return _agenda_page(request, session, actor, query.get("periode", "dag"), _day(query.get("dag")),
                        error=exc.message, status_code=409)


@router.post("/agenda/oppgaver/{task_id}/ferdig", dependencies=[Depends(verify_csrf)])
def task_done(request: Request, task_id: int, tilbake: str = Form(default=""), note: str = Form(default=""),
              actor: Principal = Depends(PEOPLE), session: Session = Depends(get_session)):
    back = _back(tilbake)
    try:
        row = service.complete_task(session, task_id, TaskDoneIn(note=note.strip() or None), actor)
        if row.candidate_id is not None:
            audit.record(session, actor, "update", f"oppgave gjort: {row.title} (side)", [row.candidate_id])
        session.commit()
    except (Conflict, Invalid) as exc:  # already ticked (in another tab): said on the agenda, in view
        return _tick_failed(request, session, actor, back, exc)
    return RedirectResponse(_with(back, "oppgave") + f"#oppgave-{task_id}", status_code=303)


@router.post("/agenda/oppfolging/{follow_up_id}/ferdig", dependencies=[Depends(verify_csrf)])
def follow_up_done(request: Request, follow_up_id: int, tilbake: str = Form(default=""),
                   still_employed: str = Form(default="true"), actor: Principal = Depends(PEOPLE),
                   session: Session = Depends(get_session)):
    back = _back(tilbake)
    try:
        row = record_follow_up(session, follow_up_id, FollowUpIn(done_on=today(), still_employed=still_employed == "true"),
                               actor)
        audit.record(session, actor, "update", f"oppfølging {row.months} mnd (agenda)", [row.candidate_id])
        session.commit()
    except (Conflict, Invalid) as exc:
        return _tick_failed(request, session, actor, back, exc)
    return RedirectResponse(_with(back, "oppfolging") + f"#oppfolging-{follow_up_id}", status_code=303)


# ---------------------------------------------------------------- the calendar address


@router.post("/agenda/kalender", dependencies=[Depends(verify_csrf)])
def calendar_create(request: Request, actor: Principal = Depends(PEOPLE), session: Session = Depends(get_session)):
    _row, token = service.create_feed(session, actor)
    session.commit()
    # Shown once, on this answer: only its hash is kept.
    return _agenda_page(request, session, actor, "dag", today(), new_url=feed_url(request, token))


@router.get("/agenda/kalender/trekk")
def calendar_revoke_confirm(request: Request, ny: str | None = None, actor: Principal = Depends(PEOPLE)):
    """Asks first: revoking, or replacing (?ny=1), ends the address calendars subscribe to."""
    replace = ny == "1"
    return render(request, "agenda_revoke.html", actor, active="agenda", replace=replace,
                  title="Lage en ny kalenderadresse?" if replace else "Trekke tilbake kalenderadressen?")


@router.post("/agenda/kalender/trekk", dependencies=[Depends(verify_csrf)])
def calendar_revoke(actor: Principal = Depends(PEOPLE), session: Session = Depends(get_session)):
    service.revoke_feed(session, actor)
    session.commit()
    return RedirectResponse(f"{PREFIX}/agenda?lagret=trukket#kalender", status_code=303)


# ---------------------------------------------------------------- a task by hand

TASK_FIELDS = ("title", "due_on", "owner_id", "note", "candidate_name", "candidate_id", "employer_name", "employer_id")


def _task_form(request: Request, session: Session, actor: Principal, values: dict, errors: dict,
               status_code: int = 200):
    owners = [(str(u.id), u.full_name) for u in service.owner_choices(session)]
    return render(request, "task_form.html", actor, active="agenda", status_code=status_code, title="Ny oppgave",
                  values=values, errors=errors, owners=owners)


@router.get("/oppgaver/ny")
def task_form(request: Request, kandidat: str | None = None, actor: Principal = Depends(PEOPLE),
              session: Session = Depends(get_session)):
    values = {"owner_id": str(actor.user_id or ""), "due_on": today().isoformat()}
    candidate_id = optional_int(kandidat, "kandidat")
    if candidate_id:
        from candidates.service import get_candidate

        candidate = get_candidate(session, candidate_id, actor)
        projects = {p.id: p.name for p in list_projects(session)}
        values |= {"candidate_name": service.candidate_label(candidate, projects), "candidate_id": str(candidate.id)}
        audit.record(session, actor, "read", "ny oppgave (side)", [candidate.id])
        session.commit()
    return _task_form(request, session, actor, values, {})


@router.post("/oppgaver/ny", dependencies=[Depends(verify_csrf)])
def task_create(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(PEOPLE),
                session: Session = Depends(get_session)):
    values = {k: str(form.get(k, "")) for k in TASK_FIELDS if k in form}

    def save():
        problems = {}
        ids = {}
        for field, resolve in (("candidate", lambda t, i: service.resolve_candidate(session, actor, t, i)),
                               ("employer", lambda t, i: service.resolve_employer(session, t, i))):
            try:
                ids[f"{field}_id"] = resolve(values.get(f"{field}_name", ""), optional_int(values.get(f"{field}_id")))
            except Invalid as exc:
                problems[f"{field}_name"] = exc.message
        plain = {k: v for k, v in values.items() if k in ("title", "due_on", "owner_id", "note")}
        try:
            data = parse(TaskIn, plain, extra=ids)
        except FormInvalid as exc:
            raise FormInvalid({**exc.errors, **problems}) from None
        if problems:
            raise FormInvalid(problems)
        if data.candidate_id is None and data.employer_id is None:
            raise FormInvalid({"candidate_name": "Velg en kandidat eller en arbeidsgiver oppgaven gjelder."})
        row = service.create_task(session, data, actor)
        if row.candidate_id is not None:
            audit.record(session, actor, "update", "oppgave laget (side)", [row.candidate_id])
        return row

    def where(row) -> str:
        periode = "dag" if row.due_on == today() else "uke"
        return f"{PREFIX}/agenda?periode={periode}&dag={row.due_on.strftime('%d.%m.%Y')}&lagret=ny#oppgave-{row.id}"

    return submit(session, save, success=where,
                  again=lambda errors, status: _task_form(request, session, actor, values, errors, status))


@router.get("/navnesok")
def name_search(hva: str = "kandidat", q: str = "", actor: Principal = Depends(PEOPLE),
                session: Session = Depends(get_session)):
    """For the name fields' search as you type: up to ten names that match what is typed so far."""
    if hva == "arbeidsgiver":
        return JSONResponse([{"id": e.id, "label": e.name} for e in service.search_employers(session, q)])
    found = service.search_candidates(session, actor, q[:100])
    audit.record(session, actor, "list", "navnesøk (side)", [c.id for c, _ in found])
    session.commit()
    return JSONResponse([{"id": c.id, "label": label} for c, label in found])

