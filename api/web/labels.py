"""Norwegian words for the codes the domain stores, and the date formats people read."""

from datetime import date, datetime

from candidates.catalogue import CERTIFICATE_KINDS, SECTORS
from core.geography import UnknownMunicipality, get_municipality
from core.types import LOCAL_TZ

ROLE = {"admin": "Administrator", "consultant": "Konsulent", "staff": "Veileder", "employer": "Arbeidsgiver"}
ITEM_STATUS = {"not_started": "Ikke startet", "in_progress": "Pågår", "done": "Ferdig", "not_relevant": "Ikke relevant"}
ACTOR = {"candidate": "Kandidaten", "staff": "Veileder", "consultant": "Konsulent"}
PROGRAMME_STATUS = {
    "intake": "Inntak", "active": "I program", "paused": "Pause", "in_recruitment": "I rekruttering",
    "in_work": "I arbeid", "completed": "Fullført", "withdrawn": "Avsluttet",
}
EXIT_STATE = {
    "job_ready": "Klar for jobb", "measures_ready": "Klar for tiltak", "needs_more_help": "Trenger mer hjelp først",
    "disability_benefit": "På vei mot uføretrygd", "unclarified": "Fortsatt uavklart",
}
EMPLOYER_STATUS = {
    "potential": "Potensiell", "contacted": "Kontaktet", "in_dialogue": "I dialog", "customer": "Kunde",
    "inactive": "Inaktiv",
}
CONTACT_KIND = {"phone": "Telefon", "email": "E-post", "meeting": "Møte", "visit": "Besøk"}
CONTRACT_TYPE = {"permanent": "Fast", "temporary": "Midlertidig", "seasonal": "Sesong", "on_call": "Tilkalling"}
VACANCY_STATUS = {
    "draft": "Utkast", "held_for_review": "Til gjennomgang", "open": "Åpen", "filled": "Besatt", "closed": "Lukket",
}
WORKING_HOURS = {"day": "dag", "evening": "kveld", "night": "natt", "weekend": "helg"}
ATTITUDE = {"unknown": "Ukjent", "positive": "Positiv", "neutral": "Nøytral", "negative": "Negativ"}
YES_NO = {"unknown": "Ukjent", "yes": "Ja", "maybe": "Kanskje", "no": "Nei"}
RUN_STATUS = {"queued": "I kø", "running": "Kjører", "done": "Ferdig", "failed": "Feilet", "cancelled": "Avbrutt"}
DECISION = {"pin": "Låst", "veto": "Avvist", "accept": "Godtatt"}
AGREEMENT_KIND = {
    "recurring_recruitment": "Fast rekruttering", "trial_period": "Prøveperiode", "work_practice": "Praksisplass",
    "wage_subsidy": "Lønnstilskudd", "on_call_temps": "Tilkallingsvikarer", "other": "Annet",
}
# Admin actions on a user: (button, confirmation question, what it does, done message).
USER_ACTION = {
    "deactivate": ("Deaktiver", "Deaktivere {name}?",
                   "Brukeren kan ikke logge inn før en administrator aktiverer den igjen. Alle innlogginger og "
                   "API-nøkler brukeren har laget slutter å virke med en gang, og nøklene kan ikke brukes igjen.",
                   "{name} er deaktivert."),
    "reset-password": ("Nullstill passord", "Nullstille passordet til {name}?",
                       "Du får et midlertidig passord som vises én gang. Brukeren logges ut overalt og må velge "
                       "et nytt passord ved neste innlogging.",
                       "Passordet til {name} er nullstilt."),
    "revoke-sessions": ("Avslutt innlogginger", "Avslutte alle innlogginger for {name}?",
                        "Alle innlogginger brukeren har nå, og API-nøklene brukeren har laget, slutter å virke med "
                        "en gang. Brukeren kan logge inn igjen; nøklene må lages på nytt.",
                        "Innlogginger og API-nøkler for {name} er avsluttet."),
    "activate": ("Aktiver", "Aktivere {name}?", "Brukeren kan logge inn igjen.", "{name} er aktivert igjen."),
}
UNLOCK_KIND = {"certificate": "Sertifikat", "norwegian": "Norsknivå", "hours": "Arbeidstid", "commute": "Reisevei"}
SECTOR = SECTORS
MONTHS = ("jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des")


def municipality(code: str | None) -> str:
    if not code:
        return ""
    try:
        return get_municipality(code).name
    except UnknownMunicipality:
        return code


def certificate(code: str) -> str:
    kind = CERTIFICATE_KINDS.get(code)
    return kind.label if kind else code


def d(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).date() if value.tzinfo else value.date()
    return value.strftime("%d.%m.%Y")


def dt(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(LOCAL_TZ)
    return value.strftime("%d.%m.%Y %H:%M")


def label(mapping: dict, code) -> str:
    return mapping.get(str(code), str(code)) if code is not None else ""


def num(value) -> str:
    """1.0 -> "1", 2.5 -> "2,5" (Norwegian decimal comma); other values as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


FILTERS = {"d": d, "dt": dt, "municipality": municipality, "certificate": certificate, "num": num}
