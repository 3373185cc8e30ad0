"""What a rule is: metadata plus a small pure function that yields hits."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from linter.findings import Evidence, Severity
from linter.model import Fact, Unknown
from linter.policy import Policy
from linter.source import Location

# What a rule's check receives: a Configuration (one world), an OrgView (one world), the Model,
# the list of undecided outcomes, or the suppression problems. The engine dispatches on scope.
SCOPES = ("configuration", "organization", "model", "unresolved", "suppression", "engine")


@dataclass(frozen=True)
class Hit:
    """What a rule reports: where, what, why (evidence) and how to fix it."""

    location: Location
    message: str
    attr: str = ""
    evidence: tuple[Evidence, ...] = ()
    fix: str = ""
    severity: Severity | None = None  # a rule may raise its own default (BAA005 with PHI)
    object: str | None = None  # defaults to the subject's address


@dataclass(frozen=True)
class Context:
    policy: Policy


Check = Callable[[Any, Context], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    slug: str
    severity: Severity
    summary: str
    explanation: str
    scope: str
    check: Check | None = None
    suppressible: bool = True

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise ValueError(f"{self.code}: unknown scope {self.scope!r}")


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


def evidence(fact: Fact[Any], text: str) -> tuple[Evidence, ...]:
    """Evidence for a fact: where it is written, then each step it travelled (Terraform)."""
    items = [Evidence(fact.location, text)]
    items.extend(Evidence(step.location, step.note) for step in fact.chain)
    return tuple(items)


def setting(fact: Fact[Any], owner: str, key: str | None = None) -> tuple[Evidence, ...]:
    """Evidence that ``owner`` sets (or defaults) ``key`` to the fact's value."""
    key = key or fact.attr
    value = show_value(fact.value)
    if fact.explicit:
        return evidence(fact, f"{owner} sets {key}: {value}")
    return evidence(fact, f"{owner} does not set {key} (default: {value})")


@dataclass(frozen=True)
class Undecided:
    """An unknown value that decides whether some rules fire (the input of BAA013)."""

    fact: Fact[Any]
    unknown: Unknown
    rules: tuple[str, ...]
    address: str
    owner: str


@dataclass(frozen=True)
class SuppressionProblem:
    """A suppression directive that is wrong or useless (the input of BAA902)."""

    location: Location
    message: str
    fix: str
