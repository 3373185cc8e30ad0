"""baa-lint: lint Anthropic org and workspace declarations against BAA coverage rules.

The library: ``lint(paths, config) -> Result``, with ``load_config`` to read the configuration
files as the command line does. They load on first use, so importing one stage (an output
format, say) never loads the whole pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linter.core.version import __version__

if TYPE_CHECKING:
    from linter.lint import lint, load_config
    from linter.result import Result
    from linter.settings.config import Config

__all__ = ["Config", "Result", "__version__", "lint", "load_config"]

_LAZY = {
    "lint": "linter.lint",
    "load_config": "linter.lint",
    "Result": "linter.result",
    "Config": "linter.settings.config",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'linter' has no attribute {name!r}")
