"""The job seeker's own data, read and changed as themselves (a Principal of role candidate).

Every function takes the job seeker's principal and works on their one candidate record only
(candidates.service.get_candidate refuses any other). Texts are plain bokmål msgids marked with N_
and translated on the page.

Min plan is the shared plan (plans/) once staff have made one: the job seeker ticks and comments on
their own tasks there, and staff see it in the plan. Until a plan exists it is the readiness
checklist's missing items by who must act, with the job seeker's own ticks (OwnTaskTick).
Avtaler are the interviews scheduled with a time and place (placement.Interview), and any
interview_scheduled step recorded without one (a date only).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, col, select

from accounts import invitations
from accounts.models import CandidateInvitation, OutboxMessage, User
from accounts.service import Principal
from candidates.catalogue import SECTORS
from candidates.models import Candidate, ConsentRecord, Handover, JobWish
from candidates.schemas import CandidateUpdate, ConsentIn, ConsentPurpose, WishIn
from candidates.service import add_consent, get_candidate, update_candidate, withdraw_consent
from core import audit
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.geography import UnknownMunicipality, get_municipality
from core.types import LOCAL_TZ, Role, today, utcnow
from employers.models import Employer, Vacancy
from matching.service import latest_done_run, unlock
from placement.models import Interview, Placement, PlacementEvent, Presentation
from plans import service as plans
from plans.schemas import CommentIn
from readiness.service import readiness_of
from selfservice.i18n import N_
from selfservice.models import OwnTaskTick, WishChange

# ---------------------------------------------------------------- plain words

# The staircase in strength-based words: what the person is doing, not what they lack.
STEP_WORDS = {
    1: N_("Du er i gang. Nå ordner vi de første papirene."),
    2: N_("Du viser hva du kan. Nå samler vi papirer på det."),
    3: N_("Du lærer arbeidslivet å kjenne."),
    4: N_("Du øver på å søke jobb."),
    5: N_("Du prøver deg i arbeid."),
    6: N_("Du er klar for jobb. Nå søker vi jobber sammen."),
    7: N_("Du er i jobb."),
}
# The default checklist's items, as the job seeker would say them.
ITEM_WORDS = {
    "intake_assessment": N_("Første samtale om hva du kan og vil"),
    "police_certificate": N_("Politiattest"),
    "vaccinations": N_("Vaksiner"),
    "drug_free": N_("Samtale med veileder om rus"),
    "cv_and_references": N_("CV og referanser"),
    "job_certificates": N_("Sertifikater jobben trenger"),
    "email_attachments": N_("Sende e-post med vedlegg"),
    "norwegian_for_work": N_("Norsk på jobb"),
    "labour_market_actors": N_("Vite hvem som ansetter"),
    "employer_expectations": N_("Vite hva arbeidsgivere venter av deg"),
    "realistic_goals": N_("Mål for jobb og hvor mye du vil jobbe"),
    "motivation_full_position": N_("Lyst på lønnet jobb"),
    "interview_technique": N_("Øve på jobbintervju"),
    "keeps_appointments": N_("Komme til avtaler"),
    "shows_initiative": N_("Ta kontakt selv"),
    "work_practice": N_("Arbeidspraksis"),
    "employer_assessment": N_("Vurdering fra arbeidsgiver"),
    "qualifications_documented": N_("Papirer på det du kan"),
    "programme_completed": N_("Klar for å jobbe fullt"),
    "no_other_obstacles": N_("Ingenting annet i veien"),
}
WHO_WORDS = {"candidate": N_("Du"), "staff": N_("Veilederen din"), "consultant": N_("Jobbkonsulenten")}
PURPOSE_WORDS = {
    "data_processing": (N_("Vi kan lagre opplysninger om deg"),
                        N_("Vi lagrer det du og veilederen din skriver, så vi kan hjelpe deg mot jobb.")),
    "presentation_to_employers": (N_("Vi kan fortelle arbeidsgivere om deg"),
                                  N_("Vi kan vise arbeidsgivere hva du kan, uten navnet ditt.")),
    "share_with_recruiter": (N_("Vi kan dele med jobbkonsulenten"),
                             N_("Jobbkonsulenten i rekrutteringsbyrået kan se opplysningene dine.")),
    "share_with_employer": (N_("Arbeidsgiveren kan se navnet ditt"),
                            N_("Denne arbeidsgiveren kan se navnet ditt og hva du kan.")),
}
SECTOR_WORDS = {
    "cleaning": N_("Renhold"), "retail": N_("Butikk og dagligvare"), "kiosk": N_("Kiosk"),
    "restaurant": N_("Restaurant og kantine"), "hotel": N_("Hotell"), "kindergarten": N_("Barnehage"),
    "security": N_("Vakt og sikkerhet"), "warehouse": N_("Lager"), "care": N_("Omsorg og helse"),
    "transport": N_("Transport og sjåfør"), "construction": N_("Bygg og anlegg"), "other": N_("Annet"),
}
CERTIFICATE_WORDS = {
    "driving_licence_B": N_("Førerkort klasse B"), "driving_licence_BE": N_("Førerkort klasse BE"),
    "driving_licence_C1": N_("Førerkort klasse C1"), "driving_licence_C": N_("Førerkort klasse C"),
    "driving_licence_D": N_("Førerkort for buss"), "taxi_licence": N_("Kjøreseddel for taxi"),
    "truck_licence": N_("Truckførerbevis"), "crane_licence": N_("Kranførerbevis"),
    "trade_certificate_cleaning": N_("Fagbrev i renhold"), "trade_certificate_care": N_("Fagbrev i helse"),
    "trade_certificate_childcare": N_("Fagbrev i barne- og ungdomsarbeid"), "trade_certificate_other": N_("Fagbrev"),
    "security_guard_training": N_("Vekterkurs"), "police_certificate": N_("Politiattest"),
    "health_vaccination": N_("Vaksiner for helsearbeid"), "food_hygiene_course": N_("Kurs i mathygiene"),
    "first_aid_course": N_("Førstehjelpskurs"), "hse_course": N_("HMS-kurs"), "course": N_("Kurs"),
    "other": N_("Papirer"),
}
HOURS_WORDS = {"day": N_("dagtid"), "evening": N_("kveld"), "night": N_("natt"), "weekend": N_("helg")}
# Seeing one's name in a list is a whole sentence: which list ("kandidatliste", "agenda") tells the job
# seeker nothing more, and "i en liste over profilen din" is not Norwegian. seen_words drops the thing.
VERB_WORDS = {"read": N_("så"), "list": N_("så navnet ditt i en liste"), "update": N_("endret"),
              "create": N_("registrerte"), "archive": N_("arkiverte"), "export": N_("lastet ned"),
              "erase": N_("slettet")}
# Which of the audit log's labels (what was read) means what, in the person's words; first match wins.
# Each reads right after every verb above: "X så/endret/lastet ned <thing>".
WHAT_WORDS = (
    ("dataportabilitet", N_("alle opplysningene dine")),
    ("passord", N_("passordet ditt")),
    ("min vei", N_("veien din")),
    ("sjekkliste", N_("sjekklisten din")),
    ("kandidatliste", N_("en kandidatliste du står på")),
    ("samtykke", N_("samtykkene dine")),
    ("plan", N_("planen din")),
    ("avtale", N_("avtalene dine")),
    ("innsyn", N_("oversikten over hvem som har sett opplysningene dine")),
    ("formidling", N_("jobbsøkingen din")),
    ("matching", N_("jobbforslag til deg")),
    ("jobb", N_("jobbene dine")),
    ("kontaktlogg", N_("notater om kontakt med arbeidsgivere")),
    ("profil", N_("profilen din")),
    ("kandidat", N_("profilen din")),
)
OTHER_WHAT = N_("opplysningene dine")
BRING_DEFAULT = (N_("CV"), N_("Attester og papirer på det du kan"), N_("Legitimasjon med bilde"))


def own_candidate(session: Session, actor: Principal) -> Candidate:
    if actor.role is not Role.candidate or actor.candidate_id is None:
        raise Forbidden(N_("Denne siden er for jobbsøkeren selv."))
    return get_candidate(session, actor.candidate_id, actor)


# ---------------------------------------------------------------- Min vei


@dataclass
class WayItem:
    key: str
    text: str  # msgid (or the checklist's own label for items we have no plain words for)
    who: str  # msgid
    done_on: date | None = None
    in_progress: bool = False


@dataclass
class MyWay:
    step: int
    step_text: str
    ready: bool
    done: list[WayItem]
    left: list[WayItem]


def my_way(session: Session, actor: Principal) -> MyWay:
    own_candidate(session, actor)
    r = readiness_of(session, actor.candidate_id, actor)
    done, left = [], []
    for item in r.items:
        if item.status == "not_relevant":
            continue
        entry = WayItem(item.key, ITEM_WORDS.get(item.key, item.label), WHO_WORDS.get(item.actor, WHO_WORDS["staff"]),
                        item.evidence_date, item.status == "in_progress")
        (done if item.satisfied else left).append(entry)
    done.sort(key=lambda i: i.done_on or date.min, reverse=True)
    return MyWay(r.step, STEP_WORDS.get(r.step, STEP_WORDS[1]), r.formidlingsklar, done, left)


# ---------------------------------------------------------------- Min plan (seam: plans)


@dataclass
class PlanTask:
    key: str
    text: str
    who: str  # candidate | staff | consultant
    mine: bool
    in_progress: bool
    done_on: date | None = None  # the job seeker's own tick
    comment: str | None = None


def _ticks(session: Session, candidate_id: int) -> dict[str, OwnTaskTick]:
    return {t.task_key: t for t in session.exec(select(OwnTaskTick).where(OwnTaskTick.candidate_id == candidate_id))}


PLAN_KEY = "plan-"  # a task of the shared plan, by its id; other keys are checklist items


def _shared_plan_tasks(session: Session, candidate_id: int) -> list[PlanTask] | None:
    plan = plans.candidate_plan(session, candidate_id)
    if not plan.exists:
        return None
    tasks = []
    for t in plan.tasks:
        if t.status == "dropped":
            continue
        own_words = [c.text for c in t.comments if c.written_by == plans.CANDIDATE_NAME]
        tasks.append(PlanTask(f"{PLAN_KEY}{t.id}", t.title, t.owner_kind.value, t.owner_kind.value == "candidate",
                              False, t.done_at.astimezone(LOCAL_TZ).date() if t.done_at else None,
                              own_words[-1] if own_words else None))
    return sorted(tasks, key=lambda t: (not t.mine, t.done_on is not None))


def own_plan(session: Session, actor: Principal) -> list[PlanTask]:
    """The shared plan's tasks, or before there is one the checklist's missing items by who must act;
    the job seeker's own first."""
    own_candidate(session, actor)
    shared = _shared_plan_tasks(session, actor.candidate_id)
    if shared is not None:
        return shared
    r = readiness_of(session, actor.candidate_id, actor)
    ticks = _ticks(session, actor.candidate_id)
    tasks = []
    for item in r.items:
        if item.satisfied or item.status == "not_relevant":
            continue
        tick = ticks.get(item.key)
        tasks.append(PlanTask(item.key, ITEM_WORDS.get(item.key, item.label), item.actor, item.actor == "candidate",
                              item.status == "in_progress", tick.done_on if tick else None,
                              tick.comment if tick else None))
    return sorted(tasks, key=lambda t: (not t.mine, t.done_on is not None))


def tick_own_task(session: Session, actor: Principal, task_key: str, done: bool, comment: str | None
                  ) -> OwnTaskTick | None:
    """SEAM: the job seeker marks a task done (or not) and may comment; staff read it on the
    candidate's page. The caller commits."""
    tasks = {t.key: t for t in own_plan(session, actor)}
    if task_key not in tasks:
        raise NotFound(N_("Fant ikke oppgaven."))
    comment = (comment or "").strip() or None
    if comment and len(comment) > 1000:
        raise Invalid(N_("Kommentaren kan ha høyst 1000 tegn."), field="comment")
    if done and not tasks[task_key].mine:
        raise Forbidden(N_("Denne oppgaven gjør veilederen din. Du kan skrive en kommentar."))
    if task_key.startswith(PLAN_KEY):  # the shared plan keeps the tick and the comment, with its history
        task_id = int(task_key.removeprefix(PLAN_KEY))
        if done:
            plans.tick_task(session, task_id, actor, comment)
        elif comment:
            plans.add_comment(session, actor.candidate_id, task_id, CommentIn(text=comment), actor)
        audit.record(session, actor, "update", f"egen plan: oppgave {task_id}", [actor.candidate_id])
        return None
    tick = _ticks(session, actor.candidate_id).get(task_key) or OwnTaskTick(candidate_id=actor.candidate_id,
                                                                            task_key=task_key)
    tick.done_on = today() if done else None
    tick.comment = comment
    tick.updated_at = utcnow()
    session.add(tick)
    session.flush()
    audit.record(session, actor, "update", f"egen plan: {task_key}", [actor.candidate_id])
    return tick


def ticks_for_staff(session: Session, candidate_id: int, actor: Principal) -> list[OwnTaskTick]:
    get_candidate(session, candidate_id, actor)
    return sorted(_ticks(session, candidate_id).values(), key=lambda t: t.updated_at, reverse=True)


# ---------------------------------------------------------------- Avtaler (seam: interviews)


@dataclass
class Appointment:
    key: str  # stable within the candidate: "intervju-<placement id>"
    title: str  # msgid
    with_whom: str  # the employer's name (shown only once presented)
    job: str
    day: date
    start: datetime | None = None  # the interview model has a time; the pipeline only a date
    place: str | None = None
    bring: tuple[str, ...] = field(default_factory=lambda: BRING_DEFAULT)


def own_appointments(session: Session, actor: Principal) -> list[Appointment]:
    """Interviews the job seeker is called to: those scheduled with a time and place (from today on),
    and an interview_scheduled step recorded without one (its date, the employer's address)."""
    own_candidate(session, actor)
    found = []
    since = datetime.combine(today(), datetime.min.time(), tzinfo=LOCAL_TZ)
    timed = session.exec(select(Interview, Placement, Employer, Vacancy)
                         .join(Placement, col(Placement.id) == Interview.placement_id)
                         .join(Employer, Employer.id == Placement.employer_id)
                         .join(Vacancy, Vacancy.id == Placement.vacancy_id)
                         .where(Placement.candidate_id == actor.candidate_id, Interview.starts_at >= since)).all()
    with_time = {placement.id for _, placement, _, _ in timed}
    for interview, _placement, employer, vacancy in timed:
        start = interview.starts_at.astimezone(LOCAL_TZ)
        found.append(Appointment(f"intervju-{interview.id}", N_("Jobbintervju"), employer.name, vacancy.title,
                                 start.date(), start=start, place=interview.place))
    rows = session.exec(select(Placement, Employer, Vacancy).join(Employer, Employer.id == Placement.employer_id)
                        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
                        .where(Placement.candidate_id == actor.candidate_id, Placement.stage == "interview_scheduled"))
    for placement, employer, vacancy in rows:
        if placement.id in with_time:
            continue
        on = session.exec(select(PlacementEvent.on).where(PlacementEvent.placement_id == placement.id,
                                                          PlacementEvent.to_stage == "interview_scheduled")
                          .order_by(col(PlacementEvent.id).desc())).first() or placement.stage_on
        place = employer.address or _municipality(employer.municipality_code)
        found.append(Appointment(f"steg-{placement.id}", N_("Jobbintervju"), employer.name, vacancy.title, on,
                                 place=place))
    return sorted(found, key=lambda a: a.day)


def _municipality(code: str) -> str:
    try:
        return get_municipality(code).name
    except UnknownMunicipality:
        return code


def appointment_ics(appointment: Appointment, summary: str, description: str) -> bytes:
    """A calendar file for the phone: a timed event where there is a time, else the whole day."""
    calendar = Calendar()
    calendar.add("prodid", "-//brobygger//selvbetjening//NO")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{appointment.key}@brobygger")
    event.add("dtstamp", utcnow())
    event.add("summary", summary)
    if appointment.start:
        event.add("dtstart", appointment.start)
        event.add("dtend", appointment.start + timedelta(hours=1))
    else:
        event.add("dtstart", appointment.day)
        event.add("dtend", appointment.day + timedelta(days=1))
    if appointment.place:
        event.add("location", appointment.place)
    event.add("description", description)
    calendar.add_component(event)
    return calendar.to_ical()


# ---------------------------------------------------------------- Jobber som kan passe


@dataclass
class Opening:
    kind: str
    value: str
    vacancies: int


@dataclass
class PresentedJob:
    employer: str
    job: str
    on: date


def own_openings(session: Session, actor: Principal) -> tuple[list[Opening], list[PresentedJob]]:
    """What would open more jobs (the latest match run's unlock suggestions), and the jobs a
    consultant has presented the job seeker for (not mere proposals: those are the consultant's)."""
    own_candidate(session, actor)
    run = latest_done_run(session)
    openings = [Opening(u.kind, u.value, u.vacancies) for u in unlock(session, run.id, actor.candidate_id)] if run else []
    rows = session.exec(select(Presentation, Employer, Vacancy).join(Employer, Employer.id == Presentation.employer_id)
                        .outerjoin(Vacancy, Vacancy.id == Presentation.vacancy_id)
                        .where(Presentation.candidate_id == actor.candidate_id,
                               col(Presentation.withdrawn_at).is_(None))
                        .order_by(col(Presentation.presented_at).desc()))
    presented = [PresentedJob(e.name, v.title if v else "", p.presented_at.astimezone(LOCAL_TZ).date())
                 for p, e, v in rows]
    return openings, presented


# ---------------------------------------------------------------- Mine samtykker


@dataclass
class ConsentView:
    id: int
    purpose: str
    employer: str | None
    given_on: date
    withdrawn_on: date | None


def _consent_employers(session: Session, candidate_id: int) -> dict[int, str]:
    """Employers the job seeker may be named to: those they were presented to or are in process with."""
    ids = set(session.exec(select(Presentation.employer_id).where(Presentation.candidate_id == candidate_id)))
    ids |= set(session.exec(select(Placement.employer_id).where(Placement.candidate_id == candidate_id)))
    ids |= {e for e in session.exec(select(ConsentRecord.employer_id).where(
        ConsentRecord.candidate_id == candidate_id)) if e is not None}
    if not ids:
        return {}
    return dict(session.exec(select(Employer.id, Employer.name).where(col(Employer.id).in_(ids))
                             .order_by(Employer.name)).all())


def own_consents(session: Session, actor: Principal) -> tuple[list[ConsentView], dict[int, str]]:
    own_candidate(session, actor)
    names = _consent_employers(session, actor.candidate_id)
    rows = session.exec(select(ConsentRecord).where(ConsentRecord.candidate_id == actor.candidate_id)
                        .order_by(col(ConsentRecord.withdrawn_on).is_not(None), col(ConsentRecord.id)))
    return [ConsentView(c.id, c.purpose, names.get(c.employer_id) if c.employer_id else None, c.given_on,
                        c.withdrawn_on) for c in rows], names


def grant_own_consent(session: Session, actor: Principal, purpose: str, employer_id: int | None) -> ConsentRecord:
    own_candidate(session, actor)
    if purpose not in ConsentPurpose.__members__:
        raise Invalid(N_("Velg hva samtykket gjelder."), field="purpose")
    partner_id = None
    if purpose == "share_with_employer":
        if employer_id not in _consent_employers(session, actor.candidate_id):
            raise Invalid(N_("Velg en arbeidsgiver."), field="employer_id")
    else:
        employer_id = None
    if purpose == "share_with_recruiter":  # with the partner the candidate was last handed over to
        partner_id = session.exec(select(Handover.partner_id).where(Handover.candidate_id == actor.candidate_id)
                                  .order_by(col(Handover.started_on).desc(), col(Handover.id).desc())).first()
        if partner_id is None:
            raise Invalid(N_("Veilederen din avtaler dette samtykket med deg når en rekrutteringspartner skal hjelpe deg."),
                          field="purpose")
    standing = session.exec(select(ConsentRecord).where(
        ConsentRecord.candidate_id == actor.candidate_id, ConsentRecord.purpose == purpose,
        ConsentRecord.employer_id == employer_id, ConsentRecord.partner_id == partner_id,
        col(ConsentRecord.withdrawn_on).is_(None))).first()
    if standing:
        raise Conflict(N_("Du har allerede gitt dette samtykket."), field="purpose")
    record = add_consent(session, actor.candidate_id, ConsentIn(purpose=purpose, employer_id=employer_id,
                                                                partner_id=partner_id, given_on=today(), note="Gitt av kandidaten selv"), actor)
    audit.record(session, actor, "create", "samtykke (egen side)", [actor.candidate_id])
    return record


def withdraw_own_consent(session: Session, actor: Principal, consent_id: int) -> ConsentRecord:
    """At once, through the candidates service (where a handover also ends)."""
    own_candidate(session, actor)
    record = withdraw_consent(session, actor.candidate_id, consent_id, actor)
    audit.record(session, actor, "update", "samtykke trukket (egen side)", [actor.candidate_id])
    return record


# ---------------------------------------------------------------- Mine data


@dataclass
class SeenBy:
    who: str  # a name, or "" for the job seeker themselves
    verb: str  # msgid
    what: str  # msgid
    on: date
    times: int = 1


def _what_words(what: str) -> str:
    lowered = what.lower()
    return next((words for needle, words in WHAT_WORDS if needle in lowered), OTHER_WHAT)


def seen_words(action: str, what: str) -> tuple[str, str]:
    """The verb and the thing (msgids) for one access-log entry; no thing for a list (see VERB_WORDS)."""
    return VERB_WORDS.get(action, N_("brukte")), "" if action == "list" else _what_words(what)


def seen_sentence(gettext: Callable[..., str], line: SeenBy, day: str) -> str:
    """One line of Mine data as a sentence in the job seeker's language: "Kari Veileder så planen din 02.12.2026"."""
    verb = gettext(line.verb)
    if line.who and line.what:
        return gettext("%(who)s %(verb)s %(what)s %(day)s", who=line.who, verb=verb, what=gettext(line.what), day=day)
    if line.who:
        return gettext("%(who)s %(verb)s %(day)s", who=line.who, verb=verb, day=day)
    if line.what:
        return gettext("Du %(verb)s %(what)s %(day)s", verb=verb, what=gettext(line.what), day=day)
    return gettext("Du %(verb)s %(day)s", verb=verb, day=day)


def seen_by(session: Session, actor: Principal, limit: int = 200) -> list[SeenBy]:
    """The access log in plain words, one line per person, verb, thing and day, newest first."""
    own_candidate(session, actor)
    lines: dict[tuple, SeenBy] = {}
    for entry in audit.entries_for(session, actor.candidate_id):
        mine = entry.actor_user_id is not None and entry.actor_user_id == actor.user_id
        key = ("" if mine else entry.actor_name, *seen_words(entry.action, entry.what),
               entry.at.astimezone(LOCAL_TZ).date())
        if key in lines:
            lines[key].times += 1
        elif len(lines) < limit:
            lines[key] = SeenBy(*key)
    return list(lines.values())


# ---------------------------------------------------------------- Profil


def update_own_contact(session: Session, actor: Principal, *, email: str | None, phone: str | None,
                       address: str | None) -> Candidate:
    candidate = own_candidate(session, actor)
    data = CandidateUpdate(email=email, phone=phone, address=address, version=candidate.version)
    candidate = update_candidate(session, actor.candidate_id, data, actor)
    audit.record(session, actor, "update", "kontaktopplysninger (egen side)", [actor.candidate_id])
    return candidate


def pending_wish_change(session: Session, candidate_id: int) -> WishChange | None:
    return session.exec(select(WishChange).where(WishChange.candidate_id == candidate_id,
                                                 WishChange.status == "pending")
                        .order_by(col(WishChange.id).desc())).first()


def current_wishes(session: Session, candidate_id: int) -> list[JobWish]:
    return list(session.exec(select(JobWish).where(JobWish.candidate_id == candidate_id).order_by(JobWish.id)))


def request_wish_change(session: Session, actor: Principal, sectors: list[str], other: str | None) -> WishChange:
    """New wishes wait for staff review; matching keeps the old ones until then. A newer request
    replaces a pending one."""
    own_candidate(session, actor)
    unknown = [s for s in sectors if s not in SECTORS]
    if unknown:
        raise Invalid(N_("Velg fra listen."), field="sectors")
    other = (other or "").strip() or None
    if other and len(other) > 200:
        raise Invalid(N_("Skriv høyst 200 tegn."), field="other")
    if not sectors and not other:
        raise Invalid(N_("Velg minst én type jobb, eller skriv hva du ønsker."), field="sectors")
    if previous := pending_wish_change(session, actor.candidate_id):
        previous.status, previous.reviewed_at = "replaced", utcnow()
    change = WishChange(candidate_id=actor.candidate_id, sectors=sorted(set(sectors)), other=other)
    session.add(change)
    session.flush()
    audit.record(session, actor, "create", "ønsket endring av jobbønsker (egen side)", [actor.candidate_id])
    return change


def review_wish_change(session: Session, candidate_id: int, change_id: int, approve: bool,
                       actor: Principal) -> WishChange:
    """Staff approve (the wishes replace the sectors, the named job is added) or decline. The caller commits."""
    candidate = get_candidate(session, candidate_id, actor)
    change = session.get(WishChange, change_id)
    if change is None or change.candidate_id != candidate_id:
        raise NotFound("Fant ikke ønsket.")
    if change.status != "pending":
        raise Conflict("Ønsket er allerede behandlet.")
    if approve:
        occupations = [WishIn(kind=w.kind, value=w.value) for w in current_wishes(session, candidate_id)
                       if w.kind == "occupation"]
        wishes = [WishIn(kind="sector", value=s) for s in change.sectors] + occupations
        if change.other:
            wishes.append(WishIn(kind="occupation", value=change.other))
        update_candidate(session, candidate_id, CandidateUpdate(wishes=wishes, version=candidate.version), actor)
    change.status = "approved" if approve else "rejected"
    change.reviewed_by, change.reviewed_at = actor.user_id, utcnow()
    session.add(change)
    session.flush()
    audit.record(session, actor, "update", "jobbønsker fra kandidaten " + ("godkjent" if approve else "avslått"),
                 [candidate_id])
    return change


# ---------------------------------------------------------------- access (staff side)


@dataclass
class AccessStatus:
    login: User | None
    invitation: CandidateInvitation | None
    outbox: list[OutboxMessage]


def access_status(session: Session, candidate_id: int, actor: Principal) -> AccessStatus:
    get_candidate(session, candidate_id, actor)
    return AccessStatus(invitations.login_of(session, candidate_id), invitations.open_invitation(session, candidate_id),
                        invitations.outbox_for(session, candidate_id)[:3])


def invite_candidate(session: Session, candidate_id: int, actor: Principal, link_base: str):
    if actor.role not in (Role.admin, Role.consultant, Role.staff):
        raise Forbidden("Bare veiledere og konsulenter kan invitere.")
    candidate = get_candidate(session, candidate_id, actor)
    if candidate.erased_at is not None:
        raise Conflict("Kandidaten er anonymisert.")
    result = invitations.invite(session, candidate_id=candidate_id, first_name=candidate.first_name, email=candidate.email, phone=candidate.phone,
                                link_base=link_base, actor=actor)
    audit.record(session, actor, "create", "invitasjon til egen side", [candidate_id])
    return result


def end_candidate_access(session: Session, candidate_id: int, actor: Principal) -> User:
    get_candidate(session, candidate_id, actor)
    user = invitations.end_access(session, candidate_id, actor)
    audit.record(session, actor, "update", "tilgang til egen side avsluttet", [candidate_id])
    return user
