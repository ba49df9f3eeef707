"""The course's JupyterLab set-up: settings installed beside the user's, notebooks served and
saved so that they open unmodified and without widget errors, controls with stable text faces."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.lab import contents, settings
from helpers.lab.controls import Choice, Slider

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def notebook_with_widget_output() -> dict:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    view = {"version_major": 2, "version_minor": 0, "model_id": "abc"}
    cell = nbformat.v4.new_code_cell("quiz.show()")
    cell.outputs = [
        nbformat.v4.new_output("display_data", {"text/plain": "Exercise 01", WIDGET_VIEW: view}),
        nbformat.v4.new_output("display_data", {WIDGET_VIEW: view}),
    ]
    notebook.cells = [cell]
    return json.loads(nbformat.writes(notebook))


def test_install_writes_the_overrides_and_merges_the_server_config(tmp_path: Path):
    config = tmp_path / "etc"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"ip": "0.0.0.0"}, "Other": {"x": 1}}), encoding="utf-8")
    written = settings.install(tmp_path / "settings", config)

    overrides = json.loads(written[0].read_text(encoding="utf-8"))
    assert written[0] == tmp_path / "settings" / "overrides.d" / "csto-course.json"
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": False}
    server = json.loads(written[1].read_text(encoding="utf-8"))
    assert server == {
        "ServerApp": {"ip": "0.0.0.0",
                      "contents_manager_class": "helpers.lab.contents.CourseContentsManager"},
        "Other": {"x": 1},
    }
    assert settings.install(tmp_path / "settings", config) == written  # again: same files
    assert json.loads(written[1].read_text(encoding="utf-8")) == server


def test_install_names_a_broken_server_config(tmp_path: Path):
    (tmp_path / "jupyter_server_config.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"jupyter_server_config\.json: cannot be read as JSON"):
        settings.install(tmp_path / "settings", tmp_path)


def test_the_overrides_name_settings_jupyterlab_knows():
    schemas = Path(sys.prefix) / "share" / "jupyter"
    overrides = json.loads((Path(settings.__file__).parent / "overrides.json").read_text())
    for plugin, values in overrides.items():
        package, name = plugin.rsplit(":", 1)
        found = list(schemas.glob(f"lab*/**/schemas/{package}/{name}.json")) + list(
            schemas.glob(f"lab/schemas/{package}/{name}.json"))
        assert found, f"no schema for {plugin}"
        properties = json.loads(found[0].read_text(encoding="utf-8"))["properties"]
        assert set(values) <= set(properties), (plugin, set(values) - set(properties))


def test_saving_drops_widget_views_that_have_a_text_face_and_the_widget_state():
    notebook = notebook_with_widget_output()
    contents.strip_before_save({"type": "notebook", "content": notebook}, path="x.ipynb")
    first, only_view = notebook["cells"][0]["outputs"]
    assert list(first["data"]) == ["text/plain"]
    assert WIDGET_VIEW in only_view["data"]  # nothing else to show: left as it was
    assert "widgets" not in notebook["metadata"]


def test_a_served_notebook_carries_the_language_record_the_kernel_reports(tmp_path: Path):
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook_with_widget_output()),
                                       encoding="utf-8")
    manager = contents.CourseContentsManager(root_dir=str(tmp_path))
    model = asyncio.run(manager.get("nb.ipynb"))
    from ipykernel.ipkernel import IPythonKernel

    assert model["content"]["metadata"]["language_info"] == IPythonKernel.language_info
    assert model["content"]["metadata"]["language_info"]["version"] == sys.version.split()[0]


def test_a_saved_notebook_is_stored_without_widget_views(tmp_path: Path):
    manager = contents.CourseContentsManager(root_dir=str(tmp_path))
    model = {"type": "notebook", "format": "json", "content": notebook_with_widget_output()}
    asyncio.run(manager.save(model, "saved.ipynb"))
    stored = json.loads((tmp_path / "saved.ipynb").read_text(encoding="utf-8"))
    assert list(stored["cells"][0]["outputs"][0]["data"]) == ["text/plain"]
    assert stored["metadata"]["language_info"] == {"name": "python"}


def test_choice_maps_labels_to_values_and_refuses_a_value_it_does_not_offer():
    choice = Choice([("true (1)", True), ("false (0)", False)], False, "Recode to")
    assert (choice.labels, choice.index, choice.value) == (["true (1)", "false (0)"], 1, False)
    choice.index = 0
    assert choice.value is True
    with pytest.raises(ValueError, match="'Recode to': 'maybe' is not one of the options"):
        Choice(["yes", "no"], "maybe", "Recode to")


def test_controls_have_a_text_face_without_memory_addresses():
    assert repr(Slider(description="Year", min=1992, max=2022, value=2000)) == "Slider(slider)"
    assert repr(Choice(["a"], "a", "Pick")) == "Choice(choice)"
