"""The diversity barometer (mangfoldsbarometer): the default question set and the profile rule.

The profile opens the conversation and helps pick a solution; like the rest of the barometer it
describes the employer, never a candidate, and matching reads only the profile level."""

from dataclasses import dataclass

TITLE = "Mangfoldsbarometer, versjon 1"

# key, text, answer_type, scale_min, scale_max, follow_up_of
QUESTIONS: list[tuple] = [
    ("immigrant_employees", "Hvor mange ansatte med innvandrerbakgrunn har dere?", "number", None, None, None),
    ("employees_total", "Hvor mange ansatte har dere i alt?", "number", None, None, None),
    ("many_immigrant_applicants", "Søker mange med innvandrerbakgrunn på stillingene deres?", "yes_no", None, None, None),
    ("has_diversity_policy", "Har dere en mangfoldspolicy eller et program for moderat kvotering?", "yes_no", None, None, None),
    ("diversity_policy_details", "Hva inneholder policyen, og hvordan følges den opp?", "text", None, None,
     "has_diversity_policy"),
    ("attitude_to_hiring", "Hva tenker dere om å ansette personer med innvandrerbakgrunn, eller om mangfoldsarbeid? "
     "(1 = svært skeptisk, 5 = svært positiv)", "scale", 1, 5, None),
    ("knowledge_of_diversity", "Hva vet dere om etnisk mangfold? (1 = lite, 5 = mye)", "scale", 1, 5, None),
    ("knew_unemployment_gap", "Visste dere at arbeidsledigheten er 3-4 ganger høyere blant innvandrere i Norge?",
     "yes_no", None, None, None),
    ("comments", "Oppfølgingsspørsmål og kommentarer", "text", None, None, None),
]


@dataclass(frozen=True)
class BarometerProfile:
    level: str  # none | some | experienced | unknown
    label: str
    rule: str


LEVEL_LABELS = {
    "experienced": "Erfaren med mangfold",
    "some": "Noe erfaring med mangfold",
    "none": "Lite erfaring med mangfold",
    "unknown": "Ikke kartlagt",
}


def profile(answers: dict[str, object]) -> BarometerProfile:
    """experienced: at least 10 % of staff (or 5 people) with an immigrant background, and a
    diversity policy or an attitude of 4-5; some: anyone with an immigrant background, many
    such applicants, or a policy; none: otherwise; unknown: not asked."""
    if not answers:
        return BarometerProfile("unknown", LEVEL_LABELS["unknown"], "Barometeret er ikke tatt opp.")
    immigrants = answers.get("immigrant_employees")
    total = answers.get("employees_total")
    policy = answers.get("has_diversity_policy") is True
    attitude = answers.get("attitude_to_hiring")
    many_applicants = answers.get("many_immigrant_applicants") is True
    share = immigrants / total if isinstance(immigrants, (int, float)) and total else None
    substantial = (isinstance(immigrants, (int, float)) and immigrants >= 5) or (share is not None and share >= 0.10)
    if substantial and (policy or (isinstance(attitude, (int, float)) and attitude >= 4)):
        return BarometerProfile(
            "experienced", LEVEL_LABELS["experienced"],
            "Minst 10 % (eller 5) ansatte med innvandrerbakgrunn, og mangfoldspolicy eller holdning 4-5.",
        )
    if (isinstance(immigrants, (int, float)) and immigrants >= 1) or many_applicants or policy:
        return BarometerProfile(
            "some", LEVEL_LABELS["some"],
            "Har ansatte eller mange søkere med innvandrerbakgrunn, eller en mangfoldspolicy.",
        )
    return BarometerProfile("none", LEVEL_LABELS["none"], "Ingen ansatte med innvandrerbakgrunn, få slike søkere og ingen policy.")
