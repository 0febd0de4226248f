"""Request size limits. (Login limits: tests/accounts/test_login_limits.py.)"""


def test_oversized_requests_are_refused_before_they_are_read(client, world):
    huge = {"title": "x" * (3 * 1024 * 1024)}
    response = client.post("/employer/vacancies", json=huge, headers=world.headers["employer"])
    assert response.status_code == 413 and response.json()["field"] == "body"
    upload = client.post("/import/employers", files={"file": ("e.csv", b"a" * (12 * 1024 * 1024))},
                         headers=world.headers["consultant"])
    assert upload.status_code == 413
    ordinary = client.post("/import/employers", files={"file": ("e.csv", b"organisation_number,name\n")},
                           headers=world.headers["consultant"])
    assert ordinary.status_code == 422  # within the limit: the importer answers (missing columns)


def test_huge_numbers_are_a_clear_422(client, world):
    for path in (f"/candidates/{2**70}", f"/vacancies/{2**40}", f"/candidates?project_id={2**70}"):
        response = client.get(path, headers=world.headers["admin"])
        assert response.status_code in (404, 422), (path, response.status_code)
        assert response.status_code != 500
