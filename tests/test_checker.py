from __future__ import annotations

from symptomatic import Checker, Finding


def test_reasons_put_what_the_person_has_first() -> None:
    checker = Checker()
    result = checker.check(
        age=30,
        sex="female",
        findings=[Finding("fever"), Finding("cough"), Finding("sore-throat", "absent")],
    )
    for condition in result.differential:
        for reasons in (condition.reasons_for, condition.reasons_against):
            assert len(reasons) <= 5
            statuses = [r.status for r in reasons]
            assert statuses == sorted(statuses, key=lambda s: s != "present"), condition.id
            present = [r.weight for r in reasons if r.status == "present"]
            assert present == sorted(present, key=abs, reverse=True)


def test_finding_result_words_the_finding() -> None:
    checker = Checker()
    found = checker.finding_result(Finding("E_55", "present", "V_101"), "fr")
    assert found.slug == "pain-location" and found.value == "V_101"
    assert found.value_label == checker.kb.value_labels["V_101"]["fr"]


def test_module_level_check_matches_checker() -> None:
    from symptomatic import check

    a = check(age=40, findings=[Finding("fever")]).to_dict()
    b = Checker().check(age=40, findings=[Finding("fever")]).to_dict()
    assert a == b
