"""A real JupyterLab and a real Chromium for the browser tests, always shut down afterwards.

JupyterLab serves a temporary copy of the course on 127.0.0.1 with a random token; Debian's
Chromium (no browser is downloaded) is driven by Playwright with every request that leaves the
machine blocked and recorded, so a chart or map that needs the internet fails visibly.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.lab.settings import install as install_lab_settings
from helpers.runner.folders import BUILD_MARKER
from tests.browser.session import CHROMIUM, VIEWPORT, BrowserPage

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "build" / "browser-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The course as a learner gets it: notebooks, exercises and data, in a scratch folder."""
    root = tmp_path_factory.mktemp("course")
    for part in ("notebooks", "exercises", "data"):
        shutil.copytree(
            REPO / part, root / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    return root


@pytest.fixture(scope="module")
def answers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("answers")


@pytest.fixture(scope="module")
def lab(
    course_copy: Path, answers_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Start JupyterLab on a free loopback port; yield its base URL with the token; stop it.

    The server picks the port itself (port 0) and records it in its runtime folder, so servers
    of tests running in parallel can never be handed the same one."""
    token = secrets.token_hex(16)
    # The course's own JupyterLab settings, exactly as `make setup` installs them into .venv
    # (the news pop-up off, widget state unsaved, the course's contents manager).
    install_lab_settings()
    settings = tmp_path_factory.mktemp("lab-settings")
    # Test-only user settings: render every cell, not only those in view, so charts far down a
    # notebook can be checked; start the kernel without asking.
    tracker = settings / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    documents = settings / "@jupyterlab" / "docmanager-extension"
    documents.mkdir(parents=True)
    (documents / "plugin.jupyterlab-settings").write_text(
        json.dumps({"autoStartDefaultKernel": True})
    )
    # Kernels talk to the server over Unix sockets in this folder, not TCP: a TCP port chosen
    # free can be taken by another process before the kernel binds it, and the kernel then dies
    # on every restart (seen with four workers' servers, kernels and browsers at once). A short
    # path, since a socket's path may hold at most 107 bytes.
    runtime = Path(tempfile.mkdtemp(prefix="csto-lab-"))
    env = {
        **os.environ,
        "CSTO_DATA_DIR": str(course_copy / "data"),
        "CSTO_ANSWERS_DIR": str(answers_dir),
        "CSTO_STUDENT_ID": "browser-test",
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path_factory.mktemp("lab-workspaces")),
        "JUPYTER_RUNTIME_DIR": str(runtime),
    }
    log = (tmp_path_factory.mktemp("lab-log") / "lab.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            "--port=0",
            f"--ServerApp.token={token}",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={course_copy}",
            "--ServerApp.open_browser=False",
            "--KernelManager.transport=ipc",
            "--allow-root",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = _server_address(runtime, server, Path(log.name))
        _wait_for(f"{base}/api/status?token={token}", server, Path(log.name))
        yield f"{base}|{token}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(runtime, ignore_errors=True)


def _server_address(runtime: Path, server: subprocess.Popen, log: Path, seconds: float = 90) -> str:
    """The address the server listens on, from the file it writes once it listens."""
    info = runtime / f"jpserver-{server.pid}.json"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _check_running(server, log)
        try:
            return f"http://127.0.0.1:{json.loads(info.read_text(encoding='utf-8'))['port']}"
        except (OSError, ValueError, KeyError):  # not written yet, or half written
            time.sleep(0.2)
    raise RuntimeError(f"JupyterLab wrote no {info.name} within {seconds} s")


def _check_running(server: subprocess.Popen, log: Path) -> None:
    if server.poll() is not None:
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-15:])
        raise RuntimeError(f"JupyterLab exited early with code {server.returncode}:\n{tail}")


def _wait_for(url: str, server: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _check_running(server, log)
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"JupyterLab did not answer at {url} within {seconds} s")


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """One browser per test module: Playwright's sync API keeps an event loop running while it
    is open, which must be closed before other tests use asyncio in the same process."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _make_artifacts_dir() -> None:
    """Screenshots go under build/, the course's build folder: a build/ made here carries the
    runner's marker, so the next `make run` may replace it (screenshots included) as its own."""
    build = ARTIFACTS.parent
    if not build.exists():
        build.mkdir()
        (build / BUILD_MARKER).write_text("Screenshots of the browser tests.\n", encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)


def screenshot_of(request: pytest.FixtureRequest) -> Path:
    """Where a failing test's screenshot goes, named after the test."""
    _make_artifacts_dir()
    name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    return ARTIFACTS / f"{name}.png"


@pytest.fixture(scope="module")
def browser_tab(chromium) -> Iterator[BrowserPage]:
    """One tab for a test module, whose off-machine requests are blocked and whose console is
    recorded. Each test loads its page anew, so no document carries over from one test to the
    next; the tab only keeps the scripts it compiled (JupyterLab's, plotly.js), which saves 2 to
    3 s of every page load on this machine. A page asking to be left despite unsaved changes is
    left, as the next test's navigation wants."""
    session = BrowserPage.open(chromium, ARTIFACTS / "tab.png")
    session.page.on("dialog", lambda dialog: dialog.accept())
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def browser_page(browser_tab: BrowserPage, request: pytest.FixtureRequest) -> BrowserPage:
    """The module's tab at its first size, with earlier tests' console and requests forgotten."""
    browser_tab.console.clear()
    browser_tab.blocked.clear()
    browser_tab.screenshot = screenshot_of(request)
    browser_tab.page.set_viewport_size(VIEWPORT)
    return browser_tab
