"""An ad in NAV's format -> the values of a brobygger vacancy, never inventing a fact.

Pure: no database. What the ad does not say stays unknown and is listed in `missing` (the vacancy
is then a draft that someone completes before it is matched); an ad that breaks the format is
refused with NAV's error type, the field at fault and why (`AdError`)."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from core.occupations import ACCEPTED_CONFIDENCE, is_unit_group, suggest
from core.postal import lookup, municipality_by_name
from core.text import TextRuleError, clean_text
from core.types import LOCAL_TZ
from employers.wording import check_texts
from nav import vocabularies as voc
from nav.html import has_active_content, plain_text, sanitise

NORWAY = {"", "NORGE", "NORWAY", "NOREG", "NO"}
TITLE_MAX = 200


class AdError(Exception):
    def __init__(self, error_type: str, field_name: str, message: str):
        super().__init__(message)
        self.error_type, self.field, self.message = error_type, field_name, message


@dataclass
class TranslatedAd:
    reference: str
    md5: str
    orgnr: str | None
    business_name: str | None
    employer_postal_code: str | None
    values: dict  # Vacancy columns
    missing: list[str] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


def md5_of(ad: dict) -> str:
    """The ad's fingerprint, independent of key order and whitespace: an unchanged ad is SKIPPED."""
    return hashlib.md5(json.dumps(ad, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest().upper()


def _text(ad: dict, key: str, path: str, *, required: bool = False, max_length: int | None = None) -> str | None:
    value = ad.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise AdError("MISSING_PARAMETER", path, f"{path} mangler.")
        return None
    if isinstance(value, (dict, list)):
        raise AdError("INVALID_VALUE", path, f"{path} må være tekst.")
    text = str(value).strip()
    if "\x00" in text:
        raise AdError("INVALID_VALUE", path, f"{path} inneholder et ugyldig tegn (NUL).")
    if max_length and len(text) > max_length:
        raise AdError("INVALID_VALUE", path, f"{path} er for lang ({len(text)} tegn; høyst {max_length}).")
    return text


_DATE_FORMS = (
    (re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$"), "dmy"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$"), "ymd"),
    (re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2})$"), "dmy2"),
)


def parse_date(text: str | None) -> date | None:
    """A date where the text is one ("01.05.2019", "01/06/2019", "2021-06-01"); otherwise None
    ("Snarest", "Etter avtale", "Uke 34": not a date, so unknown)."""
    if not text:
        return None
    text = text.strip()
    for pattern, form in _DATE_FORMS:
        m = pattern.match(text)
        if not m:
            continue
        a, b, c = (int(g) for g in m.groups())
        try:
            if form == "ymd":
                return date(a, b, c)
            return date(c + 2000 if form == "dmy2" else c, b, a)
        except ValueError:
            return None
    return None


def parse_datetime(text: str | None, path: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        day = parse_date(text)
        if day is None:
            raise AdError("INVALID_VALUE", path, f"{path}: «{text}» er ikke en dato og tid (f.eks. 2019-02-24T00:00:00)."
                          ) from None
        value = datetime(day.year, day.month, day.day)
    if value.tzinfo is None:  # NAV's times are Norwegian local time
        value = value.replace(tzinfo=LOCAL_TZ)
    return value


_PERCENT = re.compile(r"^\s*(\d{1,3})(?:[.,]\d+)?\s*%?\s*$")


def share(extent: list[str], percentage: str | None) -> int | None:
    """The share of full time: the percentage where one is given, 100 for "Heltid", otherwise unknown
    ("Deltid" with no percentage, a range such as "40-60 %", both extents)."""
    if percentage:
        m = _PERCENT.match(percentage)
        if m and 1 <= int(m.group(1)) <= 100:
            return int(m.group(1))
        return None
    if extent == ["Heltid"]:
        return 100
    return None


def _controlled(props: dict, prop: str) -> list[str]:
    values = voc.values_of(prop, props.get(prop))
    allowed = voc.CONTROLLED.get(prop)
    if allowed:
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise AdError("INVALID_VALUE", f"properties.{prop}",
                          f"properties.{prop}: «{wrong[0]}» er ikke en gyldig verdi; gyldige: {', '.join(allowed)}.")
    return values


def occupation(ad: dict, props: dict, title: str) -> tuple[str | None, int]:
    """STYRK-08 from the categories (NAV's six-digit and "2342.07" codes start with the unit group);
    otherwise the occupation or job title mapped, when the mapping is sure enough; otherwise unknown."""
    categories = ad.get("categoryList") or []
    if isinstance(categories, list):
        for category in categories:
            if not isinstance(category, dict):
                continue
            kind = str(category.get("categoryType") or "").upper()
            code = re.sub(r"\D", "", str(category.get("code") or ""))[:4]
            if kind in ("STYRK08", "STYRK08NAV") and is_unit_group(code):
                return code, 100
    for text in (props.get("occupation"), props.get("jobtitle"), title):
        if isinstance(text, str) and text.strip():
            for part in text.split(";"):
                matches = suggest(part.strip(), 1)
                if matches and matches[0].confidence >= ACCEPTED_CONFIDENCE:
                    return matches[0].code, matches[0].confidence
    return None, 0


def location(ad: dict) -> tuple[str, str | None, str | None]:
    """The municipality (2024 number) of the first work location, by postal code or municipality name."""
    locations = ad.get("locationList")
    if not isinstance(locations, list) or not locations:
        raise AdError("MISSING_PARAMETER", "locationList", "locationList mangler: minst ett arbeidssted må oppgis.")
    first = locations[0]
    if not isinstance(first, dict):
        raise AdError("INVALID_VALUE", "locationList.0", "locationList.0 må være et objekt.")
    country = str(first.get("country") or "").strip().upper()
    if country not in NORWAY:
        raise AdError("INVALID_VALUE", "locationList.0.country",
                      f"Arbeidssted i utlandet ({first.get('country')}) tas ikke imot (FOREIGN_JOB).")
    postal = _text(first, "postalCode", "locationList.0.postalCode")
    address = _text(first, "address", "locationList.0.address", max_length=300)
    if postal:
        entry = lookup(postal)
        if entry is None:
            raise AdError("INVALID_VALUE", "locationList.0.postalCode",
                          f"Postnummeret {postal} finnes ikke i postnummerregisteret.")
        return entry.municipality_code, entry.code, address
    name = _text(first, "municipal", "locationList.0.municipal")
    if name:
        code = municipality_by_name(name)
        if code is None:
            raise AdError("INVALID_VALUE", "locationList.0.municipal", f"Kommunen «{name}» finnes ikke.")
        return code, None, address
    raise AdError("MISSING_PARAMETER", "locationList.0.postalCode",
                  "locationList.0.postalCode mangler (eller kommunenavn i municipal).")


_REQUIREMENTS = (
    ("certificate", "driving_licence_B", re.compile(r"førerkort\s*(?:klasse\s*)?B\b|\bB[- ]?førerkort|sertifikat\s*(?:klasse\s*)?B\b", re.I)),
    ("certificate", "truck_licence", re.compile(r"truck(?:før)?(?:er)?(?:bevis|sertifikat)|\btruckfører", re.I)),
    ("police_certificate", None, re.compile(r"politiattest|vandelsattest", re.I)),
)
_NORWEGIAN = re.compile(r"norsk[^.\n]{0,40}?\b(A1|A2|B1|B2|C1|C2)\b|\b(A1|A2|B1|B2|C1|C2)[- ]?nivå[^.\n]{0,20}norsk"
                        r"|norskprøve\s*(\d)", re.I)
_NORSKPROVE = {"1": "A1", "2": "A2", "3": "B1", "4": "B2"}


def suggested_requirements(text: str) -> list[dict]:
    """Requirements the text mentions, each with the words that say so: for the consultant to confirm."""
    found = []
    for kind, code, pattern in _REQUIREMENTS:
        m = pattern.search(text)
        if m:
            found.append({"kind": kind, "code": code, "text": m.group(0)})
    m = _NORWEGIAN.search(text)
    if m:
        level = m.group(1) or m.group(2) or _NORSKPROVE.get(m.group(3) or "")
        if level:
            found.append({"kind": "norwegian_level", "code": level.upper(), "text": m.group(0)})
    return found


def _contacts(ad: dict) -> list[dict]:
    contacts = ad.get("contactList") or []
    if not isinstance(contacts, list):
        raise AdError("INVALID_VALUE", "contactList", "contactList må være en liste.")
    result = []
    for i, c in enumerate(contacts):
        if not isinstance(c, dict):
            raise AdError("INVALID_VALUE", f"contactList.{i}", f"contactList.{i} må være et objekt.")
        name = _text(c, "name", f"contactList.{i}.name", max_length=200)
        if not name:
            continue  # the feed masks names of stopped ads; nothing to keep
        result.append({k: _text(c, k, f"contactList.{i}.{k}", max_length=254) for k in ("title", "email", "phone")}
                      | {"name": name})
    return result


def check_text_rule(value: object, path: str = "") -> None:
    """The project's text rule on every string in the ad (NUL, lone surrogates, control characters),
    so the payload kept for audit can be stored and exported like any other text."""
    if isinstance(value, str):
        try:
            clean_text(value, multiline=True)
        except TextRuleError as exc:
            raise AdError("INVALID_VALUE", path or "body", f"{path or 'Teksten'} {exc}.") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text_rule(str(key), path)
            check_text_rule(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_text_rule(item, f"{path}.{i}")


def translate(ad: object, *, strict: bool = True) -> TranslatedAd:
    """`strict`: the import API's required fields (published, expires, positions, adText) are required."""
    if not isinstance(ad, dict):
        raise AdError("PARSE_ERROR", "body", "Hver annonse må være et JSON-objekt.")
    check_text_rule(ad)
    reference = _text(ad, "reference", "reference", required=True, max_length=255)
    title_full = _text(ad, "title", "title", required=True, max_length=512)
    title = title_full if len(title_full) <= TITLE_MAX else title_full[:TITLE_MAX - 1].rstrip() + "…"
    props = ad.get("properties") or {}
    if not isinstance(props, dict):
        raise AdError("INVALID_VALUE", "properties", "properties må være et objekt.")

    engagement = _controlled(props, "engagementtype")
    extent = _controlled(props, "extent")
    workhours = _controlled(props, "workhours")
    workday = _controlled(props, "workday")
    arrangement = _controlled(props, "jobarrangement")
    sector = _controlled(props, "sector")
    for prop in ("workLanguage", "remote", "euresflagg"):
        _controlled(props, prop)
    if strict and not engagement:
        raise AdError("MISSING_PARAMETER", "properties.engagementtype", "properties.engagementtype mangler.")
    if any(e in voc.NOT_EMPLOYMENT for e in engagement):
        raise AdError("INVALID_VALUE", "properties.engagementtype",
                      f"«{engagement[0]}» er ikke et ansettelsesforhold og tas ikke imot (NO_EMPLOYMENT).")

    positions = ad.get("positions")
    if positions is None:
        if strict:
            raise AdError("MISSING_PARAMETER", "positions", "positions mangler (antall stillinger).")
        headcount = 1
    else:
        try:
            headcount = int(str(positions).strip())
        except ValueError:
            raise AdError("INVALID_VALUE", "positions", f"positions må være et heltall (fikk «{positions}»).") from None
        if not 1 <= headcount <= 500:
            raise AdError("INVALID_VALUE", "positions", "positions må være fra 1 til 500.")

    raw_html = ad.get("adText") if "adText" in ad else props.get("adtext")
    if strict and not raw_html:
        raise AdError("MISSING_PARAMETER", "adText", "adText mangler (annonseteksten).")
    if raw_html is not None and not isinstance(raw_html, str):
        raise AdError("INVALID_VALUE", "adText", "adText må være tekst (HTML).")
    if raw_html and "\x00" in raw_html:
        raise AdError("INVALID_VALUE", "adText", "adText inneholder et ugyldig tegn (NUL).")
    clean = sanitise(raw_html)
    text = plain_text(clean)
    warnings = []
    if has_active_content(raw_html):
        warnings.append({"field": "adText", "message": "Skript, stiler og hendelser i HTML-en er fjernet; "
                         "teksten er lagret uten dem."})

    published = parse_datetime(_text(ad, "published", "published", required=strict), "published")
    expires = parse_datetime(_text(ad, "expires", "expires", required=strict), "expires")
    municipality, postal, address = location(ad)

    contract = None
    if engagement:
        contract = voc.CONTRACT_TYPE.get(engagement[0])
    hours = [voc.WORKHOURS_TO_OURS[h] for h in workhours]
    if any(d in voc.WEEKEND for d in workday):
        hours.append("weekend")
    hours = sorted(set(hours), key=["day", "evening", "night", "weekend"].index)
    fte = share(extent, _text(props, "jobpercentage", "properties.jobpercentage", max_length=50))
    start = parse_date(_text(props, "starttime", "properties.starttime", max_length=200))
    code, confidence = occupation(ad, props, title)

    email = _text(props, "applicationemail", "properties.applicationemail", max_length=254)
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise AdError("INVALID_VALUE", "properties.applicationemail", f"«{email}» er ikke en e-postadresse.")
    url = _text(props, "applicationurl", "properties.applicationurl", max_length=1000)
    if url and not re.match(r"^https?://", url, re.I):
        raise AdError("INVALID_VALUE", "properties.applicationurl", "properties.applicationurl må begynne med http:// eller https://.")
    keywords_text = _text(props, "keywords", "properties.keywords", max_length=2000) or ""
    keywords = [k.strip() for k in re.split(r"[;,]", keywords_text) if k.strip()]

    missing = []
    if code is None:
        missing.append("occupation_code")
    if fte is None:
        missing.append("fte")
    if contract is None:
        missing.append("contract_type")
    if start is None:
        missing.append("start")
    if contract in ("temporary", "seasonal"):
        missing.append("end")  # NAV ads carry no end date
    if not hours:
        missing.append("working_hours")

    employer = ad.get("employer") or {}
    if not isinstance(employer, dict):
        raise AdError("INVALID_VALUE", "employer", "employer må være et objekt.")
    orgnr = re.sub(r"\s", "", str(employer.get("orgnr") or "")) or None
    emp_location = employer.get("location") if isinstance(employer.get("location"), dict) else {}

    values = dict(
        title=title, description=text or None, description_html=clean or None, occupation_code=code,
        occupation_confidence=confidence if code else 0, municipality_code=municipality, fte=fte,
        contract_type=contract, start=start, end=None, working_hours=hours, headcount=headcount,
        review_reasons=[f"{h.reason}: «{h.text}»" for h in check_texts(title, text)],
        missing_fields=missing, suggested_requirements=suggested_requirements(f"{title}\n{text}"),
        application_deadline=parse_date(_text(props, "applicationdue", "properties.applicationdue", max_length=100)),
        application_url=url, application_email=email, contacts=_contacts(ad), address=address, postal_code=postal,
        published_at=published, expires_at=expires, keywords=keywords,
        sector_type=voc.SECTOR_TO_OURS[sector[0]] if sector else None,
        shift_arrangement=voc.JOB_ARRANGEMENT_TO_OURS[arrangement[0]] if arrangement else None,
    )
    return TranslatedAd(reference=reference, md5=md5_of(ad), orgnr=orgnr,
                        business_name=_text(employer, "businessName", "employer.businessName", max_length=200),
                        employer_postal_code=str(emp_location.get("postalCode") or "") or None,
                        values=values, missing=missing, warnings=warnings)


def from_feed_entry(entry: dict) -> dict:
    """A feed entry's `ad_content` in the import format, so one translation serves both."""
    content = entry.get("ad_content") or {}
    employer = content.get("employer") or {}
    properties = {
        "engagementtype": content.get("engagementtype"), "extent": content.get("extent"),
        "starttime": content.get("starttime"), "sector": content.get("sector"),
        "applicationdue": content.get("applicationDue"), "applicationurl": content.get("applicationUrl") or None,
        "jobtitle": content.get("jobtitle"),
    }
    extent = properties["extent"]
    if extent and extent not in voc.EXTENT:  # the feed says "Heltid_og_Deltid" and the like: not one extent
        properties["extent"] = None
    return {
        "reference": content.get("uuid") or entry.get("uuid"), "title": content.get("title"),
        "adText": content.get("description"), "positions": content.get("positioncount"),
        "published": content.get("published"), "expires": content.get("expires"),
        "locationList": content.get("workLocations") or [], "contactList": content.get("contactList") or [],
        "categoryList": content.get("categoryList") or [],
        "properties": {k: v for k, v in properties.items() if v not in (None, "")},
        "employer": {"orgnr": employer.get("orgnr"), "businessName": employer.get("name")},
    }
