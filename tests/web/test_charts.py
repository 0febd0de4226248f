"""The year drawn as twelve months: jobs at the same time stack, jobs at different times sit side by side."""

from datetime import date

from api.web.charts import horizontal_bars, year_strip

START = date(2027, 1, 1)


def test_two_half_time_jobs_at_once_stack_to_a_full_year():
    strip = year_strip(START, [dict(key=1, title="Renholder", fte=50, start=START, end=None),
                               dict(key=2, title="Kantine", fte=50, start=START, end=None)], 100)
    a, b = strip.bands
    assert [m.label for m in strip.months][:2] == ["jan 27", "feb"] and len(strip.months) == 12
    assert a.x == b.x and a.width == b.width  # both the whole year
    assert a.height == b.height == strip.plot_height / 2
    assert {a.y, b.y} == {strip.top, strip.top + strip.plot_height / 2}  # one above the other, no overlap
    assert strip.wanted_y == strip.top  # the wanted 100 % line at the top


def test_a_summer_and_a_winter_job_sit_side_by_side():
    summer = dict(key="s", title="Hotell", fte=100, start=date(2027, 5, 1), end=date(2027, 8, 31))
    winter = dict(key="w", title="Skisenter", fte=100, start=date(2027, 11, 1), end=None)
    strip = year_strip(START, [winter, summer], 100)
    by_key = {b.key: b for b in strip.bands}
    assert by_key["s"].y == by_key["w"].y == strip.top  # both full height, from the bottom
    assert by_key["s"].x + by_key["s"].width < by_key["w"].x  # summer ends before winter starts
    assert by_key["s"].color != by_key["w"].color


def test_a_job_starting_before_the_plan_year_is_clipped_to_it():
    strip = year_strip(START, [dict(key=1, title="Vakt", fte=60, start=date(2026, 6, 1), end=date(2027, 3, 1))], 60)
    (band,) = strip.bands
    assert band.x == strip.left
    assert round(band.height) == round(strip.plot_height * 0.6)


def test_bars_scale_to_the_largest_value():
    chart = horizontal_bars([("a", 10), ("b", 5), ("c", 0)])
    assert chart.bars[0].width == 2 * chart.bars[1].width and chart.bars[2].width == 0
    assert chart.total == 15


def test_the_daily_sum_is_drawn_so_a_job_never_floats_above_one_that_ended():
    """A 25 % job until March and a 50 % job all year: from April the 50 % job sits at 0-50 %, where
    before it floated at 25-75 % and read as 75 %."""
    small = dict(key="s", title="Kiosk", fte=25, start=START, end=date(2027, 3, 31))
    half = dict(key="h", title="Renhold", fte=50, start=date(2027, 1, 10), end=None)
    strip = year_strip(START, [half, small], 100)
    bottom = strip.top + strip.plot_height
    pieces = sorted((b for b in strip.bands if b.key == "h"), key=lambda b: b.x)
    assert len(pieces) == 2
    early, late = pieces
    assert round(early.y + early.height, 1) == round(bottom - strip.plot_height * 0.25, 1)  # on top of the 25 %
    assert round(late.y + late.height, 1) == bottom and round(late.height) == round(strip.plot_height / 2)
    assert late.x >= [b for b in strip.bands if b.key == "s"][0].x + [b for b in strip.bands if b.key == "s"][0].width - 1
    assert sum(b.labelled for b in pieces) == 1  # "50 %" written once, on the wider piece
    # On every day the top of the stack is the day's sum: never more than 25 + 50.
    assert min(b.y for b in strip.bands) >= bottom - strip.plot_height * 0.75 - 0.01


def test_an_on_call_job_is_marked_as_such():
    regular = dict(key="r", title="Butikk", fte=50, start=START, end=None)
    on_call = dict(key="t", title="Tilkallingsvikar", fte=50, start=START, end=None, on_call=True)
    strip = year_strip(START, [regular, on_call], 100)
    by_key = {b.key: b for b in strip.bands}
    assert by_key["t"].on_call and not by_key["r"].on_call
