"""Curated codes that candidates, vacancies and matching share.

Certificate codes are the contract of the CSV files too (`driving_licence_B`, `truck_licence`,
`police_certificate`, `trade_certificate_cleaning`, `health_vaccination`, ...)."""

from dataclasses import dataclass

from core.labels import CERTIFICATE


@dataclass(frozen=True)
class CertificateKind:
    code: str
    label: str
    category: str  # licence | certificate | police | vaccination | course | other


CERTIFICATE_KINDS: dict[str, CertificateKind] = {
    k.code: k
    for k in [
        CertificateKind("driving_licence_B", CERTIFICATE["driving_licence_B"], "licence"),
        CertificateKind("driving_licence_BE", CERTIFICATE["driving_licence_BE"], "licence"),
        CertificateKind("driving_licence_C1", CERTIFICATE["driving_licence_C1"], "licence"),
        CertificateKind("driving_licence_C", CERTIFICATE["driving_licence_C"], "licence"),
        CertificateKind("driving_licence_D", CERTIFICATE["driving_licence_D"], "licence"),
        CertificateKind("taxi_licence", CERTIFICATE["taxi_licence"], "licence"),
        CertificateKind("truck_licence", CERTIFICATE["truck_licence"], "licence"),
        CertificateKind("crane_licence", CERTIFICATE["crane_licence"], "licence"),
        CertificateKind("trade_certificate_cleaning", CERTIFICATE["trade_certificate_cleaning"], "certificate"),
        CertificateKind("trade_certificate_care", CERTIFICATE["trade_certificate_care"], "certificate"),
        CertificateKind("trade_certificate_childcare", CERTIFICATE["trade_certificate_childcare"], "certificate"),
        CertificateKind("trade_certificate_other", CERTIFICATE["trade_certificate_other"], "certificate"),
        CertificateKind("security_guard_training", CERTIFICATE["security_guard_training"], "certificate"),
        CertificateKind("police_certificate", CERTIFICATE["police_certificate"], "police"),
        CertificateKind("health_vaccination", CERTIFICATE["health_vaccination"], "vaccination"),
        CertificateKind("food_hygiene_course", CERTIFICATE["food_hygiene_course"], "course"),
        CertificateKind("first_aid_course", CERTIFICATE["first_aid_course"], "course"),
        CertificateKind("hse_course", CERTIFICATE["hse_course"], "course"),
        CertificateKind("course", CERTIFICATE["course"], "course"),
        CertificateKind("other", CERTIFICATE["other"], "other"),
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
