"""Notebook parameter checks: each bad value is named with what is allowed."""

from __future__ import annotations

import pytest

from helpers.params import (
    ParameterError,
    check_choice,
    check_choices,
    check_data_dir,
    check_flag,
    check_year_window,
)


def test_unknown_country_is_named_with_allowed_values():
    with pytest.raises(ParameterError, match=r"country='XXX'.*Allowed values: ARM, RUS"):
        check_choice("country", "XXX", ["RUS", "ARM"])


def test_list_parameter_reports_only_the_bad_items():
    assert check_choices("countries", "ARM", ["ARM"]) == ["ARM"]
    with pytest.raises(ParameterError, match=r"unknown value\(s\) \['ZZZ'\]"):
        check_choices("countries", ["ARM", "ZZZ"], ["ARM", "RUS"])
    with pytest.raises(ParameterError, match="non-empty list"):
        check_choices("countries", [], ["ARM"])


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (1980, 2000, r"start_year=1980 is outside .* 1992 to 2022"),
        (1995, 2030, r"end_year=2030 is outside"),
        (2010, 2000, r"reversed"),
        ("2000", 2010, r"start_year='2000' must be a whole year"),
        (True, 2010, r"must be a whole year"),
    ],
)
def test_bad_year_windows(start, end, message):
    with pytest.raises(ParameterError, match=message):
        check_year_window("start_year", start, "end_year", end, (1992, 2022))


def test_good_year_window_passes():
    assert check_year_window("start_year", 1992, "end_year", 2022, (1992, 2022)) == (1992, 2022)


def test_missing_data_dir_names_the_parameter(tmp_path):
    with pytest.raises(ParameterError, match=r"data_dir=.*nowhere.*is not a directory"):
        check_data_dir(tmp_path / "nowhere")


def test_data_dir_without_package_is_refused(tmp_path):
    with pytest.raises(ParameterError, match=r"has no datapackage\.json"):
        check_data_dir(tmp_path)


def test_flag_must_be_true_or_false():
    assert check_flag("include_after_paper", True) is True
    with pytest.raises(ParameterError, match=r"include_after_paper='yes' must be true or false"):
        check_flag("include_after_paper", "yes")
