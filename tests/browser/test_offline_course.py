"""The course website as the runner builds it, read in Chromium from disk with the network blocked.

From the home page, every page is reached through links; each page loads without script errors
or requests off the machine, draws every figure, links only to pages that exist (a notebook or a
table only as a download), weighs at most 1 MB of its own, and passes axe-core with no serious or
critical WCAG 2.1 A/AA violation. Search finds a name from the paper, every exercise question is
on its page, and no answer, explanation, feedback or model answer from the banks is anywhere.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from helpers.exercises import bank_names, load_bank
from helpers.exercises.bank import read_yaml, unseal
from helpers.runner.discovery import discover_notebooks
from helpers.runner.execute import write_relative_paths
from helpers.site.build import build_site, site_pages
from helpers.site.settings import read_settings
from tests.browser.lab import plots
from tests.browser.session import BrowserPage
from tests.notebook_runs import execute

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "build" / "browser-artifacts"
MAX_PAGE_BYTES = 1_000_000
SEARCHED_NAME = "Pashinyan"  # Armenia's prime minister, named in the paper
BLOCKING = {"serious", "critical"}
SHARED = "_static/"
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' '))}));
}"""
LINKS = """nodes => nodes.map(a => ({href: a.getAttribute('href'), url: a.href,
  download: a.hasAttribute('download')}))"""


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole course site, built by the runner's own site step from the notebooks as the
    runner executes them (default parameters, from their own folder) and leaves them (paths in
    the notebook relative to the course).

    The executed copies are the session's shared runs (tests/notebook_runs.py), which nbval
    also compares with the stored outputs, so no notebook runs twice with the same parameters;
    the runner's whole path, site included, is tested on a small course in
    tests/test_runner_build.py."""
    build = tmp_path_factory.mktemp("course-site") / "build"
    notebooks = discover_notebooks(REPO)
    for notebook in notebooks:
        executed_path = build / notebook.relpath
        executed_path.parent.mkdir(parents=True, exist_ok=True)
        write_relative_paths(execute(notebook.path, executed_path, {}), notebook, executed_path)
    report = build_site(notebooks, build, REPO, read_settings(REPO))
    assert report.ok, f"the site was not built: {report.failure}"
    return build


def expected_pages() -> list[str]:
    """Every page the site must have: home, each notebook, the codebook, the terms, search."""
    notebooks = sorted(REPO.glob("notebooks/[0-9][0-9]_*.ipynb"))
    exercises = sorted(REPO.glob("exercises/[0-9][0-9]_*.ipynb"))
    pages = [f"{path.parent.name}/{path.stem}.html" for path in [*notebooks, *exercises]]
    references = ["data/README.md", "TERMS.md", "guide/teachers_guide.md"]
    pages += [page.removesuffix(".md") + ".html" for page in references if (REPO / page).exists()]
    return ["index.html", "search.html", *pages]


def visit(session: BrowserPage, page: Path, width: int = 1280, height: int = 800) -> None:
    session.page.set_viewport_size({"width": width, "height": height})
    session.page.goto(page.as_uri(), wait_until="load")
    session.page.wait_for_timeout(300)


def internal_links(session: BrowserPage, site: Path) -> list[tuple[str, Path, str, bool]]:
    """(href, file, fragment, is a download) of every link into the site."""
    found = []
    for link in session.page.eval_on_selector_all("a[href]", LINKS):
        parts = urlsplit(link["url"])
        if parts.scheme != "file":
            continue
        target = Path(unquote(parts.path))
        if target.is_relative_to(site):
            found.append((link["href"], target, parts.fragment, link["download"]))
    return found


@functools.cache
def ids_in(page: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))


class _Anchors(HTMLParser):
    """The links of an HTML file: (href, has a download attribute)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        href = named.get("href")
        if tag == "a" and href:
            self.found.append((href, "download" in named))


def page_links(page: Path) -> list[tuple[Path, bool]]:
    """(file, is a download) of every link in the page's HTML that stays on this disk.

    Read from the file rather than from a browser: the site's links are all in its HTML (each
    page's test checks them again in Chromium), and parsing is a hundred times faster than
    loading every page with its figures."""
    anchors = _Anchors()
    anchors.feed(page.read_text(encoding="utf-8"))
    found = []
    for href, download in anchors.found:
        parts = urlsplit(urljoin(page.as_uri(), href))
        if parts.scheme == "file":
            found.append((Path(unquote(parts.path)), download))
    return found


def test_every_page_is_reached_from_the_home_page(site: Path):
    seen, queue = {site / "index.html"}, deque([site / "index.html"])
    while queue:
        for target, download in page_links(queue.popleft()):
            page_link = not download and target.suffix == ".html" and target.is_file()
            if page_link and target not in seen and SHARED not in target.as_posix():
                seen.add(target)
                queue.append(target)
    reached = {page.relative_to(site).as_posix() for page in seen}
    missing = sorted(set(expected_pages()) - reached - {"search.html"})  # a form, not a link
    assert not missing, f"pages not reachable from the home page: {missing}"
    assert reached >= set(site_pages(site)) - {"genindex.html", "search.html"}


@pytest.mark.browser
@pytest.mark.parametrize("page", expected_pages())
def test_page_loads_draws_links_and_passes_axe(page: str, site: Path, browser_page: BrowserPage):
    path = site / page
    browser_page.check(path.is_file(), f"{page} was not built")
    visit(browser_page, path)
    errors = [line for line in browser_page.console if line.startswith("pageerror")]
    browser_page.check(not errors, f"{page}: script errors {errors}")
    browser_page.check(not browser_page.blocked, f"{page} tried to reach the internet")

    expected_figures = browser_page.page.locator("figure.csto-figure").count()
    if expected_figures:
        browser_page.page.wait_for_function(
            f"document.querySelectorAll('figure.csto-figure .js-plotly-plot').length >= "
            f"{expected_figures}",
            timeout=20_000,
        )
    figures = plots(browser_page, within="body")
    browser_page.check(
        len(figures) == expected_figures, f"{page}: {len(figures)} of {expected_figures} drawn"
    )
    blank = [figure["title"] for figure in figures if figure["marks"] == 0]
    browser_page.check(not blank, f"{page}: figures with no drawn marks: {blank}")

    broken = []
    for href, target, fragment, download in internal_links(browser_page, site):
        if not target.is_file():
            broken.append(f"{href} (no such file)")
        elif target.suffix in {".ipynb", ".md", ".csv"} and not download:
            broken.append(f"{href} (a raw file, not a page or a download)")
        elif fragment and target.suffix == ".html" and fragment not in ids_in(target):
            broken.append(f"{href} (no #{fragment} on that page)")
    browser_page.check(not broken, f"{page}: links that lead nowhere: {broken}")

    weight = path.stat().st_size
    browser_page.check(weight <= MAX_PAGE_BYTES, f"{page} weighs {weight:,} bytes of its own")

    blocking = axe(browser_page, page)
    browser_page.check(not blocking, f"{page}: axe-core found {json.dumps(blocking, indent=1)}")


@pytest.mark.browser
@pytest.mark.parametrize(
    "page", ["index.html", "notebooks/02_structure.html", "exercises/05_kazakhstan_exercises.html"]
)
def test_wide_screen_passes_axe(page: str, site: Path, browser_page: BrowserPage):
    visit(browser_page, site / page, 1920, 1080)
    blocking = axe(browser_page, page, size="1920x1080")
    browser_page.check(not blocking, f"{page} at 1920x1080: {json.dumps(blocking, indent=1)}")


def axe(session: BrowserPage, page: str, size: str = "1280x800") -> list[dict]:
    """axe-core's serious and critical violations; every violation is kept in the artefacts."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make setup` (npm ci) first")
    session.page.add_script_tag(path=str(AXE))
    violations = session.page.evaluate(AXE_RUN)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    record = ARTIFACTS / "site-axe.jsonl"
    with record.open("a", encoding="utf-8") as log:
        log.write(json.dumps({"page": page, "size": size, "violations": violations}) + "\n")
    return [v for v in violations if v["impact"] in BLOCKING]


@pytest.mark.browser
def test_search_finds_a_name_from_the_paper(site: Path, browser_page: BrowserPage):
    visit(browser_page, site / "index.html")
    browser_page.page.goto(f"{(site / 'search.html').as_uri()}?q={SEARCHED_NAME}")
    results = browser_page.page.locator("ul.search li a")
    with contextlib.suppress(Exception):  # check() below reports with a screenshot
        results.first.wait_for(timeout=20_000)
    found = [href for href in results.evaluate_all("nodes => nodes.map(n => n.href)")]
    browser_page.check(bool(found), f"searching for {SEARCHED_NAME} found nothing")
    browser_page.check(
        any("/notebooks/" in href for href in found), f"no notebook in the results: {found}"
    )
    browser_page.check(not browser_page.blocked, "search tried to reach the internet")


@pytest.mark.browser
@pytest.mark.parametrize("bank", bank_names())
def test_every_question_is_on_its_exercise_page(bank: str, site: Path, browser_page: BrowserPage):
    questions = load_bank(bank)
    page = site / "exercises" / questions.notebook.replace(".ipynb", ".html")
    visit(browser_page, page)
    shown = " ".join(browser_page.page.inner_text("main").split())
    missing = []
    for question in questions.questions:
        texts = [question.prompt]
        for field in ("options", "items", "left", "right"):
            texts += list((getattr(question, field, None) or {}).values())
        missing += [text for text in texts if " ".join(text.split()) not in shown]
    browser_page.check(not missing, f"{page.name} does not show: {missing[:5]}")


def secrets_of_the_banks() -> dict[str, str]:
    """Every answer-side text of every bank, read from its unsealed form."""
    secrets = {}
    for path in sorted((REPO / "exercises" / "banks").glob("*.yaml")):
        for question in unseal(read_yaml(path), path.name)["questions"]:
            for field in (
                "explanation",
                "model_answer",
                "option_feedback",
                "wrong_feedback",
                "hint",
            ):
                value = question.get(field)
                values = value.values() if isinstance(value, dict) else [value]
                for text in values:
                    if isinstance(text, str) and len(text.strip()) >= 20:
                        secrets[f"{path.stem}/{question['id']}/{field}"] = normalised(text)
    return secrets


def strings_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    return []


def normalised(text: str) -> str:
    text = html.unescape(text).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


def test_no_answer_explanation_feedback_or_model_answer_in_any_built_file(site: Path):
    secrets = secrets_of_the_banks()
    assert secrets, "the banks hold explanations to look for"
    leaks = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".js", ".ipynb", ".json", ".txt"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if path.suffix == ".ipynb":  # the strings of the notebook, not their JSON escapes
            text = " ".join(strings_in(json.loads(text)))
        text = normalised(text)
        leaks += [f"{path.relative_to(site)}: {name}" for name, s in secrets.items() if s in text]
    assert not leaks, leaks[:10]


def test_no_built_file_names_a_folder_of_the_machine_that_built_it(site: Path):
    """The site is copied to a web server or opened from a USB stick: a path of the build
    machine (the course folder, the build folder) in a page or a download points nowhere."""
    machine_paths = {str(REPO), str(site)}
    named = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".ipynb", ".json", ".txt", ".js"}:
            text = path.read_text(encoding="utf-8", errors="ignore")
            named += [f"{path.relative_to(site)}: {p}" for p in machine_paths if p in text]
    assert not named, named[:10]
