"""The closing summary: one row per notebook and one for the site, failures located, and where
to look next."""

from __future__ import annotations

from pathlib import Path

from helpers.runner.build import BuildReport
from helpers.runner.execute import NotebookResult
from helpers.site.build import INDEX_NAME

_HEADERS = ("notebook", "status", "seconds", "output")
SITE_ROW = "site"
_SHOWN_KEPT = 5


def summary_table(report: BuildReport, cwd: Path | None = None) -> str:
    """The summary as plain text, paths shown relative to ``cwd`` when they lie inside it."""
    cwd = (cwd or Path.cwd()).absolute()
    site_built = report.site is not None and report.site.ok
    rows = [
        (
            result.key,
            "ok" if result.ok else "FAILED",
            f"{result.seconds:.1f}",
            _shown(report.location / _output_of(result, site_built), cwd),
        )
        for result in report.results
    ]
    details = [_failure_lines(result) for result in report.results]
    if report.site is not None:
        rows.append(
            (
                SITE_ROW,
                "ok" if report.site.ok else "FAILED",
                f"{report.site.seconds:.1f}",
                _shown(report.location / INDEX_NAME, cwd) if report.site.ok else "",
            )
        )
        failure = [report.site.failure] if report.site.failure else []
        details.append([f"    {line}" for line in [*failure, *report.site.notes]])
    widths = [max(len(row[i]) for row in [_HEADERS, *rows]) for i in range(len(_HEADERS))]
    lines = [_format_row(_HEADERS, widths), _format_row(tuple("-" * w for w in widths), widths)]
    for row, extra in zip(rows, details, strict=True):
        lines.append(_format_row(row, widths))
        lines.extend(extra)
    lines.append("")
    lines.append(_closing_line(report, cwd))
    if report.kept:
        shown = ", ".join(_shown(report.location / path, cwd) for path in report.kept[:_SHOWN_KEPT])
        hidden = len(report.kept) - _SHOWN_KEPT
        more = f" and {hidden} more" if hidden > 0 else ""
        lines.append(f"Kept {len(report.kept)} file(s) that csto-run did not write: {shown}{more}.")
    return "\n".join(lines)


def _failure_lines(result: NotebookResult) -> list[str]:
    if result.failure is None:
        return []
    where = result.failure.location()
    return [f"    {where + ': ' if where else ''}{result.failure.error}"]


def _closing_line(report: BuildReport, cwd: Path) -> str:
    total = len(report.results)
    output = _shown(report.output_dir, cwd)
    if report.ok:
        ran = "The notebook ran" if total == 1 else f"All {total} notebooks ran"
        if report.site is None:
            return f"{ran} in {report.seconds:.0f} s. The executed notebooks are in {output}/."
        return (
            f"{ran} and the site was built in {report.seconds:.0f} s. The course is in {output}/;"
            f" open {_shown(report.output_dir / INDEX_NAME, cwd)} (it works offline)."
        )
    kept = (
        f"The earlier build in {output}/ was left as it was."
        if report.output_dir.exists()
        else f"Nothing was written to {output}/."
    )
    failed = sum(not result.ok for result in report.results)
    what = f"{failed} of {total} notebooks FAILED." if failed else "The site FAILED."
    return (
        f"{what} {kept} The executed copies of this run, tracebacks included, are in "
        f"{_shown(report.location, cwd)}/."
    )


def _output_of(result: NotebookResult, site_built: bool) -> str:
    """The page for a success; otherwise the executed notebook, which shows any traceback."""
    if result.ok and site_built:
        return result.notebook_relpath.removesuffix(".ipynb") + ".html"
    return result.notebook_relpath


def _shown(path: Path, cwd: Path) -> str:
    return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)


def _format_row(cells: tuple[str, ...], widths: list[int]) -> str:
    notebook, status, seconds, output = cells
    return (
        f"{notebook:<{widths[0]}}  {status:<{widths[1]}}  {seconds:>{widths[2]}}  {output}".rstrip()
    )
