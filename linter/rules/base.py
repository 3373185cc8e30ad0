"""What a rule is: metadata plus a small pure function that yields hits."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from linter.core.findings import Evidence, Fix, Severity
from linter.core.locations import Location
from linter.core.model import Fact, Unknown, show_fact
from linter.core.version import rule_doc_url
from linter.policy.data import Policy

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
    # A mechanical fix. Only the rules about the inputs themselves (BAA902) carry one: a rule
    # that judges a policy fact never does, since what a fact says is the user's decision.
    autofix: Fix | None = None


def hit_at(
    fact: Fact[Any],
    message: str,
    *,
    evidence: tuple[Evidence, ...] = (),
    fix: str = "",
    severity: Severity | None = None,
) -> Hit:
    """A hit located at the fact that carries the problem.

    Where that fact came through variables, tfvars, locals or module inputs, its chain leads the
    evidence, so the reader sees where the offending value was really written.
    """
    chain = tuple(Evidence(step.location, step.shown) for step in fact.chain)
    return Hit(
        fact.location,
        message,
        attr=fact.attr,
        evidence=chain + evidence,
        fix=fix,
        severity=severity,
    )


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

    @property
    def doc_url(self) -> str:
        """The rule's documentation page in the repository (docs/rules/<code>.md)."""
        return rule_doc_url(self.code)


def evidence(fact: Fact[Any], text: str) -> tuple[Evidence, ...]:
    """Evidence for a fact: where it is written, then each step it travelled (Terraform)."""
    items = [Evidence(fact.location, text)]
    items.extend(Evidence(step.location, step.shown) for step in fact.chain)
    return tuple(items)


def setting(fact: Fact[Any], owner: str, key: str | None = None) -> tuple[Evidence, ...]:
    """Evidence that ``owner`` sets (or defaults) ``key`` to the fact's value."""
    value = show_fact(fact)
    if fact.explicit:
        # A Terraform tag carries the fact under its own name (tags.phi): say so.
        shown = fact.attr if fact.attr and "." in fact.attr else (key or fact.attr)
        return evidence(fact, f"{owner} sets {shown}: {value}")
    key = key or fact.attr
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
    # The code, as written in the directive, that can never suppress anything there (an
    # unknown rule, one that cannot be suppressed inline, an unused one): removing it is safe.
    removable: str = ""
    autofix: Fix | None = None
