"""Ads in NAV's import format, written for these tests from NAV's provider documentation."""

import json

import pytest

ORG_A = "974760673"  # in the register (the world's employer user belongs to it)
ORG_NEW = "923456783"  # granted, not in the register: added as potential
ORG_OTHER = "934567897"  # not granted
ORG_LEGAL = "812345672"  # a legal entity (hovedenhet) of ORG_A


def nav_ad(reference: str, orgnr: str = ORG_A, **overrides) -> dict:
    """A cleaning job in Oslo with everything matching needs."""
    ad = {
        "reference": reference,
        "positions": 2,
        "title": "Renholdere til kveldsrenhold på Økern",
        "adText": "<p>Vi søker renholdere til kontorbygg.</p><ul><li>Norsk muntlig på B1-nivå</li>"
                  "<li>Førerkort klasse B er en fordel</li></ul>",
        "published": "2027-01-04T08:00:00",
        "expires": "2027-12-31T00:00:00",
        "privacy": "SHOW_ALL",
        "contactList": [{"name": "Kari Leder", "title": "Driftsleder", "email": "kari@renhold.example",
                         "phone": "+47 400 00 000"}],
        "locationList": [{"address": "Økernveien 1", "postalCode": "0580", "county": "OSLO", "municipal": "OSLO",
                          "city": "OSLO", "country": "NORGE"}],
        "properties": {
            "extent": "Deltid", "jobpercentage": "50%", "engagementtype": "Fast", "starttime": "01.02.2027",
            "workhours": "[\"Kveld\"]", "workday": "[\"Ukedager\"]", "applicationdue": "15.01.2027",
            "applicationurl": "https://ats.example/apply/1", "applicationemail": "jobb@renhold.example",
            "keywords": "renhold;kveld", "sector": "Privat", "jobarrangement": "Vakt",
        },
        "categoryList": [{"code": "911201", "categoryType": "STYRK08", "name": "Renholder"}],
        "employer": {"reference": "emp-1", "businessName": "Renhold Øst AS", "orgnr": orgnr,
                     "location": {"address": "Storgata 1", "postalCode": "0155", "city": "OSLO"}},
    }
    for key, value in overrides.items():
        if key == "properties":
            ad["properties"] = {**ad["properties"], **value}
        else:
            ad[key] = value
    return ad


def as_stream(*ads: dict) -> bytes:
    """Concatenated, pretty-printed objects, as NAV's documentation sends them."""
    return "\n".join(json.dumps(ad, indent=2, ensure_ascii=False) for ad in ads).encode()


def receipts(response) -> list[dict]:
    text = response.text
    decoder, out, pos = json.JSONDecoder(), [], 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        obj, pos = decoder.raw_decode(text, pos)
        out.append(obj)
    return out


@pytest.fixture
def provider(client, world) -> dict:
    """ORG_A in the register; a provider key granted ORG_A and ORG_NEW."""
    created = client.post("/employers", headers=world.headers["consultant"], json={
        "organisation_number": ORG_A, "legal_entity_number": ORG_LEGAL, "name": "Renhold Øst AS",
        "sector": "cleaning", "municipality_code": "0301"})
    assert created.status_code == 201, created.text
    response = client.post("/nav-providers", headers=world.headers["consultant"], json={
        "name": "Webcruiter", "email": "drift@ats.example", "organisation_numbers": [ORG_A, ORG_NEW]})
    assert response.status_code == 201, response.text
    body = response.json()
    return {"id": body["id"], "headers": {"Authorization": f"Bearer {body['key']}"}, "employer_id": created.json()["id"]}


def post_stream(client, provider, body: bytes):
    return client.post(f"/nav-import/api/v1/transfers/{provider['id']}", content=body,
                       headers={**provider["headers"], "Content-Type": "application/x-json-stream",
                                "Accept": "application/x-json-stream"})
