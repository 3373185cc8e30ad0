"""Formatters: pure functions from a lint result (findings + rule metadata) to text."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from linter.output.formats.options import FormatOptions
from linter.result import Result

Formatter = Callable[[Result, FormatOptions], str]
# The same text in pieces, for writing as it is made (a large report is never held whole).
PieceFormatter = Callable[[Result, FormatOptions], Iterable[str]]


def formatters() -> dict[str, Formatter]:
    """Every output format by name. A format's module is imported when it first renders: a run
    prints one format, and importing all of them cost a warm run a hundredth of a second."""
    return {name: functools.partial(_render, name) for name in FORMAT_NAMES}


def piece_formatters() -> dict[str, PieceFormatter]:
    """Every output format by name, its text in pieces: a format's own ``pieces`` when it has
    them (JSON), its whole text as one piece otherwise."""
    return {name: functools.partial(_pieces, name) for name in FORMAT_NAMES}


def _render(name: str, result: Result, options: FormatOptions) -> str:
    render: Formatter = _module(name).render
    return render(result, options)


def _pieces(name: str, result: Result, options: FormatOptions) -> Iterator[str]:
    module = _module(name)
    if hasattr(module, "pieces"):
        yield from module.pieces(result, options)
    else:
        yield module.render(result, options)


def _module(name: str) -> Any:
    return importlib.import_module(f"linter.output.formats.{_MODULES.get(name, name)}")


_MODULES = {"json": "json_format"}


__all__ = [
    "FORMAT_NAMES",
    "FormatOptions",
    "Formatter",
    "PieceFormatter",
    "formatters",
    "piece_formatters",
]

FORMAT_NAMES = ("text", "json", "sarif", "github", "junit", "gitlab", "markdown")
