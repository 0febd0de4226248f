"""`brobygger demo-data`: a realistic, deterministic demo set in Norwegian.

The same seed gives the same projects, people, certificates, wishes and checklist progress; dates
are counted back from the day it is loaded, so police certificates and history stay current.
Demo users all have the password DEMO_PASSWORD (printed by the command; never use in production)."""

import random
import time as clock
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, func, select

from accounts.service import Principal, create_partner, create_user
from api.demo_agenda import fill_agenda
from api.demo_employers import fill_employers
from api.demo_placements import fill_placements
from api.demo_plans import fill_plans
from api.demo_programme import fill_programme
from api.demo_selfservice import fill_selfservice
from candidates import handover
from candidates.models import Candidate
from candidates.schemas import CandidateCreate, ConsentIn, HandoverEndIn, HandoverIn
from candidates.service import add_consent, create_candidate
from core.db import make_engine
from core.projects import create_project
from core.settings import get_settings
from core.types import LOCAL_TZ, Role, today
from readiness.schemas import ItemUpdate
from readiness.scoring import ItemStatusValue
from readiness.service import Definition, ensure_default_definition, set_item_status

DEMO_PASSWORD = "gul-trikk-demo-42"
PROJECTS = [
    ("Ny sjanse Oslo", "Kvalifiseringsprogrammet", "0301", "oslo"),
    ("Ny sjanse Drammen", "Kvalifiseringsprogrammet", "3301", "drammen"),
    ("Ny sjanse Bergen", "Introduksjonsprogrammet", "4601", "bergen"),
    ("Ny sjanse Trondheim", "Kvalifiseringsprogrammet", "5001", "trondheim"),
    ("Jobbsjansen Stavanger", "Jobbsjansen", "1103", "stavanger"),
]
CANDIDATES_PER_PROJECT = 60
# Recruitment partners: the first three projects hand over to the first, the last two to the second.
PARTNERS = [("Bemanningsbyrået Nord AS", "974760673"), ("Rekrutteringspartner Sør AS", "923609016")]


def _partner_index(project_number: int) -> int:
    return 0 if project_number < 3 else 1
FIRST_NAMES = [
    "Amina", "Mohamed", "Fatima", "Ahmed", "Hodan", "Abdi", "Leila", "Yonas", "Selam", "Tesfaye", "Maryam",
    "Ali", "Nasra", "Omar", "Zainab", "Hassan", "Rahel", "Daniel", "Agnieszka", "Tomasz", "Olena", "Andrii",
    "Samira", "Karim", "Nour", "Rania", "Bashir", "Sahra", "Ibrahim", "Aisha", "Mehmet", "Elif", "Thi Lan",
    "Minh", "Kateryna", "Dawit", "Hiwot", "Farhan", "Shukri", "Anna", "Jonas", "Kari", "Ingrid", "Lars",
]
LAST_NAMES = [
    "Hassan", "Mohamud", "Ali", "Abdullahi", "Yusuf", "Tesfay", "Gebremedhin", "Haile", "Kowalski", "Nowak",
    "Shevchenko", "Kovalenko", "Rahimi", "Ahmadi", "Karimi", "Nguyen", "Tran", "Yilmaz", "Demir", "Osman",
    "Ibrahim", "Warsame", "Berhe", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Nilsen", "Berg",
]
LANGUAGES = ["somali", "arabisk", "tigrinja", "polsk", "ukrainsk", "dari", "vietnamesisk", "tyrkisk", "engelsk"]
OCCUPATIONS = {
    "cleaning": ["renholder", "renholdsoperatør"],
    "retail": ["butikkmedarbeider", "kassemedarbeider"],
    "kiosk": ["kioskmedarbeider"],
    "restaurant": ["kokkeassistent", "oppvasker", "servitør"],
    "hotel": ["romrenholder", "hotellmedarbeider"],
    "kindergarten": ["barnehageassistent"],
    "security": ["vekter"],
    "warehouse": ["lagermedarbeider", "truckfører"],
    "care": ["assistent i hjemmetjenesten", "helsefagarbeider"],
    "transport": ["bussjåfør", "taxisjåfør", "budbilsjåfør"],
}
EMPLOYERS = ["Rema 1000", "Coop Extra", "ISS Facility Services", "Scandic Hotels", "Posten Bring", "Securitas",
             "Oslo kommune, hjemmetjenesten", "Espresso House", "Narvesen", "Kiwi", "Elkjøp lager"]


def _person_dates(rng: random.Random, day: date, count: int) -> list[date]:
    """`count` increasing dates within the last eight months: the order items were completed in."""
    start = day - timedelta(days=240)
    return sorted(start + timedelta(days=rng.randint(0, 235)) for _ in range(count))


def _candidate_data(rng: random.Random, project_id: int, contact_id: int, day: date) -> CandidateCreate:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    sectors = rng.sample(sorted(OCCUPATIONS), k=rng.randint(1, 3))
    wishes = [{"kind": "sector", "value": s} for s in sectors]
    wishes += [{"kind": "occupation", "value": rng.choice(OCCUPATIONS[s])} for s in sectors]
    certificates = []
    for code, share in (("driving_licence_B", 0.35), ("truck_licence", 0.12), ("trade_certificate_cleaning", 0.08),
                        ("health_vaccination", 0.2), ("food_hygiene_course", 0.15), ("security_guard_training", 0.05)):
        if rng.random() < share:
            certificates.append({"code": code, "issued_on": day - timedelta(days=rng.randint(30, 2000))})
    if rng.random() < 0.45:  # some already expired: politiattest counts for 90 days
        certificates.append({"code": "police_certificate", "issued_on": day - timedelta(days=rng.randint(5, 150))})
    experience = [
        {"employer_name": rng.choice(EMPLOYERS), "title": rng.choice(OCCUPATIONS[rng.choice(sectors)]).capitalize(),
         "start": day - timedelta(days=rng.randint(400, 1500)), "is_work_practice": rng.random() < 0.4}
        for _ in range(rng.randint(0, 2))
    ]
    for entry in experience:
        entry["end"] = entry["start"] + timedelta(days=rng.randint(60, 360))
    level = rng.choices(["A2", "B1", "B2", "C1", None], weights=[15, 40, 30, 8, 7])[0]
    return CandidateCreate(
        project_id=project_id,
        first_name=first,
        last_name=last,
        email=f"{first}.{last}{rng.randint(1, 99)}@example.no".lower().replace(" ", ""),
        phone=f"+47 {rng.randint(400, 999)} {rng.randint(10, 99)} {rng.randint(100, 999)}",
        contact_person_id=contact_id,
        norwegian_level=level,
        norskprove={"test_date": day - timedelta(days=rng.randint(30, 700)), "oral": level, "writing": level}
        if level and rng.random() < 0.6 else None,
        languages=rng.sample(LANGUAGES, k=rng.randint(1, 2)) + ["norsk"],
        wanted_fte=rng.choices([50, 60, 75, 80, 100], weights=[15, 10, 15, 10, 50])[0],
        available_from=day + timedelta(days=rng.randint(-60, 120)),
        working_hours=rng.sample(["day", "evening", "night", "weekend"], k=rng.randint(1, 4)),
        max_commute_km=rng.choice([10, 15, 20, 30, 45, 60]),
        certificates=certificates,
        experience=experience,
        education=[{"institution": "Voksenopplæringen", "title": "Grunnskole for voksne", "completed": True}]
        if rng.random() < 0.5 else [],
        wishes=wishes,
        consents=[{"purpose": "data_processing", "given_on": day - timedelta(days=rng.randint(240, 400))}]
        + ([{"purpose": "presentation_to_employers", "given_on": day - timedelta(days=rng.randint(1, 200))}]
           if rng.random() < 0.7 else []),
    )


def _tick_checklist(session: Session, rng: random.Random, candidate: Candidate, definition: Definition,
                    staff: Principal, day: date) -> None:
    """Complete the checklist up to a random target step, in step order, spread over past months."""
    items = definition.items
    target = rng.choices([1, 2, 3, 4, 5, 6], weights=[12, 16, 16, 16, 18, 22])[0]
    todo = [i for i in items if i.step < target]
    todo += [i for i in items if i.step == target and rng.random() < 0.5]
    if target == 6:
        todo = list(items)
    dates = _person_dates(rng, day, len(todo))
    for item, when in zip(todo, dates, strict=True):
        status = ItemStatusValue.done
        if item.kind == "weighted" and target < 6 and rng.random() < 0.1:
            status = ItemStatusValue.not_relevant
        evidence = when
        if item.key == "police_certificate":
            # Staff renew police certificates; about one in ten has lapsed (valid for 90 days).
            evidence = day - timedelta(days=rng.randint(3, 80) if target == 6 else rng.randint(3, 100))
            when = max(when, evidence)
        update = ItemUpdate(
            status=status,
            evidence_date=evidence if status is ItemStatusValue.done else None,
            document_ref=f"Arkiv {evidence.year}/{rng.randint(1000, 9999)}" if item.evidence_required else None,
            note="Ikke aktuelt for ønsket yrke" if status is ItemStatusValue.not_relevant else None,
        )
        changed_at = datetime.combine(when, time(rng.randint(8, 15), rng.randint(0, 59)), tzinfo=LOCAL_TZ)
        set_item_status(session, candidate.id, item.key, update, staff, changed_at=changed_at, definition=definition)
    in_progress = [i for i in items if i not in todo][:2]
    for item in in_progress:
        update = ItemUpdate(status=ItemStatusValue.in_progress, note="Under arbeid")
        set_item_status(session, candidate.id, item.key, update, staff, definition=definition)
    if target == 6:
        candidate.programme_status = rng.choice(["in_recruitment", "in_recruitment", "in_work"])




def demo_users() -> list[tuple[str, str]]:
    """(user name, what the user is) for the demo users, as the start-up message lists them."""
    return [("admin", "administrator: alt, også brukere og prosjekter"),
            *[(username, f"konsulent i {name}: kandidatene som er overført dit, arbeidsgivere, matching")
              for username, (name, _) in zip(("konsulent", "konsulent.sor"), PARTNERS, strict=True)],
            *[(f"veileder.{slug}", f"veileder i {name}: bare sitt prosjekts kandidater")
              for name, _, _, slug in PROJECTS],
            ("arbeidsgiver", "arbeidsgiver (Demo Renhold AS): bare egne stillinger"),
            *[(username, "jobbsøker i Ny sjanse Oslo: bare sin egen side (/app/meg)")
              for username in ("kandidat", "kandidat2", "kandidat3")]]


def load_demo_data(
    database_url: str | None = None,
    seed: int = 2026,
    reset: bool = False,
    quiet_if_present: bool = False,
    per_project: int = CANDIDATES_PER_PROJECT,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """`progress` gets a line of Norwegian text at each stage (the set-up takes half a minute)."""
    say = progress or (lambda _text: None)
    from migrations.runner import downgrade_base, upgrade_head

    url = database_url or get_settings().database_url
    upgrade_head(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            present = session.exec(select(func.count()).select_from(Candidate)).one()
            if present and not reset:
                if quiet_if_present:
                    say(f"Demodata finnes fra før ({present} kandidater).")
                    return {"kandidater": present}
                raise SystemExit("Databasen har allerede data. Bruk --reset for å erstatte den med demodata.")
        if present and reset:  # every table, the append-only audit log too: down to empty and up again
            downgrade_base(url)
            upgrade_head(url)
        started = clock.monotonic()
        say(f"Lager demodata: {len(PROJECTS)} prosjekter med {per_project} kandidater hver, arbeidsgivere og "
            "stillinger (tar omtrent et halvt minutt) ...")
        with Session(engine) as session:
            summary = _fill(session, random.Random(seed), today(), per_project, say)
            session.commit()
        say(f"  demodata er klare ({clock.monotonic() - started:.0f} s)")
        return summary
    finally:
        engine.dispose()


def _fill(session: Session, rng: random.Random, day: date, per_project: int,
          say: Callable[[str], None] = lambda _text: None) -> dict:
    definition = ensure_default_definition(
        session, created_at=datetime.combine(day - timedelta(days=365), time(9), tzinfo=LOCAL_TZ)
    )
    admin = create_user(session, username="admin", password=DEMO_PASSWORD, role="admin", full_name="Systemansvarlig")
    # Two recruitment partners; each consultant sees only the candidates handed over to their own.
    partners = [create_partner(session, name=name, organisation_number=org) for name, org in PARTNERS]
    consultant = create_user(session, username="konsulent", password=DEMO_PASSWORD, role="consultant",
                             full_name="Siri Konsulent", partner_id=partners[0].id)
    consultant_b = create_user(session, username="konsulent.sor", password=DEMO_PASSWORD, role="consultant",
                               full_name="Jonas Konsulent", partner_id=partners[1].id)
    create_user(session, username="arbeidsgiver", password=DEMO_PASSWORD, role="employer",
                full_name="Demo Renhold AS", organisation_number="999999999")
    admin_actor = Principal(Role.admin, admin.id, admin.full_name)
    candidate_ids, staff_of = [], {}
    for number, (name, programme, municipality, slug) in enumerate(PROJECTS, start=1):
        say(f"  kandidater i {name} ({number} av {len(PROJECTS)} prosjekter)")
        project = create_project(session, name=name, programme=programme, municipality_code=municipality)
        staff = create_user(session, username=f"veileder.{slug}", password=DEMO_PASSWORD, role="staff",
                            full_name=f"Veileder {name.split()[-1]}", project_id=project.id)
        staff_actor = Principal(Role.staff, staff.id, staff.full_name, project.id)
        staff_of[project.id] = staff_actor
        for _ in range(per_project):
            data = _candidate_data(rng, project.id, staff.id, day)
            candidate = create_candidate(session, data, admin_actor)
            candidate.created_at = datetime.combine(data.consents[0].given_on, time(9), tzinfo=LOCAL_TZ)
            _tick_checklist(session, rng, candidate, definition, staff_actor, day)
            candidate_ids.append(candidate.id)
    session.flush()
    say("  tildelinger til rekrutteringspartnere")
    consultants = [Principal(Role.consultant, consultant.id, consultant.full_name, partner_id=partners[0].id),
                   Principal(Role.consultant, consultant_b.id, consultant_b.full_name, partner_id=partners[1].id)]
    handed = _hand_over(session, rng, day, staff_of, partners)
    partner_of_project = {pid: i for i, pid in enumerate(staff_of)}
    consultant_of = {pid: consultants[_partner_index(i)] for pid, i in partner_of_project.items()}
    say("  arbeidsgivere, kontaktlogg, barometer og stillinger")
    employer_summary = fill_employers(session, rng, day, consultants[0], handed[0],
                                      per_project=max(2, per_project // 6))
    say("  formidlinger, oppfølging og jobber kandidatene har")
    placement_summary = fill_placements(session, rng, day, consultant_of, staff_of)
    consultant_actor = consultants[0]  # konsulent, partner Nord: the demo's plans, agenda and job seekers
    say("  handlingsplaner med mål, oppgaver og gjennomganger")
    plan_summary = fill_plans(session, rng, day, consultant_actor, staff_of)
    placement_summary |= fill_agenda(session, rng, day, consultant_actor)
    say("  henvisninger, inntak, hindringer og avslutninger")
    programme_summary = fill_programme(session, 2026, day, staff_of)
    say("  kandidater med egen side")
    own_summary = fill_selfservice(session, day, consultant_actor, min(staff_of), DEMO_PASSWORD)
    return {
        "prosjekter": len(PROJECTS),
        "kandidater": len(candidate_ids),
        "tildelt": f"{len(handed[0])} til {partners[0].name}, {len(handed[1])} til {partners[1].name}",
        **employer_summary,
        **placement_summary,
        **plan_summary,
        **programme_summary,
        **own_summary,
        "brukere": "admin, konsulent, konsulent.sor, arbeidsgiver, kandidat, "
                   + ", ".join(f"veileder.{p[3]}" for p in PROJECTS),
        "passord (bare demo)": DEMO_PASSWORD,
    }


def _hand_over(session: Session, rng: random.Random, day: date, staff_of: dict, partners: list) -> list[list[int]]:
    """Candidates in recruitment or in work, and a third of the others, are handed over (with consent)
    to their project's partner; the rest stay with the programme. In every project one candidate
    was taken back and handed over again ("tatt inn igjen"), and one was taken back for good."""
    handed: list[list[int]] = [[] for _ in partners]
    for number, (project_id, staff) in enumerate(staff_of.items()):
        index = _partner_index(number)
        partner = partners[index]
        candidates = session.exec(select(Candidate).where(Candidate.project_id == project_id)
                                  .order_by(Candidate.id)).all()
        chosen = [c for n, c in enumerate(candidates) if c.programme_status in ("in_recruitment", "in_work") or n % 3 == 0]
        for_good = next((c for c in chosen if c.programme_status == "active"), None)
        again = next((c for c in chosen if c is not for_good), None)
        for c in chosen:
            consented = min(day, c.created_at.date() + timedelta(days=rng.randint(10, 40)))
            add_consent(session, c.id, ConsentIn(purpose="share_with_recruiter", partner_id=partner.id,
                                                 given_on=consented), staff)
            if c is for_good or c is again:  # handed over long ago and taken back
                handover.hand_over(session, c.id, HandoverIn(partner_id=partner.id, started_on=consented), staff)
                handover.end_handover(session, c.id, HandoverEndIn(
                    reason="back_to_programme", note="Trenger mer norskopplæring først",
                    ended_on=min(day, consented + timedelta(days=30))), staff)
                if c is for_good:
                    continue
                consented = min(day, consented + timedelta(days=60))
            handover.hand_over(session, c.id, HandoverIn(partner_id=partner.id, started_on=consented), staff)
            handed[index].append(c.id)
    session.flush()
    return handed
