"""The scoring rules, on the shipped default definition and on small hand-made ones."""

from datetime import date, timedelta

import pytest

from readiness.scoring import ItemRule, ItemState, ItemStatusValue, evaluate, round_half_up
from readiness.service import default_definition_in

DAY = date(2026, 11, 22)
DONE = ItemStatusValue.done


def default_rules() -> tuple[list[ItemRule], int]:
    d = default_definition_in()
    return [ItemRule(i.key, i.label, i.kind, i.weight, i.step, i.actor, i.expiry_days) for i in d.items], d.ready_threshold


def run(states, rules=None, threshold=None, **kw):
    default, default_threshold = default_rules()
    return evaluate(
        rules or default, states, as_of=kw.pop("as_of", DAY),
        ready_threshold=default_threshold if threshold is None else threshold, definition_version=1, **kw,
    )


def all_done(rules, evidence=DAY - timedelta(days=10)):
    return {r.key: ItemState(DONE, evidence) for r in rules}


def test_default_definition_has_the_nine_criteria_as_gates():
    rules, _ = default_rules()
    gates = [r for r in rules if r.kind == "gate"]
    assert len(gates) == 9
    assert {r.step for r in rules} == {1, 2, 3, 4, 5}
    descriptions = " ".join(i.description for i in default_definition_in().items)
    for n in range(1, 10):
        assert f"kriterium {n})" in descriptions


def test_everything_done_is_formidlingsklar_on_step_6():
    rules, _ = default_rules()
    result = run(all_done(rules))
    assert result.score == 100
    assert result.formidlingsklar
    assert result.reasons == []
    assert result.step == 6
    assert result.exit_state == "job_ready"
    assert all(not keys for keys in result.missing.values())


def test_a_missing_gate_blocks_formidlingsklar_and_is_named():
    rules, _ = default_rules()
    states = all_done(rules)
    del states["interview_technique"]
    result = run(states)
    assert not result.formidlingsklar
    assert result.reasons == ["Krav mangler: Intervjutrening"]
    assert result.step == 4  # the lowest step with something missing
    assert result.missing["consultant"] == ["interview_technique"]
    assert result.score == 92  # 121 of 131 points


def test_score_under_threshold_blocks_even_with_all_gates():
    rules, threshold = default_rules()
    states = {r.key: ItemState(DONE, DAY) for r in rules if r.kind == "gate"}
    result = run(states)
    assert result.score == round_half_up(90 * 100 / 123) == 73  # tasks (police certificate, vaccinations) count no points
    assert not result.formidlingsklar
    assert result.reasons == [f"Poengsum 73 er under terskelen {threshold}"]
    assert result.step == 1  # drug-free is step 1 and missing


def test_police_certificate_expires_after_90_days():
    rules, _ = default_rules()
    states = all_done(rules)
    issued = DAY - timedelta(days=90)
    states["police_certificate"] = ItemState(DONE, issued)
    on_last_day = run(states)
    assert on_last_day.expired == [] and on_last_day.step == 6

    day_after = run(states, as_of=DAY + timedelta(days=1))
    assert day_after.expired == ["police_certificate"]
    assert "police_certificate" in day_after.missing["candidate"]
    # A task before the start: listed as missing, but it costs no points and never stops the
    # candidate being formidlingsklar (matching marks the pairs "politiattest må hentes før oppstart").
    assert day_after.score == 100 and day_after.formidlingsklar and day_after.step == 6
    police = next(i for i in day_after.items if i.key == "police_certificate")
    assert police.expires_on == DAY and not police.satisfied


def test_expired_gate_is_reported_as_expired():
    rules = [ItemRule("cert", "Attest", "gate", 1, 1, "candidate", expiry_days=30)]
    result = run({"cert": ItemState(DONE, DAY - timedelta(days=31))}, rules=rules, threshold=0)
    assert result.reasons == ["Krav utløpt: Attest"]


def test_not_relevant_items_leave_the_denominator():
    rules = [
        ItemRule("a", "A", "weighted", 3, 1, "staff"),
        ItemRule("b", "B", "weighted", 1, 1, "staff"),
    ]
    only_a = run({"a": ItemState(DONE, DAY)}, rules=rules, threshold=0)
    assert only_a.score == 75
    b_not_relevant = run(
        {"a": ItemState(DONE, DAY), "b": ItemState(ItemStatusValue.not_relevant)}, rules=rules, threshold=0
    )
    assert b_not_relevant.score == 100
    assert b_not_relevant.step == 6


def test_in_progress_earns_nothing():
    rules = [ItemRule("a", "A", "weighted", 1, 1, "staff"), ItemRule("b", "B", "weighted", 1, 2, "staff")]
    result = run({"a": ItemState(ItemStatusValue.in_progress), "b": ItemState(DONE, DAY)}, rules=rules, threshold=60)
    assert result.score == 50
    assert not result.formidlingsklar
    assert result.step == 1


def test_score_rounds_half_up():
    rules = [ItemRule(k, k, "weighted", 1, 1, "staff") for k in "abcdefgh"]  # 1 of 8 = 12.5
    assert run({"a": ItemState(DONE, DAY)}, rules=rules, threshold=0).score == 13


def test_candidate_in_work_stands_on_step_7():
    rules, _ = default_rules()
    assert run({}, programme_status="in_work").step == 7
    assert run(all_done(rules), programme_status="in_work").step == 7


def test_complete_steps_but_under_threshold_stands_on_step_5():
    rules = [ItemRule("a", "A", "weighted", 1, 1, "staff")]
    result = run({"a": ItemState(DONE, DAY)}, rules=rules, threshold=101)
    assert not result.formidlingsklar and result.step == 5


@pytest.mark.parametrize(
    ("done_keys", "override", "expected"),
    [
        ([], None, "unclarified"),
        (["intake_assessment"], None, "needs_more_help"),
        (["intake_assessment", "cv_and_references", "norwegian_for_work", "motivation_full_position",
          "interview_technique", "email_attachments"], None, "needs_more_help"),  # 60 of 131
        (["intake_assessment", "cv_and_references", "norwegian_for_work", "motivation_full_position",
          "interview_technique", "email_attachments", "programme_completed", "qualifications_documented"],
         None, "measures_ready"),  # 80 of 131
        ([], "disability_benefit", "disability_benefit"),
    ],
)
def test_exit_states(done_keys, override, expected):
    result = run({k: ItemState(DONE, DAY) for k in done_keys}, exit_assessment=override)
    assert result.exit_state == expected


def test_missing_items_are_grouped_by_who_must_act():
    result = run({})
    assert "intake_assessment" in result.missing["staff"]
    assert "cv_and_references" in result.missing["candidate"]
    assert "qualifications_documented" in result.missing["consultant"]
    assert sum(len(v) for v in result.missing.values()) == 20


def test_a_missing_police_certificate_alone_never_makes_a_candidate_not_formidlingsklar():
    """On the first shipped edition a missing police certificate cost 5 points and could tip a
    candidate under the threshold; on the current one it is a task before the start."""
    from readiness.service import first_shipped_definition_in

    weighted_missing = {"job_certificates", "work_practice", "employer_assessment", "labour_market_actors",
                        "employer_expectations", "realistic_goals"}
    for definition, ready in ((first_shipped_definition_in(), False), (default_definition_in(), True)):
        rules = [ItemRule(i.key, i.label, i.kind, i.weight, i.step, i.actor, i.expiry_days) for i in definition.items]
        states = {k: v for k, v in all_done(rules).items() if k not in weighted_missing}
        with_certificate = run(states, rules=rules)
        del states["police_certificate"]
        without = run(states, rules=rules)
        assert with_certificate.formidlingsklar
        assert without.formidlingsklar is ready
        assert "police_certificate" in without.missing["candidate"]


def test_the_full_time_gate_reads_as_the_wanted_share():
    item = next(i for i in default_definition_in().items if i.key == "programme_completed")
    assert item.kind == "gate" and item.label == "Klar for arbeid i ønsket stillingsandel"
    assert "heltid" not in (item.label + item.description).lower()
    assert "ønsker" in item.description and "(kriterium 2)" in item.description
