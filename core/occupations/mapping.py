"""Free-text job titles as employers write them -> STYRK-08 unit groups, with a 0-100 confidence.

How a title is read (measured on a labelled set: benchmarks/occupation_mapping.py):
1. normalise: case, accents (not æøå), gender tags such as "(m/k)", numbers and percentages, and the
   words that say nothing about the work ("ekstrahjelp", "deltid", "sommervikar", "søkes", ...);
   hyphenated compounds are joined ("SFO-assistent"), plurals made singular ("Renholdere");
2. look the words up in an index of every unit group's curated title and synonyms (data/synonyms.csv)
   and SSB's and NAV's names. A whole-title hit is certain; a title that contains an indexed term
   ("Bussjåfør Ruter") is nearly so, less the more other words there are;
3. compound words: Norwegian puts the head last, so an unknown compound whose tail is an indexed
   word takes that word's occupation ("nattrenholder" -> renholder), and a known first part before a
   generic head ("renholdsansatt": renhold + ansatt) takes the first part's;
4. typos: rapidfuzz `ratio` against the index; its score is stretched (100 - 2.5 x distance) so a
   near miss between two different compounds ("salgsassistent" / "lagerassistent", ratio 79) stays
   well below the acceptance threshold while a dropped letter ("renhoder") stays above it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from core.occupations.classification import all_occupations, get_occupation

# Words that say nothing about the work itself: contract, schedule, praise, filler, English fillers.
NOISE = frozenset("""
ekstrahjelp ekstrahjelper ekstravakt ekstravakter deltid deltids deltidsstilling deltidsansatt deltidsjobb heltid
heltidsstilling fast fastansatt fastansettelse stilling stillinger stillingsprosent prosent vikar vikarer vikariat
sommervikar sommervikarer sommerjobb sommerhjelp sommer sommersesong sommersesongen sesong sesongen sesongjobb
sesongarbeid tilkallingsvikar tilkallingsvikarer tilkalling ringevikar timebasis midlertidig engasjement
prosjektstilling helg helger helgejobb kveld kvelder kveldstid natt netter nattskift dag dagtid morgen skift toskift
skiftarbeid turnus søkes søker søk ønskes ledig ledige ny nye erfaren erfarne dyktig dyktige engasjert blid motivert
junior student studentjobb jobb behov ved inntil opptil hos oss vår våre flere travel travelt til i og for med på av
som en et ei eller mv mk m k a h f the an of in at and to with or wanted part time full parttime fulltime temporary
summer job staff hiring
""".split())
# Heads that only say "someone who works": the first part of such a compound names the work.
GENERIC_HEADS = (("medarbeider", 84.0), ("ansatt", 84.0), ("arbeider", 84.0), ("personale", 84.0),
                 ("betjent", 84.0), ("jobb", 84.0), ("medhjelper", 70.0), ("assistent", 70.0), ("hjelper", 70.0),
                 ("hjelp", 70.0))
_ACCENTS = str.maketrans({"é": "e", "è": "e", "ê": "e", "á": "a", "à": "a", "ó": "o", "ò": "o", "ô": "o",
                          "ü": "u", "ä": "æ", "ö": "ø", "’": "'"})
_GENDER_TAG = re.compile(r"\(?\b[mkfha](?:\s*/\s*[mkfha]){1,2}\b\)?")
_PLURALS = (("ører", "ør"), ("kker", "kk"), ("ister", "ist"), ("enter", "ent"), ("stre", "ster"), ("aer", "a"),
            ("ere", "er"))


def _singular(word: str) -> str:
    if len(word) < 6:
        return word
    for ending, singular in _PLURALS:
        if word.endswith(ending):
            return word[: -len(ending)] + singular
    return word


def tokens(text: str) -> tuple[str, ...]:
    """The words of a title that can name the work, normalised (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_ACCENTS)
    text = _GENDER_TAG.sub(" ", text)
    text = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", "", text)  # SFO-assistent -> sfoassistent
    words = re.findall(r"[^\W\d_]+", text)
    return tuple(_singular(w) for w in words if w not in NOISE)


@dataclass(frozen=True)
class OccupationMatch:
    code: str
    title: str
    confidence: int  # 0-100
    matched_text: str


@dataclass(frozen=True)
class _Index:
    terms: dict[str, tuple[str, str]]  # normalised term -> (code, the term as written)
    words: dict[str, tuple[str, str]]  # one-word terms only
    term_list: list[str]
    word_list: list[str]
    curated_words: frozenset[str]  # one-word curated titles and synonyms


def name_parts(name: str) -> list[str]:
    """The occupations an official name lists ("Bussjåfører og trikkeførere"), without qualifiers in
    brackets ("Sivilingeniører (bygg og anlegg)" is not about "anlegg") or elided first parts
    ("Bil-, drosje- og varebilførere": "Bil-" names no work on its own)."""
    plain = re.sub(r"\([^)]*\)", " ", name)
    return [p for p in re.split(r",\s*|\s+og\s+|\s*/\s*", plain) if p.strip() and not p.strip().endswith("-")]


def _name_head(part: str) -> str | None:
    """"Renholdere i virksomheter" -> "Renholdere": the words before a qualifying preposition."""
    head = re.split(r"\s+(?:i|innen|av|for|med|ved|på)\s+", part.strip(), maxsplit=1)
    return head[0] if len(head) == 2 else None


@cache
def _index() -> _Index:
    terms: dict[str, tuple[str, str]] = {}

    def add(text: str, code: str) -> None:
        key = " ".join(tokens(text))
        if key and key not in terms:  # where a term names two groups, the first added wins
            terms[key] = (code, text)

    for occupation in all_occupations():  # curated titles and synonyms first
        for text in (occupation.title, *occupation.synonyms):
            add(text, occupation.code)
    heads: dict[str, set[str]] = {}
    for occupation in all_occupations():  # then SSB's and NAV's names and the occupations they list
        for name in (occupation.name, occupation.nav_name):
            add(name, occupation.code)
            for part in name_parts(name):
                add(part, occupation.code)
                head = _name_head(part)
                if head:
                    heads.setdefault(head.casefold(), set()).add(occupation.code)
    for head, codes in heads.items():  # "renholder" heads two names (9111, 9112): says nothing alone
        if len(codes) == 1:
            add(head, next(iter(codes)))
    words = {k: v for k, v in terms.items() if " " not in k}
    curated = frozenset(" ".join(tokens(t)) for o in all_occupations() for t in (o.title, *o.synonyms))
    return _Index(terms, words, list(terms), list(words), frozenset(w for w in curated if w in words))


def _stretch(ratio: float) -> float:
    return max(0.0, 100.0 - 2.5 * (100.0 - ratio))


def index_without(terms: set[str]) -> _Index:
    """The index less some terms (normalised as `tokens` does): for measuring how the mapper does on
    titles its synonym list does not contain word for word (benchmarks/occupation_mapping.py)."""
    full = _index()
    kept = {k: v for k, v in full.terms.items() if k not in terms}
    words = {k: v for k, v in kept.items() if " " not in k}
    return _Index(kept, words, list(kept), list(words), full.curated_words - terms)


@lru_cache(maxsize=4096)
def suggest(title: str, limit: int = 3) -> tuple[OccupationMatch, ...]:
    """The `limit` most likely unit groups for a title, best first (empty when nothing is close)."""
    return rank(title, _index(), limit)


def rank(title: str, index: _Index, limit: int = 3) -> tuple[OccupationMatch, ...]:
    from rapidfuzz import fuzz, process

    words = tokens(title)
    if not words:
        return ()
    query = " ".join(words)
    best: dict[str, tuple[float, str]] = {}

    def offer(code: str, score: float, matched: str) -> None:
        if score > best.get(code, (-1.0, ""))[0]:
            best[code] = (score, matched)

    if query in index.terms:
        code, text = index.terms[query]
        offer(code, 100.0, text)
    # Words and adjacent pairs written apart ("lager medarbeider", "taxi sjåfør").
    pieces = list(words) + [a + b for a, b in zip(words, words[1:], strict=False)]
    length = len(query.replace(" ", ""))
    for term, (code, text) in index.terms.items():  # terms contained in the title
        parts = term.split()
        if all(p in pieces for p in parts):
            covered = sum(len(p) for p in parts) / length
            offer(code, 85.0 + 14.0 * min(covered, 1.0), text)
    for word in pieces:
        share = len(word) / length
        # Compound whose tail is an indexed word ("nattrenholder"): the longest tail wins.
        for start in range(3, len(word) - 3):  # a modifier has at least 3 letters ("ekspeditør" is no "speditør")
            tail = word[start:]
            if tail in index.words:
                code, text = index.words[tail]
                offer(code, 72.0 + 16.0 * (len(tail) / len(word)) - 10.0 * (1 - share), text)
                break
        # A curated first part before a generic head ("renholdsansatt": renhold + ansatt) names the work;
        # before a helper's head ("gartnerhjelp", "kokkeassistent") it names the work helped with, often
        # another unit group, so that is only a suggestion.
        for head, score in GENERIC_HEADS:
            if word.endswith(head) and len(word) > len(head) + 2:
                first = word[: -len(head)]
                for stem in (first, first[:-1] if first[-1] in "se" else None):
                    if stem and stem in index.curated_words:
                        code, text = index.words[stem]
                        offer(code, score - 10.0 * (1 - share), text)
                        break
                break
        # Typos in one word of the title.
        if len(word) >= 4:
            for term, ratio, _ in process.extract(word, index.word_list, scorer=fuzz.ratio, limit=3, score_cutoff=75):
                if (term in word or word in term) and abs(len(term) - len(word)) >= 3:
                    continue  # a broader or narrower compound ("maskinoperatør", "symaskinoperatør"), not a typo
                code, text = index.words[term]
                offer(code, _stretch(ratio) - 15.0 * (1 - share), text)
    # Typos or word order in the whole title.
    for term, ratio, _ in process.extract(query, index.term_list, scorer=fuzz.ratio, limit=5, score_cutoff=75):
        if (term in query or query in term) and abs(len(term) - len(query)) >= 3:
            continue
        code, text = index.terms[term]
        offer(code, _stretch(ratio), text)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    return tuple(OccupationMatch(code, get_occupation(code).title, round(score), matched)
                 for code, (score, matched) in ranked)


# A title mapped with at least this confidence is taken without asking for the code. Chosen from
# benchmarks/occupation_mapping.py (see the README, "Occupations"): at 80 every accepted title of the
# labelled set was right, and 92-95 % of those whose wording the synonym list did not foresee.
ACCEPTED_CONFIDENCE = 80


def code_for(text: str) -> str | None:
    """The unit group a wish or a CSV cell names: a STYRK-08 code as it stands, or a title mapped with
    at least ACCEPTED_CONFIDENCE; None otherwise."""
    from core.occupations.classification import is_unit_group

    text = text.strip()
    if text.isdigit():
        return text if is_unit_group(text) else None
    found = suggest(text, 1)
    return found[0].code if found and found[0].confidence >= ACCEPTED_CONFIDENCE else None


def map_title(title: str) -> OccupationMatch | None:
    """The occupation a free-text job title most likely means, or None when nothing is close."""
    found = suggest(title, 1)
    return found[0] if found else None
