"""A parser-neutral tree of declaration values, each node with its source location.

The nodes are slotted and built by :func:`linter.core.frozen.quick_init`: a run makes tens of
nodes for each declaration and keeps them all to its end.

The YAML and Terraform front ends both produce :class:`Declaration` objects whose ``root`` is a
:class:`MapNode`; schema validation and normalization only ever see these types, never ruamel's
nodes or tree-sitter's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from linter.core.frozen import quick_init
from linter.core.locations import Location, Span
from linter.core.model import Fact, Origin, Unknown, sensitive_chain

Scalar = str | int | float | bool | None


@quick_init
@dataclass(frozen=True, eq=False, slots=True)
class Node:
    location: Location
    # The attribute path as written in the source when it differs from the declaration's own key
    # path (a Terraform tag: "tags.phi").
    attr: str = ""
    chain: tuple[Origin, ...] = ()

    @property
    def sensitive(self) -> bool:
        """The value came from a sensitive one (see linter.core.model.Origin)."""
        return sensitive_chain(self.chain)


@quick_init
@dataclass(frozen=True, eq=False, slots=True)
class ScalarNode(Node):
    value: Scalar = None
    # What the scalar looked like in the source, for hints ("yes" is a string in YAML 1.2).
    text: str = ""


@quick_init
@dataclass(frozen=True, eq=False, slots=True)
class UnknownNode(Node):
    unknown: Unknown = field(default_factory=lambda: Unknown("?", "unknown"))


@quick_init
@dataclass(frozen=True, eq=False, slots=True)
class SeqNode(Node):
    items: tuple[Node, ...] = ()


@quick_init
@dataclass(frozen=True, eq=False, slots=True)
class MapEntry:
    key: str
    key_location: Location
    value: Node


@quick_init
@dataclass(frozen=True, eq=False, slots=True)
class MapNode(Node):
    entries: tuple[MapEntry, ...] = ()

    def get(self, key: str) -> Node | None:
        for entry in self.entries:
            if entry.key == key:
                return entry.value
        return None

    def entry(self, key: str) -> MapEntry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None

    def keys(self) -> list[str]:
        return [e.key for e in self.entries]


@quick_init
@dataclass(frozen=True, slots=True)
class OrgLink:
    """How a Terraform workspace names its organization, before linking (§3.2)."""

    reference: Fact[str] | None = None  # organization/organization_id → an org's name
    provider_alias: str | None = None  # provider = anthropic.<alias>
    # The name of the only organization declared in the workspace's own root module, if exactly
    # one is: a monorepo with one organization per root still links without references.
    only_in_root: str | None = None
    # The data "anthropic_organization" reference (no arguments) that organization/
    # organization_id points at: the workspace belongs to the organization behind that data
    # source's provider (provider_alias is then the data source's).
    via: str | None = None


@quick_init
@dataclass(frozen=True, eq=False, slots=True)
class Declaration:
    root: MapNode
    path: str
    span: Span
    source: str  # "yaml" | "terraform" | "plan"
    address: str = ""  # Terraform instance address; empty for YAML
    link: OrgLink | None = None
    exists: Fact[bool] | None = None  # a Terraform instance whose count/for_each is unknown
    provider_alias: str | None = None  # a Terraform organization's own provider alias
    # The root module (or plan file) a Terraform declaration was evaluated from; empty for YAML.
    scope: str = ""
    # The third-party platform a workspace lives on by its resource type (a Claude Platform on
    # AWS workspace: "aws-claude-platform"); None for Anthropic's own workspaces.
    platform: str | None = None

    @property
    def kind(self) -> str:
        node = self.root.get("kind")
        return node.value if isinstance(node, ScalarNode) and isinstance(node.value, str) else ""


def to_plain(node: Node) -> object:
    """The node as plain data for JSON Schema validation; unknown values are left out."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SeqNode):
        return [to_plain(item) for item in node.items if not isinstance(item, UnknownNode)]
    if isinstance(node, MapNode):
        return {
            e.key: to_plain(e.value) for e in node.entries if not isinstance(e.value, UnknownNode)
        }
    return None


def walk_path(root: Node, path: list[str | int]) -> Iterator[tuple[Node, Location]]:
    """Yield (node, key location) along a JSON path in the plain projection of ``root``.

    The plain projection drops unknown nodes, so sequence indexes skip them here too.
    """
    node: Node = root
    for part in path:
        if isinstance(node, MapNode) and isinstance(part, str):
            entry = node.entry(part)
            if entry is None:
                return
            node = entry.value
            yield node, entry.key_location
        elif isinstance(node, SeqNode) and isinstance(part, int):
            known = [item for item in node.items if not isinstance(item, UnknownNode)]
            if part >= len(known):
                return
            node = known[part]
            yield node, node.location
        else:
            return


def sensitive_texts(declarations: Iterable[Declaration]) -> set[str]:
    """The raw text of every sensitive scalar in ``declarations`` (names included), for the
    last redaction pass (linter.core.redact)."""
    found: set[str] = set()
    for decl in declarations:
        _sensitive_in(decl.root, found)
        facts = (decl.link.reference if decl.link else None, decl.exists)
        for fact in facts:
            if fact is not None and fact.sensitive and isinstance(fact.value, str):
                found.add(fact.value)
    return found


def _sensitive_in(node: Node, found: set[str]) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        # (Only a value with a provenance chain can be sensitive: most have none.)
        if isinstance(current, ScalarNode):
            if current.chain and current.sensitive and isinstance(current.value, str):
                found.add(current.value)
        elif isinstance(current, SeqNode):
            stack.extend(current.items)
        elif isinstance(current, MapNode):
            if current.chain and current.sensitive:  # a sensitive map's keys are sensitive too
                found.update(entry.key for entry in current.entries)
            stack.extend(entry.value for entry in current.entries)
