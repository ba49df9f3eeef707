"""The hub image's environment (binder/) is generated from constraints.txt and stays in step."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.hub.environment import ImageEnvironmentError, generated_files, read_pins, stale_files

REPO = Path(__file__).resolve().parents[2]


def test_binder_files_match_the_pins():
    for relative, expected in generated_files().items():
        actual = (REPO / relative).read_text(encoding="utf-8")
        diff = "\n".join(difflib.unified_diff(
            actual.splitlines(), expected.splitlines(), relative, "from constraints.txt",
            lineterm=""))
        assert actual == expected, (
            f"{relative} has drifted from constraints.txt; run "
            f"`.venv/bin/python -m helpers.hub.environment` and commit the result:\n{diff}")


def test_every_image_package_at_its_laptop_version():
    pins = read_pins(REPO / "constraints.txt")
    lines = (REPO / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    image = dict(line.split("==") for line in lines if "==" in line)
    assert {"jupyterhub", "nbgitpuller", "jupyterlab", "pandas"} <= set(image)
    for name, version in image.items():
        assert version == pins[name.lower().replace("_", "-")].version, name
    # Test tools are not part of a student's image.
    assert not {"pytest", "playwright", "ruff", "nbval"} & set(image)


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    for name in ("pyproject.toml", "constraints.txt"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "binder", tmp_path / "binder")
    return tmp_path


def test_a_changed_pin_is_drift(repo_copy: Path):
    assert stale_files(repo_copy) == []
    constraints = repo_copy / "constraints.txt"
    text = constraints.read_text(encoding="utf-8")
    pandas = next(line for line in text.splitlines() if line.startswith("pandas=="))
    constraints.write_text(text.replace(pandas, "pandas==2.2.0"), encoding="utf-8")
    assert stale_files(repo_copy) == ["binder/requirements.txt"]


def test_a_new_python_floor_is_drift(repo_copy: Path):
    pyproject = repo_copy / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('requires-python = ">=3.11"', 'requires-python = ">=3.12"'),
                         encoding="utf-8")
    assert "binder/runtime.txt" in stale_files(repo_copy)


def test_a_package_without_pin_is_named(repo_copy: Path):
    constraints = repo_copy / "constraints.txt"
    lines = constraints.read_text(encoding="utf-8").splitlines()
    constraints.write_text("\n".join(x for x in lines if not x.startswith("jupyterhub==")) + "\n",
                           encoding="utf-8")
    with pytest.raises(ImageEnvironmentError, match=r"no pin for jupyterhub \(needed by"):
        generated_files(repo_copy)


def test_a_loose_constraint_is_refused(repo_copy: Path):
    constraints = repo_copy / "constraints.txt"
    constraints.write_text(constraints.read_text(encoding="utf-8") + "pandas>=2\n",
                           encoding="utf-8")
    with pytest.raises(ImageEnvironmentError, match=r"constraints.txt, line \d+: 'pandas>=2'"):
        generated_files(repo_copy)


def test_post_build_installs_the_course_lab_settings(tmp_path: Path):
    """The hook repo2docker runs puts the course's JupyterLab settings where JupyterLab reads an
    installation's overrides. It runs in an environment of its own (made here, seeing the
    project's packages), so that the project's .venv is left as it is."""
    from jupyterlab_server.settings_utils import _get_overrides

    image = tmp_path / "image-env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(image)], check=True)
    site = next((image / "lib").glob("python3*/site-packages"))
    project_site = next(Path(p) for p in sys.path if p.endswith("site-packages")
                        and Path(p).is_relative_to(sys.prefix))
    (site / "course.pth").write_text(f"import site; site.addsitedir({str(project_site)!r})\n",
                                     encoding="utf-8")
    app_dir = tmp_path / "app"
    env = {**os.environ, "JUPYTERLAB_DIR": str(app_dir),
           "PATH": f"{image / 'bin'}:{os.environ['PATH']}"}
    done = subprocess.run(["bash", str(REPO / "binder" / "postBuild")], cwd=REPO, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    overrides, error = _get_overrides(str(app_dir / "settings"))
    assert error == ""
    shipped = json.loads((REPO / "src" / "helpers" / "lab" / "overrides.json").read_text())
    assert overrides == shipped
    server = json.loads((image / "etc" / "jupyter" / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["contents_manager_class"].startswith("helpers.lab.")
