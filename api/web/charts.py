"""Chart geometry for server-rendered inline SVG: plain data in, shapes out; the templates draw them.
No JavaScript library, and a text equivalent goes next to each chart."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from api.web.labels import MONTHS

PLANNING_DAYS = 365
PALETTE = ("#1f6fb2", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")
HELD_COLOR = "#9aa5b1"  # a job the candidate already holds: fixed, not a proposal


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
    """One job in the year: left/right in pixels, top/height from its share of full time."""

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
    share of full time. Jobs at the same time stack, so 50 % + 50 % fills the height and a summer job
    plus a winter job sit side by side. `jobs`: dicts with key, title, fte, start, end (None = open) and
    optionally color (jobs the candidate already holds are drawn grey, see `HELD_COLOR`)."""
    top, bottom_labels = 6, 20
    left, right = 46, 4
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

    placed: list[tuple[date, date, float, float]] = []  # start, end, low percent, high percent
    bands = []
    for i, job in enumerate(sorted(jobs, key=lambda j: (j["start"], -j["fte"]))):
        start = max(job["start"], plan_start)
        end = min(job["end"] or plan_end, plan_end)
        overlapping = [p for p in placed if p[0] <= end and start <= p[1]]
        low = 0.0
        for candidate in sorted({0.0, *(p[3] for p in overlapping)}):
            if all(candidate + job["fte"] <= p[2] or candidate >= p[3] for p in overlapping):
                low = candidate
                break
        placed.append((start, end, low, low + job["fte"]))
        bands.append(Band(str(job["key"]), job["title"], job["fte"], job["start"], job["end"], x_of(start),
                          max(2.0, x_of(end) - x_of(start)), y_of(low + job["fte"]), plot_height * job["fte"] / 100,
                          job.get("color") or PALETTE[i % len(PALETTE)]))
    return YearStrip(width, top + plot_height + bottom_labels, left, top, plot_height, months, bands, y_of(wanted_fte),
                     wanted_fte, plan_start, gridlines=[(p, y_of(p)) for p in (0, 50, 100)])
