"""How stages below the rule registry look a rule up by code or slug, without importing it.

Settings and suppression parsing must name rules, but the registry sits above them; the
pipeline hands them a :class:`RuleLookup` built from the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class RuleName(Protocol):
    """What a lookup tells of a rule."""

    @property
    def code(self) -> str: ...

    @property
    def slug(self) -> str: ...

    @property
    def suppressible(self) -> bool: ...


@dataclass(frozen=True)
class RuleLookup:
    find: Callable[[str], RuleName | None]  # by code (BAA001, baa001) or slug
    suggest: Callable[[str], str]  # "; did you mean 'BAA001'?" or ""
