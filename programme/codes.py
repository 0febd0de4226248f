"""The shipped code lists (version 1), as the programmes report them. Pure data: the database holds
them as a versioned list (`programme.models.ProgrammeCodeList`); an admin may publish a new version,
and every referral and exit keeps the version its code was chosen from.

Kinds:
- criterion: the national intake criteria, a checklist at referral (a project adds local ones as data);
- refusal: why a referred person was not taken in;
- completed / interrupted: why a participant left, in two groups never blurred."""

# key -> (label, free text required)
CRITERIA: dict[str, tuple[str, bool]] = {
    "age": ("Alder innenfor programmets ramme (18–55 år)", False),
    "target_group": ("I målgruppen (innvandrer, langvarig utenfor arbeidslivet)", False),
    "residence": ("Lang nok botid i Norge", False),
    "social_assistance": ("Lang nok tid på sosialhjelp (langtidsmottaker)", False),
    "no_disability_benefit": ("Mottar ikke uføretrygd", False),
    "needs_programme": ("Har behov for et kvalifiseringsløp mot arbeid", False),
    "full_day": ("Kan delta i et helårig fulltidsprogram (barnepass ordnet)", False),
    "motivated": ("Motivert for arbeid", False),
}
REFUSAL: dict[str, tuple[str, bool]] = {
    "referred_elsewhere": ("Henvist til annet tiltak", False),
    "found_work_or_education": ("Fikk arbeid eller utdanning", False),
    "self_supporting": ("Selvforsørget", False),
    "no_show": ("Møtte ikke", False),
    "moved": ("Flyttet", False),
    "no_childcare": ("Mangler barnepass", False),
    "disability_benefit": ("Uføretrygd", False),
    "short_residence": ("For kort botid", False),
    "short_social_assistance": ("For kort tid på sosialhjelp", False),
    "no_need": ("Ikke behov", False),
    "other": ("Annet", True),
}
COMPLETED: dict[str, tuple[str, bool]] = {
    "to_work": ("Til arbeid", False),
    "to_education": ("Til utdanning", False),
    "to_other_measures": ("Til andre tiltak", False),
}
INTERRUPTED: dict[str, tuple[str, bool]] = {
    "childbirth": ("Fødsel", False),
    "unauthorised_absence": ("Ugyldig fravær", False),
    "moved": ("Flyttet", False),
    "referred_elsewhere": ("Henvist til annet tiltak", False),
    "full_day_too_much": ("Klarte ikke et fulltidsprogram", False),
    "other": ("Annet", True),
}
DEFAULT_LISTS: dict[str, dict[str, tuple[str, bool]]] = {
    "criterion": CRITERIA, "refusal": REFUSAL, "completed": COMPLETED, "interrupted": INTERRUPTED,
}
