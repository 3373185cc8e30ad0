"""The canonical model: organizations, workspaces and enterprise products, built from any input.

Every compliance fact is a :class:`Fact` that remembers where it was written and, for Terraform,
the chain of variables, locals and module inputs it came through. A value that cannot be
resolved is :class:`Unknown`: a third value, never a guess.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from linter.core.frozen import quick_init
from linter.core.locations import Location

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

# How a sensitive value prints, in every format: the value of a `sensitive = true` variable,
# anything read from the environment (TF_VAR_*), and every value computed from one (SPEC §9).
SENSITIVE = "(sensitive)"


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known before apply (or at all): ``expression`` is its source text."""

    expression: str
    reason: str
    # An invalid value already reported as a schema error: rules treat it as unknown, but it is
    # not reported again as an unresolved value.
    silent: bool = False
    # The values it can take, when the declaration itself limits them (the branches of a
    # conditional, the values of a lookup's map): rules are decided in each of these worlds.
    # Empty: any value of the fact's domain. ABSENT stands for "not set" (the default).
    # Not part of its identity: two mentions of var.x are one unknown, however they are limited.
    options: tuple[Any, ...] = field(default=(), compare=False)
    # How to make it known, when that is not the Terraform way (a variable's value).
    fix: str = ""


class _Absent:
    """An option in which the fact is not written at all (its default applies)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Origin:
    """One step a value travelled through: a variable default, a tfvars line, a module input.

    A value is sensitive when one of its origins is (see :func:`sensitive_chain`): sensitivity
    is marked where the value enters (a ``sensitive = true`` variable, a TF_VAR_ environment
    variable) and travels with the provenance chain, which every operation, function,
    conditional and collection already carries on, as Terraform propagates its marks.
    ``note`` may quote the value; what is printed is :attr:`shown`.
    """

    location: Location
    note: str
    # Set on an origin whose value is sensitive: the note to print instead of ``note`` (which
    # may quote the value). Not part of equality: it is a property of the value, not the place.
    redacted: str | None = field(default=None, compare=False)

    def __hash__(self) -> int:
        # Computed once: every reference hop dedupes a value's chain (a set of origins), and a
        # for_each of 10,000 hashed origins almost a million times.
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((self.location, self.note))
            object.__setattr__(self, "_hash", cached)
        return cached

    @property
    def sensitive(self) -> bool:
        return self.redacted is not None

    @property
    def shown(self) -> str:
        """The note as it may be printed: never the value of a sensitive one."""
        return self.note if self.redacted is None else self.redacted


def sensitive_chain(chain: Iterable[Origin]) -> bool:
    """Whether a value that came through ``chain`` is sensitive. (A plain loop over the
    attribute, not any() over the property: provenance chains are long, and the model asks
    this of every fact.)"""
    for origin in chain:  # noqa: SIM110 - the loop, not a generator: see above
        if origin.redacted is not None:
            return True
    return False


class UnknownValueError(ValueError):
    """A rule read the value of a fact that is unknown in the world it was given."""

    def __init__(self, fact: Fact[Any]) -> None:
        expression = fact.value.expression if isinstance(fact.value, Unknown) else ""
        super().__init__(f"{fact.attr} is unknown ({expression})")
        self.fact = fact


# Slots: a run keeps a fact for every value of every declaration (75,000 on the dense corpus).
# quick_init: the model makes one for every value it reads, the rules one for every value they
# assume (a 20,000-workspace file: about 400,000).
@quick_init
@dataclass(frozen=True, slots=True)
class Fact(Generic[T_co]):
    value: T_co | Unknown
    location: Location
    attr: str
    explicit: bool = True
    chain: tuple[Origin, ...] = ()
    assumed: Unknown | None = None  # set when the engine tries a value for an unknown

    @property
    def known(self) -> bool:
        return not isinstance(self.value, Unknown)

    @property
    def sensitive(self) -> bool:
        """The value is sensitive: rules decide on it, outputs print :data:`SENSITIVE`."""
        return sensitive_chain(self.chain)

    def get(self, default: T) -> T_co | T:
        return default if isinstance(self.value, Unknown) else self.value

    @property
    def v(self) -> T_co:
        """The known value. Rules run on worlds where every value is known."""
        if isinstance(self.value, Unknown):
            raise UnknownValueError(self)
        return self.value


Models = tuple[Fact[str], ...]


def shown_name(name: str, sensitive: bool) -> str:
    """A name as it may be printed: an object's name is its identity (linking, merging), so
    the model keeps the real one and says whether it is sensitive."""
    return SENSITIVE if sensitive else name


@quick_init
@dataclass(frozen=True, slots=True)
class Organization:
    name: str
    address: str
    location: Location
    type: Fact[str]
    platform: Fact[str]
    baa_signed: Fact[bool]
    hipaa_ready: Fact[bool]
    zero_data_retention: Fact[bool]
    limited_access_programs: Fact[Models]
    provider_alias: str | None = None
    # Empty, or the root module (or plan file) whose own declaration of this organization
    # differs from another root's: then each root keeps its own facts (never a merged chimera).
    scope: str = ""
    name_sensitive: bool = False  # the name came from a sensitive value

    @property
    def shown_name(self) -> str:
        return shown_name(self.name, self.name_sensitive)

    # Not declared anywhere: baa-lint stands it in for the organization behind a Claude
    # Platform on AWS workspace when no organization with that platform is declared (§3.2).
    implicit: bool = False


@quick_init
@dataclass(frozen=True, slots=True)
class Workspace:
    """An API workspace. ``organization`` is the linked organization's name, or None."""

    name: str
    address: str
    location: Location
    organization: str | None
    link: str  # how it was linked, for `show` and evidence
    phi: Fact[bool]
    models: Fact[Models]
    products: Fact[Models]
    data_retention: Fact[str]
    exists: Fact[bool]
    org_reference: Fact[str] | None = None
    # Where it was declared: empty for YAML, else the root module or plan file it was evaluated
    # from. A Terraform instance is its own object, identified by (scope, address).
    scope: str = ""
    org_scope: str = ""  # the scope of the organization version it belongs to (see Organization)

    name_sensitive: bool = False  # the name came from a sensitive value

    @property
    def shown_name(self) -> str:
        return shown_name(self.name, self.name_sensitive)

    @property
    def carries_fact(self) -> bool:
        """Whether it declares any compliance fact (else nothing about it can be checked)."""
        return any(fact.explicit for fact in compliance_facts(self))


def compliance_facts(ws: Workspace) -> tuple[Fact[object], ...]:
    return (ws.phi, ws.models, ws.products, ws.data_retention)


@quick_init
@dataclass(frozen=True, slots=True)
class Agent:
    """A Managed Agent (Terraform anthropic_agent): a model expectation of the organization
    behind its provider, on that organization's API route and retention."""

    name: str
    address: str
    location: Location
    organization: str | None
    link: str
    models: Fact[Models]
    exists: Fact[bool]
    scope: str = ""
    org_scope: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class EnterpriseProduct:
    """A product (chat, claude-code, cowork) declared on an Enterprise organization."""

    organization: str
    address: str
    location: Location
    product: Fact[str]
    phi: Fact[bool]
    models: Fact[Models]
    data_retention: Fact[str]
    org_scope: str = ""


@dataclass(frozen=True)
class Conflict:
    """One object declared twice with different values (BAA014)."""

    kind: str  # "organization" | "workspace"
    name: str
    address: str
    location: Location
    first: Location
    differences: tuple[tuple[str, Fact[object], Fact[object]], ...]


@dataclass(frozen=True)
class Unlinked:
    """A workspace or agent that cannot be linked to a declared organization (BAA015/BAA018)."""

    workspace: Workspace | Agent
    reason: str
    anchor: Location
    attr: str
    # The link failed on a value that breaks the schema: BAA901 already says so.
    schema_error: bool = False


@dataclass(frozen=True)
class Model:
    organizations: tuple[Organization, ...]
    workspaces: tuple[Workspace, ...]
    products: tuple[EnterpriseProduct, ...]
    conflicts: tuple[Conflict, ...] = ()
    unlinked: tuple[Unlinked, ...] = ()
    agents: tuple[Agent, ...] = ()

    def organization(self, name: str) -> Organization | None:
        return self._organizations_by_name.get(name)

    # Indexes built once per model: a monorepo has thousands of organizations and workspaces,
    # and a scan of every workspace for every organization was quadratic (2 s of a warm run
    # over 4,500 organizations). Same members, same order as a scan.
    @functools.cached_property
    def _organizations_by_name(self) -> dict[str, Organization]:
        first: dict[str, Organization] = {}
        for org in self.organizations:
            first.setdefault(org.name, org)
        return first

    @functools.cached_property
    def _members(self) -> dict[str, dict[tuple[str | None, str], list[Any]]]:
        index: dict[str, dict[tuple[str | None, str], list[Any]]] = {}
        for kind, group in (
            ("workspaces", self.workspaces),
            ("products", self.products),
            ("agents", self.agents),
        ):
            members: dict[tuple[str | None, str], list[Any]] = index.setdefault(kind, {})
            for item in group:
                members.setdefault((item.organization, item.org_scope), []).append(item)
        return index

    def _of(self, kind: str, org: Organization) -> tuple[Any, ...]:
        return tuple(self._members[kind].get((org.name, org.scope), ()))

    def workspaces_of(self, org: Organization) -> tuple[Workspace, ...]:
        return self._of("workspaces", org)

    def products_of(self, org: Organization) -> tuple[EnterpriseProduct, ...]:
        return self._of("products", org)

    def agents_of(self, org: Organization) -> tuple[Agent, ...]:
        return self._of("agents", org)


def show_value(value: object, sensitive: bool = False) -> str:
    """A value as findings, evidence, `show` and reports print it; a sensitive one (or a list
    item that is) as :data:`SENSITIVE`. An unknown shows its expression, never a value."""
    if isinstance(value, Unknown):
        return f"unknown ({value.expression})"
    if sensitive:
        return SENSITIVE
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        items = (show_fact(v) if isinstance(v, Fact) else show_value(v) for v in value)
        return "[" + ", ".join(items) + "]"
    return str(value)


def show_fact(fact: Fact[object]) -> str:
    """The fact's value as it may be printed (see :func:`show_value`)."""
    return show_value(fact.value, fact.sensitive)
