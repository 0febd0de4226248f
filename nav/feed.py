"""NAV's public job feed (pam-stilling-feed): pages linked by `next_url`, each item an ad's latest state.

ACTIVE ads that fit the admin's rules become vacancies marked `nav_feed` (a lead for consultants, never
a customer's order); INACTIVE ads are closed and their contact people removed, as the feed's terms
require. Employers not in the register are added as potential. Pages are fetched with `ETag` and
`If-Modified-Since`, so an unchanged page costs a 304; where the last run stopped is kept."""

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urljoin

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from accounts.service import Principal
from core.errors import DomainError, Invalid
from core.postal import municipality_by_name
from core.types import Role, utcnow
from employers.models import Vacancy
from employers.schemas import VacancyStatus
from nav.models import FeedRules, FeedState
from nav.service import ad_state, employer_id_for, find_employer, nav_ad, store_ad
from nav.translate import AdError, from_feed_entry, translate

log = logging.getLogger("brobygger.nav.feed")
ORIGIN = "feed"
MAX_PAGES = 1000  # per run; the next run goes on from where this one stopped


@dataclass
class FeedStats:
    pages: int = 0
    not_modified: int = 0
    items: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    skipped_by_rules: int = 0
    errors: int = 0
    employers_added: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- rules


def get_rules(session: Session) -> FeedRules:
    return session.exec(select(FeedRules).order_by(FeedRules.id)).first() or FeedRules()


def rules_dict(rules: FeedRules) -> dict:
    return dict(occupation_prefixes=rules.occupation_prefixes, municipality_codes=rules.municipality_codes,
                min_fte=rules.min_fte, max_fte=rules.max_fte, updated_at=rules.updated_at if rules.id else None)


def set_rules(session: Session, values: dict, actor: Principal) -> FeedRules:
    if values.get("min_fte") and values.get("max_fte") and values["min_fte"] > values["max_fte"]:
        raise Invalid("Minste stillingsprosent kan ikke være større enn største.", field="min_fte")
    rules = get_rules(session)
    for key, value in values.items():
        setattr(rules, key, value)
    rules.updated_by, rules.updated_at = actor.user_id, utcnow()
    session.add(rules)
    session.flush()
    return rules


def fits(rules: FeedRules, values: dict) -> bool:
    """Whether an ad fits the programmes: occupation, municipality and share within the rules. An ad whose
    occupation or share is unknown is kept (a consultant can find out)."""
    code = values.get("occupation_code")
    if rules.occupation_prefixes and code and not any(code.startswith(p) for p in rules.occupation_prefixes):
        return False
    if rules.municipality_codes and values.get("municipality_code") not in rules.municipality_codes:
        return False
    fte = values.get("fte")
    if fte is not None and rules.min_fte is not None and fte < rules.min_fte:
        return False
    return not (fte is not None and rules.max_fte is not None and fte > rules.max_fte)


# ---------------------------------------------------------------- sources


@dataclass
class Page:
    url: str
    body: dict
    etag: str | None = None
    last_modified: str | None = None


class FileSource:
    """Saved feed pages and entries (JSON files, or folders of them): pages in name order."""

    def __init__(self, paths: Iterable[str | Path]):
        files: list[Path] = []
        for path in map(Path, paths):
            files.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
        self.pages: list[Page] = []
        self.entries: dict[str, dict] = {}
        for file in files:
            try:
                body = json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise Invalid(f"{file.name}: kan ikke leses som JSON ({exc.__class__.__name__}).", field="file") from None
            if isinstance(body, dict) and "items" in body:
                self.pages.append(Page(str(file), body))
            elif isinstance(body, dict) and "ad_content" in body:
                self.entries[str(body.get("uuid") or body["ad_content"].get("uuid"))] = body
            else:
                raise Invalid(f"{file.name}: verken en feed-side (items) eller en annonse (ad_content).", field="file")

    def pages_from(self, _state: FeedState | None) -> Iterator[Page]:
        yield from self.pages

    def entry(self, item: dict) -> dict | None:
        uuid = (item.get("_feed_entry") or {}).get("uuid") or item.get("id")
        return self.entries.get(str(uuid))


class HttpSource:
    """The feed over HTTP (httpx), from where the last run stopped, with ETag and If-Modified-Since."""

    def __init__(self, url: str, token: str = "", client=None, if_modified_since: str | None = None):
        import httpx

        self.url = url
        self.client = client or httpx.Client(timeout=30, follow_redirects=True)
        self.headers = {"Accept": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
        self.if_modified_since = if_modified_since

    def pages_from(self, state: FeedState | None) -> Iterator[Page]:
        url = (state.next_url if state and state.next_url else None) or self.url
        etag = state.etag if state else None
        modified = (state.last_modified if state else None) or self.if_modified_since
        for _ in range(MAX_PAGES):
            headers = dict(self.headers)
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
            response = self.client.get(url, headers=headers)
            if response.status_code == 304:
                yield Page(url, {"items": [], "next_url": None, "_not_modified": True}, etag, modified)
                return
            response.raise_for_status()
            body = response.json()
            page = Page(url, body, response.headers.get("ETag"), response.headers.get("Last-Modified"))
            yield page
            if not body.get("next_url"):
                return
            url, etag, modified = urljoin(url, body["next_url"]), None, page.last_modified

    def entry(self, item: dict) -> dict | None:
        if not item.get("url"):
            return None
        response = self.client.get(urljoin(self.url, item["url"]), headers=self.headers)
        if response.status_code != 200:
            return None
        return response.json()


# ---------------------------------------------------------------- import


FEED_ACTOR = Principal(Role.admin, None, "brobygger: NAVs stillingsfeed")


def _close_inactive(session: Session, uuid: str) -> bool:
    ad = nav_ad(session, ORIGIN, uuid)
    vacancy = session.get(Vacancy, ad.vacancy_id) if ad and ad.vacancy_id else None
    if vacancy is None:
        return False
    if vacancy.status not in (VacancyStatus.closed, VacancyStatus.filled):
        vacancy.status = VacancyStatus.closed
    vacancy.contacts = []  # the feed's terms: no contact data for inactive ads
    if isinstance(vacancy.raw_payload, dict):
        vacancy.raw_payload = {k: v for k, v in vacancy.raw_payload.items() if k != "contactList"}
    vacancy.updated_at = utcnow()
    ad.md5, ad.updated_at = "INACTIVE", utcnow()
    return True


def _import_item(session: Session, source, item: dict, rules: FeedRules, stats: FeedStats) -> None:
    header = item.get("_feed_entry") or {}
    uuid = str(header.get("uuid") or item.get("id") or "")
    status = header.get("status")
    if status != "ACTIVE":
        if _close_inactive(session, uuid):
            stats.closed += 1
        return
    municipal = municipality_by_name(header.get("municipal"))
    if rules.municipality_codes and municipal and municipal not in rules.municipality_codes:
        stats.skipped_by_rules += 1  # decided from the item: the ad itself need not be fetched
        return
    entry = source.entry(item)
    if entry is None:
        stats.errors += 1
        return
    if entry.get("status") == "INACTIVE":
        if _close_inactive(session, uuid):
            stats.closed += 1
        return
    ad = from_feed_entry(entry)
    try:
        with session.begin_nested():
            t = translate(ad, strict=False)
            if not fits(rules, t.values):
                stats.skipped_by_rules += 1
                return
            existing = ad_state(session, ORIGIN, t.reference)
            if existing is not None and existing.md5 == t.md5:
                stats.unchanged += 1
                return
            had_employer = t.orgnr is not None and find_employer(session, t.orgnr) is not None
            employer_id = employer_id_for(session, None, t, FEED_ACTOR)
            store_ad(session, t, ad, origin=ORIGIN, source="nav_feed", employer_id=employer_id, existing=existing)
            stats.employers_added += 0 if had_employer else 1
            if existing is None:
                stats.added += 1
            else:
                stats.updated += 1
    except (AdError, DomainError) as exc:
        log.info("feed ad %s not taken in: %s", uuid, getattr(exc, "message", exc))
        stats.errors += 1


def import_feed(engine: Engine, source, *, feed_key: str, progress: Callable[[FeedStats], None] | None = None,
                ) -> FeedStats:
    """One run over the feed; each page committed with the state, so a stopped run goes on from there."""
    stats = FeedStats()
    with Session(engine, expire_on_commit=False) as session:
        state = session.exec(select(FeedState).where(FeedState.feed_url == feed_key)).first()
        rules = get_rules(session)
        session.expunge_all()
        for page in source.pages_from(state):
            if page.body.get("_not_modified"):
                stats.not_modified += 1
                break
            stats.pages += 1
            for item in page.body.get("items") or []:
                stats.items += 1
                _import_item(session, source, item, rules, stats)
            state = session.exec(select(FeedState).where(FeedState.feed_url == feed_key)).first() or FeedState(
                feed_url=feed_key)
            next_url = page.body.get("next_url")
            state.next_url = urljoin(page.url, next_url) if next_url and "://" in page.url else (next_url or page.url)
            if not next_url:  # the end for now: poll this page again, with its ETag
                state.etag, state.last_modified = page.etag, page.last_modified
            else:
                state.etag, state.last_modified = None, page.last_modified
            state.updated_at = utcnow()
            session.add(state)
            session.commit()
            session.expunge_all()
            if progress:
                progress(stats)
    return stats
