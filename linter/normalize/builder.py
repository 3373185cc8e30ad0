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
    ABSENT,
    Agent,
    Conflict,
    EnterpriseProduct,
    Fact,
    Model,
    Models,
    Organization,
    Unknown,
    Unlinked,
    Workspace,
    shown_name,
)
from linter.core.tree import Declaration, MapNode, Node, ScalarNode, SeqNode, UnknownNode
from linter.normalize.schema import KnownValid, format_path, validate

T = TypeVar("T")

_INVALID = Unknown("invalid value", "the value breaks the schema (see BAA901)", silent=True)


def _is_strings(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(item, str) for item in value)


def _checked_options(unknown: Unknown, check: Callable[[object], bool], default: object) -> Unknown:
    """The unknown's options with ABSENT as the fact's default, when every option is a valid
    value of the fact; else no options (any value), so an invalid branch is never assumed."""
    if not unknown.options:
        return unknown
    options = tuple(default if option is ABSENT else option for option in unknown.options)
    if not all(option is not ABSENT and check(option) for option in options):
        options = ()
    return Unknown(
        unknown.expression, unknown.reason, unknown.silent, tuple(dict.fromkeys(options))
    )


@dataclass
class _Reader:
    """Reads typed facts from one mapping of a declaration."""

    mapping: MapNode
    path: list[str | int]  # the mapping's path from the declaration root
    invalid: set[str]  # formatted paths that have schema errors

    def _is_invalid(self, *parts: str | int) -> bool:
        return format_path([*self.path, *parts]) in self.invalid

    def _fact(
        self, node: Node, attr: str, check: Callable[[object], bool], default: object = ABSENT
    ) -> Fact[Any]:
        attr = node.attr or attr
        if isinstance(node, UnknownNode):
            unknown = _checked_options(node.unknown, check, default)
            return Fact(unknown, node.location, attr, chain=node.chain)
        if isinstance(node, ScalarNode) and check(node.value):
            return Fact(node.value, node.location, attr, chain=node.chain)
        return Fact(_INVALID, node.location, attr, chain=node.chain)

    def value(self, key: str, default: T, check: Callable[[object], bool]) -> Fact[T]:
        node = self.mapping.get(key)
        if node is None:
            return Fact(default, self.mapping.location, key, explicit=False)
        if self._is_invalid(key):
            return Fact(_INVALID, node.location, node.attr or key, chain=node.chain)
        fact: Fact[T] = self._fact(node, key, check, default)
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
            unknown = _checked_options(node.unknown, _is_strings, default)
            return Fact(unknown, node.location, attr, chain=node.chain)
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

    def name_sensitive(self) -> bool:
        node = self.mapping.get("name")
        return node is not None and node.sensitive


@dataclass
class _Builder:
    orgs: list[Organization] = field(default_factory=list)
    workspaces: list[Workspace] = field(default_factory=list)
    pending: list[tuple[Workspace, Declaration]] = field(default_factory=list)
    pending_agents: list[tuple[Agent, Declaration]] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)
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
        name_sensitive=read.name_sensitive(),
        scope=decl.scope,
    )


def _workspace(
    decl: Declaration, read: _Reader, name: str, org: str | None, link: str
) -> Workspace:
    """A workspace declared inside an organization (``org``), or a standalone one (YAML
    Workspace, Terraform anthropic_workspace) to be linked."""
    inside = org is not None
    return Workspace(
        name=name,
        address=f"{org}/{name}" if inside else (decl.address or name),
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
        name_sensitive=read.name_sensitive(),
        # A Terraform instance is its own object; one declared inside an organization (or in
        # YAML) is identified by its organization and name.
        scope="" if inside else decl.scope,
        org_scope=decl.scope if inside else "",
    )


def _agent(decl: Declaration, read: _Reader, name: str) -> Agent:
    if "model" in read.mapping.keys():  # noqa: SIM118
        model = read.text("model", "")
        models: Fact[Models] = Fact((model,), model.location, model.attr, chain=model.chain)
    else:
        models = Fact((), read.mapping.location, "model", explicit=False)
    return Agent(
        name=name,
        address=decl.address or name,
        location=read.mapping.location,
        organization=None,
        link="",
        models=models,
        exists=decl.exists or Fact(True, decl.root.location, "", explicit=False),
        scope=decl.scope,
    )


def _product(read: _Reader, org: str, product: str, scope: str) -> EnterpriseProduct:
    return EnterpriseProduct(
        organization=org,
        address=f"{org}/{product}",
        location=read.mapping.location,
        product=read.text("product", product),
        phi=read.boolean("phi", False),
        models=read.strings("models", ()),
        data_retention=read.text("data_retention", "inherit"),
        org_scope=scope,
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
                b.products.append(_product(sub, name, product.value, decl.scope))
    elif decl.kind == "Workspace":
        b.pending.append((_workspace(decl, read, name, None, ""), decl))
    elif decl.kind == "Agent":
        b.pending_agents.append((_agent(decl, read, name), decl))


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
                item.shown_name if kind != "product" else item.address,
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
        result[key(item)] = replace(seen, **merged) if merged else seen
    return list(result.values())


def _effective(org: Organization) -> tuple[object, ...]:
    return tuple(_plain(getattr(org, name)) for name in _ORG_FACTS)


def _declares_facts(org: Organization) -> bool:
    return any(getattr(org, name).explicit for name in _ORG_FACTS)


def _merge_orgs(b: _Builder, orgs: Sequence[Organization]) -> list[Organization]:
    """One organization per name, unless root modules declare it with different facts.

    Declarations in one place (YAML, or one root module or plan) merge as any declarations do;
    YAML ones apply to every root. Roots that agree merge into one organization. Roots that
    disagree are BAA014, and each root keeps its own facts (scope = the root): its workspaces
    are checked against what that root declares, never against a mix of both. A root that only
    names the organization (no fact of its own) agrees with any other.
    """
    result: list[Organization] = []
    by_name: dict[str, dict[str, list[Organization]]] = {}
    for org in orgs:
        by_name.setdefault(org.name, {}).setdefault(org.scope, []).append(org)
    for scopes in by_name.values():
        merged = {
            scope: _merge(b, group, lambda o: o.name, _ORG_FACTS, "organization")[0]
            for scope, group in scopes.items()
        }
        shared = merged.pop("", None)
        roots = list(merged.values())
        if shared is not None:
            roots = [
                _merge(b, [shared, root], lambda o: o.name, _ORG_FACTS, "organization")[0]
                for root in roots
            ]
        if not roots:
            assert shared is not None
            result.append(shared)
            continue
        full = [root for root in roots if _declares_facts(root)]
        if all(_effective(root) == _effective(full[0]) for root in full):
            one = roots[0]
            for root in roots[1:]:
                one = _merge(b, [one, root], lambda o: o.name, _ORG_FACTS, "organization")[0]
            result.append(one if one.scope == "" else replace(one, scope=""))
            continue
        for root in full[1:]:
            diffs = [
                (name, getattr(full[0], name), getattr(root, name))
                for name in _ORG_FACTS
                if _plain(getattr(full[0], name)) != _plain(getattr(root, name))
            ]
            if diffs:
                b.conflicts.append(
                    Conflict(
                        "organization",
                        root.name,
                        root.address,
                        root.location,
                        full[0].location,
                        tuple(diffs),
                    )
                )
        result.extend(roots)
    return result


def _merge_workspaces(b: _Builder, workspaces: Sequence[Workspace]) -> list[Workspace]:
    """One object per workspace: declarations by organization and name (YAML, or inside a
    Terraform organization) merge; each Terraform instance is its own object, and a YAML
    declaration of the same name in the same organization merges into it (facts fill gaps; a
    contradiction is BAA014, and then both stay, so each one's findings are reported)."""
    groups: dict[tuple[str | None, str, str], list[Workspace]] = {}
    for ws in workspaces:
        groups.setdefault((ws.organization, ws.org_scope, ws.name), []).append(ws)
    result: list[Workspace] = []
    for items in groups.values():
        declared = _merge(
            b, [w for w in items if not w.scope], lambda w: w.name, _USAGE_FACTS, "workspace"
        )
        instances = _merge(
            b,
            [w for w in items if w.scope],
            lambda w: (w.scope, w.address),
            _USAGE_FACTS,
            "workspace",
        )
        if not declared or not instances:
            result += declared + instances
            continue
        base, *others = declared
        absorbed = False
        for instance in instances:
            merged, diffs = _merge_facts(instance, base, _USAGE_FACTS)
            if diffs:
                b.conflicts.append(
                    Conflict(
                        "workspace",
                        base.name,
                        instance.address,
                        base.location,
                        instance.location,
                        tuple(diffs),
                    )
                )
                result.append(instance)
            else:
                result.append(replace(instance, **merged))
                absorbed = True
        if not absorbed:
            result.append(base)
        result += others
    return result


@dataclass
class _Orgs:
    """The organizations after merging, indexed for linking (one pass per workspace)."""

    names: list[str]  # each name once, in declaration order
    versions: dict[str, list[Organization]]  # by name: one, or one per root that disagrees
    by_alias: dict[str, list[str]]  # provider_alias -> names

    @classmethod
    def of(cls, orgs: Sequence[Organization]) -> _Orgs:
        versions: dict[str, list[Organization]] = {}
        by_alias: dict[str, list[str]] = {}
        for org in orgs:
            versions.setdefault(org.name, []).append(org)
            if org.provider_alias is not None:
                names = by_alias.setdefault(org.provider_alias, [])
                if org.name not in names:
                    names.append(org.name)
        return cls(list(versions), versions, by_alias)

    def scope_for(self, name: str | None, scope: str) -> str:
        """The version of organization ``name`` an object declared in ``scope`` belongs to."""
        versions = [o.scope for o in self.versions.get(name or "", [])]
        if scope in versions:
            return scope
        return versions[0] if versions else ""


# --- linking workspaces and agents to organizations (§3.2) -----------------------------------


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


def _link(b: _Builder, orgs: _Orgs) -> None:
    pending: list[tuple[Workspace | Agent, Declaration]] = [*b.pending, *b.pending_agents]
    for item, decl in pending:
        reference = item.org_reference if isinstance(item, Workspace) else None
        reference = reference or (decl.link.reference if decl.link else None)
        org, how, problem = _find_org(reference, decl, orgs)
        if (
            org is None
            and not problem
            and decl.platform is not None
            and isinstance(item, Workspace)
        ):
            standalone = _standalone_org(b, decl, decl.platform)
            how = f"standalone on {decl.platform} (no organization with that platform declared)"
            b.workspaces.append(replace(item, organization=standalone.name, link=how))
            continue
        found = orgs.versions[org][0] if org is not None else None
        if found is not None and found.type.known and found.type.v == "enterprise":
            # Workspaces and agents belong to API organizations; checking one against an
            # Enterprise plan's rows would match nothing and hide its facts from every rule.
            org = None
            noun = "workspaces" if isinstance(item, Workspace) else "agents"
            problem = (
                f"'{found.shown_name}' is an Enterprise organization, and {noun} belong to API "
                "organizations (type: api)"
            )
        if org is not None:
            scope = orgs.scope_for(org, decl.scope)
            if isinstance(item, Workspace):
                address = decl.address or f"{org}/{item.name}"
                linked = replace(item, organization=org, link=how, address=address, org_scope=scope)
                b.workspaces.append(linked)
            else:
                b.agents.append(replace(item, organization=org, link=how, org_scope=scope))
            continue
        anchor = reference.location if reference else item.location
        b.unlinked.append(
            Unlinked(
                item,
                problem,
                anchor,
                reference.attr if reference else "",
                schema_error=_link_is_invalid(reference, decl),
            )
        )


def _link_is_invalid(reference: Fact[str] | None, decl: Declaration) -> bool:
    """A YAML Workspace links only through its `organization` key: when that is missing or
    invalid, the schema error (BAA901) already says what is wrong."""
    if decl.source != "yaml":
        return False
    return reference is None or (isinstance(reference.value, Unknown) and reference.value.silent)


def _find_org(
    reference: Fact[str] | None, decl: Declaration, orgs: _Orgs
) -> tuple[str | None, str, str]:
    """(organization name, how it was found, why not): the §3.2 linking order."""
    if decl.platform is not None:
        # A third-party workspace (Claude Platform on AWS) belongs to an organization of its
        # platform: the only one declared, else none (it stands alone, see _standalone_org).
        same = [
            name
            for name, versions in orgs.versions.items()
            if any(o.platform.known and o.platform.v == decl.platform for o in versions)
        ]
        if len(same) == 1:
            return same[0], f"the only {decl.platform} organization", ""
        return None, "", ""
    via = decl.link.via if decl.link else None
    found, how, problem = _follow_links(reference, decl, orgs)
    if via is None:
        return found, how, problem
    if found is not None:
        return found, f"{via}: {how}", ""
    return None, "", f"{via} stands for the organization behind its provider, and {problem}"


def _follow_links(
    reference: Fact[str] | None, decl: Declaration, orgs: _Orgs
) -> tuple[str | None, str, str]:
    names = orgs.names
    literal_id: str | None = None
    if reference is not None and reference.known:
        wanted = reference.get("")
        named = orgs.versions.get(wanted, [])
        shown = shown_name(wanted, reference.sensitive or any(o.name_sensitive for o in named))
        if named:
            return wanted, f"organization '{shown}'", ""
        # A did-you-mean would tell how close a sensitive value is to a declared name.
        hint = [] if reference.sensitive else difflib.get_close_matches(wanted, names, n=1)
        if hint or reference.attr != "organization_id" or decl.source == "yaml":
            suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
            return None, "", f"no organization named '{shown}' is declared{suggestion}"
        # An Anthropic organization id (org_01...), not a name: the rest of the order decides.
        literal_id = wanted
    alias = decl.link.provider_alias if decl.link else None
    if alias is not None:
        matches = orgs.by_alias.get(alias, [])
        if len(matches) == 1:
            return matches[0], f"provider anthropic.{alias}", ""
        if len(matches) > 1:
            return None, "", f"provider alias '{alias}' matches several organizations"
    only_in_root = decl.link.only_in_root if decl.link else None
    if only_in_root is not None and only_in_root in orgs.versions:
        return only_in_root, "the only organization in its root module", ""
    if len(names) == 1:
        return names[0], "the only organization in the run", ""
    if literal_id is not None:
        problem = f"organization_id '{literal_id}' is not the name of a declared organization"
        if alias is not None:
            return None, "", f"{problem}, and no organization declares provider_alias '{alias}'"
        if not names:
            return None, "", f"{problem}, and no organization is declared in this run"
        return None, "", f"{problem}, and several organizations are declared"
    if reference is not None:
        return None, "", "its organization reference cannot be resolved"
    if alias is not None:
        return None, "", f"no organization declares provider_alias '{alias}'"
    if not names:
        return None, "", "no organization is declared in this run"
    return None, "", "several organizations are declared and nothing says which one it belongs to"


ScopedT = TypeVar("ScopedT", Workspace, EnterpriseProduct)


def _with_org_scope(item: ScopedT, scope: str) -> ScopedT:
    """The object with that organization scope (itself when it has it already: the model is
    immutable, and a copy of every workspace costs a tenth of building the model)."""
    return item if item.org_scope == scope else replace(item, org_scope=scope)


def _schema_definition(decl: Declaration) -> str:
    if decl.source == "yaml":
        return ""
    definitions = {"Organization": "terraformOrganization", "Agent": "terraformAgent"}
    return definitions.get(decl.kind, "terraformWorkspace")


def build_model(
    declarations: Sequence[Declaration], known: KnownValid | None = None
) -> tuple[Model, list[Finding]]:
    """Validate every declaration and build the model; return it with the schema findings."""
    b = _Builder()
    findings: dict[tuple[object, ...], Finding] = {}
    for decl in declarations:
        errors = validate(decl, _schema_definition(decl), known)
        for error in errors:
            # Two declarations of one block (an attribute and a tag that restates it) share
            # their other values: each problem is reported once.
            findings.setdefault((error.location, error.message, error.attribute), error)
        _add_declaration(b, decl, {f.attribute for f in errors})
    orgs = _merge_orgs(b, b.orgs)
    index = _Orgs.of(orgs)
    _link(b, index)
    workspaces = _merge_workspaces(
        b,
        [_with_org_scope(w, index.scope_for(w.organization, w.org_scope)) for w in b.workspaces],
    )
    products = _merge(
        b,
        [_with_org_scope(p, index.scope_for(p.organization, p.org_scope)) for p in b.products],
        lambda p: (p.org_scope, p.address),
        ("phi", "data_retention", "models"),
        "product",
    )
    model = Model(
        organizations=(*orgs, *b.standalone),
        workspaces=tuple(workspaces),
        products=tuple(products),
        conflicts=tuple(b.conflicts),
        unlinked=tuple(b.unlinked),
        agents=tuple(b.agents),
    )
    return model, list(findings.values())
