"""The occupation component counts related occupations partly (same unit group fully, curated similar
work and the same minor group partly), so a wish for one shop job also finds the others."""

import numpy as np

from matching.eligibility import eligible_pairs
from matching.problem import MatchingProblem
from matching.scoring import ScoreWeights, score_pairs

from .helpers import cand, problem, vac


def occupation_points(p: MatchingProblem) -> dict[str, int]:
    pairs = eligible_pairs(p)
    scores = score_pairs(p, pairs, ScoreWeights())
    return {p.vacancies.ids[int(j)]: int(points) for j, points in zip(pairs.vac, scores.components["occupation"])}


def shop_wisher():
    return cand("k1", wishes=("butikkmedarbeider",), wish_codes=("5223",))


def test_related_occupations_earn_part_of_the_occupation_points():
    p = problem([shop_wisher()], [
        vac("kasse", title="Kassamedarbeider 50 %", occupation="Butikkmedarbeider", occupation_code="5223", fte=50),
        vac("påfyller", title="Nattpåfyller", occupation="Varepåfyller", occupation_code="9334", fte=50),
        vac("bensin", title="Stasjonsmedarbeider", occupation="Servicemedarbeider bensinstasjon",
            occupation_code="5245", fte=50),
        vac("sjef", title="Avdelingsleder", occupation="Butikkavdelingssjef", occupation_code="5222", fte=50),
        vac("lastebil", title="Sjåfør klasse C", occupation="Lastebilsjåfør", occupation_code="8332", fte=50),
    ])
    points = occupation_points(p)
    assert points["kasse"] == 35  # the same unit group
    assert points["påfyller"] >= 26 and points["bensin"] >= 26  # curated similar work (0.75)
    assert points["sjef"] >= 21  # the same minor group 522 (0.6)
    assert points["lastebil"] < 15  # unrelated work gets only what the words share
    assert points["kasse"] > points["påfyller"] > points["lastebil"]


def test_without_codes_the_score_is_the_text_similarity_as_before():
    with_codes = problem([shop_wisher()], [vac("v", title="Nattpåfyller", occupation="Varepåfyller",
                                               occupation_code="9334")])
    without = problem([cand("k1", wishes=("butikkmedarbeider",))], [vac("v", title="Nattpåfyller",
                                                                       occupation="Varepåfyller")])
    assert occupation_points(without)["v"] < occupation_points(with_codes)["v"]


def test_a_candidate_without_wishes_stays_neutral():
    p = problem([cand("k1")], [vac("v", title="Renholder", occupation="Renholder", occupation_code="9112")])
    assert occupation_points(p)["v"] == int(np.rint(0.5 * 35))


def test_csv_files_carry_codes_for_wishes_and_vacancies(tmp_path):
    from matching.csvio import read_candidates, read_vacancies

    c = tmp_path / "c.csv"
    c.write_text("candidate_id,municipality,max_commute_km,desired_fte,available_from,available_to,norwegian_level,"
                 "certificates,wishes,experience,hours,formidlingsklar\n"
                 "k1,0301,20,100,,,B1,,butikkmedarbeider;5321;noe helt annet,,day,true\n", encoding="utf-8")
    v = tmp_path / "v.csv"
    v.write_text("vacancy_id,employer_id,title,occupation,municipality,fte,start,end,headcount,hours,"
                 "required_certificates,min_norwegian_level\n"
                 "v1,e1,Kassemedarbeider,butikk,0301,50,2027-01-01,,1,day,,\n", encoding="utf-8")
    assert read_candidates(str(c))[0].wish_codes == ("5223", "5321")
    assert read_vacancies(str(v))[0].occupation_code == "5223"
