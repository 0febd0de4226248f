"""Employers for the demo set: the customer register across sectors, contact history with
follow-ups, barometer rounds, standing agreements and open vacancies (part-time and seasonal too)."""

import random
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from accounts.service import Principal
from core.errors import Conflict
from core.occupations import get_occupation
from core.types import LOCAL_TZ
from employers import service
from employers.schemas import (
    AgreementIn,
    BarometerSurveyIn,
    ContactLogIn,
    ContactPersonIn,
    EmployerCreate,
    StatusChangeIn,
    VacancyIn,
)

NAME_PARTS = {
    "cleaning": ["Renhold", "Rent & Pent", "Vask og Service", "Glans Renhold"],
    "retail": ["Dagligvare", "Nærbutikken", "Matsenteret", "Handelshuset"],
    "kiosk": ["Kiosken", "Kaffebaren", "Stasjonskiosken"],
    "restaurant": ["Kantina", "Restaurant Havna", "Storkjøkkenet", "Bistro"],
    "hotel": ["Fjordhotellet", "Bygdøy Hotell", "Sentrum Hotell"],
    "kindergarten": ["Solsikken barnehage", "Eventyrskogen barnehage", "Trollungen barnehage"],
    "security": ["Vakt og Trygghet", "Sikring Vest", "Nattevakta"],
    "warehouse": ["Lagersenteret", "Logistikkpartner", "Terminalen", "Distribusjon Øst"],
    "care": ["Hjemmetjenesten", "Omsorgssenteret", "Seniorboligene", "Bo og Assistanse"],
    "transport": ["Bussdrift", "Taxisentralen", "Budbilene", "Varetransport"],
}
NEIGHBOURS = {"0301": ["0301", "3201", "3205"], "3301": ["3301", "3312", "3203"], "4601": ["4601", "4627"],
              "5001": ["5001", "5031"], "1103": ["1103", "1108"]}
SUFFIXES = ["AS", "AS", "SA", "Drift AS", "Service AS"]


# The entry-level jobs of each sector that demo vacancies are drawn from (STYRK-08 unit groups).
DEMO_OCCUPATIONS = {
    "cleaning": ["9112", "9111", "8157"], "retail": ["5223", "9334"], "kiosk": ["5246"],
    "restaurant": ["9412", "5120", "5131"], "hotel": ["4224", "9112"], "kindergarten": ["5311"],
    "security": ["5414"], "warehouse": ["4321", "9333", "8344"], "care": ["5321", "5322"],
    "transport": ["8331", "8322", "9621"], "construction": ["9313"], "other": ["9329"],
}


def organisation_number(rng: random.Random) -> str:
    """A fictitious organisation number with a valid mod-11 check digit."""
    while True:
        digits = [9] + [rng.randint(0, 9) for _ in range(7)]
        remainder = sum(d * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return "".join(map(str, digits + [check]))


def _vacancy(rng: random.Random, sector: str, municipality: str, day: date, n: int) -> VacancyIn:
    occupation = get_occupation(rng.choice(DEMO_OCCUPATIONS.get(sector, DEMO_OCCUPATIONS["other"])))
    contract = rng.choices(["permanent", "temporary", "seasonal", "on_call"], weights=[45, 20, 25, 10])[0]
    start = day + timedelta(days=rng.randint(14, 120))
    end = None
    if contract == "seasonal":
        summer = rng.random() < 0.5
        start = date(day.year + 1, 6, 1) if summer else date(day.year, 12, 1) if day.month < 11 else date(day.year + 1, 1, 2)
        end = start + timedelta(days=91 if summer else 89)
    elif contract == "temporary":
        end = start + timedelta(days=rng.choice([90, 180, 365]))
    fte = rng.choices([25, 40, 50, 60, 80, 100], weights=[10, 10, 25, 10, 10, 35])[0]
    hours = rng.sample(["day", "evening", "night", "weekend"], k=rng.randint(1, 2))
    certificates = []
    if occupation.code == "8344":
        certificates.append("truck_licence")
    if sector == "transport":
        certificates.append("driving_licence_D" if occupation.code == "8331" else "driving_licence_B")
    if sector == "care":
        certificates.append("health_vaccination")
    level = {"care": "B2", "kindergarten": "B1", "security": "B1", "hotel": "A2"}.get(sector, rng.choice(["A2", "B1"]))
    description = f"{occupation.title} {fte} %, {', '.join(hours)}. Norsk på {level}-nivå."
    if n == 0 and rng.random() < 0.08:  # a few texts a consultant must review
        description += rng.choice([" Norsk som morsmål er en fordel.", " Vi søker en mann til stillingen."])
    return VacancyIn(
        external_id=f"DEMO-{n}-{rng.randint(1000, 9999)}", title=f"{occupation.title} {fte} %",
        occupation_code=occupation.code, description=description, municipality_code=municipality, fte=fte,
        contract_type=contract, start=start, end=end, working_hours=hours, headcount=rng.choice([1, 1, 1, 2, 3]),
        pay_amount=round(rng.uniform(195, 245), 2), pay_unit="hour", required_certificates=certificates,
        min_norwegian_level=level, police_certificate_required=sector in ("care", "kindergarten", "security"),
    )


def fill_employers(session: Session, rng: random.Random, day: date, consultant: Principal,
                   candidate_ids: list[int], per_project: int = 8) -> dict:
    employers, vacancies, contacts = 0, 0, 0
    service.ensure_default_question_set(session)
    demo = service.create_employer(session, EmployerCreate(
        organisation_number="999999999", name="Demo Renhold AS", sector="cleaning", municipality_code="0301",
        employees=85), consultant)
    specs = [(demo, "cleaning", "0301")]
    for neighbours in NEIGHBOURS.values():
        for _ in range(per_project):
            sector = rng.choice(sorted(NAME_PARTS))
            municipality = rng.choice(neighbours)
            name = f"{rng.choice(NAME_PARTS[sector])} {rng.choice(SUFFIXES)}"
            data = EmployerCreate(
                organisation_number=organisation_number(rng), name=name, sector=sector, municipality_code=municipality,
                employees=rng.choice([8, 15, 30, 60, 120, 400]),
                work_practice_attitude=rng.choice(["unknown", "positive", "positive", "neutral"]),
                wage_subsidy_interest=rng.choice(["unknown", "yes", "maybe", "no"]),
                needs_on_call_temps=rng.choice(["unknown", "yes", "no"]),
                trial_period_before_hiring=rng.choice(["unknown", "yes", "no"]),
            )
            try:
                specs.append((service.create_employer(session, data, consultant), sector, municipality))
            except Conflict:  # an organisation number drawn twice: skip it
                continue
    for employer, sector, municipality in specs:
        employers += 1
        person = service.add_contact_person(session, employer.id, ContactPersonIn(
            name=rng.choice(["Kari", "Ola", "Nina", "Per", "Sara", "Ahmed", "Ewa"]) + " " +
            rng.choice(["Nordmann", "Hansen", "Berg", "Lie", "Dahl", "Ali"]), role=rng.choice(
                ["Daglig leder", "HR-ansvarlig", "Avdelingsleder", "Driftsleder"]), phone="+47 22 00 00 00"))
        for _ in range(rng.randint(0, 7)):
            when = day - timedelta(days=rng.randint(1, 60))
            follow_up = when + timedelta(days=rng.randint(2, 20)) if rng.random() < 0.5 else None
            entry = service.log_contact(session, employer.id, ContactLogIn(
                kind=rng.choice(["phone", "phone", "email", "meeting", "visit"]),
                occurred_at=datetime.combine(when, time(rng.randint(8, 15), rng.choice([0, 15, 30, 45])), tzinfo=LOCAL_TZ),
                duration_minutes=rng.choice([5, 10, 15, 30, 45, 60, 120, 360]),
                summary=rng.choice(["Presenterte kandidater", "Kartla behov for tilkallingsvikarer",
                                    "Oppfølging etter intervju", "Snakket om praksisplass", "Barometersamtale"]),
                outcome=rng.choice([None, "Ønsker CV-er", "Avventer", "Intervju avtalt", "Ikke behov nå"]),
                next_follow_up=follow_up, contact_person_id=person.id,
                candidate_ids=rng.sample(candidate_ids, k=min(len(candidate_ids), rng.randint(0, 2))),
            ), consultant)
            if follow_up and follow_up < day - timedelta(days=2) and rng.random() < 0.85:
                service.complete_follow_up(session, entry.id, None)  # most past follow-ups were done
            contacts += 1
        if contacts and employer.status == "contacted" and rng.random() < 0.6:
            service.change_status(session, employer.id, StatusChangeIn(status=rng.choice(["in_dialogue", "customer"])),
                                  consultant)
        if employer.status == "customer":
            service.add_agreement(session, employer.id, AgreementIn(
                kind=rng.choice(["recurring_recruitment", "trial_period", "work_practice"]),
                description="Samarbeidsavtale om rekruttering fra programmet", start=day - timedelta(days=rng.randint(10, 300))),
                consultant)
        for round_ in range(rng.choices([0, 1, 2], weights=[3, 5, 2])[0]):
            total = employer.employees or 20
            immigrants = rng.randint(0, max(1, total // 3)) + round_
            service.record_survey(session, employer.id, BarometerSurveyIn(
                asked_on=day - timedelta(days=300 - 200 * round_ - rng.randint(0, 50)),
                answers={"immigrant_employees": immigrants, "employees_total": total,
                         "many_immigrant_applicants": rng.random() < 0.5,
                         "has_diversity_policy": rng.random() < 0.3 + 0.2 * round_,
                         "attitude_to_hiring": rng.randint(2, 5), "knew_unemployment_gap": rng.random() < 0.4}),
                consultant)
        for n in range(rng.randint(1, 3)):
            service.submit_vacancy(session, employer, _vacancy(rng, sector, municipality, day, n), source="consultant")
            vacancies += 1
    contacts += _candidate_calls(session, random.Random(len(candidate_ids)), day, consultant, candidate_ids)
    return {"arbeidsgivere": employers, "stillinger": vacancies, "kontakter i loggen": contacts}


def _candidate_calls(session: Session, rng: random.Random, day: date, consultant: Principal,
                     candidate_ids: list[int]) -> int:
    """Short calls, SMS and meetings with candidates alone (no employer), as the report's log shows them:
    preparing an interview, a reminder, a talk after it. Its own random stream, so the rest of the demo set
    stays as it was for a seed."""
    count = 0
    for candidate_id in rng.sample(candidate_ids, k=min(20, len(candidate_ids))):
        for _ in range(rng.randint(1, 3)):
            when = day - timedelta(days=rng.randint(0, 30))
            service.log_contact(session, None, ContactLogIn(
                kind=rng.choice(["phone", "phone", "sms", "meeting"]),
                occurred_at=datetime.combine(when, time(rng.randint(8, 15), rng.choice([0, 10, 20, 40])), tzinfo=LOCAL_TZ),
                duration_minutes=rng.choice([2, 5, 5, 10, 15, 45]),
                summary=rng.choice(["Forberedte kandidaten til intervju", "Minnet på intervjuet i morgen",
                                    "Snakket om hvordan intervjuet gikk", "Gikk gjennom CV-en sammen"]),
                candidate_ids=[candidate_id]), consultant)
            count += 1
    return count
