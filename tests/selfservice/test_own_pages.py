"""The job seeker's own pages: invitation, first login, what they see and change, and what staff see
of it at once. Through the app, as a browser would send it (cookies, CSRF)."""

import re

from sqlmodel import Session, select

from accounts.models import AuthToken, CandidateInvitation, CandidateLogin
from api.web.deps import SESSION_COOKIE, csrf_token_for
from core.audit import AuditEntry
from matching.models import MatchRun, UnlockSuggestionRow
from readiness.service import default_definition_in

NEW_PASSWORD = "blå-ferje-mot-nesodden"


def _as(client, token: str) -> str:
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, token)
    return csrf_token_for(token)


def _token(world, name: str) -> str:
    return world.headers[name]["Authorization"].removeprefix("Bearer ")


def invite(client, world, candidate_id: int, as_user: str = "staff_a") -> str:
    """Staff invite; the code is read from the outbox on the candidate's page, as staff hand it over."""
    csrf = _as(client, _token(world, as_user))
    answer = client.post(f"/app/kandidater/{candidate_id}/tilgang", data={"csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:300]
    page = client.get(f"/app/kandidater/{candidate_id}").text
    assert "Koden er laget og ligger i utboksen" in client.get(answer.headers["location"]).text
    code = re.search(r"koden ([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})", page).group(1)
    client.cookies.clear()
    return code


def accept(client, code: str, password: str = NEW_PASSWORD, again: str | None = None, language: str = "nb"):
    client.cookies.clear()
    form = client.get(f"/app/logg-inn/invitasjon?kode={code}&sprak={language}").text
    token = re.search(r'name="login_csrf" value="([^"]+)"', form).group(1)
    return client.post("/app/logg-inn/invitasjon", follow_redirects=False, data={
        "code": code, "new_password": password, "new_password_again": again or password, "language": language,
        "login_csrf": token})


def logged_in_candidate(client, world, candidate_id: int) -> str:
    answer = accept(client, invite(client, world, candidate_id))
    assert answer.status_code == 303 and answer.headers["location"] == "/app/meg", answer.text[:300]
    return client.cookies.get(SESSION_COOKIE)


def _csrf(client) -> str:
    return csrf_token_for(client.cookies.get(SESSION_COOKIE))


def test_invitation_code_sets_a_password_once_and_the_job_seeker_lands_on_their_page(client, world, make_candidate):
    x = make_candidate(first_name="Hodan", last_name="Warsame")
    code = invite(client, world, x["id"])
    assert accept(client, code, "kort").status_code == 422  # the password rules of accounts/passwords.py
    assert accept(client, code, NEW_PASSWORD, again="noe-annet-helt-annet").status_code == 422
    answer = accept(client, code)
    assert answer.status_code == 303 and answer.headers["location"] == "/app/meg"
    home = client.get("/app/meg")
    assert home.status_code == 200 and "Hei, Hodan!" in home.text
    wrong = accept(client, code)  # used once
    assert wrong.status_code == 401 and "Koden er feil, brukt eller utløpt" in wrong.text
    with Session(world.engine) as session:  # only the hash is stored
        assert all(code not in (i.code_hash or "") for i in session.exec(select(CandidateInvitation)))
    # the username from the outbox and the new password log in through the ordinary form
    client.cookies.clear()
    form = client.get("/app/logg-inn").text
    token = re.search(r'name="login_csrf" value="([^"]+)"', form).group(1)
    login = client.post("/app/logg-inn", data={"username": f"kandidat.{x['id']}", "password": NEW_PASSWORD,
                                               "login_csrf": token}, follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/app/meg"


def test_an_expired_or_replaced_code_does_not_work(client, world, make_candidate, engine):
    x = make_candidate()
    old = invite(client, world, x["id"])
    new = invite(client, world, x["id"])
    assert accept(client, old).status_code == 401
    with Session(engine) as session:
        for row in session.exec(select(CandidateInvitation)):
            row.expires_at = row.created_at
        session.commit()
    assert accept(client, new).status_code == 401


def test_staff_end_access_and_every_session_stops(client, world, make_candidate, engine):
    x = make_candidate()
    token = logged_in_candidate(client, world, x["id"])
    csrf = _as(client, _token(world, "staff_a"))
    client.post(f"/app/kandidater/{x['id']}/tilgang/stopp", data={"csrf_token": csrf})
    _as(client, token)
    assert client.get("/app/meg", follow_redirects=False).headers["location"].startswith("/app/logg-inn")
    with Session(engine) as session:
        user_id = session.exec(select(CandidateLogin.user_id).where(CandidateLogin.candidate_id == x["id"])).one()
        assert all(t.revoked_at for t in session.exec(select(AuthToken).where(AuthToken.user_id == user_id)))
    _as(client, _token(world, "staff_a"))
    assert "tilgangen er stoppet" in client.get(f"/app/kandidater/{x['id']}").text


def test_the_job_seeker_sees_only_themselves(client, world, make_candidate):
    x = make_candidate(first_name="Xenia")
    y = make_candidate(first_name="Yasmin", last_name="Ypsilon", email="yasmin@example.no")
    logged_in_candidate(client, world, x["id"])
    for path in ("/app/meg", "/app/meg/plan", "/app/meg/avtaler", "/app/meg/jobber", "/app/meg/samtykker",
                 "/app/meg/data", "/app/meg/profil"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "Yasmin" not in page.text and "Ypsilon" not in page.text
    # staff pages and the API refuse them
    assert client.get(f"/app/kandidater/{y['id']}").status_code == 403
    assert client.get(f"/app/kandidater/{x['id']}").status_code == 403
    token = client.cookies.get(SESSION_COOKIE)
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/candidates/{x['id']}", headers=bearer).status_code == 403
    assert client.get(f"/candidates/{y['id']}/data-export", headers=bearer).status_code == 403
    assert client.get("/auth/me", headers=bearer).json()["role"] == "candidate"


def test_every_read_by_the_job_seeker_is_in_the_access_log_and_shown_in_plain_words(client, world, make_candidate):
    x = make_candidate()
    logged_in_candidate(client, world, x["id"])
    client.get("/app/meg/profil")
    with Session(world.engine) as session:
        mine = session.exec(select(AuditEntry).where(AuditEntry.candidate_id == x["id"],
                                                     AuditEntry.actor_role == "candidate")).all()
    assert any("profil" in e.what for e in mine)
    # staff read the candidate's page; the job seeker reads it as a sentence with the date
    _as(client, _token(world, "staff_a"))
    client.get(f"/app/kandidater/{x['id']}")
    client.cookies.clear()
    logged_in = accept(client, invite(client, world, x["id"]))  # a new code: the old session is fine too
    assert logged_in.status_code == 303
    data = client.get("/app/meg/data").text
    assert re.search(r"Staff A så profilen din \d\d\.\d\d\.\d{4}", data), data[-1500:]
    assert re.search(r"Du så profilen din \d\d\.\d\d\.\d{4}", data)


def test_plan_tick_and_comment_reach_staff(client, world, make_candidate):
    x = make_candidate()
    logged_in_candidate(client, world, x["id"])
    plan = client.get("/app/meg/plan").text
    assert "Sende e-post med vedlegg" in plan  # a task the job seeker does (email_attachments)
    answer = client.post("/app/meg/plan/email_attachments", data={"csrf_token": _csrf(client), "done": "ja",
                                                                  "comment": "Sendte søknad med CV i går"},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert "Du krysset av" in client.get("/app/meg/plan").text
    # a task staff do: a comment, but no tick
    staff_task = client.post("/app/meg/plan/interview_technique", data={"csrf_token": _csrf(client), "done": "ja"})
    assert staff_task.status_code == 422 and "Denne oppgaven gjør veilederen din" in staff_task.text
    _as(client, _token(world, "staff_a"))
    page = client.get(f"/app/kandidater/{x['id']}").text
    assert "Kandidaten skriver i planen" in page and "Sendte søknad med CV i går" in page


def test_consent_withdrawal_counts_at_once_and_staff_see_it(client, world, make_candidate):
    x = make_candidate(consents=[{"purpose": "presentation_to_employers", "given_on": "2026-10-01"}])
    logged_in_candidate(client, world, x["id"])
    consent_id = x["consents"][0]["id"]
    page = client.get("/app/meg/samtykker").text
    assert "Vi kan fortelle arbeidsgivere om deg" in page
    answer = client.post(f"/app/meg/samtykker/{consent_id}/trekk", data={"csrf_token": _csrf(client)},
                         follow_redirects=False)
    assert answer.status_code == 303
    assert "Samtykket er trukket" in client.get(answer.headers["location"]).text
    consents = client.get("/candidates/{}".format(x["id"]), headers=world.headers["consultant"]).json()["consents"]
    assert consents[0]["withdrawn_on"] is not None
    _as(client, _token(world, "consultant"))
    assert re.search(rf'id="samtykke-{consent_id}">Presenteres for arbeidsgivere ·\s*<span class="badge no">Trukket',
                     client.get(f"/app/kandidater/{x['id']}").text)


def test_a_change_of_wishes_waits_for_staff(client, world, make_candidate, engine):
    x = make_candidate(wishes=[{"kind": "sector", "value": "cleaning"}])
    token = logged_in_candidate(client, world, x["id"])
    answer = client.post("/app/meg/profil/onsker", data={"csrf_token": _csrf(client), "sectors": ["warehouse", "retail"],
                                                         "other": "Truckfører"}, follow_redirects=False)
    assert answer.status_code == 303
    wishes = lambda: {(w["kind"], w["value"]) for w in client.get(  # noqa: E731
        f"/candidates/{x['id']}", headers=world.headers["staff_a"]).json()["wishes"]}
    assert wishes() == {("sector", "cleaning")}  # matching still reads the old wishes
    csrf = _as(client, _token(world, "staff_a"))
    page = client.get(f"/app/kandidater/{x['id']}").text
    assert "Nye jobbønsker fra kandidaten" in page and "Lager og logistikk" in page
    change_id = re.search(rf"/app/kandidater/{x['id']}/onsker/(\d+)", page).group(1)
    client.post(f"/app/kandidater/{x['id']}/onsker/{change_id}", data={"csrf_token": csrf, "decision": "godkjenn"})
    assert wishes() == {("sector", "warehouse"), ("sector", "retail"), ("occupation", "Truckfører")}
    # contact details change at once
    _as(client, token)
    client.post("/app/meg/profil", data={"csrf_token": csrf_token_for(token), "phone": "+47 999 88 777",
                                         "email": "ny@example.no", "address": "Storgata 1"})
    assert client.get("/app/meg/profil").text.count("ny@example.no") == 1
    bad = client.post("/app/meg/profil", data={"csrf_token": csrf_token_for(token), "email": "ikke-en-adresse"})
    assert bad.status_code == 422 and 'id="feil-email"' in bad.text


def test_the_chosen_language_is_kept_and_english_is_shown(client, world, make_candidate):
    x = make_candidate()
    answer = accept(client, invite(client, world, x["id"]), language="en")
    assert answer.status_code == 303
    assert "What you have done" in client.get("/app/meg").text
    client.post("/app/meg/sprak", data={"csrf_token": _csrf(client), "language": "nb", "back": "/app/meg/plan"})
    assert "Her er det som er igjen" in client.get("/app/meg/plan").text
    client.post("/app/meg/sprak", data={"csrf_token": _csrf(client), "language": "en", "back": "/app/meg"})
    assert "Here is what is left" in client.get("/app/meg/plan").text


def test_csrf_is_required_on_the_job_seekers_forms(client, world, make_candidate):
    x = make_candidate()
    logged_in_candidate(client, world, x["id"])
    answer = client.post(f"/app/meg/samtykker/{x['consents'][0]['id']}/trekk", data={"csrf_token": "feil"})
    assert answer.status_code == 403


def test_min_vei_shows_the_step_what_is_done_with_dates_and_who_does_what(client, world, make_candidate):
    x = make_candidate()
    for item in default_definition_in().items[:3]:
        client.put(f"/candidates/{x['id']}/readiness/{item.key}", headers=world.headers["staff_a"], json={
            "status": "done", "evidence_date": "2026-11-01", "document_ref": "Arkiv 1", "note": "Intern merknad qq"})
    logged_in_candidate(client, world, x["id"])
    page = client.get("/app/meg").text
    assert "Trinn" in page and "01.11.2026" in page and "Hvem gjør det: Du" in page
    assert "Intern merknad qq" not in page and "Arkiv 1" not in page  # staff's notes stay staff's


def test_no_login_csrf_cookie_means_no_password(client, world, make_candidate):
    code = invite(client, world, make_candidate()["id"])
    client.cookies.clear()
    answer = client.post("/app/logg-inn/invitasjon", data={"code": code, "new_password": NEW_PASSWORD,
                                                           "new_password_again": NEW_PASSWORD, "login_csrf": "x"})
    assert answer.status_code == 400


def test_guessing_codes_is_slowed_like_logins(client, world, make_candidate):
    invite(client, world, make_candidate()["id"])
    answers = [accept(client, f"aaaa-bbbb-cccc-{n:04d}").status_code for n in range(7)]
    assert answers[:5] == [401] * 5 and answers[-1] == 429


def test_erasure_ends_the_job_seekers_login(client, world, make_candidate):
    x = make_candidate()
    token = logged_in_candidate(client, world, x["id"])
    client.cookies.clear()
    assert client.post(f"/candidates/{x['id']}/erase", headers=world.headers["admin"]).status_code == 200
    _as(client, token)
    assert client.get("/app/meg", follow_redirects=False).status_code == 303  # to the login form


def test_what_would_open_more_jobs_in_plain_words(client, world, make_candidate, engine):
    x = make_candidate()
    with Session(engine) as session:  # as a finished match run leaves it
        run = MatchRun(status="done")
        session.add(run)
        session.flush()
        session.add_all([UnlockSuggestionRow(run_id=run.id, candidate_id=x["id"], kind="certificate", value="truck_licence",
                                             vacancies=7, text="truckførerbevis ville åpnet 7 stillinger til"),
                         UnlockSuggestionRow(run_id=run.id, candidate_id=x["id"], kind="hours", value="evening",
                                             vacancies=1, text="å godta arbeidstid kveld ville åpnet 1 stilling til")])
        session.commit()
    logged_in_candidate(client, world, x["id"])
    page = client.get("/app/meg/jobber").text
    assert "Truckførerbevis ville åpnet 7 stillinger." in page and "Å jobbe kveld ville åpnet 1 stilling." in page
    client.post("/app/meg/sprak", data={"csrf_token": _csrf(client), "language": "en"})
    assert "Forklift licence would open 7 jobs." in client.get("/app/meg/jobber").text


def test_with_a_shared_plan_the_job_seeker_ticks_its_tasks_and_staff_see_it_in_the_plan(client, world, make_candidate):
    x = make_candidate()
    staff = world.headers["staff_a"]
    mine = client.post(f"/candidates/{x['id']}/plan/tasks", headers=staff, json={
        "title": "Søk på tre butikkjobber", "owner_kind": "candidate"}).json()["id"]
    client.post(f"/candidates/{x['id']}/plan/tasks", headers=staff, json={
        "title": "Ringe Rema om praksis", "owner_kind": "staff", "owner_user_id": world.users["staff_a"].id})
    logged_in_candidate(client, world, x["id"])
    page = client.get("/app/meg/plan").text
    assert "Søk på tre butikkjobber" in page and "Ringe Rema om praksis" in page
    assert "Sende e-post med vedlegg" not in page  # the plan replaces the checklist's list
    answer = client.post(f"/app/meg/plan/plan-{mine}", data={"csrf_token": _csrf(client), "done": "ja",
                                                             "comment": "Søkte på Kiwi, Rema og Coop"},
                         follow_redirects=False)
    assert answer.status_code == 303
    shared = client.get(f"/candidates/{x['id']}/plan", headers=staff).json()
    task = next(t for t in shared["tasks"] if t["id"] == mine)
    assert task["status"] == "done" and [c["text"] for c in task["comments"]] == ["Søkte på Kiwi, Rema og Coop"]
    assert [c["written_by"] for c in task["comments"]] == ["Kandidaten"]


def test_an_interview_with_a_time_and_place_is_an_appointment(client, world, make_candidate):
    from datetime import datetime, timedelta

    from core.types import today
    from tests.employers.conftest import employer_body, vacancy_body

    x = make_candidate()
    consultant = world.headers["consultant"]
    employer = client.post("/employers", json=employer_body("974760673", name="Renhold Øst AS"), headers=consultant).json()
    vacancy = client.post(f"/employers/{employer['id']}/vacancies", headers=consultant,
                          json=vacancy_body(start="2027-01-04")).json()
    placement = client.post("/placements", headers=consultant,
                            json={"candidate_id": x["id"], "vacancy_id": vacancy["id"]}).json()
    client.post(f"/placements/{placement['id']}/transitions", headers=consultant,
                json={"to": "presented", "on": today().isoformat()})
    when = (datetime.combine(today(), datetime.min.time()) + timedelta(days=3)).replace(hour=10, minute=30, second=0, microsecond=0)
    answer = client.post(f"/placements/{placement['id']}/interviews", headers=consultant, json={
        "starts_at": when.isoformat(), "place": "Storgata 1, 2. etasje"})
    assert answer.status_code == 201, answer.text
    logged_in_candidate(client, world, x["id"])
    page = client.get("/app/meg/avtaler").text
    assert "Renhold Øst AS" in page and "Storgata 1, 2. etasje" in page and "10:30" in page
