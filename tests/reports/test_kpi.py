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


def test_base_is_everyone_in_the_process_during_the_period_not_those_handed_over_in_it():
    """The defect: a report for April-June of candidates handed over in January had no base and no
    percent while still counting their interviews."""
    text = HEADER + "2027-01-10,P,c1,candidate_assigned,\n2027-01-12,P,c2,candidate_assigned,\n" \
        "2027-02-01,P,c2,removed_from_process,\n2027-05-01,P,c1,interview,\n2027-05-02,P,c3,candidate_assigned,\n"
    t = table(text, date_from=date(2027, 4, 1), date_to=date(2027, 6, 30))
    assert t[("P", "candidates")] == (2, 100)  # c1 (still in) and c3 (handed over in the period); c2 left in February
    assert t[("P", "handed_over")] == (1, 50)
    assert t[("P", "interview")] == (1, 50)


def test_rows_of_candidates_count_only_the_base_so_they_never_pass_it():
    """Found with the demo data: 59 candidates with documented progress against a base of 26 (227 %),
    because progress was counted for everyone, also those never handed over or out of the process.
    Rows of events and employers keep their percent of the base, as the funder's table has it (three
    interviews of one candidate: 300 %)."""
    text = HEADER + "".join([
        "2027-01-01,P,c1,candidate_assigned,\n", "2027-03-05,P,c1,documented_progress,\n",
        "2027-03-06,P,c1,need_uncovered,\n",
        "2027-03-05,P,intake,documented_progress,\n",  # never handed over: not in the base
        "2027-03-05,P,intake,need_uncovered,\n",
        "2027-01-01,P,gone,candidate_assigned,\n", "2027-02-01,P,gone,removed_from_process,\n",
        "2027-03-07,P,gone,documented_progress,\n",  # left before the period
        "2027-03-08,P,c1,interview,\n", "2027-03-09,P,c1,interview,\n", "2027-03-10,P,c1,interview,\n",
    ])
    t = table(text, date_from=date(2027, 3, 1), date_to=date(2027, 3, 31))
    assert t[("P", "candidates")] == (1, 100)
    assert t[("P", "documented_progress")] == (1, 100) and t[("P", "need_uncovered")] == (1, 100)
    assert t[("P", "interview")] == (3, 300)


def test_taken_out_and_back_in_and_exits_close_the_span():
    text = HEADER + "".join([
        "2027-01-01,P,c1,candidate_assigned,\n", "2027-02-01,P,c1,removed_from_process,\n",
        "2027-05-01,P,c1,taken_back_in,\n",  # back in: in the base of May, not of March
        "2027-01-01,P,c2,candidate_assigned,\n", "2027-02-15,P,c2,exit_completed,to_work\n",
        "2027-01-01,P,c3,candidate_assigned,\n", "2027-03-10,P,c3,exit_interrupted,moved\n",
    ])
    march = table(text, date_from=date(2027, 3, 1), date_to=date(2027, 3, 31))
    assert march[("P", "candidates")] == (1, 100)  # c3 until it left on 10 March
    assert march[("P", "interrupted")] == (1, 100) and march[("P", "interrupted:moved")] == (1, 100)
    assert march[("P", "completed")] == (0, 0)
    may = table(text, date_from=date(2027, 5, 1), date_to=date(2027, 5, 31))
    assert may[("P", "candidates")] == (1, 100) and may[("P", "taken_back_in")] == (1, 100)


def test_each_employer_counts_once_per_period_as_new_or_existing():
    text = HEADER + "".join([
        "2027-01-01,P,c1,candidate_assigned,\n",
        "2027-01-05,P,c1,employer_contacted_new,70\n",  # first contacted before the period
        "2027-03-02,P,c1,employer_contacted_existing,70\n",
        "2027-03-03,P,c1,employer_contacted_new,80\n",  # first contact in the period ...
        "2027-03-20,P,c1,employer_contacted_existing,80\n",  # ... and again: still one new employer
        "2027-03-04,P,,employer_first_contact,90\n", "2027-03-04,P,,employer_contacted_new,90\n",  # about no candidate
    ])
    t = table(text, date_from=date(2027, 3, 1), date_to=date(2027, 3, 31))
    assert t[("P", "employer_contacted_existing")] == (1, 100)
    assert t[("P", "employer_contacted_new")] == (2, 200)


def test_refusals_and_exits_are_counted_by_reason():
    text = HEADER + "".join([
        "2027-01-01,P,c1,referred,\n", "2027-01-02,P,c2,referred,\n", "2027-01-03,P,c3,referred,\n",
        "2027-01-10,P,c1,admitted,\n", "2027-01-10,P,c1,candidate_assigned,\n",
        "2027-01-11,P,c2,refused,no_show\n", "2027-01-11,P,c3,refused,other\n",
        "2027-06-01,P,c1,permanent_job,\n",
    ])
    t = table(text)
    assert t[("P", "referred")] == (3, 300) and t[("P", "admitted")] == (1, 100)
    assert t[("P", "refused")] == (2, 200) and t[("P", "refused:no_show")] == (1, 100)
    assert t[("P", "refused:moved")] == (0, 0) and t[("P", "permanent_job")] == (1, 100)
    labels = {r.metric: r.label for r in result_table(read_events(text.encode()))}
    assert labels["refused:no_show"] == "Avslag: Møtte ikke"
    assert labels["interrupted:full_day_too_much"] == "Avbrutt: Klarte ikke et fulltidsprogram"
    with pytest.raises(EventFileError, match="årsakskode"):
        read_events((HEADER + "2027-01-11,P,c2,refused,\n").encode())


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
    assert len(lines) == 1 + 43  # 20 rows, then the programme's coded rows


def test_cli_bad_file_exit_2_and_no_output(tmp_path, capsys):
    from api.cli import main

    events = tmp_path / "E.csv"
    events.write_text(HEADER + "2027-01-01,Oslo,c1,candidate_assigned,\nnot-a-date,Oslo,c1,interview,\n")
    out = tmp_path / "K.csv"
    assert main(["report", "kpi", "--events", str(events), "--out", str(out)]) == 2
    assert not out.exists()
    assert "rad 3" in capsys.readouterr().err
    assert main(["report", "kpi", "--events", str(tmp_path / "missing.csv"), "--out", str(out)]) == 2
