"""NAV's public job feed: from saved files, and over HTTP with paging, ETag and If-Modified-Since."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlmodel import Session, select

from api.cli import main
from employers.models import Employer, Vacancy
from nav.feed import FileSource, HttpSource, import_feed
from nav.models import NavAd
from tests.nav.conftest import ORG_A, ORG_NEW, ORG_OTHER


def entry(uuid: str, *, orgnr=ORG_NEW, status="ACTIVE", postal="0580", code="9112.01", extent="Heltid", **content):
    ad = {"uuid": uuid, "published": "2027-01-04T08:00:00+01:00", "expires": "2027-12-31T00:00:00+01:00",
          "workLocations": [{"country": "NORGE", "postalCode": postal, "city": "OSLO", "municipal": "OSLO"}],
          "contactList": [{"name": "Per Planlegger", "email": "per@bygg.example", "phone": "40000001", "title": "Leder"}],
          "title": "Renholder i barnehage", "description": "<p>Renhold av barnehage på dagtid.</p>",
          "applicationDue": "2027-02-01", "categoryList": [{"categoryType": "STYRK08NAV", "code": code, "name": "Renholder"}],
          "employer": {"name": f"Bedrift {orgnr}", "orgnr": orgnr}, "engagementtype": "Fast", "extent": extent,
          "starttime": "Etter avtale", "positioncount": "1", "sector": "Privat"} | content
    return {"uuid": uuid, "ad_content": ad, "sistEndret": "2027-01-04T08:00:00+01:00", "status": status}


def item(uuid: str, status="ACTIVE", municipal="OSLO"):
    return {"id": uuid, "url": f"/api/v1/feedentry/{uuid}", "title": "Renholder", "date_modified": "2027-01-04T08:00:00Z",
            "_feed_entry": {"uuid": uuid, "status": status, "title": "Renholder", "businessName": "Bedrift",
                            "municipal": municipal, "sistEndret": "2027-01-04T08:00:00Z"}}


def page(items, next_url=None, page_id="p1"):
    return {"version": "https://jsonfeed.org/version/1.1", "title": "Arbeidsplassen.no Jobbstillinger",
            "feed_url": f"/api/v1/feed/{page_id}", "id": page_id, "next_url": next_url,
            "next_id": next_url and next_url.rsplit("/", 1)[-1], "items": items}


def _write(tmp_path, name, body):
    (tmp_path / name).write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")


def test_feed_from_files_adds_active_ads_and_closes_inactive_ones(engine, tmp_path):
    _write(tmp_path, "1-page.json", page([item("u-1"), item("u-2"), item("u-3", municipal="BERGEN")]))
    _write(tmp_path, "e1.json", entry("u-1"))
    _write(tmp_path, "e2.json", entry("u-2", orgnr=ORG_OTHER, code="2512.01", title="Utvikler"))
    _write(tmp_path, "e3.json", entry("u-3", postal="5254"))
    with Session(engine) as s:
        from nav.feed import FEED_ACTOR, set_rules

        set_rules(s, {"occupation_prefixes": ["91"], "municipality_codes": ["0301"], "min_fte": None,
                      "max_fte": None}, FEED_ACTOR)
        s.commit()
    stats = import_feed(engine, FileSource([tmp_path]), feed_key="files")
    assert (stats.items, stats.added, stats.skipped_by_rules, stats.employers_added) == (3, 1, 2, 1)
    with Session(engine) as s:
        vacancy = s.exec(select(Vacancy)).one()
        assert vacancy.source == "nav_feed" and vacancy.municipality_code == "0301"
        assert vacancy.occupation_code == "9112" and vacancy.fte == 100
        assert vacancy.start is None and vacancy.status == "draft"  # "Etter avtale": unknown, never invented
        assert vacancy.contacts[0]["name"] == "Per Planlegger"
        employer = s.get(Employer, vacancy.employer_id)
        assert employer.status == "potential" and employer.organisation_number == ORG_NEW

    # the same page again: unchanged; then the ad turns inactive: closed, contact data gone
    assert import_feed(engine, FileSource([tmp_path]), feed_key="files").unchanged == 1
    inactive = tmp_path / "inactive"
    inactive.mkdir()
    _write(inactive, "2-page.json", page([item("u-1", status="INACTIVE")], page_id="p2"))
    assert import_feed(engine, FileSource([inactive]), feed_key="files").closed == 1
    with Session(engine) as s:
        vacancy = s.exec(select(Vacancy)).one()
        assert vacancy.status == "closed" and vacancy.contacts == []
        assert "contactList" not in vacancy.raw_payload


def test_feed_import_command_reads_saved_files(engine, tmp_path, capsys, monkeypatch):
    _write(tmp_path, "page.json", page([item("c-1")]))
    _write(tmp_path, "entry.json", entry("c-1", orgnr=ORG_A))
    assert main(["feed", "import", str(tmp_path), "--database-url", str(engine.url)]) == 0
    out = capsys.readouterr().out
    assert "nye stillinger: 1" in out and "nye arbeidsgivere (potensielle): 1" in out


class _Feed(BaseHTTPRequestHandler):
    pages: dict = {}
    entries: dict = {}
    seen: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.seen.append((self.path, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"),
                          self.headers.get("Authorization")))
        if self.path in self.pages:
            etag = f'"{self.path}-v1"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            body = json.dumps(self.pages[self.path]).encode()
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Mon, 04 Jan 2027 08:00:00 GMT")
        elif self.path in self.entries:
            body = json.dumps(self.entries[self.path]).encode()
            self.send_response(200)
        else:
            body = b"{}"
            self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_feed_over_http_follows_next_url_and_asks_with_etag(engine):
    _Feed.pages = {"/api/v1/feed": page([item("h-1")], next_url="/api/v1/feed/p2"),
                   "/api/v1/feed/p2": page([item("h-2"), item("h-1", status="INACTIVE")], page_id="p2")}
    _Feed.entries = {"/api/v1/feedentry/h-1": entry("h-1"), "/api/v1/feedentry/h-2": entry("h-2", orgnr=ORG_A)}
    _Feed.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api/v1/feed"
        first = import_feed(engine, HttpSource(url, "hemmelig"), feed_key=url)
        assert (first.pages, first.added, first.closed) == (2, 2, 1)
        assert all(auth == "Bearer hemmelig" for *_, auth in _Feed.seen)
        _Feed.seen = []
        second = import_feed(engine, HttpSource(url, "hemmelig"), feed_key=url)
        assert second.not_modified == 1 and second.pages == 0
        # the second run asked for the last page, with its ETag and Last-Modified
        assert _Feed.seen[0] == ("/api/v1/feed/p2", '"/api/v1/feed/p2-v1"', "Mon, 04 Jan 2027 08:00:00 GMT",
                                 "Bearer hemmelig")
    finally:
        server.shutdown()
        server.server_close()
    with Session(engine) as s:
        ads = {a.reference: a for a in s.exec(select(NavAd))}
        assert s.get(Vacancy, ads["h-1"].vacancy_id).status == "closed"
        assert s.get(Vacancy, ads["h-2"].vacancy_id).source == "nav_feed"
