"""Browser tests: the five user journeys in the system Chromium, driven by Playwright against Django's live
server, with the demo data as the world.

Every page a journey visits is checked where it stands:
- axe-core (the npm package in var/node/, injected into the page) runs on it, and a serious or critical
  violation fails the test at once;
- its HTML (the body of the document response, as the server sent it) is kept, and the Nu Html Checker
  (vnu.jar from the npm package ``vnu-jar``, on the installed Java) checks all pages once at the end of the
  session: any error fails the run (reported as an error in the teardown of the last browser test);
- key pages are saved as screenshots in ``var/artifacts/e2e/<test>/``;
- the site's Content Security Policy is enforced (axe comes in as an init script, which the CSP does not
  govern), and any console error about it (an inline style or script the CSP refused) fails the test.

A test that navigates to a page it does not check fails: the set of checked addresses must cover every
address the browser went to. ``scripts/lib.sh`` installs Chromium, Java and the npm packages.
"""

import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect, sync_playwright

from samverkan.demo.loader import demo_password

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "var" / "node" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "var" / "artifacts" / "e2e"
FAILING_IMPACTS = {"serious", "critical"}
DESKTOP = {"width": 1280, "height": 800}
ZOOMED = {"width": 640, "height": 800}  # 1280 px at 200 % zoom


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``make test``) the browser tests run one after the other in one worker, as one
    group: two browsers and live servers at once on a small machine make the journeys' timeouts flaky, and
    the Nu Html Checker then checks all their pages at once at the end of that worker's session."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.xdist_group("browser"))


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium saknas: kör make setup (scripts/lib.sh installerar chromium med apt)")
    return path


@pytest.fixture
def browser(monkeypatch) -> Iterator[Browser]:
    """Chromium for one test. Not for the session: while Playwright runs, its event loop makes asgiref hand
    Django's code in this thread a connection of its own (as in async code), so the test database's set-up
    and tear-down (the flush and the restore of the reference data) must happen with Playwright stopped."""
    for tool in (AXE, VNU):
        if not tool.exists():
            pytest.fail(f"{tool} saknas: kör make setup (scripts/lib.sh installerar npm-paketen i var/node)")
    # Django refuses database access from async contexts, and Playwright's sync API runs an event loop in
    # the test thread: allowed for this test only (set for the session it would reach the subprocesses of
    # other tests, such as the deploy check, which rightly refuses it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium())
        yield browser
        browser.close()
        connections.close_all()  # the connections opened while Playwright's loop ran


@dataclass
class HtmlCollector:
    """The HTML of every checked page, written to a folder and given to the Nu Html Checker at the end."""

    folder: Path
    pages: dict[str, str] = field(default_factory=dict)  # file name -> address and test

    def add(self, html: str, *, url: str, test: str) -> None:
        name = f"page-{len(self.pages) + 1:03}.html"
        (self.folder / name).write_text(html, encoding="utf-8")
        self.pages[name] = f"{url} ({test})"

    def errors(self) -> list[str]:
        if not self.pages:
            return []
        java = shutil.which("java")
        if not java:
            return ["Java saknas: kör make setup (scripts/lib.sh installerar default-jre-headless)"]
        files = [str(self.folder / name) for name in self.pages]
        run = subprocess.run(
            [java, "-jar", str(VNU), "--format", "json", "--stdout", *files],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if not run.stdout.strip():  # no answer is no pass
            return [f"vnu.jar gave no answer (exit {run.returncode}): {run.stderr[-2000:]}"]
        messages = json.loads(run.stdout).get("messages", [])
        errors: dict[str, int] = {}
        for m in messages:
            if m.get("type") in ("error", "non-document-error"):
                page = self.pages.get(Path(m.get("url", "")).name, m.get("url"))
                line = f"{page}: {m.get('message')} [{m.get('extract', '').strip()}]"
                errors[line] = errors.get(line, 0) + 1
        return [f"{line} (×{count})" if count > 1 else line for line, count in errors.items()]


@pytest.fixture(scope="session")
def html_pages(tmp_path_factory) -> Iterator[HtmlCollector]:
    collector = HtmlCollector(tmp_path_factory.mktemp("html"))
    yield collector
    errors = collector.errors()
    assert not errors, f"The Nu Html Checker found {len(errors)} error(s):\n" + "\n".join(errors)


class Visitor:
    """One person in one browser: a Playwright page plus the checks every visited page goes through."""

    def __init__(self, page: Page, *, base_url: str, pages: HtmlCollector, test: str, artifacts: Path):
        self.page = page
        self.base_url = base_url
        self.pages = pages
        self.test = test
        self.artifacts = artifacts
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.screenshots: list[Path] = []
        self._document = None
        self._collected = None
        self.csp_errors: list[str] = []
        page.on("framenavigated", self._navigated)
        page.on("response", self._response)
        page.on("console", self._console)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.visited.append(frame.url.split("#")[0])

    def _response(self, response) -> None:
        if response.request.resource_type == "document" and response.frame == self.page.main_frame:
            self._document = response

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_errors.append(f"{self.page.url}: {message.text} @ {message.location}")

    def assert_no_csp_errors(self) -> None:
        """No console error about the Content Security Policy since the last look (each is reported once)."""
        errors, self.csp_errors = self.csp_errors, []
        assert not errors, f"{len(errors)} CSP violation(s):\n" + "\n".join(dict.fromkeys(errors))

    def url(self, path: str) -> str:
        return self.base_url + path

    def open(self, path: str) -> Page:
        """Go to a path of the portal (as when following a bookmark) and check the page."""
        self.page.goto(self.url(path))
        self.check()
        return self.page

    def check(self, screenshot: str | None = None) -> None:
        """Run axe on the page as it is now, keep its HTML for vnu and, if named, save a screenshot."""
        page = self.page
        page.wait_for_load_state("load")
        expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^(sv|en)$"))
        self.assert_no_csp_errors()
        self._axe()
        address = page.url.split("#")[0]
        self.checked.add(address)
        # The page as the server sent it (a fragment the browser carried over a redirect is no difference),
        # once per response: the same address in a new state (after a form was sent) is checked again.
        response = self._document
        if response is not None and response is not self._collected:
            if response.url.split("#")[0] == address:
                self.pages.add(response.text(), url=page.url, test=self.test)
            self._collected = response
        if screenshot:
            self.screenshot(screenshot)

    def _axe(self) -> None:
        if not self.page.evaluate("() => typeof window.axe === 'object'"):  # e.g. a page opened before
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        failures = [v for v in result["violations"] if v["impact"] in FAILING_IMPACTS]
        assert not failures, f"axe on {self.page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in failures
        )

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / f"{len(self.screenshots) + 1:02}-{name}.png"
        self.page.screenshot(path=path, full_page=True)
        self.screenshots.append(path)
        return path

    def log_in(self, username: str, password: str | None = None) -> None:
        """Log in through the login page, with the keyboard."""
        self.open("/konto/logga-in/")
        self.page.get_by_label("Användarnamn").fill(username)
        self.page.get_by_label("Lösenord").fill(password or demo_password())
        self.page.get_by_label("Lösenord").press("Enter")
        self.page.wait_for_url(lambda url: "/logga-in/" not in url)
        self.check()

    def tab_to(self, locator, *, limit: int = 80) -> None:
        """Press Tab until the locator has focus, as a keyboard user would; fails if it never gets it."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if locator.evaluate("element => element === document.activeElement"):
                self.assert_focus_visible()
                return
        raise AssertionError(f"{locator} was not reached with Tab in {limit} steps on {self.page.url}")

    def assert_focus_visible(self) -> None:
        """The focused element has a visible focus indicator (an outline or a box shadow)."""
        style = self.page.evaluate(
            """() => {
                const element = document.activeElement;
                const style = getComputedStyle(element);
                return {tag: element.tagName, outline: style.outlineStyle, width: style.outlineWidth,
                        shadow: style.boxShadow, background: style.backgroundColor};
            }"""
        )
        assert style["tag"] != "BODY", f"focus was lost on {self.page.url}"
        outlined = style["outline"] != "none" and style["width"] not in ("0px", "")
        assert outlined or style["shadow"] != "none", f"no visible focus on {style} at {self.page.url}"

    def assert_reflows_at_200_percent(self, *must_see) -> None:
        """At 200 % zoom (half the width) the page needs no horizontal scrolling and key content shows."""
        self.page.set_viewport_size(ZOOMED)
        try:
            widths = self.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"horizontal scroll at 200 % on {self.page.url}: {widths}"
            for locator in must_see:
                expect(locator).to_be_visible()
            self.screenshot("zoom-200")
        finally:
            self.page.set_viewport_size(DESKTOP)


@pytest.fixture
def visitor_factory(browser, live_server, html_pages, request) -> Iterator[Callable[[], Visitor]]:
    """New people, each in a browser context of their own (their own cookies)."""
    artifacts = ARTIFACTS / request.node.name
    shutil.rmtree(artifacts, ignore_errors=True)
    artifacts.mkdir(parents=True)
    contexts, visitors = [], []

    def make(name: str = "") -> Visitor:
        # The CSP is enforced as the site sends it; axe arrives as an init script, outside the CSP's reach.
        context = browser.new_context(locale="sv-SE", viewport=DESKTOP, accept_downloads=True)
        context.add_init_script(path=AXE)
        context.set_default_timeout(10_000)
        contexts.append(context)
        folder = artifacts / name if name else artifacts
        folder.mkdir(exist_ok=True)
        visitor = Visitor(
            context.new_page(),
            base_url=live_server.url,
            pages=html_pages,
            test=request.node.name,
            artifacts=folder,
        )
        visitors.append(visitor)
        return visitor

    yield make
    for context in contexts:
        context.close()
    for visitor in visitors:
        visitor.assert_no_csp_errors()  # also what happened after the last check
        unchecked = [url for url in visitor.visited if url not in visitor.checked and url != "about:blank"]
        assert not unchecked, f"pages visited without the checks: {unchecked}"


@pytest.fixture
def demo(transactional_db):
    """The demo world (users, bodies, the three agreements with ladders and cases), as ``make run`` has it."""
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())
