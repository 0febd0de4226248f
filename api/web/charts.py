"""Chart geometry for server-rendered inline SVG: plain data in, shapes out; the templates draw them.
No JavaScript library, and a text equivalent goes next to each chart."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from api.web.labels import MONTHS

PLANNING_DAYS = 365
PALETTE = ("#1f6fb2", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")
HELD_COLOR = "#9aa5b1"  # a job the candidate already holds: fixed, not a proposal
HELD_COLORS = (HELD_COLOR, "#6b7885")  # two held jobs side by side or stacked stay two jobs


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    href: str | None = None
    highlight: bool = False


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    label_width: int
    total: int


def horizontal_bars(rows: list[tuple[str, int] | tuple[str, int, str | None, bool]], *, width: int = 560,
                    row_height: int = 26, label_width: int = 250) -> BarChart:
    """One labelled bar per row, scaled to the largest value. A row is (label, value[, href, highlight])."""
    biggest = max((r[1] for r in rows), default=0) or 1
    room = width - label_width - 50  # space for the value after the bar
    bars = []
    for i, row in enumerate(rows):
        text, value = row[0], row[1]
        href = row[2] if len(row) > 2 else None
        highlight = bool(row[3]) if len(row) > 3 else False
        bars.append(Bar(text, value, label_width, i * row_height + 3, room * value / biggest, row_height - 8,
                        href, highlight))
    return BarChart(width, max(1, len(rows)) * row_height, bars, label_width, sum(r[1] for r in rows))


@dataclass(frozen=True)
class MonthTick:
    label: str
    x: float
    width: float


@dataclass(frozen=True)
class Band:
    """One piece of a job in the year: left/right in pixels from its days, top/height from its share of
    full time, stacked on the jobs below it on those days. A job is one piece, or several where the jobs
    under it change (a 25 % job ending lets the 50 % job above it drop to the bottom)."""

    key: str
    title: str
    fte: int
    start: date
    end: date | None
    x: float
    width: float
    y: float
    height: float
    color: str
    on_call: bool = False  # tilkalling: work when called, drawn hatched
    labelled: bool = True  # the job's widest piece carries its "50 %"


@dataclass
class YearStrip:
    width: int
    height: int
    left: int
    top: int
    plot_height: int
    months: list[MonthTick]
    bands: list[Band]
    wanted_y: float
    wanted_fte: int
    plan_start: date
    gridlines: list[tuple[int, float]] = field(default_factory=list)  # (percent, y)


def _add_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def year_strip(plan_start: date, jobs: list[dict], wanted_fte: int, *, width: int = 720,
               plot_height: int = 90) -> YearStrip:
    """The planning year as twelve months, each job a band as wide as its period and as tall as its
    share of full time. On every day the jobs running stack from the bottom, so the top is the day's
    sum: 50 % + 50 % fills the height, a summer job plus a winter job sit side by side, and a job never
    floats above a job that has ended. `jobs`: dicts with key, title, fte, start, end (None = open) and
    optionally color (jobs the candidate already holds are drawn grey, see `HELD_COLOR`) and on_call
    (drawn hatched: work when called, not a fixed share)."""
    top, bottom_labels = 6, 20
    left, right = 58, 4  # room for "100 %" in the larger type a phone gets (app.css)
    plot_width = width - left - right
    plan_end = plan_start + timedelta(days=PLANNING_DAYS)

    def x_of(day: date) -> float:
        offset = min(max((day - plan_start).days, 0), PLANNING_DAYS)
        return left + plot_width * offset / PLANNING_DAYS

    def y_of(percent: float) -> float:  # 0 % at the bottom, 100 % at the top
        return top + plot_height * (1 - min(percent, 100) / 100)

    months, cursor = [], plan_start
    while cursor < plan_end:
        following = min(_add_month(cursor), plan_end)
        if (following - cursor).days >= 10 or not months:  # no label for a sliver of a month at the end
            months.append(MonthTick(MONTHS[cursor.month - 1] + (f" {cursor.year % 100:02d}" if cursor.month == 1
                                                                   or not months else ""),
                                    x_of(cursor), x_of(following) - x_of(cursor)))
        cursor = following

    # The daily sum, stacked: on each stretch of days where the same jobs run, they stack from 0 % in a
    # fixed order, so the top of the stack is the candidate's total share on those days.
    order = sorted(jobs, key=lambda j: (j["start"], -j["fte"], str(j["key"])))
    spans = []
    for i, job in enumerate(order):
        start = max(job["start"], plan_start)
        end = min(job["end"] or plan_end, plan_end)
        if end > start or (end == start and job["end"] is not None):
            spans.append((i, job, start, max(end, start + timedelta(days=1))))
    cuts = sorted({s for _, _, s, _ in spans} | {e for _, _, _, e in spans})
    pieces: dict[int, list[list]] = {}  # job index -> [start, end, low]
    for a, b in zip(cuts, cuts[1:], strict=False):
        low = 0.0
        for i, job, start, end in spans:
            if start <= a and b <= end:
                runs = pieces.setdefault(i, [])
                if runs and runs[-1][1] == a and runs[-1][2] == low:
                    runs[-1][1] = b  # the same height as the day before: one piece
                else:
                    runs.append([a, b, low])
                low += job["fte"]
    bands = []
    for i, job, _start, _end in spans:
        runs = pieces.get(i, [])
        widest = max(range(len(runs)), key=lambda r: (runs[r][1] - runs[r][0]).days) if runs else -1
        for r, (a, b, low) in enumerate(runs):
            top_y = y_of(low + job["fte"])
            bands.append(Band(str(job["key"]), job["title"], job["fte"], job["start"], job["end"], x_of(a),
                              max(2.0, x_of(b) - x_of(a)), top_y, max(0.0, y_of(low) - top_y),
                              job.get("color") or PALETTE[i % len(PALETTE)], bool(job.get("on_call")),
                              r == widest))
    return YearStrip(width, top + plot_height + bottom_labels, left, top, plot_height, months, bands, y_of(wanted_fte),
                     wanted_fte, plan_start, gridlines=[(p, y_of(p)) for p in (0, 50, 100)])
