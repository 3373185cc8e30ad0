"""One configuration's posture: the row `show` prints and the report is built on."""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.core.locations import Location


@dataclass(frozen=True)
class PostureRow:
    """Values as they may be printed: a sensitive name or value is already SENSITIVE."""

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
    # Which organization the row belongs to, for grouping rows (the report): its real name,
    # which ``organization`` is not when sensitive. Never printed.
    org_key: str = field(default="", repr=False)
