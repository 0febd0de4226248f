"""Erasure removes every free text about the person wherever it is stored, and the portability export
holds everything held about them. A unique text is planted in every free-text field that can concern
a candidate (tests/privacy/walk.py `seed`); after erasure no API response or page the admin or
consultant can get, and no column of any table, contains any of them, and the result report is the same."""

from sqlmodel import Session, select

from core.db import metadata
from matching.models import MatchRun
from privacy.registry import ERASED_TEXT, HOLDINGS, REDACTED_NAME
from tests.privacy.walk import SPECS, Caller, response_text, seed


def _everything_stored(engine) -> list[tuple[str, str, str]]:
    found = []
    with Session(engine) as session:
        for table in metadata.sorted_tables:
            for row in session.execute(select(table)).mappings():
                found.extend((table.name, column, str(value)) for column, value in row.items() if value is not None)
    return found


def test_erasure_leaves_no_text_about_the_person_in_any_response_or_table(engine, client, world):
    s = seed(client, engine, world, mentions=True)
    X, Y, admin = s.ids["X"], s.ids["Y"], world.headers["admin"]
    secrets = [*s.markers.values(), *s.people[X][:3], "Xanthippe", "+47 912 34 567"]
    stored = _everything_stored(engine)
    assert {m for m in s.markers.values() if any(m in v for _, _, v in stored)} == set(s.markers.values())
    with Session(engine) as session:  # a run that could not honour pins names the candidates by id
        session.add(MatchRun(status="failed", messages=[f"Låst par kandidat {X} – stilling 1 er ikke mulig: norsk",
                                                      f"Låst par kandidat {Y} – stilling 1 er ikke mulig: norsk"]))
        session.commit()
    report = client.get("/reports/results", headers=admin).json()
    contact_time = client.get("/contact-time?by=employer", headers=admin).json()

    erased = client.post(f"/candidates/{X}/erase", headers=admin)
    assert erased.status_code == 200 and erased.json()["first_name"] == "Anonymisert"

    leaks = [f"{table}.{column}" for table, column, value in _everything_stored(engine)
             for secret in secrets if secret.lower() in value.lower()]
    assert leaks == []
    caller, read = Caller(client, engine, world, s), 0
    for key, spec in SPECS.items():
        if key.startswith("GET "):
            text = response_text(caller.send("GET", spec)).lower()
            read += 1
            assert [x for x in secrets if x.lower() in text] == [], key
    assert read >= 60

    with Session(engine) as session:
        assert [r.messages for r in session.exec(select(MatchRun)) if r.messages] == [
            [f"Låst par kandidat {Y} – stilling 1 er ikke mulig: norsk"]]
    assert client.get("/reports/results", headers=admin).json() == report  # the funders' figures stay
    assert client.get("/contact-time?by=employer", headers=admin).json() == contact_time  # and the contacts
    log = client.get(f"/employers/{s.ids['employer']}/log", headers=admin).json()
    assert sorted(e["candidate_ids"] for e in log if e["summary"] == ERASED_TEXT and e["outcome"] is None) == [[X], [X, Y]]
    assert any(REDACTED_NAME in e["summary"] for e in log)  # the entry where the name was typed by hand
    y_log = client.get(f"/candidates/{Y}/access-log", headers=world.headers["staff_a"]).json()
    assert any(e["action"] == "update" and "anonymisert" in e["what"] for e in y_log)  # Y's shared entry changed


def test_the_portability_export_holds_everything_about_the_person(engine, client, world):
    s = seed(client, engine, world)
    X = s.ids["X"]
    response = client.get(f"/candidates/{X}/data-export", headers=world.headers["staff_a"])
    assert response.status_code == 200
    data = response.json()
    text = response.text
    missing = [where for where, marker in s.markers.items() if marker not in text]
    assert missing == []  # every text planted about X, from every table
    for holding in HOLDINGS:
        if holding.export:  # every table of the registry has its section, filled where the seed filled it
            assert holding.export in data and (data[holding.export] or holding.model.__tablename__ == "unlocksuggestionrow")
    assert {"presentations", "contact_log", "match_decisions", "placements", "follow_ups", "events", "work_practice",
            "readiness_evidence", "readiness_history", "match_proposals", "seen_by"} <= set(data)
    assert [p["summary"] for p in data["presentations"]] == [s.markers["presentation.summary"]]
    assert {e["to_stage"] for p in data["placements"] for e in p["events"]} >= {"presented", "started", "ended"}
    assert [f["note"] for f in data["follow_ups"] if f["note"]] == [s.markers["follow_up.note"]]
    assert {c["purpose"] for c in data["candidate"]["consents"]} >= {"presentation_to_employers", "share_with_employer"}
    assert sorted(c["also_concerns_others"] for c in data["contact_log"]) == [False, True]
    assert all(c["candidate_ids"] == [X] for c in data["contact_log"])  # the other person is not named
    assert "Yolanda" not in text and str(s.ids["Y"]) not in [str(i) for c in data["contact_log"] for i in c["candidate_ids"]]
    assert any(e["action"] == "create" for e in data["seen_by"])  # the access log
