"""Held jobs that break the rules (a pipeline start on top of recorded jobs, a lowered wanted
share) still reach matching as pieces that keep them, so a run never fails on them and the
candidate stays full on those days."""

from datetime import date

from placement.held_jobs import HeldJob, fit_held_jobs, year_filled_percent

JAN, DEC = date(2027, 1, 1), date(2027, 12, 31)


def job(n, fte, start, end=None):
    return HeldJob("recorded", n, 1, None, f"Arbeidsgiver {n}", None, fte, start, end)


def test_consistent_jobs_are_one_piece_each():
    jobs = [job(1, 50, JAN), job(2, 50, date(2027, 3, 1), date(2027, 8, 31))]
    assert fit_held_jobs(jobs, 100, JAN, DEC) == [(jobs[0], JAN, DEC, 50),
                                                  (jobs[1], date(2027, 3, 1), date(2027, 8, 31), 50)]


def test_too_much_share_is_cut_to_what_is_left_day_by_day():
    early, late = job(1, 60, JAN, date(2027, 6, 30)), job(2, 80, date(2027, 4, 1))
    pieces = fit_held_jobs([early, late], 100, JAN, DEC)
    assert pieces == [(early, JAN, date(2027, 6, 30), 60),
                      (late, date(2027, 4, 1), date(2027, 6, 30), 40),
                      (late, date(2027, 7, 1), DEC, 80)]
    for day in (date(2027, 5, 1), date(2027, 9, 1)):  # never above the wanted share
        assert sum(f for _, s, e, f in pieces if s <= day <= e) <= 100


def test_a_third_job_at_once_is_left_out_on_those_days():
    a, b, c = job(1, 25, JAN), job(2, 25, JAN), job(3, 25, date(2027, 6, 1))
    pieces = fit_held_jobs([a, b, c], 100, JAN, DEC)
    assert [p[0].id for p in pieces] == [1, 2]


def test_year_filled_counts_each_day_up_to_the_wanted_share():
    assert year_filled_percent([job(1, 100, JAN)], 50, JAN) == 100.0
    assert year_filled_percent([job(1, 50, JAN, date(2027, 7, 1))], 100, JAN) == round(100 * 50 * 182 / 36500, 1)
    assert year_filled_percent([], 100, JAN) == 0.0
