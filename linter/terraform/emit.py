"""Turn evaluated Terraform resource instances into declarations (the parser-neutral node tree).

Compliance facts come from attributes named as in YAML (phi, models, products, data_retention)
or from tags with those keys (configurable); tag values are strings ("true", "a,b"). A fact is
located inside the resource block that carries it: a value that came from elsewhere (a variable,
a local, a module input) is anchored at the attribute in the block, and where it really came
from goes into the evidence chain.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from linter.core.locations import Location, Span
from linter.core.model import Fact, Origin, Unknown
from linter.core.tags import AWS_SEPARATORS, COMMA, WORKSPACE_FACTS, tag_fact
from linter.core.tree import (
    Declaration,
    MapEntry,
    MapNode,
    Node,
    OrgLink,
    ScalarNode,
    SeqNode,
    UnknownNode,
)
from linter.terraform.eval.values import ResourceInstance, Val
from linter.terraform.options import TagKeys
from linter.terraform.recognised import ORGANIZATION, WORKSPACE_PLATFORMS, WORKSPACE_TYPES

ORG_ATTRIBUTES = (
    "name",
    "type",
    "platform",
    "baa_signed",
    "hipaa_ready",
    "zero_data_retention",
    "provider_alias",
    "limited_access_programs",
)


def _inside(location: Location, span: Span) -> bool:
    return location.path == span.path and span.start_line <= location.line <= span.end_line


def _anchor(val: Val, span: Span, fallback: Location) -> tuple[Location, tuple[Origin, ...]]:
    """Where a value is reported (inside the block) and the chain that explains it.

    A value written in the block is reported where it is written; one that came from elsewhere
    at its element position in the block (Val.at) if it has one there, else at ``fallback``.
    """
    if _inside(val.loc, span):
        return val.loc, val.chain
    if val.at is not None and _inside(val.at, span):
        fallback = val.at
    chain = val.chain
    written = (val.loc.path, val.loc.line)
    if all((step.location.path, step.location.line) != written for step in chain):
        if isinstance(val.v, Unknown):
            note = f"`{val.v.expression}` is defined here, without a value baa-lint can resolve"
        else:
            note = "value written here"
        chain = (*chain, Origin(val.loc, note))
    return fallback, chain


def _node(val: Val, span: Span, fallback: Location, attr: str) -> Node:
    location, chain = _anchor(val, span, fallback)
    value = val.v
    if isinstance(value, Unknown):
        return UnknownNode(location, attr=attr, chain=chain, unknown=value)
    if isinstance(value, tuple):
        items = tuple(
            _node(item, span, location, f"{attr}[{i}]" if attr else "")
            for i, item in enumerate(value)
        )
        return SeqNode(location, attr=attr, chain=chain, items=items)
    if isinstance(value, dict):
        entries = tuple(
            MapEntry(k, location, _node(item, span, location, f"{attr}.{k}" if attr else ""))
            for k, item in value.items()
        )
        return MapNode(location, attr=attr, chain=chain, entries=entries)
    return ScalarNode(location, attr=attr, chain=chain, value=value, text=str(value))


def _value_loc(instance: ResourceInstance, key: str) -> Location:
    return instance.value_locs.get(key) or instance.attribute_locs.get(key, instance.loc)


def _tags(instance: ResourceInstance) -> tuple[dict[str, Val], Val | None]:
    """The instance's tags by key, and the unknown that may hide any other tag, if one does.

    ``tags`` is a string map (anthropic_workspace) or a set of ``{ key, value }`` objects
    (awscc). A whole tags value that cannot be resolved (``var.tags``, a data source), an
    unknown element or an unknown key may carry any tag: it is not an empty map.
    """
    tags = instance.attributes.get("tags")
    if tags is None:
        return {}, None
    if isinstance(tags.v, Unknown):
        return {}, tags
    if isinstance(tags.v, dict):
        return dict(tags.v), None
    found: dict[str, Val] = {}
    hidden: Val | None = None
    for item in tags.v if isinstance(tags.v, tuple) else ():
        if isinstance(item.v, Unknown):
            hidden = hidden or item
            continue
        if not isinstance(item.v, dict):
            continue  # not an object: Terraform rejects it before any plan
        key, value = item.v.get("key"), item.v.get("value")
        if key is None or value is None:
            continue
        if isinstance(key.v, Unknown):
            hidden = hidden or key
        elif isinstance(key.v, str):
            found.setdefault(key.v, value)
    return found, hidden


def _fact_nodes(
    instance: ResourceInstance,
    keys: tuple[str, ...],
    tag_keys: Mapping[str, str],
    attributes: bool = True,
    separators: str = COMMA,
) -> list[MapEntry]:
    """The facts of ``keys``, from attributes of that name (when the resource has them) or
    from tags named by ``tag_keys``."""
    span = instance.span
    entries: list[MapEntry] = []
    tag_items, hidden = _tags(instance)
    tags_loc = _value_loc(instance, "tags")
    for key in keys:
        val = instance.attributes.get(key) if attributes else None
        if val is not None:
            where = _value_loc(instance, key)
            key_loc = instance.attribute_locs.get(key, instance.loc)
            entries.append(MapEntry(key, key_loc, _node(val, span, where, key)))
            continue
        tag = tag_keys.get(key)
        tag_val = tag_items.get(tag) if tag else None
        if tag is not None and tag_val is None and hidden is not None:
            node = _node(hidden, span, tags_loc, "tags")  # unknown: it may set this tag
            entries.append(MapEntry(key, node.location, node))
            continue
        if tag is None or tag_val is None:
            continue
        node = tag_fact(key, _node(tag_val, span, tags_loc, f"tags.{tag}"), separators)
        entries.append(MapEntry(key, node.location, node))
    return entries


def _name_entry(instance: ResourceInstance) -> MapEntry:
    """The object's name; an unresolvable name falls back to the resource address."""
    val = instance.attributes.get("name")
    where = _value_loc(instance, "name")
    if val is not None and isinstance(val.v, str) and val.v.strip():
        node: Node = _node(val, instance.span, where, "name")
        return MapEntry("name", where, node)
    return MapEntry(
        "name", where, ScalarNode(where, "name", (), instance.address, instance.address)
    )


def _kind(location: Location, kind: str) -> MapEntry:
    return MapEntry("kind", location, ScalarNode(location, "", (), kind, kind))


def _exists(instance: ResourceInstance) -> Fact[bool] | None:
    if instance.exists is None or not isinstance(instance.exists.v, Unknown):
        return None
    return Fact(
        instance.exists.v, instance.exists.loc, "count/for_each", chain=instance.exists.chain
    )


def object_address(instance: ResourceInstance) -> str:
    """The instance address, qualified by its root module when it lives in a child module.

    One child module can be called from several root modules (envs/prod, envs/staging), where
    its resources have the same Terraform address; "envs/staging:module.x.anthropic_workspace.y"
    keeps findings, fingerprints and baselines apart.
    """
    if not instance.root:
        return instance.address
    root = Path(instance.root)
    if Path(os.path.abspath(instance.path)).parent == root:
        return instance.address
    try:
        shown = root.relative_to(Path.cwd()).as_posix()
    except ValueError:
        shown = root.as_posix()
    return instance.address if shown == "." else f"{shown}:{instance.address}"


OrgKey = tuple[str, str]  # (root module, address)


def organization_declaration(instance: ResourceInstance, source: str = "terraform") -> Declaration:
    entries = [_kind(instance.loc, "Organization"), _name_entry(instance)]
    entries += _fact_nodes(instance, ORG_ATTRIBUTES[1:], {})
    root = MapNode(instance.loc, entries=tuple(entries))
    return Declaration(
        root,
        instance.path,
        instance.span,
        source,
        address=object_address(instance),
        provider_alias=instance.provider_alias,
    )


def _only_org_in_root(instance: ResourceInstance, org_names: Mapping[OrgKey, str]) -> str | None:
    names = {name for (root, _), name in org_names.items() if root == instance.root}
    return names.pop() if len(names) == 1 and instance.root else None


def _org_link(instance: ResourceInstance, org_names: Mapping[OrgKey, str]) -> OrgLink:
    reference: Fact[str] | None = None
    for key in ("organization", "organization_id"):
        val = instance.attributes.get(key)
        if val is None:
            continue
        location, chain = _anchor(val, instance.span, _value_loc(instance, key))
        target = _referenced_org(val, instance.root, org_names)
        if target is not None:
            reference = Fact(target, location, key, chain=chain)
        elif isinstance(val.v, (str, Unknown)):
            reference = Fact(val.v, location, key, chain=chain)
        break
    return OrgLink(
        reference=reference,
        provider_alias=instance.provider_alias,
        only_in_root=_only_org_in_root(instance, org_names),
    )


def _referenced_org(val: Val, root: str, org_names: Mapping[OrgKey, str]) -> str | None:
    """The name of the organization a reference points at (by address, in the same root)."""
    if val.ref is None:
        return None
    if (root, val.ref) in org_names:
        return org_names[(root, val.ref)]
    return org_names.get((root, val.ref.split("[")[0]))


def workspace_declaration(
    instance: ResourceInstance,
    tag_keys: TagKeys,
    org_names: Mapping[OrgKey, str],
    source: str = "terraform",
) -> Declaration:
    keys = {
        "phi": tag_keys.phi,
        "models": tag_keys.models,
        "products": tag_keys.products,
        "data_retention": tag_keys.data_retention,
    }
    platform = WORKSPACE_PLATFORMS.get(instance.type)
    entries = [_kind(instance.loc, "Workspace"), _name_entry(instance)]
    # A third-party workspace's schema has no fact attributes: its facts are its tags, which
    # on AWS cannot hold commas.
    anthropic = platform is None
    separators = COMMA if anthropic else AWS_SEPARATORS
    entries += _fact_nodes(instance, WORKSPACE_FACTS, keys, anthropic, separators)
    root = MapNode(instance.loc, entries=tuple(entries))
    return Declaration(
        root,
        instance.path,
        instance.span,
        source,
        address=object_address(instance),
        link=_org_link(instance, org_names),
        exists=_exists(instance),
        platform=platform,
    )


def declarations(
    instances: list[ResourceInstance], tag_keys: TagKeys, source: str = "terraform"
) -> list[Declaration]:
    """Declarations for every recognised instance: organizations first, so references resolve."""
    orgs = [i for i in instances if i.type == ORGANIZATION]
    org_decls = [organization_declaration(i, source) for i in orgs]
    org_names: dict[OrgKey, str] = {}
    for instance, decl in zip(orgs, org_decls, strict=True):
        name = decl.root.get("name")
        if isinstance(name, ScalarNode) and isinstance(name.value, str):
            org_names[(instance.root, instance.address)] = name.value
    workspaces = [
        workspace_declaration(i, tag_keys, org_names, source)
        for i in instances
        if i.type in WORKSPACE_TYPES
    ]
    return org_decls + workspaces
