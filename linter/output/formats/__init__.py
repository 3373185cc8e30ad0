"""Formatters: pure functions from a lint result (findings + rule metadata) to text."""

from __future__ import annotations

from collections.abc import Callable

from linter.output.formats.options import FormatOptions
from linter.result import Result

Formatter = Callable[[Result, FormatOptions], str]


def formatters() -> dict[str, Formatter]:
    """Every output format by name (imported lazily to keep start-up fast)."""
    from linter.output.formats import github, gitlab, json_format, junit, markdown, sarif, text

    return {
        "text": text.render,
        "json": json_format.render,
        "sarif": sarif.render,
        "github": github.render,
        "junit": junit.render,
        "gitlab": gitlab.render,
        "markdown": markdown.render,
    }


__all__ = ["FORMAT_NAMES", "FormatOptions", "Formatter", "formatters"]

FORMAT_NAMES = ("text", "json", "sarif", "github", "junit", "gitlab", "markdown")
