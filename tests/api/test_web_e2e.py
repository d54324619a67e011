"""End to end: the web page in Debian's Chromium (Playwright), against a live server.

Never runs ``playwright install``: it drives ``/usr/bin/chromium`` and skips, with the
reason, when that browser is missing. A screenshot of the result goes to
``artifacts/result.png``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")
pytest.importorskip("playwright.sync_api")

from playwright.sync_api import Browser, Page, Route, sync_playwright  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    from symptomatic.api.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    pg = context.new_page()
    outside: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    pg.route("**/*", guard)
    pg.goto(server + "/")
    yield pg
    assert not outside, f"the page asked for outside resources: {outside}"
    context.close()


def _start(page: Page, text: str, age: str = "34", sex: str = "female") -> None:
    page.locator("#text").fill(text)
    page.locator("#age").fill(age)
    page.locator("#sex").select_option(sex)
    page.locator("#start-button").click()


def _step(page: Page) -> int:
    return int(page.locator("main").get_attribute("data-step") or 0)


def _wait_step(page: Page, n: int) -> None:
    """Wait until the page has drawn its n-th question or result (no eval: CSP forbids it)."""
    page.locator(f"main[data-step='{n}']").wait_for(state="attached")


def test_page_loads_labelled_and_offline(page: Page) -> None:
    assert page.title().startswith("symptomatic")
    for control in ("#text", "#age", "#sex"):
        ident = control[1:]
        assert page.locator(f"label[for={ident}]").count() == 1
    page.keyboard.press("Tab")  # keyboard reaches the controls
    assert page.evaluate("document.activeElement !== document.body")


def test_french_toggle(page: Page) -> None:
    page.locator("#lang-fr").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#start-button").inner_text() == "Vérifier mes symptômes"
    assert page.locator("#lang-fr").get_attribute("aria-pressed") == "true"
    page.locator("#lang-en").click()
    assert page.locator("#start-button").inner_text() == "Check my symptoms"


def test_form_checks_before_sending(page: Page) -> None:
    page.locator("#start-button").click()
    assert page.locator("#start-error").is_visible()


def test_describe_answer_and_see_result(page: Page) -> None:
    _start(page, "I have had a sore throat, a runny nose and a cough since yesterday")
    _wait_step(page, 1)
    question = page.locator("#question")
    assert question.is_visible(), "expected a follow-up question"
    first = page.locator("#q-text").inner_text()
    page.locator("#q-why-box summary").click()
    assert page.locator("#q-why").is_visible() and page.locator("#q-why").inner_text()
    page.locator("#q-answers button[data-answer='dont_know']").focus()
    page.keyboard.press("Enter")  # keyboard only
    _wait_step(page, 2)
    # go back and change the answer: the first question comes again
    page.locator("#back" if question.is_visible() else "#change").click()
    _wait_step(page, 3)
    assert page.locator("#q-text").inner_text() == first
    for _ in range(5):
        if not question.is_visible():
            break
        n = _step(page)
        choice = page.locator("#q-answers button[data-answer='no']")
        if not choice.count():
            choice = page.locator(
                "#q-answers button[data-answer='none'], #q-answers button[data-answer='dont_know']"
            )
        choice.first.click()
        _wait_step(page, n + 1)
    if question.is_visible():
        n = _step(page)
        page.locator("#finish").click()
        _wait_step(page, n + 1)
    result = page.locator("#result")
    assert result.is_visible()
    assert page.locator("#care-title").inner_text()
    assert page.locator("#care-action").inner_text()
    assert page.locator("#conditions li").count() >= 1
    assert " in 10" in page.locator("#conditions").inner_text()
    assert page.locator("#disclaimer").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "result.png"), full_page=True)
    # change the last answer from the result page
    n = _step(page)
    page.locator("#change").click()
    _wait_step(page, n + 1)
    assert question.is_visible()


def test_red_flag_shows_emergency_banner(page: Page) -> None:
    _start(page, "I passed out this morning and I am vomiting blood", age="62", sex="male")
    banner = page.locator("#emergency")
    banner.wait_for(state="visible")
    assert banner.get_attribute("role") == "alert"
    assert page.locator("#emergency-title").inner_text()
    assert page.locator("#result").is_visible()  # no more questions: act now
    assert page.locator("#care").get_attribute("data-level") in (
        "emergency",
        "emergency_ambulance",
    )


def test_french_description(page: Page) -> None:
    page.locator("#lang-fr").click()
    _start(page, "J'ai de la fièvre et je tousse depuis deux jours", age="40", sex="male")
    _wait_step(page, 1)
    if page.locator("#question").is_visible():
        assert page.locator("#q-why-box summary").inner_text() == "Pourquoi cette question ?"
        page.locator("#finish").click()
        _wait_step(page, 2)
    assert page.locator("#result").is_visible()
    assert page.locator("#r-title").inner_text() == "Votre résultat"
    assert "sur 10" in page.locator("#conditions").inner_text()
