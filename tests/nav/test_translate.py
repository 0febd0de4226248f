"""Translating NAV's values into brobygger's, never inventing a fact."""

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from core.types import utcnow
from employers.models import Employer, Vacancy
from employers.service import close_expired
from nav.stream import Parsed, ParseError, split_objects
from nav.translate import AdError, parse_date, share, suggested_requirements, translate
from tests.nav.conftest import as_stream, nav_ad


@pytest.mark.parametrize(("extent", "percent", "expected"), [
    (["Heltid"], None, 100), (["Deltid"], None, None), (["Deltid"], "25%", 25), (["Deltid"], "40,5 %", 40),
    (["Deltid"], "40-60%", None), ([], None, None), (["Heltid", "Deltid"], None, None)])
def test_share_is_the_percentage_or_full_time_or_unknown(extent, percent, expected):
    assert share(extent, percent) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("01.05.2019", date(2019, 5, 1)), ("01/06/2019", date(2019, 6, 1)), ("2021-06-01", date(2021, 6, 1)),
    ("1.2.27", date(2027, 2, 1)), ("Snarest", None), ("Etter avtale", None), ("31.02.2027", None), ("Uke 34", None)])
def test_a_start_is_a_date_only_where_the_text_is_one(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("engagement", "contract", "missing_end"), [
    ("Fast", "permanent", False), ("Sesong", "seasonal", True), ("Feriejobb", "seasonal", True),
    ("Vikariat", "temporary", True), ("Engasjement", "temporary", True), ("Prosjekt", "temporary", True),
    ("Åremål", "temporary", True), ("Lærling", None, False)])
def test_engagement_types_map_to_contract_types(engagement, contract, missing_end):
    t = translate(nav_ad("E", properties={"engagementtype": engagement}))
    assert t.values["contract_type"] == contract
    assert ("end" in t.missing) is missing_end  # NAV ads carry no end date
    assert ("contract_type" in t.missing) is (contract is None)


@pytest.mark.parametrize("engagement", ["Frilanser", "Selvstendig næringsdrivende"])
def test_self_employment_is_refused(engagement):
    with pytest.raises(AdError) as err:
        translate(nav_ad("F", properties={"engagementtype": engagement}))
    assert err.value.field == "properties.engagementtype"


def test_location_by_municipality_name_when_there_is_no_postal_code():
    t = translate(nav_ad("M", locationList=[{"municipal": "LILLESTRØM", "country": "NORGE"}]))
    assert t.values["municipality_code"] == "3205"
    with pytest.raises(AdError) as err:
        translate(nav_ad("M", locationList=[{"municipal": "Atlantis"}]))
    assert err.value.field == "locationList.0.municipal"


def test_occupation_from_the_title_when_there_is_no_category():
    t = translate(nav_ad("O", categoryList=[], title="Renholder"))
    assert t.values["occupation_code"] == "9112" and t.values["occupation_confidence"] >= 80
    unknown = translate(nav_ad("O", categoryList=[], title="Bli med på laget vårt!"))
    assert unknown.values["occupation_code"] is None and "occupation_code" in unknown.missing


def test_requirements_in_the_text_are_suggestions():
    found = suggested_requirements("Du har truckførerbevis og gyldig politiattest. Norskprøve 3 er et krav.")
    assert {(f["kind"], f["code"]) for f in found} == {("certificate", "truck_licence"),
                                                       ("police_certificate", None), ("norwegian_level", "B1")}


def test_the_stream_splitter_reads_objects_across_any_chunking():
    body = as_stream(nav_ad("S-1", adText='<p>"sitat" med \\\\ og {klammer}</p>'), nav_ad("S-2"))
    for size in (1, 3, 64, len(body)):
        parsed = [x for x in split_objects(body[i:i + size] for i in range(0, len(body), size)) if x is not None]
        assert [p.value["reference"] for p in parsed] == ["S-1", "S-2"] and all(isinstance(p, Parsed) for p in parsed)
    cut = [x for x in split_objects([body[:-5]]) if x is not None]
    assert isinstance(cut[-1], ParseError)


def test_expired_vacancies_close_themselves(engine):
    with Session(engine) as s:
        employer = Employer(organisation_number="974760673", name="A", sector="cleaning", municipality_code="0301")
        s.add(employer)
        s.flush()
        old = Vacancy(employer_id=employer.id, title="Gammel", municipality_code="0301",
                      expires_at=utcnow() - timedelta(days=1))
        new = Vacancy(employer_id=employer.id, title="Ny", municipality_code="0301",
                      expires_at=utcnow() + timedelta(days=1))
        s.add_all([old, new])
        s.flush()
        assert close_expired(s) == [old.id]
        assert (old.status, new.status) == ("closed", "open")
