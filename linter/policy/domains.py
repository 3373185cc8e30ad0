"""The values an unknown fact may take, derived from the declaration schema and the policy data.

The rule runner decides a rule in every world an unknown allows; these are the worlds. Booleans
and enumerations come from the schema (so a field the schema gains gets its domain with it),
model ids from the catalogue: one plain model and each generally available Covered Model
stand for all ids.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from linter.core.shipped import load_schema
from linter.policy.data import Policy

SCHEMA = "declaration.schema.json"
# Facts of our own model that no declaration writes: whether a counted instance exists.
INTERNAL_BOOLEANS = ("exists",)


def _resolve(node: Any, defs: dict[str, Any]) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _values(node: Any) -> tuple[Any, ...] | None:
    """A property's possible values when the schema enumerates them (booleans, enums)."""
    if not isinstance(node, dict):
        return None
    if node.get("type") == "boolean":
        return (True, False)
    if "enum" in node:
        return tuple(node["enum"])
    return None


def _properties() -> Iterator[tuple[str, str, Any]]:
    """(definition, property, resolved schema) of every object property the schema defines."""
    schema = load_schema(SCHEMA)
    defs = schema.get("$defs", {})
    for definition, body in defs.items():
        for name, node in (_resolve(body, defs).get("properties") or {}).items():
            yield definition, name, _resolve(node, defs)


@functools.cache
def _scalar_domains() -> dict[str, tuple[Any, ...]]:
    found: dict[str, tuple[Any, ...]] = dict.fromkeys(INTERNAL_BOOLEANS, (True, False))
    for _, name, node in _properties():
        values = _values(node)
        if values is not None and name not in ("apiVersion", "kind"):
            found.setdefault(name, values)
    return found


@functools.cache
def _enum_of(definition: str, name: str) -> tuple[Any, ...]:
    """The enumerated values of one property (for a list, of its items)."""
    for where, prop, node in _properties():
        if (where, prop) == (definition, name):
            items = node.get("items") if node.get("type") == "array" else None
            return _values(items if items is not None else node) or ()
    raise KeyError(f"{SCHEMA} has no enumerated {definition}.{name}")


def _model_domain(policy: Policy, element: bool) -> tuple[Any, ...]:
    # One plain model and each generally available Covered Model stand for every id. A
    # limited-access model is not among them: it is an opt-in program, and an unresolved value
    # is no sign of one, so BAA011 never makes an unknown model "undecided" (an unknown whose
    # options name such a model is still decided in that world).
    plain = next((e.id for e in policy.catalogue.entries if not e.covered), "claude-unlisted")
    ids = (plain, *(e.id for e in policy.catalogue.covered if not e.limited))
    return ids if element else ((), *((i,) for i in ids))


def _products(kind: str, name: str, element: bool) -> tuple[Any, ...]:
    # An enterprise product configuration is one of the Enterprise products; a workspace's
    # products are API-side ones.
    choices = (
        _enum_of("product", "product") if kind == "product" else _enum_of("workspace", "products")
    )
    return choices if element or name == "product" else tuple((c,) for c in choices)


def representative(name: str) -> bool:
    """Whether the domain of ``name`` only stands for its values (any string is a model id)."""
    return name in ("models", "limited_access_programs")


def domain(name: str, element: bool, kind: str, policy: Policy) -> tuple[Any, ...]:
    """The values an unknown ``name`` may take (``element``: one item of a list), or ()."""
    if name == "models":
        return _model_domain(policy, element)
    if name == "limited_access_programs":
        limited = tuple(e.id for e in policy.catalogue.entries if e.limited)
        return ("none", *limited) if element else ((), limited)
    if name in ("product", "products"):
        return _products(kind, name, element)
    if name == "platform":
        return ("anthropic", *policy.third_party_platforms)
    return _scalar_domains().get(name, ())


def vocabulary(policy: Policy) -> frozenset[str]:
    """The words of the language itself: every enumerated value of the schema (true, false,
    standard, zdr, api...), the platforms and products, and every catalogue model id. They are
    public, and messages are made of them: the last redaction pass never masks them."""
    words: set[str] = {"true", "false", "anthropic", *policy.third_party_platforms}
    words.update(policy.routes, *policy.route_groups.values(), policy.route_groups)
    for _, _, node in _properties():
        if isinstance(node, dict):
            items = node.get("items") if node.get("type") == "array" else None
            found = _values(items if items is not None else node) or ()
            words.update(str(v).lower() if isinstance(v, bool) else str(v) for v in found)
    words.update(e.id for e in policy.catalogue.entries)
    return frozenset(words)
