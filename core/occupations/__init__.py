"""Occupations: the whole STYRK-08 classification (all four levels) with the project's curated
Norwegian titles, synonyms and "similar work" relations, and the mapping of free-text job titles to
unit groups. Data in `data/` (sources and licences in data/NOTICE.md), read on first use and cached.

Pure data and functions: vacancies, candidates' wishes and the matching service use it."""

from core.occupations.classification import (
    LEVELS,
    Occupation,
    OccupationGroup,
    all_occupations,
    get_occupation,
    groups,
    is_unit_group,
    occupation_title,
    occupations_in_sector,
    path,
    relatedness,
    search,
    similar_work,
)
from core.occupations.mapping import ACCEPTED_CONFIDENCE, OccupationMatch, code_for, map_title, suggest, tokens

__all__ = [
    "ACCEPTED_CONFIDENCE", "LEVELS", "code_for", "Occupation", "OccupationGroup", "OccupationMatch", "all_occupations", "get_occupation", "groups",
    "is_unit_group", "map_title", "occupation_title", "occupations_in_sector", "path", "relatedness", "search", "similar_work",
    "suggest", "tokens",
]
