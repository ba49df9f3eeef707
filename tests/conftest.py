"""Shared fixtures: the repository's paths, a scratch copy of the dataset, an isolated cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import data

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test starts with an empty in-memory cache and its own validation-stamp folder."""
    monkeypatch.setenv("CSTO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("CSTO_DATA_DIR", raising=False)
    data.clear_cache()
    yield
    data.clear_cache()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the course dataset, for tests that damage it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target
