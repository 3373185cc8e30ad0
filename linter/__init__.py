"""baa-lint: lint Anthropic org and workspace declarations against BAA coverage rules."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
