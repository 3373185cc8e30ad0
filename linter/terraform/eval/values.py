"""Evaluated Terraform values with provenance, and what the evaluator hands to the normalizer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, TypeAlias

from linter.core.findings import PARSE_ERROR, FrontEndCode
from linter.core.frozen import quick_init
from linter.core.locations import Location, Span
from linter.core.model import Origin, Unknown

# A value: None, bool, int, float, str, a tuple of Vals (list/tuple/set), a dict of Vals
# (map/object), or Unknown. Sets keep a deterministic (sorted) order.
Py: TypeAlias = "bool | int | float | str | tuple[Val, ...] | dict[str, Val] | Unknown | None"


@quick_init  # evaluation makes millions of them (linter.core.frozen)
@dataclass(frozen=True, slots=True)
class Val:
    v: Py
    loc: Location  # where this value was written (the literal, default, tfvars entry...)
    # The references it travelled through, nearest first: each is where a variable, local,
    # module input, each.value... was set, with a note such as 'var.retention = "zdr" in
    # terraform.tfvars'. Empty for a literal written in place.
    chain: tuple[Origin, ...] = ()
    # For a reference to a resource or data source (known only after apply, e.g.
    # anthropic_organization.main.id): the absolute address of that resource instance.
    ref: str | None = None
    kind: str = ""  # "set" for sets (order not significant); "" otherwise
    # Where the expression that put this value into a tuple or object literal starts (its
    # element position), when that differs from ``loc``: a value from a variable or
    # each.value is reported there, at its place in the block.
    at: Location | None = None
    # What operations.deeply_sensitive found, once asked (values are immutable): a function's
    # result is checked against every argument, and one list may be an argument 10,000 times.
    sensitive_found: object = field(default=None, init=False, compare=False, repr=False)

    @property
    def known(self) -> bool:
        return not isinstance(self.v, Unknown)


def placed(val: Val, where: Location) -> Val:
    """``val`` as an element written at ``where`` (see Val.at)."""
    if where in (val.loc, val.at):
        return val
    return Val(val.v, val.loc, val.chain, val.ref, val.kind, where)


@quick_init
@dataclass(frozen=True, slots=True)
class ResourceInstance:
    """One instance of a recognised resource or data source, after count/for_each expansion."""

    mode: str  # "managed" | "data"
    type: str  # "anthropic_workspace"
    name: str  # the block's name label
    address: str  # module.team["a"].anthropic_workspace.this[0]
    path: str  # the file of the block
    span: Span  # the block's lines
    loc: Location  # the block header
    # Evaluated top-level attributes, with where each attribute is written in the block.
    attributes: dict[str, Val] = field(default_factory=dict)
    attribute_locs: dict[str, Location] = field(default_factory=dict)
    # Where each attribute's value expression starts: a value that came from elsewhere (a
    # variable, a local, each.value) is reported here, where an inline literal would be.
    value_locs: dict[str, Location] = field(default_factory=dict)
    # The root module directory this instance was evaluated from: addresses (and Val.ref) are
    # relative to it, so (root, address) is unique across a run with several root modules.
    root: str = ""
    # The provider configuration alias after module provider passing (None: default provider).
    provider_alias: str | None = None
    # Whether the instance exists: False never appears (such instances are dropped); an
    # Unknown when count/for_each cannot be resolved (the instance may not exist).
    exists: Val | None = None


@dataclass(frozen=True)
class Diagnostic:
    """A problem Terraform itself would reject (cycle, bad module source...): becomes BAA900.

    With ``code`` UNRESOLVED_VALUE (BAA013): what the evaluator left unevaluated at a limit of
    its own (the instance limit). Only a root whose evaluation is incomplete reports one, and
    such a root is never memoised (the memo keeps BAA900 diagnostics only).
    """

    message: str
    location: Location
    code: FrontEndCode = PARSE_ERROR


class Budget(NamedTuple):
    """A root module's evaluation budget: steps (fuel) and resource and module instances,
    left or spent."""

    fuel: int
    instances: int


SortKey = tuple[object, ...]


@dataclass(frozen=True)
class RootRecord:
    """One root module's evaluation and everything it read: its result holds while that does."""

    root: Path
    instances: tuple[tuple[SortKey, ResourceInstance], ...]  # in output order
    diagnostics: tuple[Diagnostic, ...]
    directories: tuple[Path, ...]  # module directories read
    relevance: tuple[tuple[Path, bool], ...]  # "can this directory matter?" answers relied on
    tfvars: tuple[Path, ...]  # variable files asked for (present or not)
    places: tuple[tuple[Path, str], ...]  # module sources checked against the repository root
    cost: Budget
    complete: bool  # no budget ran out, so the result depends on the inputs above alone
    workspace_files: tuple[Path, ...] = ()  # .terraform/environment files read (or absent)


@dataclass(frozen=True)
class Outline:
    """What finding the root modules needs from one directory, without its full definition."""

    callees: tuple[str, ...]  # norm_key of every local module it calls inside the repository
    useful: bool  # declares a recognised resource or calls a module: worth evaluating as a root
    # Where each local module source really was (os.path.realpath) when "inside the repository?"
    # was answered: a symlink pointed elsewhere changes the answer without changing any file.
    places: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Task:
    """One candidate directory to work on: outline it (unless its outline is known) and,
    when ``as_root``, evaluate it as a root module."""

    directory: Path
    outline: Outline | None  # remembered by the memo
    as_root: bool


@dataclass(frozen=True)
class DirectoryWork:
    """What working on a Task found: the directory's outline (None when it was known or the
    directory cannot be read), its evaluation as a root, and what went wrong outside one."""

    directory: Path
    outline: Outline | None
    record: RootRecord | None
    diagnostics: tuple[Diagnostic, ...] = ()
    # The outlines of the other directories it loaded (norm_key, outline): modules it calls.
    outlines: tuple[tuple[str, Outline], ...] = ()


def diagnostic_order(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    """Diagnostics are reported in file, line, column and message order."""
    where = diagnostic.location
    return (where.path, where.line, where.column, diagnostic.message)


@dataclass(frozen=True)
class EvalResult:
    instances: tuple[ResourceInstance, ...]
    diagnostics: tuple[Diagnostic, ...]
    roots: tuple[RootRecord, ...] = ()  # the roots evaluated in this run
    reused: tuple[Path, ...] = ()  # the roots whose recorded result (EvalMemo) was used instead
    outlines: Mapping[str, Outline] = field(default_factory=dict)  # of the candidate directories
