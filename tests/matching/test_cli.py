"""The CSV contract of `brobygger match/shortlist/assign`, through api.cli.main."""

import csv

import pytest

from api.cli import main

C_HEADER = ("candidate_id,municipality,max_commute_km,desired_fte,available_from,available_to,"
            "norwegian_level,certificates,wishes,experience,hours,formidlingsklar")
V_HEADER = ("vacancy_id,employer_id,title,occupation,municipality,fte,start,end,headcount,hours,"
            "required_certificates,min_norwegian_level")
CANDIDATES = [
    "k1,0301,30,100,2026-12-01,,B1,driving_licence_B;police_certificate,renhold;lager,renholder,day;evening,true",
    "k2,3201,40,50,2026-12-01,,A2,,butikk,kassemedarbeider,day,true",
    "k3,3024,30,100,2026-12-01,,B2,,renhold,,day;evening;weekend,false",
]
VACANCIES = [
    "v1,e1,Renholder,renhold,0301,50,2027-01-01,,1,day,,A2",
    "v2,e2,Lagermedarbeider,lager,3201,50,2027-01-01,,1,day,driving_licence_B,",
    "v3,e3,Butikkmedarbeider,butikk,3203,50,2027-01-01,2027-06-30,2,day,,",
]


def write(path, header, rows, bom=False):
    path.write_text(("\ufeff" if bom else "") + "\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def files(tmp_path):
    return (write(tmp_path / "C.csv", C_HEADER, CANDIDATES, bom=True),
            write(tmp_path / "V.csv", V_HEADER, VACANCIES), tmp_path)


def test_match_writes_one_row_per_pair(files):
    c, v, tmp = files
    out = tmp / "P.csv"
    assert main(["match", "--candidates", c, "--vacancies", v, "--start", "2027-01-01", "--out", str(out),
                 "--time-limit", "5", "--seed", "1"]) == 0
    rows = read(out)
    assert list(rows[0]) == ["candidate_id", "vacancy_id", "employer_id", "fte", "start", "end", "score",
                             "year_coverage", "explanation"]
    pairs = {(r["candidate_id"], r["vacancy_id"]) for r in rows}
    assert pairs == {("k1", "v1"), ("k1", "v2"), ("k2", "v3")}  # k3 is not formidlingsklar
    k1 = [r for r in rows if r["candidate_id"] == "k1"]
    assert {r["year_coverage"] for r in k1} == {"100.0"}
    k2 = next(r for r in rows if r["candidate_id"] == "k2")
    assert (k2["start"], k2["end"], k2["employer_id"], k2["fte"]) == ("2027-01-01", "2027-06-30", "e3", "50")
    assert float(k2["year_coverage"]) == pytest.approx(100 * 181 / 365, abs=0.05)
    assert "oppfyller" in k2["explanation"]


def test_match_with_old_municipality_numbers_and_unlock_file(files):
    c, v, tmp = files
    unlock = tmp / "U.csv"
    assert main(["match", "--candidates", c, "--vacancies", v, "--start", "2027-01-01",
                 "--out", str(tmp / "P.csv"), "--unlock", str(unlock)]) == 0
    # A driving licence would make v2 eligible for k2, but the proposal already gives v2 (one
    # place) to k1: only vacancies left open count.
    assert "k2" not in {r["candidate_id"] for r in read(unlock)}


def test_shortlist(files):
    c, v, tmp = files
    out = tmp / "S.csv"
    assert main(["shortlist", "--candidates", c, "--vacancies", v, "--start", "2027-01-01", "--out", str(out),
                 "--per-vacancy", "2", "--per-candidate", "2"]) == 0
    rows = read(out)
    assert list(rows[0]) == ["vacancy_id", "rank", "candidate_id", "score", "explanation"]
    per_vacancy = {}
    for r in rows:
        per_vacancy.setdefault(r["vacancy_id"], []).append(int(r["rank"]))
    assert all(ranks == list(range(1, len(ranks) + 1)) and len(ranks) <= 2 for ranks in per_vacancy.values())
    assert sum(1 for r in rows if r["candidate_id"] == "k1") <= 2


def test_assign_maximises_total_score(tmp_path):
    pairs = write(tmp_path / "PAIRS.csv", "candidate_id,vacancy_id,score",
                  ["a,x,10", "a,y,9", "b,x,8", "b,y,0.5", "c,z,0"], bom=True)
    out = tmp_path / "A.csv"
    assert main(["assign", "--pairs", pairs, "--out", str(out)]) == 0
    rows = read(out)
    assert list(rows[0]) == ["candidate_id", "vacancy_id", "score"]
    assert {(r["candidate_id"], r["vacancy_id"]) for r in rows} == {("a", "y"), ("b", "x")}  # 17 > 10.5


@pytest.mark.parametrize("rows,row,needle", [
    (["a,x,1", "b,y,-3"], 3, "score"),
    (["a,x,1", "a,x,2"], 3, "rad 2"),
    (["a,x,1", ",y,2"], 3, "candidate_id"),
    (["a,x,1", "b,y,abc"], 3, "abc"),
    (["a,x,1", "b,y,1,extra"], 3, "celler"),
])
def test_assign_malformed_rows(tmp_path, capsys, rows, row, needle):
    pairs = write(tmp_path / "PAIRS.csv", "candidate_id,vacancy_id,score", rows)
    out = tmp_path / "A.csv"
    assert main(["assign", "--pairs", pairs, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"rad {row}" in err and needle in err
    assert not out.exists()


def test_assign_missing_column(tmp_path, capsys):
    pairs = write(tmp_path / "PAIRS.csv", "candidate_id,vacancy,score", ["a,x,1"])
    assert main(["assign", "--pairs", pairs, "--out", str(tmp_path / "A.csv")]) == 2
    assert "rad 1" in capsys.readouterr().err
    assert not (tmp_path / "A.csv").exists()


@pytest.mark.parametrize("which,index,bad,needle", [
    ("C", 1, "k2,9999,20,50,2026-12-01,,A2,,butikk,,day,true", "kommunenummer"),
    ("C", 1, "k2,301,20,50,2026-12-01,,A2,,butikk,,day,true", "firesifret"),
    ("C", 1, "k2,3201,20,150,2026-12-01,,A2,,butikk,,day,true", "desired_fte"),
    ("C", 1, "k2,3201,20,50,01.12.2026,,A2,,butikk,,day,true", "available_from"),
    ("C", 1, "k2,3201,20,50,2026-12-01,,D1,,butikk,,day,true", "norwegian_level"),
    ("C", 1, "k2,3201,20,50,2026-12-01,,A2,,butikk,,morning,true", "hours"),
    ("C", 1, "k2,3201,20,50,2026-12-01,,A2,,butikk,,day,kanskje", "formidlingsklar"),
    ("C", 1, "k1,3201,20,50,2026-12-01,,A2,,butikk,,day,true", "finnes allerede i rad 2"),
    ("V", 2, "v3,e3,Butikk,butikk,3203,50,2027-07-01,2027-06-30,2,day,,", "end er før start"),
    ("V", 2, "v3,e3,Butikk,butikk,3203,0,2027-01-01,,2,day,,", "fte"),
    ("V", 2, "v3,e3,Butikk,butikk,3203,50,,,2,day,,", "start"),
    ("V", 2, "v3,e3,Butikk,butikk,3203,50,2027-01-01,,0,day,,", "headcount"),
])
def test_match_malformed_rows(tmp_path, capsys, which, index, bad, needle):
    cands, vacs = list(CANDIDATES), list(VACANCIES)
    (cands if which == "C" else vacs)[index] = bad
    c = write(tmp_path / "C.csv", C_HEADER, cands)
    v = write(tmp_path / "V.csv", V_HEADER, vacs)
    out = tmp_path / "P.csv"
    for command in ("match", "shortlist"):
        assert main([command, "--candidates", c, "--vacancies", v, "--start", "2027-01-01", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"{which}.csv, rad {index + 2}" in err and needle in err
        assert not out.exists()


def test_blank_lines_do_not_shift_row_numbers(tmp_path, capsys):
    c = write(tmp_path / "C.csv", C_HEADER, [CANDIDATES[0], "", "k9,0301,x,50,2026-12-01,,,,,,day,true"])
    v = write(tmp_path / "V.csv", V_HEADER, VACANCIES)
    assert main(["match", "--candidates", c, "--vacancies", v, "--start", "2027-01-01",
                 "--out", str(tmp_path / "P.csv")]) == 2
    assert "C.csv, rad 4" in capsys.readouterr().err


def test_semicolon_separated_file_from_norwegian_excel(tmp_path):
    header = C_HEADER.replace(",", ";")
    row = 'k1;0301;30;100;2026-12-01;;B1;"driving_licence_B;police_certificate";renhold;;day;true'
    c = write(tmp_path / "C.csv", header, [row])
    v = write(tmp_path / "V.csv", V_HEADER, VACANCIES)
    out = tmp_path / "P.csv"
    assert main(["match", "--candidates", c, "--vacancies", v, "--start", "2027-01-01", "--out", str(out)]) == 0
    assert {r["vacancy_id"] for r in read(out)} == {"v1", "v2"}
