"""The curated occupation list: the jobs this population most often gets, keyed by STYRK-08
(the Norwegian version of ISCO-08; the four-digit unit groups are the same), with Norwegian titles
and the synonyms employers and candidates write. Free-text titles are mapped to it with rapidfuzz.

Pure data and functions: vacancies, candidates' wishes and the matching core all use it."""

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Occupation:
    code: str  # STYRK-08 / ISCO-08 unit group
    title: str
    sector: str  # a key of candidates.catalogue.SECTORS
    synonyms: tuple[str, ...]


OCCUPATIONS: tuple[Occupation, ...] = (
    Occupation("9112", "Renholder", "cleaning",
               ("renholder", "renholdsoperatør", "rengjøringsassistent", "vaskehjelp", "renholdsarbeider",
                "romrenholder", "hotellrenholder", "kontorrenholder", "cleaner")),
    Occupation("9111", "Hjemmerenholder", "cleaning", ("hjemmehjelp", "husholdningsrenholder", "praktisk bistand")),
    Occupation("9121", "Vaskeriarbeider", "cleaning", ("vaskerimedarbeider", "vaskeriarbeider", "tøyvask")),
    Occupation("5223", "Butikkmedarbeider", "retail",
               ("butikkmedarbeider", "butikkselger", "salgsmedarbeider", "dagligvaremedarbeider", "butikkansatt",
                "varepåfyller", "butikkassistent", "shop assistant")),
    Occupation("5230", "Kassemedarbeider", "retail", ("kassemedarbeider", "kassabetjent", "kasserer", "cashier")),
    Occupation("5246", "Kiosk- og kafémedarbeider", "kiosk",
               ("kioskmedarbeider", "kafémedarbeider", "kaféansatt", "baristamedarbeider", "gatekjøkkenmedarbeider",
                "kioskansatt", "barista")),
    Occupation("9412", "Kjøkkenassistent", "restaurant",
               ("kjøkkenassistent", "kokkeassistent", "oppvasker", "kjøkkenhjelp", "kantinemedarbeider",
                "kitchen assistant")),
    Occupation("5120", "Kokk", "restaurant", ("kokk", "lærling kokk", "cook", "chef")),
    Occupation("5131", "Servitør", "restaurant", ("servitør", "serveringsmedarbeider", "kelner", "waiter")),
    Occupation("4224", "Resepsjonist (hotell)", "hotel", ("resepsjonist", "hotellresepsjonist", "resepsjonsmedarbeider")),
    Occupation("9510", "Hotellmedarbeider", "hotel", ("hotellmedarbeider", "hotellassistent", "housekeeping")),
    Occupation("5311", "Barnehageassistent", "kindergarten",
               ("barnehageassistent", "assistent i barnehage", "barne- og ungdomsarbeider", "fagarbeider barnehage")),
    Occupation("5321", "Helsefagarbeider", "care",
               ("helsefagarbeider", "pleieassistent", "omsorgsarbeider", "assistent sykehjem", "pleiemedhjelper")),
    Occupation("5322", "Personlig assistent", "care",
               ("personlig assistent", "assistent i hjemmetjenesten", "hjemmetjeneste", "brukerstyrt personlig assistent",
                "bpa")),
    Occupation("5414", "Vekter", "security", ("vekter", "sikkerhetsvakt", "security guard", "ordensvakt", "portvakt")),
    Occupation("4321", "Lagermedarbeider", "warehouse",
               ("lagermedarbeider", "lagerarbeider", "plukker", "lagerassistent", "warehouse worker")),
    Occupation("9333", "Lager- og transportarbeider", "warehouse",
               ("terminalarbeider", "pakker", "sjåførassistent", "flyttearbeider", "godshåndterer")),
    Occupation("8344", "Truckfører", "warehouse", ("truckfører", "truckkjører", "forklift operator")),
    Occupation("8331", "Bussjåfør", "transport", ("bussjåfør", "bussfører", "trikkefører", "bus driver")),
    Occupation("8322", "Sjåfør (taxi og varebil)", "transport",
               ("taxisjåfør", "drosjesjåfør", "budbilsjåfør", "varebilsjåfør", "sjåfør", "taxi driver")),
    Occupation("9621", "Bud", "transport", ("bud", "matbud", "avisbud", "pakkebud", "courier")),
    Occupation("9313", "Hjelpearbeider bygg", "construction",
               ("hjelpearbeider", "bygningsarbeider", "anleggsarbeider", "riggarbeider")),
    Occupation("9329", "Produksjonsmedarbeider", "other",
               ("produksjonsmedarbeider", "produksjonsarbeider", "operatør produksjon", "fabrikkarbeider")),
)

OCCUPATIONS_BY_CODE: dict[str, Occupation] = {o.code: o for o in OCCUPATIONS}


@dataclass(frozen=True)
class OccupationMatch:
    code: str
    title: str
    confidence: int  # 0-100
    matched_text: str


@lru_cache
def _choices() -> tuple[list[str], list[str]]:
    texts, codes = [], []
    for occupation in OCCUPATIONS:
        for text in (occupation.title, *occupation.synonyms):
            texts.append(text)
            codes.append(occupation.code)
    return texts, codes


def map_title(title: str) -> OccupationMatch | None:
    """The occupation a free-text job title most likely means, with a 0-100 confidence.
    token_set_ratio, because employers decorate titles ("Erfaren renholder, 50 % fast")."""
    from rapidfuzz import fuzz, process, utils

    texts, codes = _choices()
    best = process.extractOne(title, texts, scorer=fuzz.token_set_ratio, processor=utils.default_process)
    if best is None:
        return None
    text, score, index = best
    return OccupationMatch(codes[index], OCCUPATIONS_BY_CODE[codes[index]].title, round(score), text)
