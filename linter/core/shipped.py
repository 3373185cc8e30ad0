"""Access to files shipped with the package: JSON Schemas and policy data.

In a wheel, ``schemas/`` is installed as ``linter/schemas``; in a source checkout it sits next
to the package, so both places are tried.
"""

from __future__ import annotations

import functools
import json
import os
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


# The JSON Schemas baa-lint ships, by the short name `baa-lint schema NAME` takes.
SCHEMA_FILES = {
    "declaration": "declaration.schema.json",
    "config": "config.schema.json",
    "output": "output.schema.json",
    "report": "report.schema.json",
    "policy": "policy.schema.json",
}


class NotOnDiskError(Exception):
    """A shipped file that has no path of its own (the package is imported from an archive)."""


def schema_path(name: str) -> Path:
    """The absolute path of a shipped JSON Schema, for an editor's ``$schema=``."""
    found = _schemas_dir() / name
    if not isinstance(found, Path):
        raise NotOnDiskError(
            f"{name} is inside an archive ({found}), so it has no path an editor can open; "
            "install baa-lint from a wheel or a checkout"
        )
    return Path(os.path.abspath(found))


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
