"""The candidate forms' rules without a browser: the project scope, a consent for one employer, and a
change made by someone else in the meantime, each answered on the form beside the field."""

from api.web.deps import SESSION_COOKIE, csrf_token_for


def _as(client, world, who: str) -> str:
    token = world.headers[who]["Authorization"].removeprefix("Bearer ")
    client.cookies.set(SESSION_COOKIE, token)
    return csrf_token_for(token)


def test_staff_of_another_project_cannot_open_or_change_the_forms(client, world, make_candidate):
    candidate = make_candidate()  # project A
    csrf = _as(client, world, "staff_b")
    assert client.get(f"/app/kandidater/{candidate['id']}/endre").status_code == 403
    posted = client.post(f"/app/kandidater/{candidate['id']}/cv", data={"csrf_token": csrf, "wishes_shown": "1"})
    assert posted.status_code == 403 and "ditt eget prosjekt" in posted.text


def test_a_consent_for_one_employer_needs_the_employer(client, world, make_candidate):
    candidate = make_candidate()
    csrf = _as(client, world, "staff_a")
    answer = client.post(f"/app/kandidater/{candidate['id']}/samtykke/ny", data={
        "csrf_token": csrf, "purpose": "share_with_employer", "given_on": "01.11.2026", "note": "Sa ja på møtet"})
    assert answer.status_code == 422
    assert 'id="e-employer_id"' in answer.text and "Sa ja på møtet" in answer.text  # beside the field, text kept


def test_a_change_made_in_the_meantime_is_not_overwritten(client, world, make_candidate):
    candidate = make_candidate()
    client.patch(f"/candidates/{candidate['id']}", json={"phone": "+47 900 00 002"}, headers=world.headers["admin"])
    csrf = _as(client, world, "staff_a")
    answer = client.post(f"/app/kandidater/{candidate['id']}/cv", data={
        "csrf_token": csrf, "version": str(candidate["version"]), "wishes_shown": "1",
        "education.0.title": "Grunnskole", "education.0.institution": "Skolen"})
    assert answer.status_code == 409 and "endret av noen andre" in answer.text
    assert 'value="Grunnskole"' in answer.text  # what was typed is kept
