"""Deterministic rules for discriminatory or exclusionary wording in vacancy texts.

A hit does not reject the vacancy: it is held for review with the reasons, and a consultant
releases or rejects it. The rules look for requirements about ethnicity, origin, religion,
gender, age and mother tongue (likestillings- og diskrimineringsloven §§ 6 and 29)."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class WordingRule:
    key: str
    reason: str
    pattern: re.Pattern


def _rule(key: str, reason: str, *patterns: str) -> WordingRule:
    return WordingRule(key, reason, re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE))


RULES: tuple[WordingRule, ...] = (
    _rule("mother_tongue", "Krav om norsk som morsmål utelukker på grunn av etnisitet; still krav til språknivå i stedet",
          r"\bnorsk\s+(?:som\s+)?morsmål", r"\bmorsmål\s*:?\s*norsk", r"\bnative\s+(?:norwegian|speaker)",
          r"\bmorsmålsnivå\b"),
    _rule("ethnicity", "Krav eller ønske om etnisitet, hudfarge eller nasjonal opprinnelse",
          r"\betnisk\s+norsk", r"\bnorskfødt", r"\bfødt\s+i\s+norge", r"\bkun\s+nordmenn", r"\bikke\s+innvandrer",
          r"\bhvit(?:e)?\s+(?:person|søker|kandidat|mann|kvinne|ansatt)", r"\bnorsk\s+bakgrunn",
          r"\bvestlig\s+bakgrunn", r"\bethnic(?:ally)?\s+norwegian"),
    _rule("religion", "Krav eller ønske om religion eller livssyn",
          r"\b(?:må|bør)\s+være\s+(?:kristen|muslim|troende)", r"\bkristen\s+(?:søker|kandidat|bakgrunn)",
          r"\bikke\s+(?:muslim|religiøs)", r"\bhijab\s+(?:ikke|er\s+ikke)", r"\buten\s+(?:hijab|hodeplagg)"),
    _rule("gender", "Krav eller ønske om kjønn",
          r"\bvi\s+søker\s+(?:en\s+)?(?:mann|kvinne|dame|jente|gutt)\b", r"\bkun\s+(?:menn|kvinner|damer|jenter|gutter)\b",
          r"\bmannlig(?:e)?\s+(?:søker|kandidat|medarbeider)", r"\bkvinnelig(?:e)?\s+(?:søker|kandidat|medarbeider)",
          r"\bspreke\s+gutter\b", r"\bjenter\s+søkes\b", r"\bgutter\s+søkes\b"),
    _rule("age", "Krav eller ønske om alder",
          r"\b(?:under|over|maks(?:imum)?|ikke\s+eldre\s+enn)\s+\d{2}\s*år", r"\bmellom\s+\d{2}\s+og\s+\d{2}\s*år",
          r"\b\d{2}\s*-\s*\d{2}\s*år\b", r"\bung(?:e)?\s+(?:og\s+\w+\s+)?(?:medarbeider|søker|kandidat|person)",
          r"\byngre\s+(?:medarbeider|søker|kandidat|person)", r"\bung\s+og\s+sprek\b"),
)


@dataclass(frozen=True)
class WordingHit:
    rule: str
    reason: str
    text: str


def check_texts(*texts: str | None) -> list[WordingHit]:
    """Every rule that matches, once, with the words that matched."""
    hits = []
    joined = "\n".join(t for t in texts if t)
    for rule in RULES:
        match = rule.pattern.search(joined)
        if match:
            hits.append(WordingHit(rule.key, rule.reason, match.group(0)))
    return hits
