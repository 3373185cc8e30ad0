"""Loading the shipped policy data (validated against its schema) into a :class:`Policy`."""

from __future__ import annotations

import functools
from typing import Any

from ruamel.yaml import YAML

from linter.core.shipped import policy_text
from linter.policy.data import Catalogue, MatrixRow, ModelEntry, Policy


def _yaml_data(name: str) -> dict[str, Any]:
    data = YAML(typ="safe", pure=True).load(policy_text(name))
    if not isinstance(data, dict):
        raise ValueError(f"policy data file {name} is not a mapping")
    return data


def _row(raw: dict[str, Any]) -> MatrixRow:
    return MatrixRow(
        product=raw["product"],
        route=raw["route"],
        retention=raw["retention"],
        eligible=raw["eligible"],
        covered=raw["covered"],
        hipaa_ready=raw.get("hipaa_ready"),
    )


def _entry(raw: dict[str, Any]) -> ModelEntry:
    return ModelEntry(
        id=raw["id"],
        covered=raw["covered"],
        limited=raw["access"] == "limited",
        display=raw.get("display", ""),
    )


def raw_policy_data() -> dict[str, dict[str, Any]]:
    """The shipped data files as plain data (for schema validation in tests)."""
    return {name: _yaml_data(name) for name in ("coverage.yaml", "models.yaml")}


@functools.cache
def load_policy() -> Policy:
    matrix = _yaml_data("coverage.yaml")
    models = _yaml_data("models.yaml")
    return Policy(
        as_of=str(matrix["as_of"]),
        source_title=matrix["source"]["title"],
        products=dict(matrix["products"]),
        routes=dict(matrix["routes"]),
        route_groups={k: tuple(v) for k, v in matrix["route_groups"].items()},
        third_party_platforms=tuple(matrix["third_party_platforms"]),
        standard_retention_products=tuple(matrix["standard_retention_products"]),
        hipaa_ready_excludes_zdr=tuple(matrix.get("hipaa_ready_excludes_zdr", ())),
        staged_rollout_routes=tuple(matrix.get("staged_rollout_routes", ())),
        rows=tuple(_row(r) for r in matrix["rows"]),
        catalogue=Catalogue(tuple(_entry(m) for m in models["models"])),
        catalogue_as_of=str(models["as_of"]),
    )
