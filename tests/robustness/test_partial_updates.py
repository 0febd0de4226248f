"""Every PATCH endpoint, every field sent as null: a 422 naming the field where the value may not be
emptied, never a 500 (PATCH /employers/{id} with {"work_practice_attitude": null} was a 500)."""

from tests.employers.conftest import employer_body


def test_null_for_every_field_of_every_patch_endpoint(client, world, make_candidate):
    candidate = make_candidate()
    employer = client.post("/employers", json=employer_body("974760673"), headers=world.headers["consultant"]).json()
    task = client.post(f"/candidates/{candidate['id']}/plan/tasks", headers=world.headers["staff_a"],
                       json={"title": "Hent attest", "owner_kind": "candidate"}).json()
    ids = {"candidate_id": candidate["id"], "employer_id": employer["id"], "task_id": task["id"]}
    doc = client.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    tried, refused = 0, set()
    for path, methods in doc["paths"].items():
        if "patch" not in methods:
            continue
        url = path
        for name, value in ids.items():
            url = url.replace("{" + name + "}", str(value))
        assert "{" not in url, f"PATCH {path}: give this test an object to change"
        ref = methods["patch"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        for field in schemas[ref.rsplit("/", 1)[1]]["properties"]:
            response = client.patch(url, json={field: None}, headers=world.headers["admin"])
            assert response.status_code in (200, 422), (path, field, response.status_code, response.text)
            if response.status_code == 422:
                assert response.json()["field"] == field, (path, field, response.text)
                refused.add((path, field))
            if "get" in methods:  # the object still reads (a plan task is read with its plan)
                assert client.get(url, headers=world.headers["admin"]).status_code == 200
            tried += 1
    assert tried >= 30
    assert ("/employers/{employer_id}", "work_practice_attitude") in refused
    assert ("/candidates/{candidate_id}", "max_commute_km") in refused
    assert ("/candidates/{candidate_id}", "address") not in refused  # may be emptied
