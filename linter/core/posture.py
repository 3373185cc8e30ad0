"""One configuration's posture: the row `show` prints and the report is built on."""

from __future__ import annotations

from dataclasses import dataclass

from linter.core.locations import Location


@dataclass(frozen=True)
class PostureRow:
    organization: str
    kind: str
    name: str
    address: str
    product: str
    route: str
    retention: str
    phi: str
    models: tuple[str, ...]
    eligible: bool | None  # None: depends on values that cannot be resolved
    covered_models: bool | None
    location: Location
    link: str
