"""The canonical model: organizations, workspaces and enterprise products, built from any input.

Every compliance fact is a :class:`Fact` that remembers where it was written and, for Terraform,
the chain of variables, locals and module inputs it came through. A value that cannot be
resolved is :class:`Unknown`: a third value, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from linter.core.locations import Location

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known before apply (or at all): ``expression`` is its source text."""

    expression: str
    reason: str
    # An invalid value already reported as a schema error: rules treat it as unknown, but it is
    # not reported again as an unresolved value.
    silent: bool = False
    # The only values it can take, when the input says so (a CloudFormation parameter's
    # AllowedValues, both branches of an !If): rules are decided over these instead of every
    # value the fact's type allows. None: any value.
    choices: tuple[Any, ...] | None = None
    # How to make it known, when that is not the Terraform way (a variable's value).
    fix: str = ""


@dataclass(frozen=True)
class Origin:
    """One step a value travelled through: a variable default, a tfvars line, a module input."""

    location: Location
    note: str


class UnknownValueError(ValueError):
    """A rule read the value of a fact that is unknown in the world it was given."""

    def __init__(self, fact: Fact[Any]) -> None:
        expression = fact.value.expression if isinstance(fact.value, Unknown) else ""
        super().__init__(f"{fact.attr} is unknown ({expression})")
        self.fact = fact


@dataclass(frozen=True)
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

    def get(self, default: T) -> T_co | T:
        return default if isinstance(self.value, Unknown) else self.value

    @property
    def v(self) -> T_co:
        """The known value. Rules run on worlds where every value is known."""
        if isinstance(self.value, Unknown):
            raise UnknownValueError(self)
        return self.value


Models = tuple[Fact[str], ...]


@dataclass(frozen=True)
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
    # Not declared anywhere: baa-lint stands it in for the organization behind a Claude
    # Platform on AWS workspace when no organization with that platform is declared (§3.2).
    implicit: bool = False


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class EnterpriseProduct:
    """A product (chat, claude-code, cowork) declared on an Enterprise organization."""

    organization: str
    address: str
    location: Location
    product: Fact[str]
    phi: Fact[bool]
    models: Fact[Models]
    data_retention: Fact[str]


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
    """A workspace that cannot be linked to a declared organization (BAA015)."""

    workspace: Workspace
    reason: str
    anchor: Location
    attr: str


@dataclass(frozen=True)
class Model:
    organizations: tuple[Organization, ...]
    workspaces: tuple[Workspace, ...]
    products: tuple[EnterpriseProduct, ...]
    conflicts: tuple[Conflict, ...] = ()
    unlinked: tuple[Unlinked, ...] = ()

    def organization(self, name: str) -> Organization | None:
        for org in self.organizations:
            if org.name == name:
                return org
        return None

    def workspaces_of(self, org: Organization) -> tuple[Workspace, ...]:
        return tuple(w for w in self.workspaces if w.organization == org.name)

    def products_of(self, org: Organization) -> tuple[EnterpriseProduct, ...]:
        return tuple(p for p in self.products if p.organization == org.name)


def show_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Unknown):
        return f"unknown ({value.expression})"
    if isinstance(value, tuple):
        return (
            "[" + ", ".join(show_value(v.value if isinstance(v, Fact) else v) for v in value) + "]"
        )
    return str(value)
