"""Jobs a candidate already holds are fixed occupancy (issue 11, section 3), and documents the
candidate can get within days do not hide a pair (section 4). Tiny instances, real solver, the
validator on every result (`solve_valid`)."""

from datetime import date

from matching.eligibility import pair_failures
from matching.explain import explain_pair, unlock_suggestions
from matching.present import proposal_rows
from matching.shortlist import shortlists
from tests.matching.helpers import cand, problem, proposed, solve_valid, vac

SPRING_END = date(2027, 6, 30)
AUTUMN = date(2027, 7, 1)


def test_a_held_50_job_leaves_room_for_another_50_job_in_the_same_period():
    p = problem([cand("anna", desired_fte=100)],
                [vac("held", fte=50, held_by="anna"), vac("new50", fte=50), vac("new100", fte=100)])
    result = solve_valid(p)
    assert proposed(p, result) == [("anna", "held"), ("anna", "new50")]
    rows = proposal_rows(p, result)
    # The held job is no proposal, but its days count: 50 % + 50 % all year is a full year.
    assert [r.vacancy_id for r in rows] == ["new50"]
    assert rows[0].year_coverage == 100.0


def test_the_held_job_counts_against_the_wanted_share():
    # Wanting 75 % and holding 50 %: a further 50 % job would exceed the share, 25 % fits.
    p = problem([cand("anna", desired_fte=75)],
                [vac("held", fte=50, held_by="anna"), vac("new50", fte=50), vac("new25", fte=25)])
    result = solve_valid(p)
    assert proposed(p, result) == [("anna", "held"), ("anna", "new25")]


def test_two_held_jobs_on_some_days_leave_nothing_on_those_days():
    # Two 25 % jobs in spring: the at-most-2 rule leaves no room in spring although 50 % is free.
    # A 25 % job all year does not fit; an autumn job does.
    p = problem([cand("anna", desired_fte=100)],
                [vac("held1", fte=25, end=SPRING_END, held_by="anna"),
                 vac("held2", fte=25, end=SPRING_END, held_by="anna"),
                 vac("all_year", fte=25), vac("spring", fte=50, end=SPRING_END),
                 vac("autumn", fte=100, start=AUTUMN)])
    result = solve_valid(p)
    assert proposed(p, result) == [("anna", "autumn"), ("anna", "held1"), ("anna", "held2")]
    assert pair_failures(p, 0, p.vacancy_index()["all_year"]) == []  # eligible, but no room on the days


def test_a_held_job_is_nobody_elses_and_never_shortlisted():
    p = problem([cand("anna", desired_fte=50), cand("bo", desired_fte=100)],
                [vac("held", fte=50, held_by="anna"), vac("open", fte=50)])
    assert pair_failures(p, 1, 0) == ["held"]
    result = solve_valid(p)
    assert ("bo", "held") not in proposed(p, result)
    assert ("anna", "held") in proposed(p, result)
    lists = shortlists(p, pairs=result.pairs, scores=result.scores)
    listed = {p.vacancies.ids[v] for v in lists.pairs.vac[lists.chosen]}
    assert listed == {"open"}
    assert all(s.vacancies >= 1 for s in unlock_suggestions(p))
    assert not [s for s in unlock_suggestions(p) if s.candidate_id == "bo"]


def test_a_held_job_is_a_fact_not_a_proposal_its_own_rules_do_not_apply():
    # Night work the candidate no longer wants, started before their availability date, far away,
    # ending after their availability: still held, still pinned, counted to its own end.
    p = problem([cand("anna", desired_fte=100, hours=("day",), available_from=date(2027, 3, 1),
                      available_to=date(2027, 3, 31), ready=False)],
                [vac("held", fte=50, hours=("night",), end=SPRING_END, at=(60.39, 5.32), held_by="anna")])
    assert pair_failures(p, 0, 0) == []
    result = solve_valid(p)
    assert proposed(p, result) == [("anna", "held")]
    assert result.pairs.end[0] == SPRING_END.toordinal()


def test_police_certificate_missing_keeps_the_pair_and_becomes_a_task():
    vacancies = [vac("care", required_certificates=("police_certificate",)),
                 vac("strict", required_certificates=("police_certificate",), documents_before_interview=True),
                 vac("truck", required_certificates=("truck_licence",))]
    p = problem([cand("anna")], vacancies)
    index = p.vacancy_index()
    assert pair_failures(p, 0, index["care"]) == []
    assert pair_failures(p, 0, index["strict"]) == ["certificates"]  # the employer's own rule
    assert pair_failures(p, 0, index["truck"]) == ["certificates"]  # a licence takes months
    why = explain_pair(p, 0, index["care"], 0.0, 50, {})
    assert why.notes == ["politiattest må hentes før oppstart"]
    assert "politiattest" not in " ".join(why.requirements_met)
    result = solve_valid(p)
    assert proposed(p, result) == [("anna", "care")]
    row = proposal_rows(p, result)[0]
    assert "politiattest må hentes før oppstart" in row.notes and "politiattest må hentes" in row.explanation


def test_an_old_police_certificate_and_missing_vaccination_records_are_tasks_too():
    expired = date(2026, 10, 1)  # valid until: before the job starts
    p = problem([cand("anna", certificates={"police_certificate": expired})],
                [vac("care", required_certificates=("police_certificate", "health_vaccination"))])
    assert pair_failures(p, 0, 0) == []
    assert sorted(explain_pair(p, 0, 0, 0.0, 50, {}).notes) == [
        "politiattest må hentes før oppstart", "vaksinasjonsdokumentasjon må hentes før oppstart"]


def test_a_valid_police_certificate_is_met_not_a_task():
    p = problem([cand("anna", certificates={"police_certificate": None})],
                [vac("care", required_certificates=("police_certificate",))])
    why = explain_pair(p, 0, 0, 0.0, 50, {})
    assert why.notes == [] and "politiattest" in why.requirements_met


def test_unlock_counts_a_licence_even_when_a_document_is_also_missing():
    # Truck licence and police certificate required: only the licence is a hard rule, so the
    # licence alone would open the job.
    p = problem([cand("anna")], [vac("lager", required_certificates=("police_certificate", "truck_licence"))])
    [suggestion] = unlock_suggestions(p)
    assert (suggestion.kind, suggestion.value, suggestion.vacancies) == ("certificate", "truck_licence", 1)


def test_close_follow_up_is_a_note_not_a_lower_score():
    p = problem([cand("anna", wishes=("renholder",))],
                [vac("a", title="Renholder", employer_id="e1"),
                 vac("b", title="Renholder", employer_id="e2", close_follow_up=True)])
    result = solve_valid(p, time_limit=2)
    assert result.scores.total[0] == result.scores.total[1]
    why = explain_pair(p, 0, 1, 0.0, 50, {})
    assert why.notes == ["arbeidsgiver har lite erfaring med mangfold: planlegg tettere oppfølging"]
