"""The consultant's contact log in the pages: calls, SMS and meetings with candidates as well as with
employers (general employer contacts too), candidates chosen by name; the time spent per candidate and
per employer for a period; and the follow-ups due (employment and contact log) done in place."""

from datetime import date, timedelta

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from accounts.service import Principal
from api.deps import audit_read, get_session
from api.web.charts import horizontal_bars
from api.web.dashboard import dashboard_page
from api.web.deps import PREFIX, page, render, verify_csrf
from api.web.forms import FormInvalid, form_values, optional_date, parse, posted, submit
from api.web.paging import pager
from candidates.service import query_candidates, search_by_name
from core import audit
from core.errors import Invalid
from core.types import LOCAL_TZ, Role, today, utcnow
from employers import service
from employers.schemas import ContactIn, ContactKind, FollowUpDoneIn
from placement import service as placement_service
from placement.schemas import FollowUpIn

router = APIRouter()
CRM = page(Role.admin, Role.consultant)


def _candidate_names(session: Session, actor: Principal) -> dict[int, str]:
    return {c.id: f"{c.first_name} {c.last_name}" for c in query_candidates(session, actor, include_archived=True)}


def _contacts_page(request: Request, session: Session, actor: Principal, *, status_code: int = 200,
                   values: dict | None = None, errors: dict | None = None, saved: str | None = None,
                   kandidat: int | None = None):
    names = _candidate_names(session, actor)
    entries = service.list_contacts(session, candidate_id=kandidat)
    paging = pager(request, len(entries))
    entries = paging.rows(entries)
    log = [c for c in service.contacts_public(session, entries, actor=actor)
           if not c.candidate_ids or any(cid in names for cid in c.candidate_ids)]
    audit_read(session, actor, "kontaktlogg (side)", service.candidates_in(log), action="list")
    now = utcnow().astimezone(LOCAL_TZ)
    values = values or {"kind": "phone", "occurred_at": now.strftime("%d.%m.%Y %H:%M"), "duration_minutes": "5"}
    chosen = [(cid, names[cid]) for cid in (values.get("candidate_ids") or []) if str(cid).isdigit()
              and int(cid) in names]
    return render(request, "contacts.html", actor, active="contacts", status_code=status_code, title="Kontakter",
                  log=log, paging=paging, names=names,
                  employers=[(str(e.id), e.name) for e in service.list_employers(session)], kinds=list(ContactKind),
                  values=values, errors=errors or {}, saved=saved, chosen=chosen, filtered=kandidat)


@router.get("/kontakter")
def contacts_page(request: Request, lagret: str | None = None, kandidat: int | None = None,
                  actor: Principal = Depends(CRM), session: Session = Depends(get_session)):
    return _contacts_page(request, session, actor, saved=lagret, kandidat=kandidat)


@router.post("/kontakter", dependencies=[Depends(verify_csrf)])
def log_contact(request: Request, form: FormData = Depends(posted), actor: Principal = Depends(CRM),
                session: Session = Depends(get_session)):
    values = form_values(form, ContactIn)
    typed = str(form.get("navn", "")).strip()
    values["navn"] = typed

    def save():
        ids = [int(v) for v in values.get("candidate_ids") or [] if str(v).isdigit()]
        if typed and not ids:  # a name typed but not chosen (no script): one match is enough
            found = search_by_name(session, actor, typed, limit=2)
            if len(found) != 1:
                raise FormInvalid({"navn": "Fant ingen kandidat med det navnet." if not found else
                                   "Flere kandidater passer: skriv mer av navnet og velg i listen."})
            ids = [found[0].id]
        visible = _candidate_names(session, actor)
        if any(i not in visible for i in ids):
            raise FormInvalid({"navn": "Velg kandidatene i listen."})
        data = parse(ContactIn, {k: v for k, v in values.items() if k != "candidate_ids"},
                     extra={"candidate_ids": ids})
        try:
            entry = service.log_contact(session, data.employer_id, data, actor)
        except Invalid as exc:
            if exc.field == "candidate_ids":
                raise FormInvalid({"navn": exc.message}) from None
            raise
        audit.record(session, actor, "update", "kontaktlogg (side)", ids)
        return entry

    return submit(session, save, success=f"{PREFIX}/kontakter?lagret=logg#logg",
                  again=lambda errors, status: _contacts_page(request, session, actor, status_code=status,
                                                              values=values, errors=errors))


def _period(fra: str | None, til: str | None) -> tuple[date, date]:
    end = optional_date(til, "til") or today()
    start = optional_date(fra, "fra") or end - timedelta(days=29)
    if start > end:
        raise Invalid("Fra-datoen kan ikke være etter til-datoen.", field="fra")
    return start, end


def _hours(minutes: float) -> str:
    hours, rest = divmod(int(round(minutes)), 60)
    return f"{hours} t {rest} min" if hours else f"{rest} min"


@router.get("/tid")
def time_spent(request: Request, fra: str | None = None, til: str | None = None, actor: Principal = Depends(CRM),
               session: Session = Depends(get_session)):
    """"Tid brukt": the contact log's minutes per candidate and per employer for a period."""
    start, end = _period(fra, til)
    names = _candidate_names(session, actor)
    by_candidate = [r for r in service.contact_durations(session, by="candidate", date_from=start, date_to=end, actor=actor)
                    if r.key in names]
    by_employer = service.contact_durations(session, by="employer", date_from=start, date_to=end, actor=actor)
    total = sum(e.duration_minutes for e in service.list_contacts(session, date_from=start, date_to=end))
    audit_read(session, actor, "tid brukt per kandidat (side)", [r.key for r in by_candidate], action="list")
    chart_c = horizontal_bars([(r.name, round(r.minutes), f"{PREFIX}/kontakter?kandidat={r.key}")
                               for r in by_candidate[:15]], label_width=180, width=520)
    chart_e = horizontal_bars([(r.name, round(r.minutes), f"{PREFIX}/arbeidsgivere/{r.key}#kontaktlogg")
                               for r in by_employer[:15]], label_width=180, width=520)
    return render(request, "time.html", actor, active="contacts", title="Tid brukt", start=start, end=end,
                  by_candidate=by_candidate, by_employer=by_employer, chart_c=chart_c, chart_e=chart_e,
                  total=total, hours=_hours)


@router.post("/oppfolging/kontakt/{contact_id}", dependencies=[Depends(verify_csrf)])
def contact_follow_up_done(request: Request, contact_id: int, form: FormData = Depends(posted),
                           actor: Principal = Depends(CRM), session: Session = Depends(get_session)):
    values = form_values(form, FollowUpDoneIn)

    def save():
        data = parse(FollowUpDoneIn, values)
        entry = service.contacts_public(session, [service.complete_follow_up(session, contact_id, actor, data.note)],
                                        actor=actor)[0]
        audit.record(session, actor, "update", f"kontaktlogg: oppfølging gjort ({contact_id}) (side)",
                     entry.candidate_ids)
        return entry

    return submit(session, save, success=f"{PREFIX}/?lagret=oppfolging#oppfolginger",
                  again=lambda errors, status: dashboard_page(request, session, actor, status_code=status,
                                                              follow_up_errors={f"k{contact_id}": errors}))


@router.post("/oppfolging/ansettelse/{follow_up_id}", dependencies=[Depends(verify_csrf)])
def employment_follow_up_done(request: Request, follow_up_id: int, form: FormData = Depends(posted), actor: Principal = Depends(CRM),
                              session: Session = Depends(get_session)):
    values = form_values(form, FollowUpIn)
    values.setdefault("done_on", today().isoformat())

    def save():
        row = placement_service.record_follow_up(session, follow_up_id, parse(FollowUpIn, values, edits={"still_employed"}),
                                                 actor)
        audit.record(session, actor, "update", f"oppfølging {row.months} mnd (side)", [row.candidate_id])
        return row

    return submit(session, save, success=f"{PREFIX}/?lagret=oppfolging#oppfolginger",
                  again=lambda errors, status: dashboard_page(request, session, actor, status_code=status,
                                                              follow_up_errors={f"a{follow_up_id}": errors}))
