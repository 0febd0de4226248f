"""Recorded jobs are personal data: in the portability export, removed by erasure."""

import json


def test_recorded_jobs_are_exported_and_erased(client, world, make_candidate):
    c = make_candidate(wanted_fte=100)
    body = {"employer_name": "Kiwi Grønland", "title": "Butikkmedarbeider", "fte": 50, "start": "2026-11-01"}
    assert client.post(f"/candidates/{c['id']}/jobs", json=body, headers=world.headers["staff_a"]).status_code == 201
    export = json.loads(client.get(f"/candidates/{c['id']}/data-export", headers=world.headers["staff_a"]).content)
    assert [j["employer_name"] for j in export["jobs"]["jobs"]] == ["Kiwi Grønland"]
    assert export["jobs"]["status"]["label"] == "I arbeid, ønsker mer"

    assert client.post(f"/candidates/{c['id']}/erase", headers=world.headers["admin"]).status_code == 200
    assert client.get(f"/candidates/{c['id']}/jobs", headers=world.headers["admin"]).json()["jobs"] == []
