"""The posture of each configuration: what `show` prints and the compliance report is built on."""

from __future__ import annotations

from dataclasses import dataclass

from linter.configurations import (
    Configuration,
    baa_eligible,
    covered_model_access,
    effective_retention,
    route,
)
from linter.engine import decide
from linter.model import Fact, Unknown
from linter.policy import Policy
from linter.rules.base import show_value
from linter.source import Location


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


def _text(fact: Fact[object]) -> str:
    return show_value(fact.value)


def _models(cfg: Configuration) -> tuple[str, ...]:
    if not cfg.models.known:
        return (show_value(cfg.models.value),)
    return tuple(show_value(m.value) for m in cfg.models.get(()))


def posture_row(cfg: Configuration, policy: Policy) -> PostureRow:
    path = route(cfg, policy)
    return PostureRow(
        organization=cfg.org.name,
        kind=cfg.kind,
        name=cfg.name,
        address=cfg.address,
        product=_text(cfg.product),
        route=show_value(path) if isinstance(path, Unknown) else path,
        retention=_text(effective_retention(cfg, policy)),
        phi=_text(cfg.phi),
        models=_models(cfg),
        eligible=decide(cfg, lambda c: baa_eligible(c, policy), policy),
        covered_models=decide(cfg, lambda c: covered_model_access(c, policy), policy),
        location=cfg.location,
        link=cfg.link,
    )


def posture(configurations: tuple[Configuration, ...], policy: Policy) -> list[PostureRow]:
    rows = [posture_row(c, policy) for c in configurations]
    return sorted(rows, key=lambda r: (r.organization, r.address, r.product))
