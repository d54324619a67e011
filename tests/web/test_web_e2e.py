"""End to end: what a worried person sees and does on the web page, at 1280 and 390 px.

Assertions are about behaviour and never about exact condition names (the knowledge base
grows). Screenshots of every view go to ``artifacts/``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api")

from playwright.sync_api import Page, Route

from tests.web.conftest import Tab, run_axe, shot

URGENT = ("emergency", "emergency_ambulance")
EMERGENCY_TEXT = "crushing chest pain and I can't breathe"
COUGH_TEXT = "I have had a cough and a fever since yesterday"
MALE_ONLY = ("penis", "tip-of-the-penis", "scrotum", "right-testicle", "left-testicle")
FEMALE_ONLY = ("vagina", "clitoris", "hymen", "outer-lip-of-the-vulva-right-side")


# -- helpers ----------------------------------------------------------------------------------
def _start(page: Page, text: str, age: str = "34", sex: str = "female") -> None:
    page.locator("#text").fill(text)
    page.locator("#age").fill(age)
    page.locator("#sex").select_option(sex)
    page.locator("#start-button").click()


def _step(page: Page) -> int:
    return int(page.locator("main").get_attribute("data-step") or 0)


def _wait_step(page: Page, n: int) -> None:
    """Wait until the page has drawn its n-th view (no eval: the CSP forbids it)."""
    page.locator(f"main[data-step='{n}'][aria-busy='false']").wait_for(state="attached")


def _wait_notice(page: Page, kind: str) -> None:
    page.locator(f"#notice[data-kind='{kind}']:not([hidden])").wait_for(state="visible")


def _no_side_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    client = page.evaluate("document.documentElement.clientWidth")
    assert width <= client, f"horizontal scroll: {width} > {client}"


def _evidences(page: Page, server: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = page.request.get(server + "/v1/evidences?lang=en").json()
    return rows


def _force_question(page: Page, make: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    """The next diagnosis answer (real, from the server) asks the question ``make`` builds."""

    def handle(route: Route) -> None:
        response = route.fetch()
        data = response.json()
        data["next_question"] = make(data)
        data["should_stop"] = False
        route.fulfill(response=response, json=data)

    page.route("**/v1/diagnosis", handle, times=1)


def _question(
    evidence: dict[str, Any],
    values: list[dict[str, str]] | None = None,
    default: str | None = None,
) -> dict[str, Any]:
    choices = values if values is not None else evidence["values"]
    return {
        "evidence": evidence["evidence"],
        "kind": evidence["kind"],
        "text": evidence["question"],
        "choices": [*choices, {"value": "dont_know", "label": "don't know"}],
        "why": "This answer helps tell some conditions apart.",
        "number": 1,
        "max_questions": 30,
        "remaining": 29,
        "default": default,
    }


def _offered(evidence: str, sex: str) -> tuple[list[dict[str, str]], str | None]:
    """The choices (but "don't know") and the default of the server's question about
    ``evidence`` to a person of ``sex``, from the interview's own question builder."""
    from symptomatic import load_knowledge
    from symptomatic.language.compose.interview import DONT_KNOW, question

    kb = load_knowledge()
    q = question(
        kb, evidence, "en", why_text="", number=1, max_questions=30, remaining=29, gain=0.0, sex=sex
    )
    choices = [{"value": c.value, "label": c.label} for c in q.choices if c.value != DONT_KNOW]
    return choices, kb.evidence_by_id[evidence].default


def _to_result(page: Page) -> None:
    """From a question (or the result), stop and show the result."""
    if page.locator("#question").is_visible():
        n = _step(page)
        page.locator("#finish").click()
        _wait_step(page, n + 1)
    assert page.locator("#result").is_visible()


def _contrast(a: str, b: str) -> float:
    def lum(css: str) -> float:
        r, g, bl = (int(x) for x in re.findall(r"\d+", css)[:3])

        def ch(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(bl)

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _visible_sentences(page: Page, root: str) -> list[str]:
    """The sentences shown, one per paragraph or list item (not the "because of" lines:
    two conditions may share their reasons)."""
    selector = f"{root} :is(p:not(.why), blockquote, li:not(#conditions > li)):visible"
    texts: list[str] = page.locator(selector).all_inner_texts()
    return [" ".join(t.split()) for t in texts if len(t.strip()) > 25]


# -- start ------------------------------------------------------------------------------------
def test_start_view(tab: Tab, axe_source: str) -> None:
    page = tab.page
    assert page.title().startswith("symptomatic")
    for ident in ("text", "age", "sex"):
        assert page.locator(f"label[for={ident}]").count() == 1
    assert "not a diagnosis" in page.locator("main").inner_text().lower()
    assert page.locator("[role=alert]").count() == 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement !== document.body")
    _no_side_scroll(page)
    assert run_axe(tab, axe_source) == []
    shot(page, f"start-{tab.width}")


def test_focus_ring_contrast(tab: Tab) -> None:
    page = tab.page
    page.locator("#age").focus()
    for _ in range(4):  # to the start button, by keyboard
        if page.evaluate("document.activeElement.id") == "start-button":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "start-button"
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineColor, s.outlineWidth,"
        " getComputedStyle(document.body).backgroundColor]; })()"
    )
    outline_style, color, width, background = style
    assert outline_style != "none" and float(width.rstrip("px")) >= 2
    assert _contrast(color, background) >= 3, (color, background)


def test_french_toggle(tab: Tab) -> None:
    page = tab.page
    page.locator("#lang-fr").click()
    page.locator("html[lang='fr']").wait_for(state="attached")
    assert page.locator("#start-button").inner_text() == "Vérifier mes symptômes"
    assert page.locator("#lang-fr").get_attribute("aria-pressed") == "true"
    page.locator("#lang-en").click()
    page.locator("html[lang='en']").wait_for(state="attached")
    assert page.locator("#start-button").inner_text() == "Check my symptoms"


def test_form_checks_before_sending(tab: Tab) -> None:
    page = tab.page
    page.locator("#start-button").click()
    assert page.locator("#start-error").is_visible()
    assert page.locator("#text").get_attribute("aria-invalid") == "true"


# -- say early what cannot work -----------------------------------------------------------------
def test_another_language_is_said_before_any_question(tab: Tab) -> None:
    page = tab.page
    _start(page, "Ich habe seit gestern Kopfschmerzen und Fieber")
    _wait_notice(page, "other_language")
    text = page.locator("#notice").inner_text()
    assert "English" in text and "French" in text
    assert not page.locator("#question").is_visible()
    assert page.locator("#start").is_visible()
    shot(page, f"problem-other-language-{tab.width}")


def test_nothing_understood_is_said_before_any_question(tab: Tab) -> None:
    page = tab.page
    _start(page, "blorp zindle quax")
    _wait_notice(page, "nothing")
    assert "blorp" in page.locator("#notice").inner_text()  # what was not understood
    assert not page.locator("#question").is_visible()
    shot(page, f"problem-nothing-{tab.width}")


def test_french_text_on_english_page_goes_on_in_french(tab_factory: Callable[[str], Tab]) -> None:
    tab = tab_factory("desktop")
    page = tab.open()
    _start(page, "J'ai de la fièvre et je tousse depuis deux jours", age="40", sex="male")
    _wait_step(page, 1)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#notice[data-kind='switched']").is_visible()
    assert page.locator("#notice-switch").inner_text() == "No, keep English"
    shot(page, "switched-to-french")


@pytest.mark.parametrize(
    ("failure", "kind"),
    [("abort", "offline"), ("html500", "server"), ("json422", "bad_input")],
)
def test_failures_read_kindly(tab_factory: Callable[[str], Tab], failure: str, kind: str) -> None:
    tab = tab_factory("phone")
    page = tab.open()

    def fail(route: Route) -> None:
        if failure == "abort":
            route.abort()
        elif failure == "html500":
            route.fulfill(status=500, body="<html>Internal Server Error</html>")
        else:
            body = {"status": 422, "errors": [{"field": "age", "problem": "bad", "value": None}]}
            route.fulfill(status=422, json=body)

    page.route("**/v1/diagnosis", fail)
    _start(page, COUGH_TEXT)
    _wait_notice(page, kind)
    shown = page.locator("main").inner_text()
    for raw in ("Failed to fetch", "Unexpected token", "JSON", "TypeError", "422", "500"):
        assert raw not in shown
    assert page.locator("#notice-retry").is_visible() == (kind != "bad_input")
    if kind == "offline":
        page.unroute("**/v1/diagnosis")
        page.locator("#notice-retry").click()  # it works again: carry on
        _wait_step(page, 1)
        assert page.locator("#notice").is_hidden()
        shot(page, "problem-offline-retried-phone")


# -- the interview --------------------------------------------------------------------------------
def test_question_view(tab: Tab, server: str, axe_source: str) -> None:
    page = tab.page
    binary = next(e for e in _evidences(page, server) if e["kind"] == "binary" and not e["parent"])
    _force_question(page, lambda _: _question(binary, []))
    _start(page, COUGH_TEXT)
    _wait_step(page, 1)
    assert page.locator("#question").is_visible()
    assert page.locator("#q-text").inner_text() == binary["question"]
    progress = page.locator("#q-progress").inner_text()
    assert "1" in progress and "29" in progress
    assert page.locator("#q-understood").is_visible()  # what was read from the words
    labels = page.locator("#q-answers button").all_inner_texts()
    assert labels == ["Yes", "No", "Not sure"]
    for control in ("#back", "#finish", "#q-restart"):
        assert page.locator(control).is_visible()
    assert "not a diagnosis" in page.locator("#disclaimer").inner_text().lower()
    _no_side_scroll(page)
    assert run_axe(tab, axe_source) == []
    shot(page, f"question-{tab.width}")
    # keyboard only: answer "Not sure", then go back to the same question
    page.locator("#q-answers button[data-answer='dont_know']").focus()
    page.keyboard.press("Enter")
    _wait_step(page, 2)
    n = _step(page)
    page.locator("#back" if page.locator("#question").is_visible() else "#change").click()
    _wait_step(page, n + 1)
    assert page.locator("#q-text").inner_text() == binary["question"]
    # start again from the question
    page.locator("#q-restart").click()
    assert page.locator("#start").is_visible()


def test_body_map(tab: Tab, server: str, axe_source: str) -> None:
    page = tab.page
    location = next(e for e in _evidences(page, server) if e["evidence"] == "pain-location")
    choices, default = _offered("pain-location", "female")
    offered = [v for v in choices if v["value"] != "forehead"]  # one not offered
    assert default is not None and default in {v["value"] for v in offered}
    _force_question(page, lambda _: _question(location, offered, default))
    _start(page, "I have a pain", sex="female")
    _wait_step(page, 1)
    bodymap = page.locator(".bodymap")
    assert bodymap.is_visible()
    regions = page.locator(".body-svg [data-region]")
    assert regions.count() >= 60
    drawn = set(regions.evaluate_all("rs => rs.map(r => r.dataset.region)"))
    assert "forehead" not in drawn  # not offered: not drawn
    assert not drawn & set(MALE_ONLY)  # a woman's body
    assert {"right-groin", "left-cheek", "right-temple", "lower-back"} <= drawn
    # every region is a labelled, focusable checkbox
    first = regions.first
    assert first.get_attribute("role") == "checkbox"
    assert first.get_attribute("tabindex") == "0"
    assert first.get_attribute("aria-label")
    # keyboard: focus a region, Space toggles it, its label is shown and it is listed
    region = page.locator(".body-svg [data-region='right-groin']")
    region.focus()
    assert page.locator(".map-pointer").inner_text() == region.get_attribute("aria-label")
    assert page.locator(".focus-ring .ring-outer").count() == 1  # a visible focus ring
    page.keyboard.press("Space")
    assert region.get_attribute("aria-checked") == "true"
    assert page.locator(".map-picked [data-remove='right-groin']").is_visible()
    page.keyboard.press("Enter")
    assert region.get_attribute("aria-checked") == "false"
    # a click picks, the same place in the list fallback is ticked too
    page.locator(".body-svg [data-region='left-cheek']").click()
    shot(page, f"bodymap-{tab.width}")
    assert run_axe(tab, axe_source) == []
    _no_side_scroll(page)
    page.locator(".map-toggle").click()
    listed = page.locator(".list-view input[type=checkbox]")
    assert listed.count() >= 100
    assert page.locator(".list-view input[value='left-cheek']").is_checked()
    values = set(listed.evaluate_all("xs => xs.map(x => x.value)"))
    assert not values & set(MALE_ONLY) and "forehead" not in values
    assert default not in values | drawn  # "nowhere" is the button that answers no
    assert page.locator("#q-answers button[data-answer='none']").is_visible()
    assert page.locator(".list-view legend").count() >= 6  # grouped by part of the body
    page.locator(".list-view input[value='right-thumb']").check()
    assert run_axe(tab, axe_source) == []
    _no_side_scroll(page)
    # the answer sent is exactly what was picked
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: (
            sent.append(json.loads(r.post_data or "{}"))
            if r.url.endswith("/v1/diagnosis")
            else None
        ),
    )
    n = _step(page)
    page.locator("#q-answers button[data-answer='next']").click()
    _wait_step(page, n + 1)
    answers = sent[-1]["answers"]
    assert {a["value"] for a in answers} == {"left-cheek", "right-thumb"}
    assert {a["evidence"] for a in answers} == {"pain-location"}


def test_body_map_for_a_man(tab_factory: Callable[[str], Tab], server: str) -> None:
    tab = tab_factory("phone")
    page = tab.open()
    location = next(e for e in _evidences(page, server) if e["evidence"] == "pain-location")
    choices, default = _offered("pain-location", "male")
    _force_question(page, lambda _: _question(location, choices, default))
    _start(page, "I have a pain", age="50", sex="male")
    _wait_step(page, 1)
    drawn = set(
        page.locator(".body-svg [data-region]").evaluate_all("rs => rs.map(r => r.dataset.region)")
    )
    assert "penis" in drawn and not drawn & set(FEMALE_ONLY)
    page.locator(".map-toggle").click()
    values = set(page.locator(".list-view input").evaluate_all("xs => xs.map(x => x.value)"))
    assert not values & set(FEMALE_ONLY)


# -- the result ----------------------------------------------------------------------------------
def test_result_view(tab: Tab, axe_source: str) -> None:
    page = tab.page
    _start(page, COUGH_TEXT)
    _wait_step(page, 1)
    _to_result(page)
    care = page.locator("#care")
    assert care.get_attribute("data-level") not in URGENT
    assert page.locator("[role=alert]").count() == 0  # only for emergencies
    assert page.locator(".care-title:visible").count() == 1  # the care level once
    conditions = page.locator("#conditions li")
    assert conditions.count() >= 1
    listing = page.locator("#conditions").inner_text()
    assert " in 10" in listing and "%" in listing and "ICD-10" in listing
    assert page.locator("#help-block").is_visible()  # when to get help
    assert page.locator("#told-text").inner_text() == COUGH_TEXT
    assert page.locator("#told .findings li").count() >= 2
    sentences = _visible_sentences(page, "#result")
    assert len(sentences) == len(set(sentences)), "a sentence is shown twice"
    assert "not a diagnosis" in page.locator("#disclaimer").inner_text().lower()
    for action in ("#print", "#fhir", "#restart"):
        assert page.locator(action).is_visible()
    _no_side_scroll(page)
    assert run_axe(tab, axe_source) == []
    shot(page, f"result-{tab.width}")
    # print: the words for a doctor, no buttons
    page.emulate_media(media="print")
    assert page.locator(".print-head").is_visible()
    assert page.locator("#print-date").inner_text()
    assert page.locator("#told-text").is_visible()
    assert page.locator("#care").is_visible()
    assert page.locator("#conditions").is_visible()
    assert page.locator("#disclaimer").is_visible()
    assert page.locator("button:visible").count() == 0
    assert not page.locator("header.top").is_visible()
    shot(page, f"print-{tab.width}")
    page.emulate_media(media="screen")
    assert not page.locator(".print-head").is_visible()


def _shown(page: Page, box: str) -> list[str]:
    lines: list[str] = page.locator(f"{box} p, {box} li").all_inner_texts()
    return [" ".join(line.split()) for line in lines]


def _lines(parts: list[str]) -> list[str]:
    return [" ".join((p[2:] if p.startswith("- ") else p).split()) for p in parts]


def test_result_says_what_the_composed_answer_says(tab_factory: Callable[[str], Tab]) -> None:
    """What to do now and when to get help are the server's composed answer (its sections):
    self-care only at the self-care level, and the words for an older person."""
    tab = tab_factory("desktop")
    page = tab.open()
    answers: list[dict[str, Any]] = []

    def keep(route: Route) -> None:
        response = route.fetch()
        answers.append(response.json())
        route.fulfill(response=response)

    page.route("**/v1/diagnosis", keep)
    covered = set()
    for text, age in (("I have a sore throat", "34"), ("my ear hurts", "80"), (COUGH_TEXT, "34")):
        page.locator("#restart" if page.locator("#result").is_visible() else "#text").click()
        n = _step(page)
        _start(page, text, age=age)
        _wait_step(page, n + 1)
        _to_result(page)
        data = answers[-1]
        parts, level = data["sections"], data["triage"]["level"]
        assert level not in URGENT
        said = {data["care"]["action"], *data["triage"]["reasons"]}
        extra = [line for line in parts["action"] if line not in said]
        assert _shown(page, "#todo") == _lines(extra + parts["self_care"])
        assert page.locator("#todo-block").is_visible() == bool(extra + parts["self_care"])
        assert _shown(page, "#help") == _lines(parts["safety_net"])
        top = data["differential"][0]["about"]
        if level != "self_care" and top and top["self_care"]:
            covered.add("no self-care tips above the self-care level")
            assert not set(_lines(["- " + tip for tip in top["self_care"]])) & set(
                _shown(page, "#todo")
            )
        if extra:
            covered.add("the line for who it is for")
        if level == "self_care":
            covered.add("self-care")
    assert len(covered) == 3, covered


def test_emergency_view(tab: Tab, axe_source: str) -> None:
    page = tab.page
    _start(page, EMERGENCY_TEXT, age="60", sex="male")
    _wait_step(page, 1)
    assert page.locator("#result").is_visible()  # no questions: act now
    assert page.locator("#care").get_attribute("data-level") in URGENT
    alerts = page.locator("[role=alert]")
    assert alerts.count() == 1
    assert alerts.first.get_attribute("id") == "care"
    alert = alerts.first.inner_text().lower()
    assert "emergency" in alert
    reasons = page.locator("#care-reasons li").all_inner_texts()
    assert reasons and len(reasons) == len(set(reasons))
    assert not any("still possible" in r for r in reasons)  # those are marked in the list
    sentences = _visible_sentences(page, "#result")
    assert len(sentences) == len(set(sentences)), "a sentence is shown twice"
    assert page.locator("#todo-block").is_visible()  # while you wait
    _no_side_scroll(page)
    assert run_axe(tab, axe_source) == []
    shot(page, f"emergency-{tab.width}")


def test_fhir_download(tab_factory: Callable[[str], Tab]) -> None:
    tab = tab_factory("desktop")
    page = tab.open()
    _start(page, COUGH_TEXT)
    _wait_step(page, 1)
    _to_result(page)
    with page.expect_download() as info:
        page.locator("#fhir").click()
    path = info.value.path()
    bundle = json.loads(path.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Observation", "RiskAssessment"} <= kinds
    r4b = pytest.importorskip("fhir.resources.R4B.bundle", reason="needs fhir.resources")
    r4b.Bundle.model_validate(bundle)


def test_change_last_answer_from_result(tab_factory: Callable[[str], Tab]) -> None:
    tab = tab_factory("desktop")
    page = tab.open()
    _start(page, COUGH_TEXT)
    _wait_step(page, 1)
    if not page.locator("#question").is_visible():
        pytest.skip("no follow-up question for this case")
    first = page.locator("#q-text").inner_text()
    page.locator("#q-answers button[data-answer]").first.click()
    _wait_step(page, 2)
    _to_result(page)
    n = _step(page)
    page.locator("#change").click()
    _wait_step(page, n + 1)
    assert page.locator("#question").is_visible()
    assert page.locator("#q-text").inner_text() == first


# -- API docs ------------------------------------------------------------------------------------
def test_docs_render_operations(tab_factory: Callable[[str], Tab]) -> None:
    from symptomatic.api.pages import swagger_ui

    if swagger_ui() is None:
        pytest.skip("needs a Swagger UI that reads OpenAPI 3.1 (pip install fastapi-offline)")
    tab = tab_factory("desktop")
    page = tab.open("/docs")
    page.locator(".opblock").first.wait_for(state="visible")
    assert page.get_by_text("/v1/diagnosis", exact=True).first.is_visible()
    assert page.get_by_text("/v1/export/fhir", exact=True).first.is_visible()
    assert page.locator(".opblock-summary-method", has_text="POST").first.is_visible()
    assert page.get_by_text("Unable to render this definition").count() == 0
    shot(page, "docs")
