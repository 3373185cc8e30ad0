"""The compliance posture report (`baa-lint report`): pure functions from a lint Result to text.

``model`` builds one data structure from the Result; ``markdown``, ``html`` and ``json_report``
render it. Nothing here reads or writes files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from linter.output.report.model import Report, build_report
from linter.result import Result

REPORT_FORMATS = ("markdown", "html", "json")

Renderer = Callable[[Report], str]


def renderers() -> dict[str, Renderer]:
    from linter.output.report import html, json_report, markdown

    return {"markdown": markdown.render, "html": html.render, "json": json_report.render}


def render_report(
    result: Result,
    fmt: str,
    paths: Sequence[str],
    version: str,
    generated: str | None = None,
) -> str:
    """The posture report of ``result`` in ``fmt`` (one of REPORT_FORMATS)."""
    return renderers()[fmt](build_report(result, paths, version, generated))


__all__ = ["REPORT_FORMATS", "Report", "build_report", "render_report", "renderers"]
