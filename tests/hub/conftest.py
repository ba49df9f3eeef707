"""A real JupyterHub for the hub test: one per module, on loopback ports, with real Unix users.

The hub runs as root (LocalProcessSpawner starts each user's server as that Unix user), fronted
by configurable-http-proxy from node_modules, and logs users in with one password each. The
course is served as a git repository (git daemon on loopback, as a course's public repository
would be), so students get it the way the README says: through an nbgitpuller link. Users,
homes, processes and the permissions granted to them are removed at the end.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.conftest import chromium  # noqa: F401 (one Chromium for the module)
from tests.browser.session import CHROMIUM
from tests.hub.users import (
    VENV_BIN,
    ensure_user,
    is_root,
    passage_for,
    remove_user,
    unusable_checkout,
)
from tests.ports import free_port

REPO = Path(__file__).resolve().parents[2]
PROXY = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
STUDENTS = ("cstohub-ana", "cstohub-ben")
TEACHER = "cstohub-teacher"
COURSE_FOLDER = "csto-course"
# What JupyterLab would otherwise do on first start: fetch news from the internet, render only
# the cells in view, ask which kernel to start.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autoStartDefaultKernel": True},
}


@dataclass
class Hub:
    url: str
    course_repo: str  # the clone URL students' nbgitpuller links point at
    passwords: dict[str, str]
    teacher: str
    log: Path

    def home(self, user: str) -> Path:
        return Path(os.path.expanduser(f"~{user}"))

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8").splitlines()[-lines:])


def _give_lab_settings(user: str) -> None:
    """JupyterLab's first-start settings in the user's home, owned by the user."""
    home = Path(os.path.expanduser(f"~{user}"))
    settings = home / ".jupyter" / "lab" / "user-settings"
    for plugin, values in LAB_SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    subprocess.run(["chown", "-R", f"{user}:", str(home / ".jupyter")], check=True)


def _wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited early with code {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not listen on port {port} within {seconds} s")


@pytest.fixture(scope="module")
def course_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The course (notebooks, exercises, data of this checkout) as a git repository on
    git://127.0.0.1, named like the course's repository so the clone lands in ~/csto-course."""
    work = tmp_path_factory.mktemp("course-work")
    for part in ("notebooks", "exercises", "data"):
        shutil.copytree(REPO / part, work / part,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    git = ["git", "-c", "user.name=Course", "-c", "user.email=course@example.org"]
    subprocess.run([*git, "init", "--quiet", "--initial-branch=main", str(work)], check=True)
    subprocess.run([*git, "-C", str(work), "add", "--all"], check=True)
    subprocess.run([*git, "-C", str(work), "commit", "--quiet", "-m", "The course"], check=True)
    served = tmp_path_factory.mktemp("course-served")
    subprocess.run(["git", "clone", "--quiet", "--bare", str(work),
                    str(served / f"{COURSE_FOLDER}.git")], check=True)
    port = free_port()
    daemon = subprocess.Popen(
        ["git", "daemon", "--export-all", "--reuseaddr", "--informative-errors",
         "--listen=127.0.0.1", f"--port={port}", f"--base-path={served}", str(served)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, daemon, "git daemon")
        yield f"git://127.0.0.1:{port}/{COURSE_FOLDER}.git"
    finally:
        daemon.terminate()
        daemon.wait(timeout=20)


def _wait_for_hub(url: str, process: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-30:])
            raise RuntimeError(f"JupyterHub exited early with code {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(f"{url}/hub/api/", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"JupyterHub did not answer at {url} within {seconds} s")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, course_repo: str) -> Iterator[Hub]:
    if not is_root():
        pytest.skip("the hub test needs root: it creates Unix users, and JupyterHub's local "
                    "spawner starts each user's server as that user")
    tools = ((PROXY, "make setup (npm ci)"), (Path(CHROMIUM), "apt-get install chromium"),
             (VENV_BIN / "jupyterhub", "make setup"))
    for needed, how in tools:
        if not needed.exists():
            pytest.fail(f"{needed} is missing: {how} installs it")
    users = [*STUDENTS, TEACHER]
    state = tmp_path_factory.mktemp("hub-state")
    log = state / "jupyterhub.log"
    try:
        for user in users:
            ensure_user(user)
            _give_lab_settings(user)
        with passage_for(users):
            problem = unusable_checkout(STUDENTS[0])
            if problem:
                pytest.fail(problem)
            yield from _run_hub(state, log, users, course_repo)
    finally:
        for user in users:
            remove_user(user)


def _run_hub(state: Path, log_path: Path, users: list[str], course_repo: str) -> Iterator[Hub]:
    public_port = free_port()
    passwords = {user: secrets.token_urlsafe(12) for user in users}
    settings = {
        "public_port": public_port, "hub_port": free_port(), "proxy_api_port": free_port(),
        "proxy": str(PROXY), "state": str(state), "passwords": passwords, "teacher": TEACHER,
        "singleuser": str(VENV_BIN / "jupyterhub-singleuser"),
    }
    (state / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    node = Path(shutil.which("node") or "/usr/bin/node").parent
    env = {
        "PATH": f"{VENV_BIN}:{node}:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(state),
        "LANG": "C.UTF-8",
        "CSTO_HUB_SETTINGS": str(state / "settings.json"),
        "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
    }
    log = log_path.open("w")
    process = subprocess.Popen(
        [str(VENV_BIN / "jupyterhub"), "-f", str(Path(__file__).with_name("jupyterhub_config.py"))],
        cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{public_port}"
    try:
        _wait_for_hub(url, process, log_path)
        yield Hub(url, course_repo, passwords, TEACHER, log_path)
    finally:
        process.terminate()  # the hub stops the users' servers and its proxy on the way out
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
        log.close()
