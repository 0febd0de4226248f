"""Login rate limiting and request size limits."""

from tests.conftest import PASSWORD


def login(client, username, password, ip="testclient"):
    return client.post("/auth/token", data={"username": username, "password": password})


def test_five_failures_lock_the_username_for_a_while(client, world):
    for _ in range(5):
        assert login(client, "consultant", "feil-passord-123").status_code == 401
    locked = login(client, "consultant", PASSWORD)  # even the right password waits now
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 15 * 60
    assert "For mange" in locked.json()["detail"]


def test_guessing_many_usernames_from_one_client_is_limited_too(client, world):
    for n in range(5):
        assert login(client, f"ukjent{n}", "feil-passord-123").status_code == 401
    assert login(client, "admin", PASSWORD).status_code == 429


def test_successful_logins_are_not_limited(client, world):
    for _ in range(8):
        assert login(client, "admin", PASSWORD).status_code == 200


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
