"""The web page in Debian's Chromium (Playwright), against a live server in this process.

Never runs ``playwright install``: it drives ``/usr/bin/chromium`` and skips, with the
reason, when that browser or Playwright is missing. Screenshots go to ``artifacts/`` at the
top of the checkout. axe-core comes from the npm registry into a cache folder, once.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

try:
    from playwright.sync_api import Browser, Page, Route, sync_playwright
except ImportError:  # the browser tests skip; the others in this folder still run
    HAVE_PLAYWRIGHT = False
else:
    HAVE_PLAYWRIGHT = True

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
AXE_CACHE = Path(os.environ.get("SYMPTOMATIC_AXE_DIR", Path.home() / ".cache" / "symptomatic-axe"))
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
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
AXE_URL = "/__test__/axe.min.js"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    pytest.importorskip("fastapi")
    uvicorn = pytest.importorskip("uvicorn")
    from symptomatic.api.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not HAVE_PLAYWRIGHT:
        pytest.skip("needs playwright (the dev extra)")
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core 4 from the npm registry, installed once into a cache folder."""
    target = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if not target.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("needs npm to install axe-core (accessibility checks)")
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(AXE_CACHE), "axe-core@4"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0 or not target.is_file():
            pytest.skip(f"could not install axe-core from npm: {done.stderr.strip()[-300:]}")
    return target.read_text(encoding="utf-8")


class Tab:
    """One browser tab on the page, at one width, that refuses every outside request."""

    def __init__(self, browser: Browser, server: str, width: str) -> None:
        w, h = WIDTHS[width]
        self.server = server
        self.width = width
        self.context = browser.new_context(
            viewport={"width": w, "height": h}, locale="en-GB", accept_downloads=True
        )
        self.page: Page = self.context.new_page()
        self.outside: list[str] = []
        self.console: list[str] = []
        self.axe: str | None = None
        self.page.on(
            "console",
            lambda m: self.console.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.route("**/*", self._guard)

    def _guard(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(self.server + AXE_URL) and self.axe is not None:
            route.fulfill(body=self.axe, content_type="text/javascript")
        elif url.startswith(self.server) or url.startswith("blob:") or url.startswith("data:"):
            route.fallback()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, path: str = "/") -> Page:
        self.page.goto(self.server + path)
        if path == "/":
            self.page.locator("body[data-ready='true']").wait_for(state="attached")
        return self.page

    def close(self) -> None:
        assert not self.outside, f"the page asked for outside resources: {self.outside}"
        csp = [m for m in self.console if "Content Security Policy" in m]
        assert not csp, f"CSP violations: {csp}"
        self.context.close()


@pytest.fixture
def tab_factory(browser: Browser, server: str) -> Iterator[Callable[[str], Tab]]:
    tabs: list[Tab] = []

    def make(width: str) -> Tab:
        tab = Tab(browser, server, width)
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        tab.close()


@pytest.fixture(params=list(WIDTHS))
def tab(request: pytest.FixtureRequest, tab_factory: Callable[[str], Tab]) -> Tab:
    t = tab_factory(request.param)
    t.open()
    return t


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def run_axe(tab: Tab, source: str) -> list[dict[str, Any]]:
    """Serious or critical axe-core violations on the page as it is now."""
    tab.axe = source
    page = tab.page
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=tab.server + AXE_URL)
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return JSON.stringify(r.violations); }"
    )
    violations: list[dict[str, Any]] = json.loads(result)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
        if v.get("impact") in ("serious", "critical")
    ]
