"""The policy's data types: the coverage matrix, the model catalogue, and what they imply."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

# Third-party and snapshot spellings of one model id: Bedrock's "us.anthropic.<id>-v1:0",
# Vertex AI's "<id>@20261001". They are reduced to "<id>[-suffix]" before matching.
_BEDROCK_PREFIX = re.compile(r"^(?:[a-z]{2,6}\.)?anthropic\.")
_BEDROCK_VERSION = re.compile(r"-v\d+(?::\d+)?$")


@dataclass(frozen=True)
class MatrixRow:
    product: str
    route: str
    retention: str
    eligible: bool
    covered: bool
    hipaa_ready: bool | None = None


@dataclass(frozen=True)
class ModelEntry:
    id: str
    covered: bool
    limited: bool
    display: str = ""
    origin: str = "catalogue"


def normalize_model_id(model_id: str) -> str:
    text = model_id.strip().lower()
    text = _BEDROCK_PREFIX.sub("", text)
    text = _BEDROCK_VERSION.sub("", text)
    return text.replace("@", "-")


_MAX_ANSWERS = 10_000  # remembered answers per catalogue (the editor server lives long)


def _bound(answers: dict[str, Any]) -> None:
    if len(answers) > _MAX_ANSWERS:
        answers.clear()


@dataclass(frozen=True)
class Catalogue:
    entries: tuple[ModelEntry, ...]
    _by_id: dict[str, ModelEntry] = field(init=False, repr=False, compare=False)
    # Answers already given, by the id asked: rules look up the same few ids for every one of
    # thousands of configurations, and a did-you-mean (difflib) costs a millisecond.
    _found: dict[str, ModelEntry | None] = field(init=False, repr=False, compare=False)
    _suggested: dict[str, str | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})
        object.__setattr__(self, "_found", {})
        object.__setattr__(self, "_suggested", {})

    def lookup(self, model_id: str) -> ModelEntry | None:
        """Find the entry for an id, exactly or as a dated/suffixed snapshot of an entry."""
        try:
            return self._found[model_id]
        except KeyError:
            found = self._found[model_id] = self._lookup(model_id)
            _bound(self._found)
            return found

    def _lookup(self, model_id: str) -> ModelEntry | None:
        norm = normalize_model_id(model_id)
        exact = self._by_id.get(norm)
        if exact is not None:
            return exact
        best: ModelEntry | None = None
        for entry in self.entries:
            if norm.startswith(entry.id + "-") and (best is None or len(entry.id) > len(best.id)):
                best = entry
        return best

    def suggest(self, model_id: str) -> str | None:
        try:
            return self._suggested[model_id]
        except KeyError:
            matches = difflib.get_close_matches(normalize_model_id(model_id), self._by_id, n=1)
            found = self._suggested[model_id] = matches[0] if matches else None
            _bound(self._suggested)
            return found

    @property
    def covered(self) -> tuple[ModelEntry, ...]:
        return tuple(e for e in self.entries if e.covered)

    def extended(self, extra: Iterable[ModelEntry]) -> Catalogue:
        """A catalogue with user entries; a user entry replaces a shipped one with the same id."""
        merged = dict(self._by_id)
        for entry in extra:
            merged[entry.id] = entry
        return Catalogue(tuple(merged.values()))


@dataclass(frozen=True)
class Policy:
    as_of: str
    source_title: str
    products: dict[str, str]
    routes: dict[str, str]
    route_groups: dict[str, tuple[str, ...]]
    third_party_platforms: tuple[str, ...]
    standard_retention_products: tuple[str, ...]
    hipaa_ready_excludes_zdr: tuple[str, ...]
    staged_rollout_routes: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    catalogue: Catalogue
    catalogue_as_of: str

    def _route_matches(self, row_route: str, route: str) -> bool:
        return route == row_route or route in self.route_groups.get(row_route, ())

    def row(self, product: str, route: str, retention: str, hipaa_ready: bool) -> MatrixRow | None:
        """The matrix row for a configuration, or None when the table has no such row."""
        for row in self.rows:
            if (
                row.product == product
                and row.retention == retention
                and self._route_matches(row.route, route)
                and (row.hipaa_ready is None or row.hipaa_ready == hipaa_ready)
            ):
                return row
        return None

    def eligible_somewhere(self, product: str) -> bool:
        return any(r.eligible for r in self.rows if r.product == product)

    def eligible_with_covered_models_somewhere(self, product: str) -> bool:
        return any(r.eligible and r.covered for r in self.rows if r.product == product)

    def product_name(self, product: str) -> str:
        return self.products.get(product, product)

    def is_third_party(self, platform: str) -> bool:
        return platform in self.third_party_platforms

    def with_models(self, extra: Iterable[ModelEntry]) -> Policy:
        return replace(self, catalogue=self.catalogue.extended(extra))
