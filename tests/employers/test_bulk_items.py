"""A bad item in a bulk submission is that item's error, whatever its type: the rest are stored."""

import pytest

from tests.employers.conftest import employer_body, vacancy_body


@pytest.mark.parametrize("bad_id", [12345, {"id": 1}, ["a"], True, 1.5])
def test_a_non_text_external_id_is_a_per_item_error(client, world, bad_id):
    client.post("/employers", json=employer_body("974760673"), headers=world.headers["consultant"])
    items = [vacancy_body(external_id="OK-1"), vacancy_body(external_id=bad_id), "ikke et objekt"]
    response = client.post("/employer/vacancies/bulk", json=items, headers=world.headers["employer"])
    assert response.status_code == 200, response.text  # was a 500 for the whole batch
    results = response.json()["results"]
    assert results[0]["outcome"] == "created" and results[0]["external_id"] == "OK-1"
    assert results[1]["outcome"] == "error" and results[1]["status_code"] == 422
    assert results[1]["external_id"] is None and results[1]["errors"][0]["loc"] == ["external_id"]
    assert results[2]["outcome"] == "error"
    assert response.json()["created"] == 1 and response.json()["errors"] == 2
