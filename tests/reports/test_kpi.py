from datetime import date

import pytest

from reports.kpi import EventFileError, read_events, result_table

HEADER = "date,project,candidate_id,event,ref\n"


def table(text: str, **kw) -> dict:
    return {(r.project, r.metric): (r.count, r.percent) for r in result_table(read_events(text.encode()), **kw)}


def test_counting_rules_and_half_up_percent():
    text = HEADER + "".join([
        "2027-01-02,Oslo,c1,candidate_assigned,\n",
        "2027-01-02,Oslo,c2,candidate_assigned,\n",
        "2027-01-03,Oslo,c3,candidate_assigned,\n",
        "2027-01-03,Oslo,c4,candidate_assigned,\n",
        "2027-01-04,Oslo,c4,candidate_assigned,\n",  # the same candidate twice counts once
        "2027-01-05,Oslo,c1,need_uncovered,\n",
        "2027-01-06,Oslo,c1,need_uncovered,\n",  # distinct candidates
        "2027-01-07,Oslo,c1,interview,\n",
        "2027-01-08,Oslo,c1,interview,\n",
        "2027-01-09,Oslo,c2,interview,\n",
        "2027-01-09,Oslo,c2,interview,\n",
        "2027-01-09,Oslo,c3,interview,\n",  # 5 events / 4 candidates = 125 %
        "2027-01-10,Oslo,c1,employer_contacted_new,77\n",
        "2027-01-11,Oslo,c2,employer_contacted_new,77\n",  # distinct employers
        "2027-01-11,Oslo,,employer_in_dialogue,78\n",
        "2027-01-12,Oslo,c1,offer_received,\n",  # 1/4 = 25 %
        "2027-01-12,Bergen,b1,candidate_assigned,\n",
        "2027-01-12,Bergen,b2,candidate_assigned,\n",
        "2027-01-12,Bergen,b3,candidate_assigned,\n",
        "2027-01-13,Bergen,b1,offer_accepted,\n",  # 1/3 = 33.33 -> 33
        "2027-01-13,Bergen,b1,documented_progress,\n",
        "2027-01-13,Bergen,b2,documented_progress,\n",  # 2/3 = 66.67 -> 67
    ])
    t = table(text)
    assert t[("Oslo", "candidates")] == (4, 100)
    assert t[("Oslo", "need_uncovered")] == (1, 25)
    assert t[("Oslo", "interview")] == (5, 125)
    assert t[("Oslo", "employer_contacted_new")] == (1, 25)
    assert t[("Oslo", "employer_in_dialogue")] == (1, 25)
    assert t[("Oslo", "offer_received")] == (1, 25)
    assert t[("Bergen", "offer_accepted")] == (1, 33)
    assert t[("Bergen", "documented_progress")] == (2, 67)
    assert t[("Bergen", "chance_lost")] == (0, 0)


def test_half_is_rounded_up():
    rows = [f"2027-01-01,P,c{i},candidate_assigned,\n" for i in range(8)] + ["2027-01-02,P,c0,offer_received,\n"]
    assert table(HEADER + "".join(rows))[("P", "offer_received")] == (1, 13)  # 12.5 -> 13


def test_period_filter_and_no_candidates_gives_empty_percent():
    text = HEADER + "2027-01-01,P,c1,candidate_assigned,\n2027-03-01,P,c1,offer_received,\n"
    t = table(text, date_from=date(2027, 2, 1), date_to=date(2027, 3, 31))
    assert t[("P", "candidates")] == (0, None) and t[("P", "offer_received")] == (1, None)


def test_small_cells_can_be_suppressed():
    rows = [f"2027-01-01,P,c{i},candidate_assigned,\n" for i in range(6)] + ["2027-01-02,P,c0,offer_received,\n"]
    t = table(HEADER + "".join(rows), suppress_small=True)
    assert t[("P", "candidates")] == (6, 100)
    assert t[("P", "offer_received")] == (None, None)
    assert t[("P", "chance_lost")] == (0, 0)  # zero is not a small cell


def test_bad_rows_are_all_reported_with_their_spreadsheet_row_numbers():
    text = HEADER + "2027-01-01,P,c1,candidate_assigned,\n2027-13-01,P,c1,interview,\n2027-01-02,P,c1,hired,\n"
    with pytest.raises(EventFileError) as error:
        read_events(text.encode())
    assert error.value.problems == ["rad 3: ugyldig dato '2027-13-01' (bruk ÅÅÅÅ-MM-DD)", "rad 4: ukjent hendelse 'hired'"]


def test_missing_columns_and_encodings():
    with pytest.raises(EventFileError, match="mangler kolonne"):
        read_events(b"date,project,event\n2027-01-01,P,interview\n")
    latin1 = (HEADER.replace(",", ";") + "2027-01-01;Bærum;c1;candidate_assigned;\n").encode("cp1252")
    assert read_events(latin1)["project"].tolist() == ["Bærum"]
    bom = ("\ufeff" + HEADER + "2027-01-01,Tromsø,c1,candidate_assigned,\n").encode("utf-8")
    assert read_events(bom)["project"].tolist() == ["Tromsø"]


def test_cli_writes_the_exact_contract(tmp_path, capsys):
    from api.cli import main

    events = tmp_path / "E.csv"
    events.write_text(HEADER + "2027-01-01,Oslo,c1,candidate_assigned,\n2027-01-02,Oslo,c1,interview,\n"
                      "2027-02-01,Oslo,c1,offer_received,\n")
    out = tmp_path / "K.csv"
    assert main(["report", "kpi", "--events", str(events), "--out", str(out), "--to", "2027-01-31"]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "project,metric,count,percent"
    assert "Oslo,candidates,1,100" in lines and "Oslo,interview,1,100" in lines and "Oslo,offer_received,0,0" in lines
    assert len(lines) == 1 + 15


def test_cli_bad_file_exit_2_and_no_output(tmp_path, capsys):
    from api.cli import main

    events = tmp_path / "E.csv"
    events.write_text(HEADER + "2027-01-01,Oslo,c1,candidate_assigned,\nnot-a-date,Oslo,c1,interview,\n")
    out = tmp_path / "K.csv"
    assert main(["report", "kpi", "--events", str(events), "--out", str(out)]) == 2
    assert not out.exists()
    assert "rad 3" in capsys.readouterr().err
    assert main(["report", "kpi", "--events", str(tmp_path / "missing.csv"), "--out", str(out)]) == 2
