"""The grouping that keeps tests sharing a server, a build or a kernel on one xdist worker."""

from __future__ import annotations

import textwrap

import pytest

from tests.xdist_groups import joined_groups

pytest_plugins = ["pytester"]

# A conftest that groups the collected tests and prints each test's group.
PRINT_GROUPS = textwrap.dedent("""
    import pytest
    from tests.xdist_groups import assign_groups

    def pytest_collection_modifyitems(items):
        assign_groups(items)
        for item in items:
            mark = item.get_closest_marker("xdist_group")
            print("GROUP", item.name, mark.args[0] if mark else "-")
""")


def test_names_used_together_share_a_group_transitively():
    groups = joined_groups([{"lab", "chromium-a"}, {"chromium-a"}, {"site", "chromium-b"}, {"lab"}])
    assert groups["lab"] == groups["chromium-a"] == "chromium-a"
    assert groups["site"] == groups["chromium-b"] == "chromium-b"
    assert joined_groups([set(), {"x"}]) == {"x": "x"}


def test_grouping_follows_shared_fixtures_and_notebooks(pytester: pytest.Pytester):
    pytester.makeconftest(PRINT_GROUPS + textwrap.dedent("""
        @pytest.fixture(scope="session")
        def server():
            return 1

        @pytest.fixture(scope="module")
        def build():
            return 2
    """))
    pytester.makepyfile(
        test_a="def test_one(server): pass\ndef test_two(): pass\ndef test_three(build): pass",
        test_b="def test_four(build): pass\ndef test_five(server, build): pass",
    )
    output = pytester.runpytest("--collect-only", "-s", "-p", "no:cacheprovider").stdout.str()
    assert "GROUP test_two -" in output
    assert "GROUP test_one .::server" in output
    # test_a's build and test_b's build are two instances; test_five joins test_b's to server
    assert "GROUP test_three test_a.py::build" in output
    assert "GROUP test_four .::server" in output
    assert "GROUP test_five .::server" in output


def test_tests_that_change_the_machine_share_one_group_whatever_their_fixtures(
    pytester: pytest.Pytester,
):
    pytester.makeconftest(PRINT_GROUPS)
    hub = pytester.mkdir("tests").joinpath("hub")
    hub.mkdir()
    hub.joinpath("test_one.py").write_text("def test_a(): pass\n")
    hub.joinpath("test_two.py").write_text("def test_b(): pass\n")
    output = pytester.runpytest("--collect-only", "-s", "-p", "no:cacheprovider").stdout.str()
    assert "GROUP test_a tests/hub/*" in output
    assert "GROUP test_b tests/hub/*" in output
