"""The one catalogue of user-facing words: what people read instead of the codes the domain stores
(roles, statuses, certificates, fields), and Norwegian for the validation messages pydantic writes in
English. Pages (api/web), exports and the API's error answers all take their words from here, so a
code never reaches a person and one word is changed in one place."""

import re
from datetime import date, datetime

# ---------------------------------------------------------------- codes the domain stores

ROLE = {"admin": "Administrator", "consultant": "Konsulent", "staff": "Veileder", "employer": "Arbeidsgiver", "candidate": "Kandidat"}
ITEM_STATUS = {"not_started": "Ikke startet", "in_progress": "Pågår", "done": "Ferdig", "not_relevant": "Ikke relevant"}
ITEM_KIND = {"gate": "Krav", "weighted": "Teller i poengsummen", "task": "Før oppstart"}
ACTOR = {"candidate": "Kandidaten", "staff": "Veileder", "consultant": "Konsulent"}
PROGRAMME_STATUS = {
    "intake": "Inntak", "active": "I program", "paused": "Pause", "in_recruitment": "I rekruttering",
    "in_work": "I arbeid", "completed": "Fullført", "withdrawn": "Avbrutt",
}
# The programme side (programme/): referral, intake decision, exits, obstacles. The reason codes' own
# labels are data (the versioned code lists, programme/codes.py).
REFERRER_KIND = {"nav_office": "NAV-kontor", "caseworker": "Saksbehandler", "other": "Annen henviser"}
REFERRAL_DECISION = {"pending": "Ikke avgjort", "admitted": "Tatt inn", "refused": "Avslag",
                     "waiting_list": "Venteliste"}
EXIT_OUTCOME = {"completed": "Fullført", "interrupted": "Avbrutt"}
OBSTACLE_KIND = {
    "norwegian": "Norsk", "moving": "Flytteplaner", "education": "Utdanning pågår", "childcare": "Barnepass",
    "documents": "Dokumenter", "finances_housing": "Økonomi/bolig", "health": "Helse (bare at et hinder finnes)",
}
OBSTACLE_OWNER = {"candidate": "Kandidaten", "staff": "Veileder", "consultant": "Konsulent",
                  "other_service": "Annen tjeneste (f.eks. NAV)"}
SAVED = {"henvisning": "henvisningen", "vedtak": "inntaksvedtaket", "hinder": "hinderet",
         "hinder_lost": "hinderet er markert som løst", "avslutning": "avslutningen"}
EXIT_STATE = {
    "job_ready": "Klar for jobb", "measures_ready": "Klar for tiltak", "needs_more_help": "Trenger mer hjelp først",
    "disability_benefit": "På vei mot uføretrygd", "unclarified": "Fortsatt uavklart",
}
EMPLOYER_STATUS = {
    "potential": "Potensiell", "contacted": "Kontaktet", "in_dialogue": "I dialog", "customer": "Kunde",
    "inactive": "Inaktiv",
}
CONTACT_KIND = {"phone": "Telefon", "sms": "SMS", "email": "E-post", "meeting": "Møte", "visit": "Besøk"}
CONTRACT_TYPE = {"permanent": "Fast", "temporary": "Midlertidig", "seasonal": "Sesong", "on_call": "Tilkalling"}
VACANCY_STATUS = {
    "draft": "Utkast", "held_for_review": "Til gjennomgang", "open": "Åpen", "filled": "Besatt", "closed": "Lukket",
}
WORKING_HOURS = {"day": "dag", "evening": "kveld", "night": "natt", "weekend": "helg"}
# What an imported ad did not say and matching needs ("må fylles ut").
MUST_COMPLETE = {
    "occupation_code": "yrke (STYRK-08)", "fte": "stillingsprosent", "contract_type": "ansettelsesform",
    "start": "oppstartsdato", "end": "sluttdato", "working_hours": "arbeidstid",
}
VACANCY_SOURCE = {
    "consultant": "Registrert av konsulent", "employer_api": "Arbeidsgiverens API",
    "nav_import": "NAV-format (leverandør)", "nav_feed": "NAVs stillingsfeed (ikke en bestilling)",
}
SECTOR_TYPE = {"public": "Offentlig", "private": "Privat"}
SHIFT_ARRANGEMENT = {"shift": "Skift", "rota": "Turnus", "on_duty": "Vakt"}
ATTITUDE = {"unknown": "Ukjent", "positive": "Positiv", "neutral": "Nøytral", "negative": "Negativ"}
YES_NO = {"unknown": "Ukjent", "yes": "Ja", "maybe": "Kanskje", "no": "Nei"}
RUN_STATUS = {"queued": "I kø", "running": "Kjører", "done": "Ferdig", "failed": "Feilet", "cancelled": "Avbrutt"}
SOLVER_STATUS = {"optimal": "beste mulige forslag funnet", "feasible": "godt forslag innenfor tiden"}
# Why a match run ran from scratch instead of starting from the previous run (matching.service).
WARM_COLD_REASON = {
    "off": "valgt da kjøringen ble startet",
    "none": "ingen tidligere kjøring over de samme kandidatene og det samme planåret",
    "unreadable": "det som var lagret fra forrige kjøring, kunne ikke leses",
    "unusable": "forrige kjøring kunne ikke brukes som start",
    "mismatch": "forrige kjøring hadde andre innstillinger",
    "nothing_to_reuse": "ingen del av denne kjøringen trengte det",
}
DECISION = {"pin": "Låst", "veto": "Avvist", "accept": "Godtatt"}
AGREEMENT_KIND = {
    "recurring_recruitment": "Fast rekruttering", "trial_period": "Prøveperiode", "work_practice": "Praksisplass",
    "wage_subsidy": "Lønnstilskudd", "on_call_temps": "Tilkallingsvikarer", "other": "Annet",
}
PAY_UNIT = {"hour": "per time", "month": "per måned", "year": "per år"}
UNLOCK_KIND = {"certificate": "Sertifikat", "norwegian": "Norsknivå", "hours": "Arbeidstid", "commute": "Reisevei"}
STAGE = {
    "proposed": "Foreslått", "presented": "Presentert", "interview_scheduled": "Innkalt til intervju",
    "interview_held": "Intervju gjennomført", "chance_lost": "Mistet sjansen", "rejected": "Avslått",
    "offer": "Tilbud", "accepted": "Takket ja", "started": "Begynt", "permanent": "Fast ansatt", "ended": "Avsluttet",
}
# What the consultant does next, by where a candidate stands on a candidate list.
NEXT_STEP = {
    "proposed": "Presenter for arbeidsgiveren", "presented": "Avtal intervju eller tilbud",
    "interview_scheduled": "Forbered kandidaten; registrer intervjuet", "interview_held": "Ring begge; tilbud?",
    "offer": "Få svar på tilbudet", "accepted": "Registrer oppstart", "started": "Oppfølging; fast ansettelse?",
    "permanent": "Oppfølging", "chance_lost": "", "rejected": "", "ended": "",
}
# Ways to close a candidate's place on a candidate list: (stage, stored reason or None for typed text).
CLOSE_REASON = {
    "no_show": ("chance_lost", "no_show", "Uteble"), "declined": ("chance_lost", "declined", "Takket nei"),
    "rejected": ("rejected", None, "Avslått av arbeidsgiveren"), "ended": ("ended", None, "Avsluttet"),
}
LOST_REASON = {"no_show": "Uteble", "declined": "Takket nei"}
CONSENT_PURPOSE = {
    "data_processing": "Behandling av personopplysninger", "presentation_to_employers": "Presenteres for arbeidsgivere",
    "share_with_recruiter": "Deles med en rekrutteringspartner",
    "share_with_employer": "Navnet kan vises til en arbeidsgiver",
}
HANDOVER_END_REASON = {
    "consent_withdrawn": "Samtykket til deling ble trukket", "back_to_programme": "Tilbake til programmet",
    "candidate_wish": "Kandidatens ønske", "partner_request": "Partneren ba om det",
    "moved_to_other_partner": "Flyttes til en annen partner", "other": "Annet",
}
GOAL_KIND = {"sector": "Bransje", "occupation": "Yrke", "share": "Stillingsandel", "text": "Mål med egne ord"}
TASK_STATUS = {"open": "Åpen", "done": "Ferdig", "dropped": "Droppet"}
PLAN_EVENT = {
    "plan_created": "Planen ble laget", "goal_added": "Nytt mål", "goal_removed": "Mål fjernet",
    "task_added": "Ny oppgave", "task_changed": "Oppgave endret", "task_done": "Oppgave ferdig",
    "task_dropped": "Oppgave droppet", "task_reopened": "Oppgave åpnet igjen", "comment_added": "Kommentar",
    "review_held": "Gjennomgang holdt", "review_planned": "Neste gjennomgang satt",
}
# What the plan's history calls the fields that changed.
PLAN_FIELD = {"title": "Tittel", "description": "Beskrivelse", "due_on": "Frist", "status": "Status",
              "owner": "Ansvarlig", "next_review_on": "Neste gjennomgang", "held_on": "Holdt",
              "comment": "Kommentar"}
BAROMETER_ANSWER_TYPE = {"number": "Tall", "yes_no": "Ja/nei", "scale": "Skala", "text": "Fritekst"}
# Presentations, the employer's answer, interviews, tasks and the agenda (issue 12).
PRESENTABLE_FIELD = {
    "norwegian_level": "Norsknivå", "languages": "Språk", "certificates": "Sertifikater og kurs",
    "experience": "Arbeidserfaring", "education": "Utdanning", "wanted_fte": "Ønsket stillingsandel",
    "available_from": "Tilgjengelig fra", "working_hours": "Arbeidstid",
}
ANSWER = {"interested": "Interessert", "wants_interview": "Vil ha intervju", "not_now": "Ikke nå"}
ANSWER_REASON = {
    "position_filled": "Stillingen er besatt", "requirements_not_met": "Oppfyller ikke kravene",
    "norwegian_level": "Norsken er ikke god nok ennå", "no_need_now": "Ingen behov nå",
    "timing": "Passer ikke i tid", "other": "Annet",
}
WOULD_HIRE = {"yes": "Ja", "maybe": "Kanskje", "no": "Nei"}
ASSESSMENT_SCALE = {1: "1 – svært svakt", 2: "2 – svakt", 3: "3 – greit", 4: "4 – godt", 5: "5 – svært godt"}
ASSESSMENT_FIELD = {"punctuality": "Oppmøte og punktlighet", "cooperation": "Samarbeid", "work_quality": "Arbeidskvalitet",
                    "would_hire": "Ville dere ansatt kandidaten?"}
AGENDA_KIND = {"interview": "Intervju", "task": "Oppgave", "follow_up": "Oppfølging etter start",
               "plan_task": "Oppgave i planen", "plan_review": "Gjennomgang"}
INTERVIEW_TASKS = ("Forbered kandidaten", "Ring begge etterpå")

# The certificate catalogue's codes (candidates/catalogue.py) and what people call them.
CERTIFICATE = {
    "driving_licence_B": "Førerkort klasse B",
    "driving_licence_BE": "Førerkort klasse BE",
    "driving_licence_C1": "Førerkort klasse C1",
    "driving_licence_C": "Førerkort klasse C",
    "driving_licence_D": "Førerkort klasse D (buss)",
    "taxi_licence": "Kjøreseddel (drosje)",
    "truck_licence": "Truckførerbevis",
    "crane_licence": "Kranførerbevis",
    "trade_certificate_cleaning": "Fagbrev renholdsoperatør",
    "trade_certificate_care": "Fagbrev helsefagarbeider",
    "trade_certificate_childcare": "Fagbrev barne- og ungdomsarbeider",
    "trade_certificate_other": "Annet fagbrev",
    "security_guard_training": "Vekterutdanning (grunnopplæring)",
    "police_certificate": "Politiattest",
    "health_vaccination": "Vaksiner for helse- og omsorgsarbeid",
    "food_hygiene_course": "Kurs i næringsmiddelhygiene",
    "first_aid_course": "Førstehjelpskurs",
    "hse_course": "HMS-kurs",
    "course": "Kurs (annet)",
    "other": "Annen dokumentasjon",
}

# Fields of the API's schemas, as a form labels them. A message about a field names it this way.
FIELD = {
    "address": "Adresse", "answer": "Svar", "answer_on": "Dato for svaret",
    "answer_reason": "Hvorfor ikke nå", "answer_note": "Merknad til svaret", "consultant_attends": "Konsulenten blir med",
    "due_on": "Frist", "owner_id": "Ansvarlig", "fields": "Det arbeidsgiveren får se", "place": "Sted", "proposed_times": "Foreslåtte tidspunkter",
    "starts_at": "Tidspunkt", "candidate_name": "Kandidat", "employer_query": "Arbeidsgiver", "asked_on": "Dato for samtalen", "available_from": "Tilgjengelig fra",
    "available_to": "Tilgjengelig til", "candidate_id": "Kandidat", "candidate_ids": "Kandidater",
    "certificates": "Sertifikater", "code": "Sertifikat", "criteria_met": "Inntakskriterier",
    "decided_on": "Vedtaksdato", "found_on": "Funnet dato", "interview_on": "Inntakssamtale",
    "interview_note": "Notat fra inntakssamtalen", "codes": "Kode", "requires_text": "Krever beskrivelse", "key": "Nøkkel", "label": "Tekst", "owner": "Hvem jobber med det",
    "reason_text": "Beskrivelse av årsaken", "referred_on": "Henvist dato", "referrer_kind": "Henvist av",
    "referrer_name": "Henviser (kontor eller person)", "refusal_reason": "Årsak til avslag",
    "refusal_text": "Beskrivelse av årsaken", "resolved_on": "Løst dato", "start_on": "Oppstart", "completed": "Fullført", "consents": "Samtykker",
    "contact_person_id": "Kontaktperson", "contract_type": "Type stilling", "country": "Land",
    "date_from": "Fra-dato", "date_to": "Til-dato", "decision": "Beslutning", "description": "Beskrivelse",
    "documents_before_interview": "Dokumenter før intervju", "held_on": "Dato for gjennomgangen",
    "item_key": "Sjekklistepunkt", "next_review_on": "Neste gjennomgang", "owner_kind": "Hvem eier oppgaven",
    "owner_user_id": "Ansvarlig", "text": "Tekst", "comment": "Kommentar", "document_ref": "Dokument", "done_on": "Dato",
    "duration_minutes": "Varighet (minutter)", "education": "Utdanning", "email": "E-post",
    "employees": "Antall ansatte", "employer_id": "Arbeidsgiver", "employer_name": "Arbeidsgiver",
    "end_reason": "Årsak", "end_note": "Merknad", "ended_on": "Dato tatt tilbake",
    "end": "Sluttdato", "evidence_date": "Dato for dokumentasjonen", "exit_assessment": "Vurdering ved avslutning",
    "experience": "Arbeidserfaring", "expires_on": "Utløper", "external_id": "Egen referanse",
    "first_name": "Fornavn", "fra": "Fra", "fte": "Stillingsprosent", "given_on": "Gitt dato",
    "headcount": "Antall stillinger", "institution": "Skole", "is_work_practice": "Praksisplass",
    "issued_on": "Utstedt", "kind": "Type", "languages": "Språk", "last_name": "Etternavn", "level": "Nivå",
    "listening": "Lytting", "max_commute_km": "Lengste reisevei (km)", "min_norwegian_level": "Krav til norsknivå",
    "min_step": "Laveste trinn", "municipality_code": "Kommune", "name": "Navn", "needs_on_call_temps":
    "Behov for tilkallingsvikarer", "next_follow_up": "Neste oppfølging", "norskprove": "Norskprøve",
    "norwegian_level": "Norsknivå", "note": "Merknad", "notes": "Notater", "observed_on": "Observert dato",
    "occupation_code": "Yrke", "occurred_at": "Tidspunkt", "on": "Dato", "oral": "Muntlig",
    "organisation_number": "Organisasjonsnummer", "outcome": "Resultat", "partner_id": "Rekrutteringspartner", "pay_amount": "Lønn",
    "pay_unit": "Lønn per", "phone": "Telefon", "plan_start": "Planåret starter",
    "police_certificate_required": "Krever politiattest", "programme_status": "Status i programmet",
    "project_id": "Prosjekt", "prosjekt": "Prosjekt", "purpose": "Formål", "reading": "Lesing", "reason": "Årsak",
    "required_certificates": "Krav til sertifikater", "role": "Rolle", "sector": "Bransje", "seed": "Startverdi",
    "start": "Startdato", "started_on": "Dato tildelt", "status": "Status", "summary": "Sammendrag", "test_date": "Prøvedato",
    "til": "Til", "time_limit": "Tid for løseren", "title": "Tittel", "trade_certificate": "Fagbrev",
    "trial_period_before_hiring": "Prøveperiode før ansettelse", "trinn": "Trinn", "username": "Brukernavn",
    "vacancy_id": "Stilling", "value": "Ønske", "version": "Versjon", "wage_subsidy_interest":
    "Interesse for lønnstilskudd", "wanted_fte": "Ønsket stillingsandel", "wishes": "Ønsker",
    "work_practice_attitude": "Holdning til praksisplass", "working_hours": "Arbeidstid", "writing": "Skriving",
    "references": "Referanse", "relation": "Hvem referansen er", "checked_on": "Sjekket dato",
    "checked_by": "Sjekket av", "wish_sectors": "Bransjer", "full_name": "Fullt navn", "password": "Passord",
    "current_version": "Gjeldende versjon",
}


def field_label(field: str | None) -> str:
    """"experience.1.end" -> "Arbeidserfaring 2: sluttdato"; an unknown name is shown as "Feltet"."""
    if not field:
        return ""
    parts = [p for p in str(field).split(".") if p]
    words = []
    for i, part in enumerate(parts):
        if part.isdigit():
            if words:
                words[-1] += f" {int(part) + 1}"
            continue
        name = FIELD.get(part)
        if name is None:  # an answer key (barometer) or a name the catalogue lacks: never the code itself
            name = "Svaret" if i and parts[i - 1] == "answers" else "Feltet"
        words.append(name if not words else name[0].lower() + name[1:] if name[1:2].islower() else name)
    words = [w for w in words if w]
    if len(words) > 1 and words[0] in ("Svaret", "Feltet"):
        words = words[1:]
    return ": ".join(words)


def date_nb(value: date | datetime | None) -> str:
    """A date as people read it here: dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d.%m.%Y")


def certificate(code: str) -> str:
    return CERTIFICATE.get(code, "Annen dokumentasjon")


def certificate_in_sentence(code: str) -> str:
    """For the middle of a sentence: "førerkort klasse D (buss)", but "HMS-kurs" keeps its capitals."""
    text = certificate(code)
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def roles_nb(roles) -> str:
    names = [ROLE.get(str(r), str(r)).lower() for r in sorted(roles, key=str)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


# ---------------------------------------------------------------- validation messages

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _iso_dates_to_nb(text: str) -> str:
    return _ISO.sub(lambda m: f"{m.group(3)}.{m.group(2)}.{m.group(1)}", text)


def _limit(ctx: dict, key: str) -> str:
    value = ctx.get(key, "")
    return _iso_dates_to_nb(str(value))


def _plural(n, one: str, many: str) -> str:
    return one if str(n) == "1" else many


def warm_start_nb(from_run: int | None, reused: int, changed: int, cold_reason: str | None) -> str:
    """How a match run started, in a sentence: from run N with how many of its parts reused, or from scratch."""
    if from_run is not None:
        total = reused + changed
        return f"Startet fra kjøring {from_run}: {reused} av {total} {_plural(total, 'del', 'deler')} uendret og gjenbrukt"
    reason = WARM_COLD_REASON.get(cold_reason or "")
    return f"Kjørt fra bunnen: {reason}" if reason else "Kjørt fra bunnen"


NO_SUCH_DATE = "er ikke en dato som finnes (sjekk dag og måned)"


def message_nb(error: dict) -> str:
    """Norwegian for one pydantic error (`ValidationError.errors()` / `RequestValidationError.errors()`).
    Our own validators already write Norwegian; pydantic's "Value error, " prefix is dropped."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    msg = str(error.get("msg", ""))
    simple = {
        "missing": "må fylles ut",
        "missing_argument": "må fylles ut",
        "int_parsing": "må være et heltall",
        "int_type": "må være et heltall",
        "int_from_float": "må være et heltall",
        "float_parsing": "må være et tall",
        "float_type": "må være et tall",
        "decimal_parsing": "må være et tall",
        "bool_parsing": "må være ja eller nei",
        "bool_type": "må være ja eller nei",
        "string_type": "må være tekst",
        "date_parsing": "må være en dato (dd.mm.åååå)",
        "date_from_datetime_parsing": "må være en dato (dd.mm.åååå)",
        "date_from_datetime_inexact": "må være en dato uten klokkeslett",
        "date_type": "må være en dato (dd.mm.åååå)",
        "datetime_parsing": "må være et tidspunkt (dd.mm.åååå tt:mm)",
        "datetime_from_date_parsing": "må være et tidspunkt (dd.mm.åååå tt:mm)",
        "datetime_type": "må være et tidspunkt (dd.mm.åååå tt:mm)",
        "list_type": "må være en liste",
        "dict_type": "må være et sett med svar",
        "model_type": "har feil form",
        "model_attributes_type": "har feil form",
        "extra_forbidden": "er ikke et kjent felt",
        "json_invalid": "er ikke gyldig JSON",
        "json_type": "er ikke gyldig JSON",
        "finite_number": "må være et endelig tall",
        "date_past": "må være en dato før i dag",
        "date_future": "må være en dato etter i dag",
        "uuid_parsing": "er ikke en gyldig id",
        "url_parsing": "er ikke en gyldig adresse",
        "string_unicode": "inneholder tegn som ikke kan lagres",
    }
    if kind.startswith("date") and "outside expected range" in str(ctx.get("error", "")):
        return NO_SUCH_DATE  # 31.02.2026: the format is right, the day does not exist
    if kind in simple:
        return simple[kind]
    if kind == "not_null":  # core/text.py: null sent for a field that must have a value
        return "må fylles ut (kan ikke tømmes)"
    if kind == "string_too_short":
        return "må fylles ut" if str(ctx.get("min_length")) == "1" else f"må ha minst {ctx.get('min_length')} tegn"
    if kind == "string_too_long":
        return f"kan ha høyst {ctx.get('max_length')} tegn"
    if kind == "string_pattern_mismatch":
        return "har feil format"
    if kind == "too_short":
        n = ctx.get("min_length")
        return "må ha minst ett valg" if str(n) == "1" else f"må ha minst {n} {_plural(n, 'element', 'elementer')}"
    if kind == "too_long":
        n = ctx.get("max_length")
        return f"kan ha høyst {n} {_plural(n, 'element', 'elementer')}"
    if kind == "greater_than_equal":
        return f"må være minst {_limit(ctx, 'ge')}"
    if kind == "greater_than":
        return f"må være større enn {_limit(ctx, 'gt')}"
    if kind == "less_than_equal":
        return f"kan være høyst {_limit(ctx, 'le')}"
    if kind == "less_than":
        return f"må være mindre enn {_limit(ctx, 'lt')}"
    if kind in ("enum", "literal_error"):
        return "er ikke et av de gyldige valgene"
    if kind == "value_error" and "email" in msg.lower():
        return "er ikke en gyldig e-postadresse"
    if kind in ("value_error", "assertion_error"):
        text = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return _iso_dates_to_nb(text)
    if "url" not in error and msg:  # our own PydanticCustomError (core/text.py): already Norwegian
        return _iso_dates_to_nb(msg)
    return "er ikke gyldig"


def field_of(loc) -> str:
    """A pydantic location as the dotted field name the API answers with: ("body", "experience", 0, "end")
    -> "experience.0.end"; a query or path parameter -> its name."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "form", "cookie"):
        parts = parts[1:]
    return ".".join(parts)


def sentence(field: str | None, message: str) -> str:
    """"Sluttdato: kan ikke være før startdato" for a page; without a field just the message, capitalised."""
    label = field_label(field)
    if label:
        return f"{label}: {message}"
    return message[:1].upper() + message[1:]
