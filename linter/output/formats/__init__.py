"""Formatters: pure functions from a lint result (findings + rule metadata) to text."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

from linter.output.formats.options import FormatOptions
from linter.result import Result

Formatter = Callable[[Result, FormatOptions], str]


def formatters() -> dict[str, Formatter]:
    """Every output format by name. A format's module is imported when it first renders: a run
    prints one format, and importing all of them cost a warm run a hundredth of a second."""
    return {name: functools.partial(_render, name) for name in FORMAT_NAMES}


def _render(name: str, result: Result, options: FormatOptions) -> str:
    module = importlib.import_module(f"linter.output.formats.{_MODULES.get(name, name)}")
    render: Formatter = module.render
    return render(result, options)


_MODULES = {"json": "json_format"}


__all__ = ["FORMAT_NAMES", "FormatOptions", "Formatter", "formatters"]

FORMAT_NAMES = ("text", "json", "sarif", "github", "junit", "gitlab", "markdown")
