"""Long lists in pages of 50: which rows a page shows, the "Viser 51–100 av 321" line and the links to
the other pages (macros.html: `pager`, `pager_count`).

A link changes only ?side= and keeps every other query parameter as it came, so a search, the filters
and a sort order survive paging without each page listing them (a one-time notice does not). A page number out of range (the list
shrank since the link was made, or a typed address) shows the nearest page rather than an error."""

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import Request

PER_PAGE = 50
PARAM = "side"
AROUND = 2  # page numbers shown either side of the current one; the first and last are always shown
# Parameters that carry a one-time notice ("Kontakten er logget."): not repeated on the other pages.
ONCE = frozenset({"lagret", "utfort", "bruker", "avbrutt"})

T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    number: int  # 1-based
    total: int
    per_page: int
    path: str
    query: tuple[tuple[str, str], ...]  # the request's other parameters, in their order

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def first(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last(self) -> int:
        return min(self.offset + self.per_page, self.total)

    def rows(self, rows: Sequence[T]) -> list[T]:
        """This page's share of a list that holds them all."""
        return list(rows[self.offset:self.offset + self.per_page])

    def href(self, number: int) -> str:
        query = list(self.query) + ([(PARAM, str(number))] if number > 1 else [])
        return self.path + ("?" + urlencode(query) if query else "")

    @property
    def numbers(self) -> list[int | None]:
        """The page numbers to link, None where a run of them is left out (shown as "…")."""
        near = {1, self.pages, *range(self.number - AROUND, self.number + AROUND + 1)}
        shown = sorted(n for n in near if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] == 2:  # a gap of one page: show that page, not "…"
                out.append(n - 1)
            elif out and n - out[-1] > 2:
                out.append(None)
            out.append(n)
        return out


def pager(request: Request, total: int, per_page: int = PER_PAGE, path: str | None = None) -> Pager:
    """The page ?side= asks for, within 1 .. the last page of `total` rows. `path`: the list's own
    address, where a form posted elsewhere shows the list again (the links must lead to the list)."""
    raw = request.query_params.get(PARAM, "").strip()
    wanted = int(raw) if raw.isdigit() else 1
    pages = max(1, ceil(total / per_page))
    query = tuple((k, v) for k, v in request.query_params.multi_items() if k != PARAM and k not in ONCE)
    return Pager(number=min(max(wanted, 1), pages), total=total, per_page=per_page, path=path or request.url.path,
                 query=query)
