"""Validate declarations and build the canonical model: merge, detect conflicts, link workspaces.

A value that breaks the schema becomes a silent :class:`Unknown` rather than dropping the whole
declaration, so one typo never hides the other findings in the same organization.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from linter.core.findings import Finding
from linter.core.model import (
    Conflict,
    EnterpriseProduct,
    Fact,
    Model,
    Models,
    Organization,
    Unknown,
    Unlinked,
    Workspace,
)
from linter.core.tree import Declaration, MapNode, Node, ScalarNode, SeqNode, UnknownNode
from linter.normalize.schema import KnownValid, format_path, validate

T = TypeVar("T")

_INVALID = Unknown("invalid value", "the value breaks the schema (see BAA901)", silent=True)


@dataclass
class _Reader:
    """Reads typed facts from one mapping of a declaration."""

    mapping: MapNode
    path: list[str | int]  # the mapping's path from the declaration root
    invalid: set[str]  # formatted paths that have schema errors

    def _is_invalid(self, *parts: str | int) -> bool:
        return format_path([*self.path, *parts]) in self.invalid

    def _fact(self, node: Node, attr: str, check: Callable[[object], bool]) -> Fact[Any]:
        attr = node.attr or attr
        if isinstance(node, UnknownNode):
            return Fact(node.unknown, node.location, attr, chain=node.chain)
        if isinstance(node, ScalarNode) and check(node.value):
            return Fact(node.value, node.location, attr, chain=node.chain)
        return Fact(_INVALID, node.location, attr, chain=node.chain)

    def value(self, key: str, default: T, check: Callable[[object], bool]) -> Fact[T]:
        node = self.mapping.get(key)
        if node is None:
            return Fact(default, self.mapping.location, key, explicit=False)
        if self._is_invalid(key):
            return Fact(_INVALID, node.location, node.attr or key, chain=node.chain)
        fact: Fact[T] = self._fact(node, key, check)
        return fact

    def boolean(self, key: str, default: bool) -> Fact[bool]:
        return self.value(key, default, lambda v: isinstance(v, bool))

    def text(self, key: str, default: str) -> Fact[str]:
        return self.value(key, default, lambda v: isinstance(v, str))

    def strings(self, key: str, default: tuple[str, ...]) -> Fact[Models]:
        node = self.mapping.get(key)
        if node is None:
            defaults = tuple(Fact(v, self.mapping.location, key, explicit=False) for v in default)
            return Fact(defaults, self.mapping.location, key, explicit=False)
        attr = node.attr or key
        if isinstance(node, UnknownNode):
            return Fact(node.unknown, node.location, attr, chain=node.chain)
        if not isinstance(node, SeqNode) or self._is_invalid(key):
            return Fact(_INVALID, node.location, attr, chain=node.chain)
        items: list[Fact[str]] = []
        for index, item in enumerate(node.items):
            item_attr = item.attr or f"{attr}[{index}]"
            if self._is_invalid(key, index):
                items.append(Fact(_INVALID, item.location, item_attr, chain=item.chain))
            else:
                items.append(self._fact(item, item_attr, lambda v: isinstance(v, str)))
        return Fact(tuple(items), node.location, attr, chain=node.chain)

    def name(self) -> str | None:
        node = self.mapping.get("name")
        if isinstance(node, ScalarNode) and isinstance(node.value, str) and node.value.strip():
            return node.value
        return None


@dataclass
class _Builder:
    orgs: list[Organization] = field(default_factory=list)
    workspaces: list[Workspace] = field(default_factory=list)
    pending: list[tuple[Workspace, Declaration]] = field(default_factory=list)
    products: list[EnterpriseProduct] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unlinked: list[Unlinked] = field(default_factory=list)
    standalone: list[Organization] = field(default_factory=list)  # see _standalone_org


def _organization(decl: Declaration, read: _Reader, name: str) -> Organization:
    alias_node = read.mapping.get("provider_alias")
    alias = alias_node.value if isinstance(alias_node, ScalarNode) else None
    return Organization(
        name=name,
        address=decl.address or name,
        location=decl.root.location,
        type=read.text("type", "api"),
        platform=read.text("platform", "anthropic"),
        baa_signed=read.boolean("baa_signed", False),
        hipaa_ready=read.boolean("hipaa_ready", False),
        zero_data_retention=read.boolean("zero_data_retention", False),
        limited_access_programs=read.strings("limited_access_programs", ()),
        provider_alias=alias if isinstance(alias, str) else decl.provider_alias,
    )


def _workspace(
    decl: Declaration, read: _Reader, name: str, org: str | None, link: str
) -> Workspace:
    return Workspace(
        name=name,
        address=decl.address or (f"{org}/{name}" if org else name),
        location=read.mapping.location,
        organization=org,
        link=link,
        phi=read.boolean("phi", False),
        models=read.strings("models", ()),
        products=read.strings("products", ("api",)),
        data_retention=read.text("data_retention", "inherit"),
        exists=decl.exists or Fact(True, decl.root.location, "", explicit=False),
        org_reference=read.text("organization", "")
        if "organization" in read.mapping.keys()  # noqa: SIM118
        else None,
    )


def _product(read: _Reader, org: str, product: str) -> EnterpriseProduct:
    return EnterpriseProduct(
        organization=org,
        address=f"{org}/{product}",
        location=read.mapping.location,
        product=read.text("product", product),
        phi=read.boolean("phi", False),
        models=read.strings("models", ()),
        data_retention=read.text("data_retention", "inherit"),
    )


def _children(node: Node | None) -> list[tuple[int, MapNode]]:
    if not isinstance(node, SeqNode):
        return []
    return [(i, item) for i, item in enumerate(node.items) if isinstance(item, MapNode)]


def _add_declaration(b: _Builder, decl: Declaration, invalid: set[str]) -> None:
    read = _Reader(decl.root, [], invalid)
    name = read.name()
    if name is None:
        return  # the schema reports the missing or invalid name
    if decl.kind == "Organization":
        b.orgs.append(_organization(decl, read, name))
        for index, item in _children(decl.root.get("workspaces")):
            sub = _Reader(item, ["workspaces", index], invalid)
            ws_name = sub.name()
            if ws_name is not None:
                b.workspaces.append(_workspace(decl, sub, ws_name, name, "declared inside"))
        for index, item in _children(decl.root.get("products")):
            product = item.get("product")
            if isinstance(product, ScalarNode) and isinstance(product.value, str):
                sub = _Reader(item, ["products", index], invalid)
                b.products.append(_product(sub, name, product.value))
    elif decl.kind == "Workspace":
        b.pending.append((_workspace(decl, read, name, None, ""), decl))


# --- merging duplicates (BAA014) -------------------------------------------------------------

_ORG_FACTS = ("type", "platform", "baa_signed", "hipaa_ready", "zero_data_retention")
_USAGE_FACTS = ("phi", "data_retention", "models", "products")

Difference = tuple[str, Fact[object], Fact[object]]


def _plain(fact: Fact[object]) -> object:
    value = fact.value
    if isinstance(value, tuple):
        return tuple(_plain(v) if isinstance(v, Fact) else v for v in value)
    return value


def _merge_facts(
    first: object, second: object, names: Sequence[str]
) -> tuple[dict[str, Fact[object]], list[Difference]]:
    """Facts of ``second`` that fill gaps in ``first``, and explicit values that disagree.

    Only explicit, known values can conflict: a Terraform data source that names an org without
    restating its settings agrees with the YAML declaration of that org.
    """
    merged: dict[str, Fact[object]] = {}
    differences: list[Difference] = []
    for name in names:
        a: Fact[object] = getattr(first, name)
        b: Fact[object] = getattr(second, name)
        if a.explicit and b.explicit and a.known and b.known and _plain(a) != _plain(b):
            differences.append((name, a, b))
        elif (b.explicit and not a.explicit) or (b.known and not a.known):
            merged[name] = b
    return merged, differences


def _merge(
    b: _Builder, items: Sequence[Any], key: Callable[[Any], object], names: Sequence[str], kind: str
) -> list[Any]:
    """Merge declarations of one object; report (BAA014) those that disagree.

    A workspace or product declared twice with different values stays two configurations, so
    the findings each declaration implies are still reported; an organization is merged (its
    workspaces need one organization to link to), keeping the first value of each fact.
    """
    result: dict[object, Any] = {}
    for index, item in enumerate(items):
        seen = result.get(key(item))
        if seen is None:
            result[key(item)] = item
            continue
        merged, diffs = _merge_facts(seen, item, names)
        if diffs:
            conflict = Conflict(
                kind,
                item.name if kind != "product" else item.address,
                item.address,
                item.location,
                seen.location,
                tuple(diffs),
            )
            b.conflicts.append(conflict)
            if kind != "organization":
                result[(key(item), index)] = item
                continue
        if kind == "organization" and not seen.provider_alias:
            merged["provider_alias"] = item.provider_alias
        result[key(item)] = replace(seen, **merged)
    return list(result.values())


# --- linking workspaces to organizations (§3.2) ----------------------------------------------


def _standalone_org(b: _Builder, decl: Declaration, platform: str) -> Organization:
    """The organization behind third-party workspaces when none of that platform is declared.

    Claude Platform on AWS creates an Anthropic organization of its own for the AWS account.
    With no organization of that platform declared, the workspaces of one file (a template is
    one stack, in one account) stand on that platform with standard retention (nothing says
    their organization has ZDR) and no BAA: one stand-in organization per file.
    """
    name = f"{platform}:{decl.path}"
    for org in b.standalone:
        if org.name == name:
            return org
    where = decl.root.location

    def implied(value: T, attr: str) -> Fact[T]:
        return Fact(value, where, attr, explicit=False)

    org = Organization(
        name=name,
        address=name,
        location=where,
        type=implied("api", "type"),
        platform=Fact(platform, where, "platform"),
        baa_signed=implied(False, "baa_signed"),
        hipaa_ready=implied(False, "hipaa_ready"),
        zero_data_retention=implied(False, "zero_data_retention"),
        limited_access_programs=implied((), "limited_access_programs"),
        implicit=True,
    )
    b.standalone.append(org)
    return org


def _link(b: _Builder, orgs: list[Organization]) -> None:
    names = [o.name for o in orgs]
    for ws, decl in b.pending:
        org, how, problem = _find_org(ws, decl, orgs, names)
        if org is None and not problem and decl.platform is not None:
            standalone = _standalone_org(b, decl, decl.platform)
            how = f"standalone on {decl.platform} (no organization with that platform declared)"
            b.workspaces.append(replace(ws, organization=standalone.name, link=how))
            continue
        found = next((o for o in orgs if o.name == org), None)
        if found is not None and found.type.known and found.type.v == "enterprise":
            # Workspaces belong to API organizations; checking one against an Enterprise plan's
            # rows would match nothing and hide its PHI from every rule.
            org = None
            problem = (
                f"'{found.name}' is an Enterprise organization, and workspaces belong to API "
                "organizations (type: api)"
            )
        if org is not None:
            address = decl.address or f"{org}/{ws.name}"
            b.workspaces.append(replace(ws, organization=org, link=how, address=address))
        else:
            ref = ws.org_reference or (decl.link.reference if decl.link else None)
            anchor = ref.location if ref else ws.location
            b.unlinked.append(Unlinked(ws, problem, anchor, ref.attr if ref else ""))


def _find_org(
    ws: Workspace, decl: Declaration, orgs: list[Organization], names: list[str]
) -> tuple[str | None, str, str]:
    """(organization name, how it was found, why not): the §3.2 linking order."""
    if decl.platform is not None:
        # A third-party workspace (Claude Platform on AWS) belongs to an organization of its
        # platform: the only one declared, else none (it stands alone, see _standalone_org).
        same = [o.name for o in orgs if o.platform.known and o.platform.v == decl.platform]
        if len(same) == 1:
            return same[0], f"the only {decl.platform} organization", ""
        return None, "", ""
    reference = ws.org_reference or (decl.link.reference if decl.link else None)
    if reference is not None and reference.known:
        wanted = reference.get("")
        if wanted in names:
            return wanted, f"organization '{wanted}'", ""
        hint = difflib.get_close_matches(wanted, names, n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
        return None, "", f"no organization named '{wanted}' is declared{suggestion}"
    alias = decl.link.provider_alias if decl.link else None
    if alias is not None:
        matches = [o.name for o in orgs if o.provider_alias == alias]
        if len(matches) == 1:
            return matches[0], f"provider anthropic.{alias}", ""
        if len(matches) > 1:
            return None, "", f"provider alias '{alias}' matches several organizations"
    only_in_root = decl.link.only_in_root if decl.link else None
    if only_in_root is not None and only_in_root in names:
        return only_in_root, "the only organization in its root module", ""
    if len(orgs) == 1 and decl.source != "yaml":
        return orgs[0].name, "the only organization in the run", ""
    if reference is not None:
        return None, "", "its organization reference cannot be resolved"
    if alias is not None:
        return None, "", f"no organization declares provider_alias '{alias}'"
    if not orgs:
        return None, "", "no organization is declared in this run"
    return None, "", "several organizations are declared and nothing says which one it belongs to"


def _schema_definition(decl: Declaration) -> str:
    if decl.source == "yaml":
        return ""
    return "terraformOrganization" if decl.kind == "Organization" else "terraformWorkspace"


def build_model(
    declarations: Sequence[Declaration], known: KnownValid | None = None
) -> tuple[Model, list[Finding]]:
    """Validate every declaration and build the model; return it with the schema findings."""
    b = _Builder()
    findings: list[Finding] = []
    for decl in declarations:
        errors = validate(decl, _schema_definition(decl), known)
        findings.extend(errors)
        _add_declaration(b, decl, {f.attribute for f in errors})
    orgs = _merge(b, b.orgs, lambda o: o.name, _ORG_FACTS, "organization")
    _link(b, orgs)
    workspaces = _merge(
        b, b.workspaces, lambda w: (w.organization, w.name), _USAGE_FACTS, "workspace"
    )
    products = _merge(
        b, b.products, lambda p: p.address, ("phi", "data_retention", "models"), "product"
    )
    model = Model(
        organizations=(*orgs, *b.standalone),
        workspaces=tuple(workspaces),
        products=tuple(products),
        conflicts=tuple(b.conflicts),
        unlinked=tuple(b.unlinked),
    )
    return model, findings
