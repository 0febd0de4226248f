"""NAV's import protocol: streams, batches, stop and delete, admin status, provider keys."""

from sqlmodel import Session, func, select

from employers.models import Employer, Vacancy
from tests.nav.conftest import ORG_A, ORG_LEGAL, ORG_NEW, ORG_OTHER, as_stream, nav_ad, post_stream, receipts


def test_a_stream_gets_one_receipt_per_ad_and_becomes_vacancies(client, world, provider):
    draft = nav_ad("R-2", properties={"jobpercentage": None, "starttime": "Snarest", "workhours": None,
                                      "workday": None})
    draft["properties"] = {k: v for k, v in draft["properties"].items() if v is not None}
    response = post_stream(client, provider, as_stream(nav_ad("R-1"), draft, nav_ad("R-3", orgnr=ORG_NEW)))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-json-stream")
    got = receipts(response)
    assert [r["status"] for r in got] == ["RECEIVED"] * 3
    assert [r["reference"] for r in got] == ["R-1", "R-2", "R-3"]
    assert got[0]["vacancyStatus"] == "open"
    # Deltid with no percentage, "Snarest", no working hours: unknown, so a draft saying what to fill in
    assert got[1]["vacancyStatus"] == "draft"
    assert got[1]["mustComplete"] == ["stillingsprosent", "oppstartsdato", "arbeidstid"]

    vacancy = client.get(f"/vacancies/{got[0]['vacancyId']}", headers=world.headers["consultant"]).json()
    assert vacancy["source"] == "nav_import"
    assert (vacancy["occupation_code"], vacancy["municipality_code"], vacancy["fte"]) == ("9112", "0301", 50)
    assert (vacancy["contract_type"], vacancy["start"], vacancy["working_hours"]) == ("permanent", "2027-02-01", ["evening"])
    assert vacancy["headcount"] == 2 and vacancy["postal_code"] == "0580" and vacancy["address"] == "Økernveien 1"
    assert vacancy["application_deadline"] == "2027-01-15"
    assert vacancy["application_url"] == "https://ats.example/apply/1"
    assert vacancy["contacts"][0]["name"] == "Kari Leder"
    assert vacancy["keywords"] == ["renhold", "kveld"] and vacancy["sector_type"] == "private"
    assert vacancy["shift_arrangement"] == "on_duty"
    assert "Vi søker renholdere" in vacancy["description"] and "<p>" not in vacancy["description"]
    # requirements in the text are suggested, never set
    assert {s["code"] for s in vacancy["suggested_requirements"]} == {"driving_licence_B", "B1"}
    assert vacancy["required_certificates"] == [] and vacancy["min_norwegian_level"] is None

    draft_vacancy = client.get(f"/vacancies/{got[1]['vacancyId']}", headers=world.headers["consultant"]).json()
    assert draft_vacancy["fte"] is None and draft_vacancy["start"] is None
    assert draft_vacancy["missing_fields"] == ["fte", "start", "working_hours"]
    # a draft cannot be opened (so it is never matched) until it is complete; a consultant completes it
    completed = client.put(f"/vacancies/{got[1]['vacancyId']}", headers=world.headers["consultant"], json={
        "title": draft_vacancy["title"], "occupation_code": "9112", "municipality_code": "0301", "fte": 40,
        "contract_type": "permanent", "start": "2027-03-01", "working_hours": ["day"]})
    assert completed.status_code == 200, completed.text
    assert completed.json()["status"] == "open" and completed.json()["missing_fields"] == []
    with Session(client.app.state.engine) as s:
        new_employer = s.exec(select(Employer).where(Employer.organisation_number == ORG_NEW)).one()
        assert new_employer.status == "potential" and new_employer.name == "Renhold Øst AS"
        stored = s.get(Vacancy, got[0]["vacancyId"])
        assert stored.raw_payload["reference"] == "R-1"

    again = receipts(post_stream(client, provider, as_stream(nav_ad("R-1"), nav_ad("R-2b"))))
    assert [r["status"] for r in again] == ["SKIPPED", "RECEIVED"]
    changed = receipts(post_stream(client, provider, as_stream(nav_ad("R-1", positions=3))))
    assert changed[0]["status"] == "RECEIVED" and changed[0]["vacancyId"] == got[0]["vacancyId"]


def test_malformed_json_stops_the_stream_and_keeps_the_ads_before(client, world, provider):
    body = as_stream(nav_ad("OK-1")) + b'\n{"reference": "BAD", "positions": 1 "title": "x"}\n' + as_stream(nav_ad("OK-2"))
    got = receipts(post_stream(client, provider, body))
    assert [r["status"] for r in got] == ["RECEIVED", "ERROR"]
    assert got[1]["errorType"] == "PARSE_ERROR" and "stoppet" in got[1]["message"]
    with Session(client.app.state.engine) as s:
        assert s.exec(select(func.count()).select_from(Vacancy)).one() == 1


def test_bad_ads_are_refused_in_their_receipts_and_the_others_are_kept(client, world, provider):
    ads = [
        nav_ad("V-1", properties={"extent": "Fulltid"}),
        nav_ad("V-2", orgnr=ORG_OTHER),
        nav_ad("V-3", locationList=[{"postalCode": "9999", "city": "INGENSTEDS"}]),
        nav_ad("V-4", adText='<p>Renhold</p><script>alert("x")</script><a href="javascript:alert(1)" onclick="x()">søk</a>'),
        nav_ad("V-5", properties={"engagementtype": "Frilanser"}),
        nav_ad("V-6"),
    ]
    got = receipts(post_stream(client, provider, as_stream(*ads)))
    assert [r["status"] for r in got] == ["ERROR", "ERROR", "ERROR", "RECEIVED", "ERROR", "RECEIVED"]
    assert (got[0]["errorType"], got[0]["field"]) == ("INVALID_VALUE", "properties.extent")
    assert "Fulltid" in got[0]["message"] and "Heltid" in got[0]["message"]
    assert got[1]["field"] == "employer.orgnr" and ORG_OTHER in got[1]["message"]
    assert got[2]["field"] == "locationList.0.postalCode" and "9999" in got[2]["message"]
    assert got[3]["warnings"][0]["field"] == "adText"
    assert got[4]["field"] == "properties.engagementtype" and "NO_EMPLOYMENT" in got[4]["message"]
    with Session(client.app.state.engine) as s:
        vacancies = s.exec(select(Vacancy).order_by(Vacancy.id)).all()
        assert len(vacancies) == 2  # nothing half-written for the refused ones
        assert "script" not in vacancies[0].description_html and "javascript" not in vacancies[0].description_html
        assert "onclick" not in vacancies[0].description_html
        assert s.exec(select(func.count()).select_from(Employer)).one() == 1  # no employer for ORG_OTHER


def test_a_batch_takes_at_most_100_ads_with_one_receipt(client, world, provider):
    url = f"/nav-import/api/v1/transfers/batch/{provider['id']}"
    response = client.post(url, json=[nav_ad("B-1"), nav_ad("B-2", properties={"sector": "Kommunal"})],
                           headers=provider["headers"])
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["status"] == "RECEIVED" and receipt["items"] == 2
    assert [a["status"] for a in receipt["ads"]] == ["RECEIVED", "ERROR"]
    assert receipt["ads"][1]["field"] == "properties.sector"
    too_many = client.post(url, json=[nav_ad(f"X-{i}") for i in range(101)], headers=provider["headers"])
    assert too_many.status_code == 422 and too_many.json()["field"] == "body"
    bad = client.post(url, content=b"[{]", headers={**provider["headers"], "Content-Type": "application/json"})
    assert bad.status_code == 422 and bad.json()["errorType"] == "PARSE_ERROR"


def test_admin_status_in_navs_words_and_stop_and_delete(client, world, provider):
    held = nav_ad("H-1", adText="<p>Du må ha norsk som morsmål.</p>")
    got = receipts(post_stream(client, provider, as_stream(nav_ad("A-1"), held)))
    status = lambda ref: client.get(f"/nav-import/api/v1/adminstatus/{provider['id']}/{ref}",  # noqa: E731
                                    headers=provider["headers"]).json()
    assert (status("A-1")["status"], status("A-1")["publishStatus"]) == ("DONE", "ACTIVE")
    assert (status("H-1")["status"], status("H-1")["publishStatus"]) == ("PENDING", "INACTIVE")
    assert "morsmål" in status("H-1")["message"]
    rejected = client.post(f"/vacancies/{got[1]['vacancyId']}/reject", headers=world.headers["consultant"], json={})
    assert rejected.status_code == 200, rejected.text
    assert (status("H-1")["publishStatus"], status("H-1")["message"]) == ("REJECTED", "DISCRIMINATING")

    stopped = client.delete(f"/nav-import/api/v1/transfers/{provider['id']}/A-1", headers=provider["headers"])
    assert stopped.status_code == 200 and stopped.json()["publishStatus"] == "STOPPED"
    deleted = client.delete(f"/nav-import/api/v1/transfers/{provider['id']}/A-1?delete=true", headers=provider["headers"])
    assert deleted.json()["publishStatus"] == "DELETED"
    with Session(client.app.state.engine) as s:
        vacancy = s.get(Vacancy, got[0]["vacancyId"])
        assert vacancy.status == "closed" and vacancy.contacts == [] and vacancy.raw_payload is None
    again = receipts(post_stream(client, provider, as_stream(nav_ad("A-1", positions=5))))
    assert again[0]["status"] == "ERROR" and again[0]["errorType"] == "CONFLICT"
    version = client.get(f"/nav-import/api/v1/transfers/{provider['id']}/versions/{again[0]['versionId']}",
                         headers=provider["headers"])
    assert version.json()["status"] == "ERROR"
    missing = client.get(f"/nav-import/api/v1/adminstatus/{provider['id']}/NOPE", headers=provider["headers"])
    assert missing.status_code == 404


def test_keys_reach_only_their_own_provider_and_grants(client, world, provider):
    other = client.post("/nav-providers", headers=world.headers["admin"],
                        json={"name": "Annen ATS", "organisation_numbers": [ORG_OTHER]}).json()
    wrong = post_stream(client, provider, b"{}")
    assert wrong.status_code == 200
    forbidden = client.post(f"/nav-import/api/v1/transfers/{other['id']}", content=as_stream(nav_ad("Z-1")),
                            headers=provider["headers"])
    assert forbidden.status_code == 403
    as_employer_user = client.post(f"/nav-import/api/v1/transfers/{provider['id']}", content=as_stream(nav_ad("Z-2")),
                                   headers=world.headers["employer"])
    assert as_employer_user.status_code == 403
    # the legal entity's number reaches the same employer (granted through the business unit)
    got = receipts(post_stream(client, provider, as_stream(nav_ad("L-1", orgnr=ORG_LEGAL))))
    assert got[0]["status"] == "RECEIVED"
    with Session(client.app.state.engine) as s:
        assert s.get(Vacancy, got[0]["vacancyId"]).employer_id == provider["employer_id"]
    granted = client.post(f"/nav-providers/{other['id']}/grants", headers=world.headers["consultant"],
                          json={"organisation_numbers": [ORG_NEW]}).json()
    assert granted["organisation_numbers"] == sorted([ORG_OTHER, ORG_NEW])
    values = client.get("/nav-import/api/v1/properties/values", headers=provider["headers"]).json()
    assert "Heltid" in values["extent"] and "Frilanser" in values["engagementtype"]
    assert ORG_A  # (imported for the reader: the provider fixture's grant)
