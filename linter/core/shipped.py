"""Access to files shipped with the package: JSON Schemas and policy data.

In a wheel, ``schemas/`` is installed as ``linter/schemas``; in a source checkout it sits next
to the package, so both places are tried.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from importlib.abc import Traversable


def _schemas_dir() -> Traversable:
    packaged = resources.files("linter") / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas"


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """Return a shipped JSON Schema by file name, e.g. ``declaration.schema.json``."""
    text = (_schemas_dir() / name).read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))


def shipped_text(name: str) -> str:
    """A data file shipped inside the package, by its path below ``linter/``."""
    return (resources.files("linter") / name).read_text(encoding="utf-8")


def policy_text(name: str) -> str:
    """Return a policy data file (``coverage.yaml`` or ``models.yaml``) as text."""
    return shipped_text(f"policy/{name}")
