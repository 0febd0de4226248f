import pytest

ORG_A, ORG_B = "974760673", "923609016"  # world's employer user belongs to ORG_A


def employer_body(org: str, **overrides) -> dict:
    body = {"organisation_number": org, "name": f"Arbeidsgiver {org}", "sector": "cleaning",
            "municipality_code": "0301", "employees": 40}
    body.update(overrides)
    return body


def vacancy_body(**overrides) -> dict:
    body = {"title": "Renholder 50 %, kveld", "occupation_code": "9112", "municipality_code": "0301", "fte": 50,
            "contract_type": "permanent", "start": "2027-02-01", "working_hours": ["evening"], "headcount": 2,
            "min_norwegian_level": "B1", "description": "Kveldsrenhold av kontorbygg."}
    body.update(overrides)
    return body


@pytest.fixture
def employers(client, world) -> dict:
    """Two employers in the register, each with an API key for its integration."""
    out = {}
    for name, org in (("a", ORG_A), ("b", ORG_B)):
        created = client.post("/employers", json=employer_body(org), headers=world.headers["consultant"])
        assert created.status_code == 201, created.text
        key = client.post("/api-keys", json={"organisation_number": org, "label": "ATS"},
                          headers=world.headers["consultant"]).json()
        out[name] = {"id": created.json()["id"], "key": {"X-API-Key": key["key"]}, "key_id": key["id"]}
    return out
