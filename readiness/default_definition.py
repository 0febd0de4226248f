"""The shipped checklist: the agency's nine criteria for "formidlingsklar" as gates, and the
staircase's other steps as weighted items (DOMAIN.md section 2).

Each criterion is marked in the description as (kriterium N). Steps 6 (in recruitment) and 7
(in work) are not checklist steps: they follow from being formidlingsklar and from the
programme status.

Two editions. `ITEMS_V1` is the first one shipped, kept because databases that hold it must be
able to recognise it (versions never change once created). `ITEMS` is the current edition; it
follows the agency's method (issue 11):
- "Klar for heltidsarbeid" reads as ready for work in the share of full time the candidate
  wants: success is measured in the wanted share of a year, and combined part-time contracts are
  the method, not a lesser outcome. Criterion 8 likewise.
- The police certificate and vaccination records are *tasks*: documents the candidate gets within
  days when an employer asks, after the interview and before the start. They are listed as
  missing for the candidate, but never count in the score, the gates or the step, so they cannot
  make a candidate non-formidlingsklar (the employer's background check comes after the
  interview; a vacancy that wants them before the interview says so and matching applies it).
"""

TITLE_V1 = "Formidlingsklar: felles definisjon, versjon 1"
TITLE = "Formidlingsklar: felles definisjon, utgave 2 (ønsket stillingsandel; attester før oppstart)"
READY_THRESHOLD = 80

# key, label, description, kind, weight, evidence_required, expiry_days, actor, step
ITEMS_V1: list[tuple] = [
    # Step 1: basic preparations
    ("intake_assessment", "Inntaksvurdering gjennomført",
     "Kartlegging ved inntak er gjort og dokumentert (kriterium 1).", "gate", 10, True, None, "staff", 1),
    ("police_certificate", "Politiattest",
     "Gyldig politiattest/vandelsattest. Eldre enn 90 dager regnes som utløpt.", "weighted", 5, True, 90,
     "candidate", 1),
    ("vaccinations", "Vaksinasjonsprogram dokumentert",
     "Vaksiner som jobber i helse, omsorg og barnehage krever, er dokumentert.", "weighted", 3, True, None,
     "candidate", 1),
    ("drug_free", "Rusfri", "Bekreftet av veileder. Detaljer føres ikke her.", "weighted", 3, False, None,
     "staff", 1),
    # Step 2: basic competence documented
    ("cv_and_references", "CV og referanser",
     "Kan skrive søknad og CV, eller har fått en laget i programmet; referanser er innhentet (kriterium 4).",
     "gate", 10, True, None, "candidate", 2),
    ("job_certificates", "Sertifikater jobben krever",
     "Førerkort klasse B for varelevering, truckførerbevis for lager, fagbrev for renhold o.l.",
     "weighted", 5, True, None, "candidate", 2),
    ("email_attachments", "E-post med vedlegg",
     "Kan sende og motta e-post med vedlegg (kriterium 5).", "gate", 5, False, None, "candidate", 2),
    ("norwegian_for_work", "Norsk for arbeidslivet",
     "Snakker og forstår norsk godt nok for arbeidslivet og jobben; Norskprøve-resultat som dokumentasjon "
     "(kriterium 3).", "gate", 15, True, None, "candidate", 2),
    # Step 3: labour-market understanding
    ("labour_market_actors", "Kjenner aktørene i arbeidsmarkedet",
     "Vet hva bemanningsbyråer, NAV og arbeidsgivere gjør.", "weighted", 3, False, None, "staff", 3),
    ("employer_expectations", "Kjenner arbeidsgivers forventninger",
     "Oppmøte, språk, samarbeid, normer på arbeidsplassen.", "weighted", 3, False, None, "staff", 3),
    ("realistic_goals", "Realistiske mål", "Har realistiske mål for yrke og stillingsandel.", "weighted", 3,
     False, None, "staff", 3),
    ("motivation_full_position", "Motivert for lønnet arbeid",
     "Er genuint motivert for en hel stilling i lønnet arbeid (kriterium 8).", "gate", 10, False, None,
     "candidate", 3),
    # Step 4: job-seeker behaviour
    ("interview_technique", "Intervjutrening",
     "Har trent intervjuteknikk og kan opptre profesjonelt i intervju (kriterium 6).", "gate", 10, False, None,
     "consultant", 4),
    ("keeps_appointments", "Holder avtaler", "Møter til avtalt tid, gir beskjed ved forfall.", "weighted", 3,
     False, None, "candidate", 4),
    ("shows_initiative", "Viser initiativ", "Tar kontakt selv, følger opp søknader.", "weighted", 3, False, None,
     "candidate", 4),
    # Step 5: job-specific skills
    ("work_practice", "Arbeidspraksis",
     "Praksisplass eller opplæring med lønnstilskudd er gjennomført.", "weighted", 5, True, None, "staff", 5),
    ("employer_assessment", "Vurdering fra arbeidsgiver",
     "Dokumentert vurdering fra praksisplass: oppmøte, instruksjoner, selvstendighet, samarbeid.", "weighted",
     5, True, None, "staff", 5),
    ("qualifications_documented", "Kvalifikasjoner dokumentert",
     "Kan presentere kvalifikasjoner fullstendig og troverdig: referanser, kurs, utdanning, praksis "
     "(kriterium 7).", "gate", 10, True, None, "consultant", 5),
    ("programme_completed", "Klar for heltidsarbeid",
     "Har fullført kvalifiseringsprogrammet og er klar for arbeid på heltid (kriterium 2).", "gate", 10, True,
     None, "staff", 5),
    ("no_other_obstacles", "Ingen andre hindringer",
     "Ingen flytteplaner, pågående utdanning, manglende barnepass, vaksiner, førerkort eller helse som hindrer "
     "(kriterium 9). Detaljer om helse føres ikke her.", "gate", 10, False, None, "staff", 5),
]


_CURRENT = {
    "police_certificate": (
        "police_certificate", "Politiattest",
        "Hentes når arbeidsgiver ber om den, normalt etter intervjuet og før oppstart. Gyldig i 90 dager. "
        "En oppgave før oppstart, ikke et krav for å være formidlingsklar.", "task", 0, True, 90, "candidate", 1),
    "vaccinations": (
        "vaccinations", "Vaksinasjonsprogram dokumentert",
        "Vaksiner som jobber i helse, omsorg og barnehage krever, dokumenteres (utskrift fra helsenorge.no) før "
        "oppstart. En oppgave før oppstart, ikke et krav for å være formidlingsklar.", "task", 0, True, None,
        "candidate", 1),
    "motivation_full_position": (
        "motivation_full_position", "Motivert for lønnet arbeid",
        "Er genuint motivert for lønnet arbeid i den stillingsandelen kandidaten selv ønsker (kriterium 8).",
        "gate", 10, False, None, "candidate", 3),
    "programme_completed": (
        "programme_completed", "Klar for arbeid i ønsket stillingsandel",
        "Har fullført kvalifiseringsprogrammet og er klar for arbeid i den andelen av full stilling kandidaten "
        "selv ønsker, også satt sammen av flere deltids- eller sesongjobber (kriterium 2).", "gate", 10, True,
        None, "staff", 5),
    "no_other_obstacles": (
        "no_other_obstacles", "Ingen andre hindringer",
        "Ingen flytteplaner, pågående utdanning, manglende barnepass, førerkort eller helse som hindrer "
        "(kriterium 9). Politiattest og vaksinasjonsdokumentasjon hentes før oppstart og hindrer ikke. "
        "Detaljer om helse føres ikke her.", "gate", 10, False, None, "staff", 5),
}
ITEMS: list[tuple] = [_CURRENT.get(item[0], item) for item in ITEMS_V1]
