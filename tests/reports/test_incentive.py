"""The funder's incentive: 6 and 12 months in full-time work, possibly with more than one employer."""

from datetime import date

from placement.held_jobs import HeldJob
from reports.incentive import MET, NOT_MET, NOT_YET, full_time_runs, milestone_status


def job(fte, start, end=None, employer="A"):
    return HeldJob("recorded", 0, 1, None, employer, None, fte, start, end)


def test_two_half_time_jobs_with_two_employers_are_full_time_together():
    jobs = [job(50, date(2026, 1, 1), employer="Rema"), job(50, date(2026, 1, 1), date(2026, 9, 30), employer="Renhold")]
    runs = full_time_runs(jobs, date(2026, 12, 31))
    assert runs == [(date(2026, 1, 1), date(2026, 9, 30))]
    assert milestone_status(runs, 6, date(2026, 12, 31), still_in=False) == MET
    assert milestone_status(runs, 12, date(2026, 12, 31), still_in=False) == NOT_MET


def test_a_gap_breaks_the_run_and_an_ongoing_run_is_not_yet():
    jobs = [job(100, date(2026, 1, 1), date(2026, 3, 31)), job(100, date(2026, 4, 2))]
    as_of = date(2026, 8, 1)
    runs = full_time_runs(jobs, as_of)
    assert runs == [(date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 2), as_of)]
    assert milestone_status(runs, 6, as_of, still_in=False) == NOT_YET  # in full-time work: can still be met
    assert milestone_status(full_time_runs(jobs, date(2026, 10, 1)), 6, date(2026, 10, 1), still_in=False) == MET


def test_part_time_alone_never_counts_and_a_leaver_has_not_met_it():
    runs = full_time_runs([job(80, date(2025, 1, 1))], date(2026, 12, 31))
    assert runs == []
    assert milestone_status(runs, 6, date(2026, 12, 31), still_in=True) == NOT_YET
    assert milestone_status(runs, 6, date(2026, 12, 31), still_in=False) == NOT_MET
