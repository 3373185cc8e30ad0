"""Each configuration's posture, decided in every world its unknowns allow."""

from __future__ import annotations

from linter.core.model import Fact, Unknown, show_fact, show_value
from linter.core.posture import PostureRow
from linter.normalize.configurations import (
    Configuration,
    baa_eligible,
    covered_model_access,
    effective_retention,
    route,
)
from linter.policy.data import Policy
from linter.rules.runner import decide


def _text(fact: Fact[object]) -> str:
    return show_fact(fact)


def _models(cfg: Configuration) -> tuple[str, ...]:
    if not cfg.models.known or cfg.models.sensitive:
        return (show_fact(cfg.models),)
    return tuple(show_fact(m) for m in cfg.models.get(()))


def posture_row(cfg: Configuration, policy: Policy) -> PostureRow:
    path = route(cfg, policy)
    return PostureRow(
        organization=cfg.org.shown_name,
        kind=cfg.kind,
        name=cfg.shown_name,
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
        org_key=cfg.org.name,
    )


def posture(configurations: tuple[Configuration, ...], policy: Policy) -> tuple[PostureRow, ...]:
    rows = [posture_row(c, policy) for c in configurations]
    return tuple(sorted(rows, key=lambda r: (r.organization, r.address, r.product)))
