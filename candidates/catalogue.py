"""Curated codes that candidates, vacancies and matching share.

Certificate codes are the contract of the CSV files too (`driving_licence_B`, `truck_licence`,
`police_certificate`, `trade_certificate_cleaning`, `health_vaccination`, ...)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CertificateKind:
    code: str
    label: str
    category: str  # licence | certificate | police | vaccination | course | other


CERTIFICATE_KINDS: dict[str, CertificateKind] = {
    k.code: k
    for k in [
        CertificateKind("driving_licence_B", "Førerkort klasse B", "licence"),
        CertificateKind("driving_licence_BE", "Førerkort klasse BE", "licence"),
        CertificateKind("driving_licence_C1", "Førerkort klasse C1", "licence"),
        CertificateKind("driving_licence_C", "Førerkort klasse C", "licence"),
        CertificateKind("driving_licence_D", "Førerkort klasse D (buss)", "licence"),
        CertificateKind("taxi_licence", "Kjøreseddel (drosje)", "licence"),
        CertificateKind("truck_licence", "Truckførerbevis", "licence"),
        CertificateKind("crane_licence", "Kranførerbevis", "licence"),
        CertificateKind("trade_certificate_cleaning", "Fagbrev renholdsoperatør", "certificate"),
        CertificateKind("trade_certificate_care", "Fagbrev helsefagarbeider", "certificate"),
        CertificateKind("trade_certificate_childcare", "Fagbrev barne- og ungdomsarbeider", "certificate"),
        CertificateKind("trade_certificate_other", "Annet fagbrev", "certificate"),
        CertificateKind("security_guard_training", "Vekterutdanning (grunnopplæring)", "certificate"),
        CertificateKind("police_certificate", "Politiattest", "police"),
        CertificateKind("health_vaccination", "Vaksiner for helse- og omsorgsarbeid", "vaccination"),
        CertificateKind("food_hygiene_course", "Kurs i næringsmiddelhygiene", "course"),
        CertificateKind("first_aid_course", "Førstehjelpskurs", "course"),
        CertificateKind("hse_course", "HMS-kurs", "course"),
        CertificateKind("course", "Kurs (annet)", "course"),
        CertificateKind("other", "Annen dokumentasjon", "other"),
    ]
}

# Sectors where this population most often gets work (DOMAIN.md section 4).
SECTORS: dict[str, str] = {
    "cleaning": "Renhold",
    "retail": "Butikk og dagligvare",
    "kiosk": "Kiosk",
    "restaurant": "Restaurant og kantine",
    "hotel": "Hotell og overnatting",
    "kindergarten": "Barnehage",
    "security": "Vakt og sikkerhet",
    "warehouse": "Lager og logistikk",
    "care": "Helse og omsorg",
    "transport": "Transport (buss og taxi)",
    "construction": "Bygg og anlegg",
    "other": "Annet",
}
