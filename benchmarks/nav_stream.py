"""A stream of ads in NAV's import format, through the whole intake: incremental decoding, translation,
the employer and grant check, the vacancy, the reference and the receipt, committed in groups.

Prints ads per second, the ratio to a plain loop that only parses each ad and inserts a row (same
database, same commit groups), and the peak memory for 2,000 and 10,000 ads (each in a fresh
process: the peak of Python's allocations during the stream, measured with tracemalloc, and the
process's peak RSS; the body is generated as it is read, as a client sends it, so what grows with the
stream is the intake's own memory).

Run: `PYTHONPATH=. .venv/bin/python -m benchmarks.nav_stream [--ads 10000] [--database-url URL]`
(default: a fresh SQLite file; for PostgreSQL give an empty database: its tables are dropped)."""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc

CHUNK = 64 * 1024
POSTAL = ("0580", "0155", "5254", "7010", "4006", "1920", "3015", "9008")


def ad(i: int) -> dict:
    part_time = i % 4 == 0
    return {
        "reference": f"BENCH-{i}", "positions": 1 + i % 3,
        "title": ("Renholder" if i % 2 else "Butikkmedarbeider") + f" {i}",
        "adText": "<p>Vi søker medarbeidere til et godt arbeidsmiljø.</p><ul><li>Norsk muntlig på B1-nivå</li>"
                  "<li>Førerkort klasse B er en fordel</li><li>Du er punktlig og blid</li></ul>" * 3,
        "published": "2027-01-04T08:00:00", "expires": "2027-12-31T00:00:00",
        "contactList": [{"name": "Kari Leder", "title": "Leder", "email": "kari@bedrift.example", "phone": "40000000"}],
        "locationList": [{"address": f"Gate {i}", "postalCode": POSTAL[i % len(POSTAL)], "country": "NORGE"}],
        "properties": {"extent": "Deltid" if part_time else "Heltid", "engagementtype": "Fast",
                       "starttime": "01.02.2027" if i % 5 else "Snarest", "workhours": "[\"Dagtid\"]",
                       "sector": "Privat", "keywords": "renhold;butikk", "applicationurl": f"https://ats.example/{i}"},
        "categoryList": [{"code": "911201" if i % 2 else "522301", "categoryType": "STYRK08"}],
        "employer": {"businessName": "Bench AS", "orgnr": "974760673"},
    }


def body(n: int):
    """The stream as a client sends it: pretty-printed objects, in 64 KB chunks, made as they are read."""
    buf = b""
    for i in range(n):
        buf += json.dumps(ad(i), indent=2, ensure_ascii=False).encode() + b"\n"
        if len(buf) >= CHUNK:
            yield buf
            buf = b""
    if buf:
        yield buf


def prepare(url: str):
    from sqlalchemy import text
    from sqlmodel import Session

    from accounts.service import Principal, create_provider
    from core.db import make_engine
    from core.types import Role
    from employers.models import Employer
    from migrations.runner import upgrade_head
    from nav.service import provider_context

    engine = make_engine(url)
    if engine.url.get_backend_name() == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade_head(url)
    with Session(engine) as s:
        s.add(Employer(organisation_number="974760673", name="Bench AS", sector="cleaning", municipality_code="0301"))
        _, provider = create_provider(s, name="Bench ATS", email=None, organisation_numbers=["974760673"],
                                      created_by=None)
        s.commit()
        principal = Principal(Role.employer, None, "bench", provider_id=provider.id)
        ctx = provider_context(s, principal, provider.id)
    return engine, ctx


def run_intake(url: str, n: int) -> tuple[float, dict]:
    from nav.service import receive_stream

    engine, ctx = prepare(url)
    counts: dict = {}
    started = time.perf_counter()
    for receipt in receive_stream(engine, ctx, body(n)):
        key = receipt.get("vacancyStatus") or receipt["status"]
        counts[key] = counts.get(key, 0) + 1
    return time.perf_counter() - started, counts


def run_plain(url: str, n: int) -> float:
    """The floor: parse each ad with json.loads and insert one row, committing every 100."""
    from sqlalchemy import insert
    from sqlmodel import Session

    from employers.models import Vacancy

    engine, _ = prepare(url)
    started = time.perf_counter()
    with Session(engine) as s:
        text = b"".join(body(n)).decode()  # the plain loop gets its ads split for free
        decoder, pos, count = json.JSONDecoder(), 0, 0
        while pos < len(text):
            if text[pos].isspace():
                pos += 1
                continue
            obj, pos = decoder.raw_decode(text, pos)
            s.execute(insert(Vacancy).values(employer_id=1, title=obj["title"][:200], municipality_code="0301",
                                             working_hours=[], required_certificates=[], review_reasons=[],
                                             missing_fields=[], suggested_requirements=[], contacts=[], keywords=[],
                                             raw_payload=obj, status="open", source="bench", version=1))
            count += 1
            if count % 100 == 0:
                s.commit()
        s.commit()
    return time.perf_counter() - started


def peak_memory_child(url: str, n: int) -> None:
    from nav.service import receive_stream

    engine, ctx = prepare(url)
    for _ in receive_stream(engine, ctx, body(50)):  # warm up: the code paths and caches once
        pass
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    for _ in receive_stream(engine, ctx, (chunk.replace(b"BENCH-", b"RUN-") for chunk in body(n))):
        pass
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"before_kb": before, "peak_kb": after, "traced_peak_kb": traced_peak // 1024}))


def fresh_sqlite(tag: str) -> str:
    return f"sqlite:///{tempfile.mkdtemp(prefix='nav-bench-')}/{tag}.db"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = lambda tag: args.database_url or fresh_sqlite(tag)  # noqa: E731
    if args.memory_child:
        peak_memory_child(url("mem"), args.memory_child)
        return

    seconds, counts = run_intake(url("intake"), args.ads)
    plain = run_plain(url("plain"), args.ads)
    print(f"database: {'PostgreSQL' if args.database_url and 'postgresql' in args.database_url else 'SQLite'}")
    print(f"intake: {args.ads} ads in {seconds:.1f} s = {args.ads / seconds:,.0f} ads/s  ({counts})")
    print(f"plain json-parse-and-insert loop: {plain:.1f} s = {args.ads / plain:,.0f} ads/s")
    print(f"ratio intake / plain: {seconds / plain:.1f}x the time")
    env = dict(os.environ, PYTHONPATH=".")
    for n in (2_000, 10_000):
        cmd = [sys.executable, "-m", "benchmarks.nav_stream", "--memory-child", str(n)]
        if args.database_url:
            cmd += ["--database-url", args.database_url]
        out = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout.strip()
                         .splitlines()[-1])
        print(f"peak memory, {n:>6} ads: Python allocations during the stream peak at "
              f"{out['traced_peak_kb'] / 1024:.1f} MB (tracemalloc); process peak RSS {out['peak_kb'] / 1024:.0f} MB "
              f"(before the stream {out['before_kb'] / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
