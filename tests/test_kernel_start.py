"""A kernel that died before answering is started once more; any other failure is not retried."""

from __future__ import annotations

import pytest

from helpers.runner.kernel_start import with_kernel_start_retry

DIED = RuntimeError("Kernel died before replying to kernel_info")


def flaky(failures: list[Exception]):
    calls = []

    def run() -> str:
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return "executed"

    return run, calls


def test_a_kernel_that_died_at_start_is_started_again():
    run, calls = flaky([DIED])
    assert with_kernel_start_retry(run) == "executed"
    assert len(calls) == 2


def test_a_kernel_that_dies_every_time_reports_its_error():
    run, calls = flaky([DIED, DIED, DIED])
    with pytest.raises(RuntimeError, match="Kernel died"):
        with_kernel_start_retry(run)
    assert len(calls) == 2


def test_other_errors_are_not_retried():
    run, calls = flaky([RuntimeError("cell failed"), DIED])
    with pytest.raises(RuntimeError, match="cell failed"):
        with_kernel_start_retry(run)
    assert len(calls) == 1
