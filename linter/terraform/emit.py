"""Turn evaluated Terraform resource instances into declarations (the parser-neutral node tree).

Compliance facts come from attributes named as in YAML (phi, models, products, data_retention)
or from tags with those keys (configurable); tag values are strings ("true", "a,b"). A fact is
located inside the resource block that carries it: a value that came from elsewhere (a variable,
a local, a module input) is anchored at the attribute in the block, and where it really came
from goes into the evidence chain.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from linter.core.locations import Location, Span
from linter.core.model import ABSENT, Fact, Origin, Unknown, sensitive_chain
from linter.core.tags import (
    AWS_SEPARATORS,
    BOOL_FACTS,
    COMMA,
    LIST_FACTS,
    WORKSPACE_FACTS,
    split_list,
    tag_fact,
)
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
from linter.terraform.recognised import AGENT, ORGANIZATION, WORKSPACE_PLATFORMS, WORKSPACE_TYPES

ORG_TYPE = ORGANIZATION
AGENT_TYPE = AGENT
# Attributes of a Terraform organization that are never facts: Terraform's meta-arguments (the
# evaluator leaves most out already) and what a provider computes (read-only).
ORG_NOT_FACTS = frozenset(
    {"id", "count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"}
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


class _NotPlainError(Exception):
    """An option that is not wholly known: the unknown is then any value of its domain."""


def _plain(val: Val) -> object:
    """A wholly known value as plain data (tuples for lists and sets, dicts for maps)."""
    value = val.v
    if isinstance(value, Unknown):
        raise _NotPlainError
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _plain_options(unknown: Unknown) -> Unknown:
    """The unknown with its options (evaluated values) as plain data, or without options."""
    if not unknown.options:
        return unknown
    try:
        options = tuple(_plain(option) for option in unknown.options)
    except _NotPlainError:
        options = ()
    return Unknown(unknown.expression, unknown.reason, unknown.silent, options)


def _node(
    val: Val, span: Span, fallback: Location, attr: str, secret: Origin | None = None
) -> Node:
    """The node of a value; ``secret``: a sensitive origin of an enclosing value. What is
    inside a sensitive list or map is sensitive too (a list built by split() of a secret has
    elements of its own), so the origin is carried down onto every element's chain."""
    location, chain = _anchor(val, span, fallback)
    if secret is not None and not sensitive_chain(chain):
        chain = (*chain, secret)
    secret = secret or next((o for o in chain if o.sensitive), None)
    value = val.v
    if isinstance(value, Unknown):
        return UnknownNode(location, attr=attr, chain=chain, unknown=_plain_options(value))
    if isinstance(value, tuple):
        items = tuple(
            _node(item, span, location, f"{attr}[{i}]" if attr else "", secret)
            for i, item in enumerate(value)
        )
        return SeqNode(location, attr=attr, chain=chain, items=items)
    if isinstance(value, dict):
        entries = tuple(
            MapEntry(
                k, location, _node(item, span, location, f"{attr}.{k}" if attr else "", secret)
            )
            for k, item in value.items()
        )
        return MapNode(location, attr=attr, chain=chain, entries=entries)
    return ScalarNode(location, attr=attr, chain=chain, value=value, text=str(value))


def _with_options(node: UnknownNode, convert: Callable[[object], object]) -> UnknownNode:
    unknown = node.unknown
    if not unknown.options:
        return node
    options = tuple(convert(option) for option in unknown.options)
    limited = Unknown(unknown.expression, unknown.reason, unknown.silent, options)
    return UnknownNode(node.location, node.attr, node.chain, unknown=limited)


def _bool_text(value: object) -> object:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


def _list_text(separators: str) -> Callable[[object], object]:
    def split(value: object) -> object:
        if isinstance(value, str):
            return tuple(item for _, _, item in split_list(value, separators))
        return value

    return split


def _tag_fact(key: str, node: Node, separators: str) -> Node:
    """A tag's value as the fact ``key`` reads it; an unknown one keeps its options, read the
    same way ("true" a boolean, "a,b" a list)."""
    if not isinstance(node, UnknownNode):
        return tag_fact(key, node, separators)
    if key in BOOL_FACTS:
        return _with_options(node, _bool_text)
    if key in LIST_FACTS:
        return _with_options(node, _list_text(separators))
    return node


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
) -> tuple[list[MapEntry], list[MapEntry]]:
    """The facts of a workspace (attributes, else tags), and the tags that restate a fact the
    block also sets as an attribute (compared by the builder: a contradiction is BAA014)."""
    span = instance.span
    entries: list[MapEntry] = []
    restated: list[MapEntry] = []
    tag_items, hidden = _tags(instance)
    tags_loc = _value_loc(instance, "tags")
    for key in keys:
        tag = tag_keys.get(key)
        node: Node | None = None
        if tag is not None and tag_items.get(tag) is not None:
            node = _node(tag_items[tag], span, tags_loc, f"tags.{tag}")
        elif tag is not None and hidden is not None:
            # An unknown tags value (or element, or key) may set this tag: so is the fact.
            node = _unknown_tag(hidden, tag, span, tags_loc)
        if node is not None:
            node = _tag_fact(key, node, separators)
        val = instance.attributes.get(key) if attributes else None
        if val is not None:
            where = _value_loc(instance, key)
            key_loc = instance.attribute_locs.get(key, instance.loc)
            entries.append(MapEntry(key, key_loc, _node(val, span, where, key)))
            if node is not None and not isinstance(node, UnknownNode):
                restated.append(MapEntry(key, node.location, node))
        elif node is not None:
            entries.append(MapEntry(key, node.location, node))
    return entries, restated


def _unknown_tag(tags: Val, tag: str, span: Span, fallback: Location) -> UnknownNode:
    """The tag ``tag`` of an unknown tags map: unknown too, limited to what the map's options
    say (a tag an option does not set is ABSENT there)."""
    location, chain = _anchor(tags, span, fallback)
    whole = _plain_options(tags.v) if isinstance(tags.v, Unknown) else Unknown("tags", "unknown")
    options: tuple[object, ...] = ()
    if whole.options and all(isinstance(option, dict) for option in whole.options):
        options = tuple(option.get(tag, ABSENT) for option in whole.options)
    unknown = Unknown(whole.expression, whole.reason, whole.silent, options)
    # Named after the tags value itself: one unresolved value, reported once (BAA013).
    return UnknownNode(location, attr="tags", chain=chain, unknown=unknown)


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
    shown = _qualifier(instance.root, instance.path, os.getcwd())  # noqa: PTH109 - hot path
    return instance.address if shown is None else f"{shown}:{instance.address}"


@functools.lru_cache(maxsize=4096)
def _qualifier(root: str, path: str, cwd: str) -> str | None:
    """_root_shown for an instance declared in ``path``: one block has tens of thousands of
    instances, one file thousands of blocks."""
    directory = os.path.dirname(os.path.abspath(path))  # noqa: PTH120 - see object_address
    return _root_shown(root, directory, cwd)


def root_qualifier(root: str) -> str:
    """What object_address puts before the address of an instance in a child module of
    ``root``: "envs/prod:", or "" for the root in the current directory."""
    shown = _root_shown(root, "", os.getcwd())  # noqa: PTH109 - as object_address does
    return "" if shown is None else f"{shown}:"


@functools.lru_cache(maxsize=4096)
def _root_shown(root: str, directory: str, cwd: str) -> str | None:
    """How object_address names the root of an instance in ``directory`` (None: not at all).
    Cached: count and for_each make tens of thousands of instances of one block."""
    root_path = Path(root)
    if Path(directory) == root_path:
        return None
    try:
        shown = root_path.relative_to(Path(cwd)).as_posix()
    except ValueError:
        shown = root_path.as_posix()
    return None if shown == "." else shown


OrgKey = tuple[str, str]  # (root module, address)


def is_org_reference(instance: ResourceInstance) -> bool:
    """A data "anthropic_organization" without arguments (the community provider's shape): a
    reference to the organization behind its provider, never an organization of its own."""
    return (
        instance.mode == "data"
        and instance.type == ORG_TYPE
        and all(key in ORG_NOT_FACTS for key in instance.attributes)
    )


def _scope(instance: ResourceInstance) -> str:
    return instance.root or instance.path


def organization_declaration(instance: ResourceInstance, source: str = "terraform") -> Declaration:
    """An organization in the project's own HCL shape: every attribute is read (an unknown one
    is a schema error), including the workspaces and products lists."""
    entries = [_kind(instance.loc, "Organization"), _name_entry(instance)]
    for key, val in instance.attributes.items():
        if key == "name" or key in ORG_NOT_FACTS or val.v is None:
            continue  # null: not set, as in Terraform
        where = _value_loc(instance, key)
        key_loc = instance.attribute_locs.get(key, instance.loc)
        entries.append(MapEntry(key, key_loc, _node(val, instance.span, where, key)))
    root = MapNode(instance.loc, entries=tuple(entries))
    return Declaration(
        root,
        instance.path,
        instance.span,
        source,
        address=object_address(instance),
        provider_alias=instance.provider_alias,
        scope=_scope(instance),
    )


def _only_orgs(org_names: Mapping[OrgKey, str]) -> dict[str, str]:
    """The name of the only organization of each root module that declares exactly one name
    (found once for all the workspaces of a run, not once for each)."""
    names: dict[str, set[str]] = {}
    for (root, _), name in org_names.items():
        names.setdefault(root, set()).add(name)
    return {root: next(iter(found)) for root, found in names.items() if len(found) == 1}


def _org_link(
    instance: ResourceInstance,
    org_names: Mapping[OrgKey, str],
    references: Mapping[OrgKey, str | None],
    only_orgs: Mapping[str, str],
) -> OrgLink:
    reference: Fact[str] | None = None
    alias = instance.provider_alias
    via: str | None = None
    for key in ("organization", "organization_id"):
        val = instance.attributes.get(key)
        if val is None:
            continue
        location, chain = _anchor(val, instance.span, _value_loc(instance, key))
        target = _referenced(val, instance.root, org_names)
        data_source = _referenced(val, instance.root, references)
        if target is not None:
            reference = Fact(target[1], location, key, chain=chain)
        elif data_source is not None:
            # Through a data "anthropic_organization" reference: the org behind its provider.
            via, alias = data_source
        elif isinstance(val.v, (str, Unknown)):
            reference = Fact(val.v, location, key, chain=chain)
        break
    return OrgLink(
        reference=reference,
        provider_alias=alias,
        only_in_root=only_orgs.get(instance.root) if instance.root else None,
        via=via,
    )


V = TypeVar("V")


def _referenced(val: Val, root: str, targets: Mapping[OrgKey, V]) -> tuple[str, V] | None:
    """(address, what it maps to) of the organization a reference points at (same root)."""
    if val.ref is None:
        return None
    for address in (val.ref, val.ref.split("[")[0]):
        if (root, address) in targets:
            return address, targets[(root, address)]
    return None


def workspace_declarations(
    instance: ResourceInstance,
    tag_keys: TagKeys,
    org_names: Mapping[OrgKey, str],
    references: Mapping[OrgKey, str | None],
    only_orgs: Mapping[str, str],
    *,
    source: str = "terraform",
) -> list[Declaration]:
    """The workspace's declaration; when a tag restates a fact the block also sets as an
    attribute, a second declaration of the same object with the tag's value (the builder
    merges the two when they agree and reports BAA014 when they do not)."""
    keys = {
        "phi": tag_keys.phi,
        "models": tag_keys.models,
        "products": tag_keys.products,
        "data_retention": tag_keys.data_retention,
    }
    platform = WORKSPACE_PLATFORMS.get(instance.type)
    head = [_kind(instance.loc, "Workspace"), _name_entry(instance)]
    # A third-party workspace's schema has no fact attributes: its facts are its tags, which
    # on AWS cannot hold commas.
    anthropic = platform is None
    separators = COMMA if anthropic else AWS_SEPARATORS
    facts, restated = _fact_nodes(instance, WORKSPACE_FACTS, keys, anthropic, separators)
    link = _org_link(instance, org_names, references, only_orgs)
    variants = [facts]
    if restated:
        by_key = {entry.key: entry for entry in restated}
        variants.append([by_key.get(entry.key, entry) for entry in facts])
    return [
        Declaration(
            MapNode(instance.loc, entries=tuple(head + entries)),
            instance.path,
            instance.span,
            source,
            address=object_address(instance),
            link=link,
            exists=_exists(instance),
            scope=_scope(instance),
            platform=platform,
        )
        for entries in variants
    ]


def agent_declaration(
    instance: ResourceInstance,
    org_names: Mapping[OrgKey, str],
    references: Mapping[OrgKey, str | None],
    only_orgs: Mapping[str, str],
    source: str = "terraform",
) -> Declaration:
    """A Managed Agent: its model is expected by the organization behind its provider."""
    entries = [_kind(instance.loc, "Agent"), _name_entry(instance)]
    model = instance.attributes.get("model")
    if model is not None and model.v is not None:
        where = _value_loc(instance, "model")
        key_loc = instance.attribute_locs.get("model", instance.loc)
        entries.append(MapEntry("model", key_loc, _node(model, instance.span, where, "model")))
    return Declaration(
        MapNode(instance.loc, entries=tuple(entries)),
        instance.path,
        instance.span,
        source,
        address=object_address(instance),
        link=_org_link(instance, org_names, references, only_orgs),
        exists=_exists(instance),
        scope=_scope(instance),
    )


def declared(
    instances: list[ResourceInstance], tag_keys: TagKeys, source: str = "terraform"
) -> list[tuple[ResourceInstance, Declaration]]:
    """(instance, declaration) for every recognised instance: organizations first, so
    references resolve; a data source reference declares nothing of its own."""
    references = {(i.root, i.address): i.provider_alias for i in instances if is_org_reference(i)}
    orgs = [i for i in instances if i.type == ORG_TYPE and not is_org_reference(i)]
    found = [(i, organization_declaration(i, source)) for i in orgs]
    org_names: dict[OrgKey, str] = {}
    for instance, decl in found:
        name = decl.root.get("name")
        if isinstance(name, ScalarNode) and isinstance(name.value, str):
            org_names[(instance.root, instance.address)] = name.value
    only = _only_orgs(org_names)
    for instance in instances:
        if instance.type in WORKSPACE_TYPES:
            for decl in workspace_declarations(
                instance, tag_keys, org_names, references, only, source=source
            ):
                found.append((instance, decl))
    for instance in instances:
        if instance.type == AGENT_TYPE:
            agent = agent_declaration(instance, org_names, references, only, source)
            found.append((instance, agent))
    return found


def declarations(
    instances: list[ResourceInstance], tag_keys: TagKeys, source: str = "terraform"
) -> list[Declaration]:
    """Declarations for every recognised instance (see :func:`declared`)."""
    return [decl for _, decl in declared(instances, tag_keys, source)]
