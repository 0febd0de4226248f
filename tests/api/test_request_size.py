"""Request bodies over the limit get 413, also when they are sent in chunks with no Content-Length."""

import pytest

from core.limits import JSON_LIMIT, UPLOAD_LIMIT


def chunks(total: int, size: int = 64 * 1024):
    yield b'{"title": "'
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size
    yield b'"}'


@pytest.mark.parametrize("path", ["/employer/vacancies", "/candidates"])
def test_a_chunked_body_over_the_limit_gets_413(client, world, path):
    headers = {**world.headers["employer" if path.startswith("/employer") else "admin"],
               "Content-Type": "application/json"}
    response = client.post(path, content=chunks(3 * 1024 * 1024), headers=headers)
    assert response.status_code == 413, response.text  # was 400: FastAPI took the cut-off for a broken body
    assert response.json()["field"] == "body" and "for stor" in response.json()["detail"]
    assert JSON_LIMIT < 3 * 1024 * 1024 < UPLOAD_LIMIT


def test_a_chunked_body_under_the_limit_is_read(client, world):
    def small():
        yield b'{"organisation_number": "974760673", '
        yield b'"name": "Renhold AS", "sector": "cleaning", "municipality_code": "0301"}'

    response = client.post("/employers", content=small(), headers={**world.headers["consultant"],
                                                                   "Content-Type": "application/json"})
    assert response.status_code == 201, response.text


def test_a_chunked_upload_over_the_upload_limit_gets_413(client, world):
    body = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e.csv\"\r\n\r\n"

    def parts():
        yield body
        for _ in range(12 * 16):
            yield b"a" * (64 * 1024)
        yield b"\r\n--b--\r\n"

    response = client.post("/import/employers", content=parts(), headers={
        **world.headers["consultant"], "Content-Type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413
