"""The closing summary: one row per notebook, failures located, and where to look next."""

from __future__ import annotations

from pathlib import Path

from helpers.runner.build import BuildReport
from helpers.runner.execute import NotebookResult
from helpers.runner.html import INDEX_NAME

_HEADERS = ("notebook", "status", "seconds", "output")


def summary_table(report: BuildReport, cwd: Path | None = None) -> str:
    """The summary as plain text, paths shown relative to ``cwd`` when they lie inside it."""
    cwd = (cwd or Path.cwd()).absolute()
    rows = [
        (
            result.key,
            "ok" if result.ok else "FAILED",
            f"{result.seconds:.1f}",
            _shown(report.location / _output_of(result), cwd),
        )
        for result in report.results
    ]
    widths = [max(len(row[i]) for row in [_HEADERS, *rows]) for i in range(len(_HEADERS))]
    lines = [_format_row(_HEADERS, widths), _format_row(tuple("-" * w for w in widths), widths)]
    for row, result in zip(rows, report.results, strict=True):
        lines.append(_format_row(row, widths))
        if result.failure is not None:
            where = result.failure.location()
            lines.append(f"    {where + ': ' if where else ''}{result.failure.error}")
    lines.append("")
    lines.append(_closing_line(report, cwd))
    return "\n".join(lines)


def _closing_line(report: BuildReport, cwd: Path) -> str:
    total = len(report.results)
    if report.ok:
        ran = "The notebook ran" if total == 1 else f"All {total} notebooks ran"
        return (
            f"{ran} in {report.seconds:.0f} s. The course is in "
            f"{_shown(report.output_dir, cwd)}/; open {_shown(report.output_dir / INDEX_NAME, cwd)}"
            " (it works offline)."
        )
    failed = sum(not result.ok for result in report.results)
    output = _shown(report.output_dir, cwd)
    kept = (
        f"The earlier build in {output}/ was left as it was."
        if report.output_dir.exists()
        else f"Nothing was written to {output}/."
    )
    return (
        f"{failed} of {total} notebooks FAILED. {kept} The executed copies of this run, "
        f"tracebacks included, are in {_shown(report.location, cwd)}/."
    )


def _output_of(result: NotebookResult) -> str:
    """The page for a success; for a failure, the executed notebook, which shows the traceback."""
    if result.ok and result.html_relpath:
        return result.html_relpath
    return result.notebook_relpath


def _shown(path: Path, cwd: Path) -> str:
    return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)


def _format_row(cells: tuple[str, ...], widths: list[int]) -> str:
    notebook, status, seconds, output = cells
    return (
        f"{notebook:<{widths[0]}}  {status:<{widths[1]}}  {seconds:>{widths[2]}}  {output}".rstrip()
    )
