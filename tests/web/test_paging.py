"""The paging helper alone: which page a list shows, the numbers linked, and links that keep the
search and filters but not a one-time notice."""

from starlette.requests import Request

from api.web.paging import pager


def _request(query: str, path: str = "/app/kandidater") -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": []})


def test_a_page_in_the_middle_shows_its_rows_and_links_keep_the_search():
    paging = pager(_request("sok=Hansen&klar=ja&side=2&lagret=registrert"), total=321)
    assert (paging.number, paging.pages, paging.first, paging.last) == (2, 7, 51, 100)
    assert paging.rows(list(range(321))) == list(range(50, 100))
    assert paging.href(3) == "/app/kandidater?sok=Hansen&klar=ja&side=3"
    assert paging.href(1) == "/app/kandidater?sok=Hansen&klar=ja"  # page 1 is the list's own address
    assert paging.numbers == [1, 2, 3, 4, None, 7]


def test_far_pages_are_left_out_and_a_gap_of_one_page_is_shown():
    assert pager(_request("side=10"), total=1000).numbers == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert pager(_request("side=4"), total=1000).numbers == [1, 2, 3, 4, 5, 6, None, 20]


def test_a_page_out_of_range_or_not_a_number_shows_the_nearest_page():
    assert pager(_request("side=99"), total=321).number == 7
    assert pager(_request("side=0"), total=321).number == 1
    assert pager(_request("side=to"), total=321).number == 1
    empty = pager(_request(""), total=0)
    assert (empty.pages, empty.first, empty.last, empty.rows([])) == (1, 0, 0, [])


def test_a_list_shown_again_after_a_post_elsewhere_links_to_the_list():
    paging = pager(_request("", path="/app/brukere/7/reset-password"), total=120, path="/app/brukere")
    assert paging.href(2) == "/app/brukere?side=2"
