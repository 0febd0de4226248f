import numpy as np
import pytest

from core import geography as geo


def test_all_municipalities_have_2024_numbers():
    codes = {m.code for m in geo.all_municipalities()}
    assert len(codes) == 357  # 356 in the package + Haram, re-established in 2024
    # none of the county numbers that ceased to exist on 1 January 2024 remain
    assert not {c for c in codes if c[:2] in {"30", "38", "54"}}
    assert {c[:2] for c in codes} == {"03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"}


@pytest.mark.parametrize(
    "code,name",
    [("3201", "Bærum"), ("3203", "Asker"), ("3301", "Drammen"), ("3107", "Fredrikstad"),
     ("4003", "Skien"), ("5501", "Tromsø"), ("5601", "Alta"), ("5605", "Sør-Varanger"),
     ("3905", "Tønsberg"), ("0301", "Oslo"), ("4601", "Bergen"), ("5001", "Trondheim"),
     ("1103", "Stavanger"), ("1508", "Ålesund"), ("1580", "Haram")],
)
def test_known_2024_numbers(code, name):
    assert geo.get_municipality(code).name == name


@pytest.mark.parametrize("old,new", [("3024", "3201"), ("3025", "3203"), ("3005", "3301"), ("3004", "3107"),
                                     ("3807", "4003"), ("5401", "5501"), ("1507", "1508")])
def test_old_numbers_are_aliases(old, new):
    assert geo.is_known(old)
    assert geo.get_municipality(old).code == new


def test_unknown_code_raises_clear_error():
    assert not geo.is_known("9999")
    with pytest.raises(geo.UnknownMunicipality) as err:
        geo.get_municipality("9999")
    assert isinstance(err.value, KeyError)
    assert "9999" in str(err.value)


def test_short_integer_codes_are_padded():
    assert geo.get_municipality(301).code == "0301"


def test_distances():
    assert geo.distance_km("0301", "0301") == 0.0
    oslo_bergen = geo.distance_km("0301", "4601")
    assert 290 < oslo_bergen < 330  # ~305 km as the crow flies between the package's points
    assert geo.distance_km("0301", "3201") == pytest.approx(geo.distance_km("3201", "0301"))
    assert geo.distance_km("0301", "3201") < 30


def test_vectorised_distance_matches_scalar():
    a = ["0301", "4601", "5501", "3024"]
    b = ["3201", "5001", "5601", "0301"]
    d = geo.distances_km(a, b)
    assert d.shape == (4,)
    np.testing.assert_allclose(d, [geo.distance_km(x, y) for x, y in zip(a, b)])
