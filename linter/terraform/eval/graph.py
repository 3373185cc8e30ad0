"""Evaluate Terraform configurations the way Terraform plans them, without running Terraform.

:func:`evaluate_tree` finds the root modules among the candidate directories, walks their local
module calls and returns every instance of a recognised resource (``anthropic_organization``,
``anthropic_workspace``, ``data.anthropic_organization``) with its attributes evaluated.

Evaluation is lazy: only what those resources need (their attributes, ``count``/``for_each``,
provider) and what that depends on is evaluated, each variable, local, output and resource
attribute at most once per module instance. A value that cannot be known before apply (or at
all) is an :class:`Unknown`, never a guess; an expression that cannot be evaluated becomes an
Unknown saying why. Every value remembers where it was written and the references it travelled
through (:class:`Val`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple, Protocol

from linter.core.findings import PARSE_ERROR, UNRESOLVED_VALUE, FrontEndCode
from linter.core.locations import Location
from linter.core.model import Origin, Unknown
from linter.terraform.eval.expressions import ExpressionEvaluator, Scope, safe_render
from linter.terraform.eval.modules import (
    MODULE_META,
    NO_BINDINGS,
    RESOURCE_META,
    UNRESOLVED,
    Bindings,
    InstanceKey,
    ModuleDef,
    ModuleInstance,
    ResourceBlock,
    Source,
    build_module_def,
    call_source,
    child_providers,
    display_path,
    find_roots,
    instance_provider_alias,
    is_inside,
    key_order,
    key_suffix,
    leads_to_resources,
    norm_key,
    outline_of,
)
from linter.terraform.eval.operations import (
    EvalError,
    Handle,
    OriginHop,
    first_unknown,
    plain_unknown,
    to_int,
    to_str,
    type_name,
    wholly_known,
    with_origin,
    without_handles,
)
from linter.terraform.eval.values import (
    Budget,
    Diagnostic,
    DirectoryWork,
    EvalResult,
    Outline,
    ResourceInstance,
    RootRecord,
    Task,
    Val,
    diagnostic_order,
)
from linter.terraform.eval.variables import (
    ENVIRONMENT,
    RootInputs,
    RootSources,
    declared_sensitive,
    default_origin,
    mark_sensitive,
    typed_value,
    variable_type,
)
from linter.terraform.recognised import DATA_TYPES, MANAGED_TYPES
from linter.terraform.syntax.ast import (
    Attribute,
    Block,
    Body,
    Expr,
    File,
)

# The evaluation budget of each root module (never of the run: one root's cost must not change
# another root's verdict, SPEC §9), which bounds time and memory on any input.
FUEL = 2_000_000  # evaluation steps
# Resource and module instances (count/for_each products included): a module for_each of 1,000
# over a count of 1,000 is 300 bytes of text and a million instances. Past the limit nothing more
# is expanded in that root; BAA013 says where (the call that multiplies them).
MAX_ROOT_INSTANCES = 50_000
MAX_REFERENCE_DEPTH = 100  # nested references (local → local → output → ...) in progress
MAX_INSTANCES = 10_000  # instances one count/for_each may expand to
# Module definitions (syntax trees) kept between roots, the most recently used, at least (see
# _forget_unused_definitions).
KEPT_DEFINITIONS = 128


class ModuleLoader(Protocol):
    def module_files(self, directory: Path) -> list[File] | None:
        """Parsed .tf/.tf.json files of one directory (None: unreadable or absent)."""

    def tfvars(self, path: Path) -> File | None:
        """A parsed .tfvars/.tfvars.json file (None if missing or unparsable)."""


class EvalMemo(Protocol):
    """What earlier runs learned (linter.terraform.memo.store), so that a run can skip work."""

    def outline(self, directory: Path) -> Outline | None:
        """The directory's outline, if its files are unchanged since it was recorded."""

    def cost(self, root: Path) -> Budget | None:
        """What evaluating ``root`` cost, if its recorded result still holds (then the run
        takes that result from the memo instead of evaluating the root again, as long as
        that cost fits a root's budget)."""

    def settle(self, roots: Sequence[Path]) -> None:
        """The roots whose results the run takes from the memo (of those ``cost`` was asked
        about: a directory that turned out not to be a root is not among them)."""


# Works on tasks, here (with the function it is given) or in other processes, yielding each
# one's result in any order.
Schedule = Callable[[list[Task], Callable[[Task], DirectoryWork]], Iterable[DirectoryWork]]


@dataclass(frozen=True)
class EvalOptions:
    repo_root: Path  # module sources must resolve inside it
    var_files: tuple[Path, ...] = ()  # --var-file, in order
    variables: tuple[tuple[str, str], ...] = ()  # --var name=value, in order
    env: Mapping[str, str] = field(default_factory=dict)  # for TF_VAR_name
    resource_types: frozenset[str] = MANAGED_TYPES
    data_types: frozenset[str] = DATA_TYPES
    max_module_depth: int = 32
    # A cheap, text-based answer to "can this module directory lead to a recognised resource?"
    # (linter.terraform.prune). Directories it rules out are never parsed to find out; they are
    # still loaded if an evaluation reads one of their outputs.
    may_matter: Callable[[Path], bool] | None = None
    memo: EvalMemo | None = None
    # (text, path as shown) of a file inside the repository (None: absent or unreadable), read
    # through the run's confined reader: a root's ``.terraform/environment`` (terraform.workspace).
    read_text: Callable[[Path], tuple[str, str] | None] | None = None
    # How many directories call this one (norm_key) as a local module, guessed from their text
    # (linter.terraform.prune): one that is called is probably not a root, one called from
    # several places is kept in memory longer. A wrong guess costs time, never a result.
    callers: Mapping[str, int] = field(default_factory=dict)


def evaluate_tree(
    directories: Sequence[Path],
    loader: ModuleLoader,
    options: EvalOptions,
    *,
    schedule: Schedule | None = None,
) -> EvalResult:
    """Every instance of a recognised resource in the module trees of ``directories``.

    ``schedule`` does the per-directory work (default: here, in order)."""
    try:
        return _Evaluator(loader, options).run(directories, schedule)
    except Exception as exc:  # never reached by design; a bug must not become a traceback
        where = Location(str(options.repo_root))
        return EvalResult((), (Diagnostic(f"cannot evaluate Terraform: {exc!r}", where),))


class TaskWorker:
    """Works on the tasks of a run in another process, with a loader and evaluator of its
    own (the run's memo stays with the run: tasks carry what it remembered)."""

    def __init__(self, loader: ModuleLoader, options: EvalOptions) -> None:
        self._evaluator = _Evaluator(loader, replace(options, memo=None))

    def work_on(self, task: Task) -> DirectoryWork:
        return self._evaluator.work_on(task)


_Found = tuple[tuple[object, ...], ResourceInstance]  # (sort key, instance)


@dataclass
class _Reads:
    """What one root's evaluation read: its result holds as long as all of this is unchanged."""

    directories: dict[str, Path] = field(default_factory=dict)
    relevance: dict[str, tuple[Path, bool]] = field(default_factory=dict)
    tfvars: dict[str, Path] = field(default_factory=dict)
    places: dict[str, tuple[Path, str]] = field(default_factory=dict)  # module sources: realpath
    workspace_files: dict[str, Path] = field(default_factory=dict)  # .terraform/environment
    diagnostics: list[Diagnostic] = field(default_factory=list)


class _RecordingLoader:
    """The run's loader, noting the tfvars files each root reads."""

    def __init__(self, loader: ModuleLoader, evaluator: _Evaluator) -> None:
        self._loader = loader
        self._evaluator = evaluator

    def module_files(self, directory: Path) -> list[File] | None:
        return self._loader.module_files(directory)

    def tfvars(self, path: Path) -> File | None:
        reads = self._evaluator.reads
        if reads is not None:
            reads.tfvars.setdefault(norm_key(path), path)
        return self._loader.tfvars(path)


@dataclass(frozen=True)
class Expansion:
    """The instances of a resource or module call after count/for_each."""

    keys: tuple[tuple[InstanceKey, Bindings], ...]
    # "single" | "count" | "for_each" | "unresolved" | "refused" (past the instance limit:
    # unresolved for references, and not collected, since the limit is reported instead)
    mode: str
    unknown: Val | None = None  # for "unresolved" and "refused": why the instances are unknown


@dataclass
class _CallExpansion:
    expansion: Expansion
    instances: dict[InstanceKey, ModuleInstance] = field(default_factory=dict)
    opaque: str | None = None  # why the module is not read: its outputs are unknown


class _ResourceTarget(NamedTuple):
    """One instance of a resource block (a tuple: one is made for each of them)."""

    module: ModuleInstance
    resource: ResourceBlock
    key: InstanceKey
    bindings: Bindings
    address: str  # module.team["a"].anthropic_workspace.this[0]
    scope: Scope  # where its attributes are evaluated: its module, its each/count


def _target_address(module: ModuleInstance, resource: ResourceBlock, key: InstanceKey) -> str:
    return f"{module.prefix}{resource.local_address}{key_suffix(key)}"


class _Frame(NamedTuple):
    """A value being computed (a tuple: one is pushed for every attribute evaluated)."""

    key: Hashable
    label: str  # local.a, var.x, module.m output o...
    loc: Location


# The safety nets of _guarded and _top stay beside them: fuzz/fuzz_eval.py swaps
# _internal_error on this module so that an evaluator bug crashes the fuzzer instead.
def _failed(expr: Expr, exc: EvalError | RecursionError) -> Val:
    if isinstance(exc, RecursionError):
        return Val(Unknown(safe_render(expr), "cannot be evaluated: nested too deeply"), expr.loc)
    where = exc.expr if exc.expr is not None else expr
    return Val(Unknown(safe_render(where), f"cannot be evaluated: {exc.message}"), expr.loc)


def _internal_error(expr: Expr, exc: Exception) -> Val:
    reason = f"cannot be evaluated: internal error ({type(exc).__name__}: {exc})"
    return Val(Unknown(safe_render(expr), reason), expr.loc)


def _may_hold_anthropic(call: Block, source: Source) -> bool:
    """Whether a remote module call could declare Anthropic resources: its source names
    anthropic, or the call hands it an anthropic provider or anthropic values. A VPC or
    bucket module beside a workspace says nothing about BAA coverage, and reporting every such
    call would fail CI on noise; a remote module that uses the default anthropic provider
    under an unrelated name is not seen (said in the README)."""
    if "anthropic" in source.text.lower():
        return True
    return any("anthropic" in safe_render(attr.value).lower() for attr in call.body.attributes)


class _Evaluator(ExpressionEvaluator):
    """The module graph walk: module instances, count/for_each, variables, locals, outputs,
    resources and module calls, each evaluated at most once per module instance.

    It is the :class:`References` of the expressions it evaluates. It extends the expression
    evaluator rather than holding one because both spend one budget (``fuel``) and because
    tests inject evaluator bugs by patching evaluation steps (``_literal``) on this class.
    """

    def __init__(self, loader: ModuleLoader, options: EvalOptions) -> None:
        super().__init__(references=self, fuel=FUEL)
        self._loader = _RecordingLoader(loader, self)
        self._options = options
        self.reads: _Reads | None = None  # what the root being evaluated reads
        self._instances_refused = False  # MAX_ROOT_INSTANCES was reached (in this root)
        self._ready: set[int] = set()  # module instances _prepared has expanded
        self._walked: dict[str, list[str]] = {}  # _collected_calls, by module directory
        self._preparing = False
        self._limit_at: Location | None = None  # where preparing reached the instance limit
        self._sources = RootSources(options.var_files, options.variables, options.env)
        # By directory, least recently used first (see _forget_unused_definitions).
        self._definitions: dict[str, ModuleDef | None] = {}
        self._diagnosed: list[Diagnostic] = []  # outside a root's evaluation (bugs)
        self._largest_root = 0  # the most module directories one root has read
        self._loaded: list[Path] = []  # module directories loaded for the task at hand
        self._serial = 0
        self._instance_count = 0
        self._memo: dict[Hashable, Val] = {}
        self._active: dict[Hashable, int] = {}
        self._stack: list[_Frame] = []
        self._cyclic: dict[Hashable, str] = {}
        self._calls: dict[tuple[int, str], _CallExpansion] = {}
        self._expansions: dict[tuple[int, str], Expansion] = {}
        self._resources: dict[str, _ResourceTarget] = {}
        self._modules: dict[str, ModuleInstance] = {}
        self._inputs: dict[int, RootInputs] = {}
        self._relevant: set[str] = set()
        self._workspaces: dict[str, Val] = {}  # terraform.workspace, by root directory
        self._places: dict[str, tuple[str, str, bool]] = {}  # _place, by the path as spelled
        self._call_sources: dict[tuple[Location, str], Source] = {}  # _source
        self._remote_answers: dict[tuple[Location, str], bool] = {}  # _may_hold_anthropic

    # --- the run -----------------------------------------------------------------------------

    def run(
        self,
        directories: Sequence[Path],
        schedule: Schedule | None = None,
    ) -> EvalResult:
        """Outline every candidate directory, find the roots, evaluate each root once.

        Directories are worked on one at a time, each outlined and, when it may be a root,
        evaluated as one while its definition is at hand (the ``callers`` option, a cheap
        guess from the text, says which are probably not roots: guessing wrong costs time,
        never a result). Only the evaluations of the real roots are kept: each root has a budget
        and state of its own, so evaluating one never changes another's result, and the
        work may be split across processes (``schedule``) in any order."""
        candidates = _unique_directories(directories)
        outlines: dict[str, Outline] = {}
        tasks: list[Task] = []
        called: list[Task] = []  # outlined last: a root that calls them may outline them first
        for directory in candidates:
            likely_called = self._callers(norm_key(directory)) > 0
            task = self._task(directory, likely_called)
            if task.outline is not None:
                outlines[norm_key(directory)] = task.outline
            if task.outline is None or task.as_root:
                (called if likely_called and not task.as_root else tasks).append(task)
        worked: dict[str, DirectoryWork] = {}
        failed: list[Diagnostic] = []
        for batch in (tasks, called):
            todo = [t for t in batch if t.as_root or norm_key(t.directory) not in outlines]
            done = map(self.work_on, todo) if schedule is None else schedule(todo, self.work_on)
            for work in done:
                key = norm_key(work.directory)
                worked[key] = work
                failed += work.diagnostics
                outlines.update(work.outlines)
                if work.outline is not None:
                    outlines[key] = work.outline
        try:
            return self._finish(candidates, outlines, worked, failed)
        finally:
            # Dropped now, not when the collector finds the evaluator's cycles (the run freezes
            # what is alive after loading, which would keep these trees to its end).
            self._definitions.clear()

    def _task(self, directory: Path, likely_called: bool) -> Task:
        """What a candidate directory needs: an outline (unless the memo remembers it) and,
        when it may be a root whose remembered result does not hold, an evaluation."""
        memo = self._options.memo
        remembered = memo.outline(directory) if memo is not None else None
        if remembered is None:
            return Task(directory, None, not likely_called)
        as_root = not likely_called and remembered.useful and not self._reuse(directory)
        return Task(directory, remembered, as_root)

    def work_on(self, task: Task) -> DirectoryWork:
        self._forget_unused_definitions()
        self._diagnosed = []
        self._loaded = []
        outline = task.outline or self._guarded_outline(task.directory)
        record = None
        if task.as_root and outline is not None and outline.useful:
            record = self._evaluate_recorded(task.directory)
        fresh = outline if task.outline is None else None
        # The outlines of the module directories the evaluation loaded, while at hand.
        seen = {norm_key(d): self._guarded_outline(d) for d in self._loaded}
        known = tuple((key, o) for key, o in seen.items() if o is not None)
        return DirectoryWork(task.directory, fresh, record, tuple(self._diagnosed), known)

    def _finish(
        self,
        candidates: list[Path],
        outlines: dict[str, Outline],
        worked: dict[str, DirectoryWork],
        failed: list[Diagnostic],
    ) -> EvalResult:
        records: list[RootRecord] = []
        reused: list[Path] = []
        for root in find_roots(candidates, outlines):
            outline = outlines.get(norm_key(root))
            if outline is None or not outline.useful:
                continue  # nothing here can lead to a recognised resource
            if self._reuse(root):
                reused.append(root)
                continue
            work = worked.get(norm_key(root))
            record = work.record if work is not None else None
            # Guessed not to be a root (so not evaluated yet), yet it is one.
            records.append(record if record is not None else self._evaluate_recorded(root))
        memo = self._options.memo
        if memo is not None:
            memo.settle(reused)
        found = sorted(
            (pair for record in records for pair in record.instances), key=lambda p: p[0]
        )
        diagnostics: dict[tuple[str, Location], Diagnostic] = {}
        for diagnostic in [*failed, *(d for record in records for d in record.diagnostics)]:
            diagnostics.setdefault((diagnostic.message, diagnostic.location), diagnostic)
        return EvalResult(
            tuple(i for _, i in found),
            tuple(sorted(diagnostics.values(), key=diagnostic_order)),
            roots=tuple(sorted(records, key=lambda r: norm_key(r.root))),
            reused=tuple(reused),
            outlines=outlines,
        )

    def _guarded_outline(self, directory: Path) -> Outline | None:
        try:
            return self._outline(directory)
        except Exception as exc:  # a bug must cost one directory, reported, never the run
            self._diagnose(f"cannot evaluate this module: {exc!r}", Location(str(directory)))
            return None

    def _outline(self, directory: Path) -> Outline | None:
        memo = self._options.memo
        remembered = memo.outline(directory) if memo is not None else None
        if remembered is not None:
            return remembered
        definition = self._load(directory)
        if definition is None:
            return None
        return outline_of(definition, self._options.repo_root, self._recognised(definition))

    def _budget_left(self) -> Budget:
        return Budget(self.fuel, MAX_ROOT_INSTANCES - self._instance_count)

    def _reuse(self, root: Path) -> bool:
        """Take the root's result from the memo when it holds and its cost fits in a root's
        budget: evaluating it afresh would then give that same result (each root has a
        budget of its own, so nothing else evaluated in this run can change it)."""
        memo = self._options.memo
        cost = memo.cost(root) if memo is not None else None
        return cost is not None and cost.fuel <= FUEL and cost.instances <= MAX_ROOT_INSTANCES

    def _evaluate_recorded(self, root: Path) -> RootRecord:
        self._start_root()
        before = self._budget_left()
        found: list[_Found] = []
        self.reads = reads = _Reads()
        try:
            definition = self._load(root)
            if definition is not None:
                self._evaluate_root(root, definition, found)
        except Exception as exc:  # a bug must cost one root, never the whole run
            self._diagnose(f"cannot evaluate this module: {exc!r}", Location(str(root)))
        finally:
            self.reads = None
        after = self._budget_left()
        self._largest_root = max(self._largest_root, len(reads.directories))
        found.sort(key=lambda pair: pair[0])
        return RootRecord(
            root=root,
            instances=tuple(found),
            diagnostics=tuple(reads.diagnostics),
            directories=tuple(reads.directories.values()),
            relevance=tuple(reads.relevance.values()),
            tfvars=tuple(reads.tfvars.values()),
            places=tuple(reads.places.values()),
            workspace_files=tuple(reads.workspace_files.values()),
            cost=Budget(before.fuel - after.fuel, before.instances - after.instances),
            complete=self.fuel >= 0 and not self._instances_refused,
        )

    def _start_root(self) -> None:
        """A root's own budget and state: nothing of an earlier root's evaluation carries
        over (their values are keyed by module instances that this root never sees), so
        memory stays bounded by one root, and one root cannot change another's result."""
        self.fuel, self._instance_count, self._instances_refused = FUEL, 0, False
        self.spent_at = None
        for state in (
            self._ready,
            self._walked,
            self._memo,
            self._active,
            self._cyclic,
            self._calls,
            self._expansions,
            self._inputs,
            self._workspaces,
        ):
            state.clear()

    def _forget_unused_definitions(self) -> None:
        """Keep the most recently used module definitions only (between roots, never during
        one), as many as the largest root has used so far or KEPT_DEFINITIONS: memory stays
        bounded by the largest root module, not by the repository. The modules a root calls
        are mostly its neighbours, worked on next, or the tree another root just used (the
        examples of one module)."""
        excess = len(self._definitions) - max(KEPT_DEFINITIONS, self._largest_root)
        for key in list(self._definitions)[: max(excess, 0)]:  # least recently used first
            del self._definitions[key]

    def _evaluate_root(self, root: Path, definition: ModuleDef, found: list[_Found]) -> None:
        # Addresses are relative to their root module: two roots calling one child module have
        # the same addresses, so the address-keyed maps belong to one root's evaluation.
        self._resources = {}
        self._modules = {}
        may_matter = self._options.may_matter

        def load(directory: Path) -> ModuleDef | None:
            if may_matter is not None:
                matters = may_matter(directory)
                if self.reads is not None:
                    self.reads.relevance[norm_key(directory)] = (directory, matters)
                if not matters:
                    return None
            return self._load(directory)

        self._relevant |= leads_to_resources(root, load, self._recognised, self._inside)
        instance = ModuleInstance(
            self._next_serial(), "", definition, root_dir=root, lineage=(norm_key(root),)
        )
        self._collect(instance, found)

    def _load(self, directory: Path) -> ModuleDef | None:
        key = norm_key(directory)
        if self.reads is not None:
            self.reads.directories.setdefault(key, directory)
        if key in self._definitions:
            definition = self._definitions.pop(key)  # moved to the end: most recently used
        else:
            # None only when the directory cannot be listed: the loader turns every problem
            # with a file into that file's finding, so an exception here is a bug, and a bug
            # must not pass for "no such module" (_evaluate_recorded reports it at the root).
            files = self._loader.module_files(directory)
            definition = None if files is None else build_module_def(directory, files)
            self._loaded.append(directory)
        self._definitions[key] = definition
        return definition

    def _inside(self, path: Path) -> bool:
        """Whether a module source is inside the repository (noting where it really was)."""
        key, real, inside = self._place(path)
        if self.reads is not None:
            self.reads.places.setdefault(key, (path, real))
        return inside

    def _place(self, path: Path) -> tuple[str, str, bool]:
        """(norm_key, real path, inside the repository?) of a module source, found once per
        run: every instance of every module asks again, and resolving symlinks costs an
        lstat per path component (half the evaluation of a dense monorepo)."""
        spelled = os.fspath(path)
        place = self._places.get(spelled)
        if place is None:
            real = os.path.realpath(path)
            place = (norm_key(path), real, is_inside(path, self._options.repo_root, real))
            self._places[spelled] = place
        return place

    def _callers(self, key: str) -> int:
        return self._options.callers.get(key, 0)

    def _recognised(self, definition: ModuleDef) -> bool:
        return bool(definition.recognised(self._options.resource_types, self._options.data_types))

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def _diagnose(self, message: str, location: Location, code: FrontEndCode = PARSE_ERROR) -> None:
        diagnostic = Diagnostic(message, location, code)
        if self.reads is not None:
            self.reads.diagnostics.append(diagnostic)
        else:
            self._diagnosed.append(diagnostic)

    # --- collecting recognised instances -----------------------------------------------------

    def _collect(self, instance: ModuleInstance, found: list[_Found]) -> None:
        types, data_types = self._options.resource_types, self._options.data_types
        for resource in instance.definition.recognised(types, data_types):
            expansion = self._expand_resource(instance, resource)
            if expansion.mode == "refused":
                continue  # BAA013 at the limit says it is not evaluated
            for key, bindings in expansion.keys:
                target = self._resource_target(instance, resource, key, bindings)
                found.append(self._instance(target))
        for name in self._collected_calls(instance):
            if self._prepared(instance, name):
                for child in self._call_expansion(instance, name).instances.values():
                    self._collect(child, found)

    def _collected_calls(self, instance: ModuleInstance) -> list[str]:
        """The module calls whose instances _collect walks into (the same for every instance
        of a module: cached for the root being evaluated)."""
        key = norm_key(instance.directory)
        names = self._walked.get(key)
        if names is not None:
            return names
        names = self._walked[key] = []
        for name in sorted(instance.definition.calls):
            call = instance.definition.calls[name]
            source = self._source(call, instance.directory)
            if source.kind == "remote" and self._may_hold_anthropic(call, source):
                self._remote_call(source)
            if source.kind != "local" or source.path is None:
                continue
            relevant = norm_key(source.path) in self._relevant
            outside = not self._inside(source.path)
            if relevant or outside:
                names.append(name)
        return names

    def _source(self, call: Block, directory: Path) -> Source:
        """call_source, once per call block in a run (asked again for each of its instances
        and for each root that reaches it; it builds Path objects, which are slow)."""
        key = (call.loc, os.fspath(directory))
        source = self._call_sources.get(key)
        if source is None:
            source = self._call_sources[key] = call_source(call, directory)
        return source

    def _may_hold_anthropic(self, call: Block, source: Source) -> bool:
        """_may_hold_anthropic of a remote call, once per call block in a run (it renders
        every argument of the call)."""
        key = (call.loc, source.text)
        answer = self._remote_answers.get(key)
        if answer is None:
            answer = self._remote_answers[key] = _may_hold_anthropic(call, source)
        return answer

    def _remote_call(self, source: Source) -> None:  # see _may_hold_anthropic
        """A remote module is never fetched (SPEC §3.2, §9): say so once per call (the
        diagnostics are keyed by message and place, so every instance of it is one finding),
        since the workspaces it may declare are then not checked."""
        shown = re.sub(r"(?<=://)[^/@\s]*@", "", source.text)  # never a URL's credentials
        message = (
            f"remote module '{shown}', not read: the workspaces it may declare are not checked"
        )
        self._diagnose(message, source.loc, UNRESOLVED_VALUE)

    def _prepared(self, instance: ModuleInstance, name: str) -> bool:
        """Expand, before evaluating any of it, everything that _collect would walk in the
        instances of a module call, counting it against the root's MAX_ROOT_INSTANCES (cheap:
        only count and for_each are evaluated). False when it does not fit: then the call is
        not evaluated at all (its outputs are unknown), and BAA013 says so at the call that
        multiplies the instances past the limit."""
        expanded = self._call_expansion(instance, name)
        pending = [c for c in expanded.instances.values() if c.serial not in self._ready]
        self._limit_at = None
        self._preparing = True
        types, data_types = self._options.resource_types, self._options.data_types
        while pending and not self._instances_refused:
            child = pending.pop()
            if child.serial in self._ready:
                continue
            self._ready.add(child.serial)
            for resource in child.definition.recognised(types, data_types):
                self._expand_resource(child, resource)
            for inner in self._collected_calls(child):
                pending += self._call_expansion(child, inner).instances.values()
        self._preparing = False
        if not self._instances_refused or expanded.opaque is not None:
            return True
        call = instance.definition.calls[name]
        what = f"{instance.prefix}module.{name}"
        self._report_limit(what, self._limit_at or _limit_place(instance, call, what)[1], True)
        single = Expansion(((None, NO_BINDINGS),), "single")
        reason = "not evaluated: the instance limit of the root module was reached"
        self._calls[(instance.serial, name)] = _CallExpansion(single, opaque=reason)
        return False

    def _instance(self, target: _ResourceTarget) -> _Found:
        module, resource = target.module, target.resource
        attributes: dict[str, Val] = {}
        locations: dict[str, Location] = {}
        value_locations: dict[str, Location] = {}
        for attr in resource.block.body.attributes:
            if attr.name in RESOURCE_META or attr.name in attributes:
                continue
            attributes[attr.name] = without_handles(self._attribute(target, attr))
            locations[attr.name] = attr.loc
            value_locations[attr.name] = attr.value.loc
        expansion = self._expand_resource(module, resource)
        exists = module.exists if module.exists is not None else expansion.unknown
        block = resource.block
        result = ResourceInstance(
            mode=resource.mode,
            type=resource.type,
            name=resource.name,
            address=target.address,
            path=block.loc.path,
            span=block.span,
            loc=block.loc,
            attributes=attributes,
            attribute_locs=locations,
            value_locs=value_locations,
            root=str(module.root_dir),
            provider_alias=instance_provider_alias(resource, module),
            exists=exists,
        )
        # Entries of one shape, (module call name, key), so instances reached through module
        # chains of different depths (from different roots) still sort: "" is the resource.
        order = (*module.order, ("", key_order(target.key)))
        return (block.loc.path, block.loc.line, block.loc.column, order, target.address), result

    # --- guarded, memoised evaluation --------------------------------------------------------

    def _guarded(
        self,
        key: Hashable,
        label: str,
        expr: Expr,
        compute: Callable[[], Val],
        loc: Location | None = None,
    ) -> Val:
        """``compute()`` once per key, with cycle detection and errors turned into unknowns.

        ``loc`` is where the computed thing is defined (a local's name), for cycle reports.
        """
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        if key in self._active:
            return self._cycle(key, label, expr)
        if len(self._stack) >= MAX_REFERENCE_DEPTH:
            why = f"cannot be evaluated: references nested more than {MAX_REFERENCE_DEPTH} deep"
            return Val(Unknown(label, why), expr.loc)
        self._active[key] = len(self._stack)
        self._stack.append(_Frame(key, label, loc or expr.loc))
        try:
            value = compute()
        except (EvalError, RecursionError) as exc:
            value = _failed(expr, exc)
        except Exception as exc:  # a bug must cost one value, never the run
            value = _internal_error(expr, exc)
        finally:
            self._stack.pop()
            del self._active[key]
        reason = self._cyclic.get(key)
        if reason is not None:
            value = Val(Unknown(label, reason), expr.loc)
        self._memo[key] = value
        return value

    def _cycle(self, key: Hashable, label: str, expr: Expr) -> Val:
        frames = self._stack[self._active[key] :]
        # Start the report at the member defined first, whichever was evaluated first.
        start = min(range(len(frames)), key=lambda i: frames[i].loc)
        frames = frames[start:] + frames[:start]
        labels = [f.label for f in frames] + [frames[0].label]
        if (
            all(f.label.startswith("local.") for f in frames)
            and len({f.key[0] for f in frames if isinstance(f.key, tuple)}) == 1
        ):
            names = " → ".join(label.removeprefix("local.") for label in labels)
            reason = f"cycle in locals: {names}"
            message = f"cycle in locals: {' → '.join(labels)}"
        else:
            reason = message = f"cycle in references: {' → '.join(labels)}"
        for frame in frames:
            self._cyclic.setdefault(frame.key, reason)
        self._diagnose(message, frames[0].loc)
        return Val(Unknown(label, reason), expr.loc)

    def _top(self, expr: Expr, scope: Scope) -> Val:
        """Evaluate a whole attribute: errors become unknowns saying why."""
        try:
            return self.eval(expr, scope)
        except (EvalError, RecursionError) as exc:
            return _failed(expr, exc)
        except Exception as exc:  # a bug must cost one value, never the run
            return _internal_error(expr, exc)

    # --- resources ---------------------------------------------------------------------------

    def _attribute(self, target: _ResourceTarget, attr: Attribute) -> Val:
        key = (target.module.serial, "attr", target.address, attr.name)
        memo = self._memo.get(key)
        if memo is not None:
            return memo
        label = f"{target.address}.{attr.name}"
        scope = target.scope
        return self._guarded(key, label, attr.value, lambda: self.eval(attr.value, scope), attr.loc)

    def _expand_resource(self, instance: ModuleInstance, resource: ResourceBlock) -> Expansion:
        key = (instance.serial, resource.local_address)
        if key not in self._expansions:
            label = f"{instance.prefix}{resource.local_address}"
            block = resource.block
            expansion = self._expand(instance, block.body, label)
            if not self._admit(instance, block, resource.local_address, expansion):
                expansion = _refused(block, label)
            self._expansions[key] = expansion
        return self._expansions[key]

    def _admit(
        self, instance: ModuleInstance, block: Block, name: str, expansion: Expansion
    ) -> bool:
        """Count the instances of an expansion against the root's MAX_ROOT_INSTANCES; False
        when they do not fit, and from then on for every expansion in this root (reported at
        the call that multiplies them, or by _prepared for the call being prepared)."""
        if not self._instances_refused:
            if self._instance_count + len(expansion.keys) <= MAX_ROOT_INSTANCES:
                self._instance_count += len(expansion.keys)
                return True
            self._instances_refused = True
        what, where = _limit_place(instance, block, name)
        if not self._preparing:
            self._report_limit(what, where, what == name)
        elif self._limit_at is None:
            self._limit_at = where
        return False

    def _report_limit(self, what: str, where: Location, whole: bool) -> None:
        message = (
            f"instance limit reached: this root module has more than {MAX_ROOT_INSTANCES:,} "
            f"resource and module instances (count and for_each multiply), so {what} is not "
            f"evaluated{'' if whole else ' in full'} and findings about its instances are missing"
        )
        self._diagnose(message, where, UNRESOLVED_VALUE)

    def _expand(self, instance: ModuleInstance, body: Body, label: str) -> Expansion:
        """count / for_each of a resource or module call, evaluated in ``instance``."""
        count = body.attribute("count")
        for_each = body.attribute("for_each")
        if count is None and for_each is None:
            return Expansion(((None, NO_BINDINGS),), "single")
        attr = for_each if for_each is not None else count
        assert attr is not None
        meta = "for_each" if for_each is not None else "count"
        guard_key = (instance.serial, "expand", label)
        val = self._guarded(
            guard_key, f"{label}.{meta}", attr.value, lambda: self.eval(attr.value, Scope(instance))
        )
        try:
            if meta == "count":
                return _count_expansion(val, attr)
            return _for_each_expansion(val, attr)
        except EvalError as exc:
            return _unresolved(_failed(attr.value, exc), attr)

    def _resource_target(
        self,
        instance: ModuleInstance,
        resource: ResourceBlock,
        key: InstanceKey,
        bindings: Bindings,
    ) -> _ResourceTarget:
        """The instance ``key`` of a resource block (the first one made for its address)."""
        address = _target_address(instance, resource, key)
        target = self._resources.get(address)
        if target is None:
            scope = Scope(instance, bindings)
            target = _ResourceTarget(instance, resource, key, bindings, address, scope)
            self._resources[address] = target
        return target

    def _resource_value(
        self, instance: ModuleInstance, mode: str, type_: str, name: str, expr: Expr
    ) -> Val:
        """``TYPE.NAME`` or ``data.TYPE.NAME``: an instance, a list or map of them, or unknown."""
        resource = instance.definition.resources.get((mode, type_, name))
        if resource is None:
            prefix = "data." if mode == "data" else ""
            raise EvalError(f"reference to undeclared resource {prefix}{type_}.{name}", expr)
        expansion = self._expand_resource(instance, resource)

        def handle(key: InstanceKey, bindings: Bindings) -> Val:
            target = self._resource_target(instance, resource, key, bindings)
            address = target.address
            reason = f"{address} is known only after apply"
            return Val(Handle(address, reason, address=address), expr.loc, ref=address)

        return _collection(expansion, handle, expr, f"{instance.prefix}{resource.local_address}")

    def _resource_attr(self, target: _ResourceTarget, name: str, expr: Expr) -> Val:
        address = target.address
        attr = target.resource.block.body.attribute(name)
        if attr is not None and name not in RESOURCE_META:
            value = self._attribute(target, attr)
            hop = with_origin(value, Origin(attr.loc, f"{address}.{name}"))
            # A configured value that is itself a reference keeps pointing where it points.
            return Val(hop.v, hop.loc, hop.chain, hop.ref or address, hop.kind)
        if target.resource.mode == "data":
            reason = "data source attribute, known only after apply"
        else:
            reason = f"attribute of {address}, known only after apply"
        return Val(Unknown(f"{address}.{name}", reason), expr.loc, ref=address)

    # --- modules -----------------------------------------------------------------------------

    def _call_expansion(self, instance: ModuleInstance, name: str) -> _CallExpansion:
        key = (instance.serial, name)
        if key not in self._calls:
            self._calls[key] = self._expand_call(instance, name)
        return self._calls[key]

    def _expand_call(self, instance: ModuleInstance, name: str) -> _CallExpansion:
        call = instance.definition.calls[name]
        source = self._source(call, instance.directory)
        single = Expansion(((None, NO_BINDINGS),), "single")
        opaque = self._opaque_reason(instance, source)
        if opaque is not None:
            return _CallExpansion(single, opaque=opaque)
        assert source.path is not None
        definition = self._load(source.path)
        if definition is None:
            self._diagnose(f"module source '{source.text}' cannot be read", source.loc)
            return _CallExpansion(single, opaque="module source cannot be read")
        label = f"{instance.prefix}module.{name}"
        expansion = self._expand(instance, call.body, label)
        if not self._admit(instance, call, f"module.{name}", expansion):
            return _CallExpansion(single, opaque="instance limit of the root module reached")
        result = _CallExpansion(expansion)
        for key, bindings in expansion.keys:
            child = ModuleInstance(
                self._next_serial(),
                f"{label}{key_suffix(key)}",
                definition,
                root_dir=instance.root_dir,
                parent=instance,
                call_name=name,
                call=call,
                call_bindings=bindings,
                lineage=(*instance.lineage, norm_key(source.path)),
                order=(*instance.order, (name, key_order(key))),
                exists=instance.exists if instance.exists is not None else expansion.unknown,
            )
            child.providers = child_providers(call, instance)
            result.instances[key] = child
            self._modules[child.address] = child
        return result

    def _opaque_reason(self, instance: ModuleInstance, source: Source) -> str | None:
        """Why a called module is not read (its outputs are then unknown), or None."""
        if source.kind == "remote":
            return "output of remote module"
        if source.kind == "invalid" or source.path is None:
            return "module source is not a literal string"
        repo_root = self._options.repo_root
        if not self._inside(source.path):
            message = f"module source '{source.text}' is outside the repository; not read"
            self._diagnose(message, source.loc)
            return "module source outside the repository"
        target = norm_key(source.path)
        if target in instance.lineage:
            start = instance.lineage.index(target)
            steps = [display_path(Path(d), repo_root) for d in instance.lineage[start:]]
            self._diagnose(f"module cycle: {' → '.join([*steps, steps[0]])}", source.loc)
            return "module cycle"
        if len(instance.lineage) > self._options.max_module_depth:
            # Not a cycle (that is caught above): a chain longer than the limit.
            depth = self._options.max_module_depth
            self._diagnose(f"modules nested more than {depth} deep; not read", source.loc)
            return "modules nested too deeply"
        return None

    def _module_value(self, instance: ModuleInstance, name: str, expr: Expr) -> Val:
        """``module.NAME``: an instance, a list or map of them, or an opaque module."""
        if name not in instance.definition.calls:
            raise EvalError(f"reference to undeclared module module.{name}", expr)
        expanded = self._call_expansion(instance, name)
        base = f"{instance.prefix}module.{name}"
        if expanded.opaque is not None:
            handle = Handle(f"module.{name}", expanded.opaque, address=base, level="opaque")
            return Val(handle, expr.loc)

        def handle_of(key: InstanceKey, bindings: Bindings) -> Val:
            child = expanded.instances[key]
            reason = f"{child.address} is a module instance, not a value"
            return Val(Handle(child.address, reason, address=child.address), expr.loc)

        return _collection(expanded.expansion, handle_of, expr, base)

    def _output(self, child: ModuleInstance, name: str, expr: Expr) -> Val:
        block = child.definition.outputs.get(name)
        if block is None:
            raise EvalError(f'{child.address} has no output "{name}"', expr)
        value_attr = block.body.attribute("value")
        if value_attr is None:
            raise EvalError(f'output "{name}" of {child.address} has no value', expr)
        note = f"{child.address} output {name}"
        key = (child.serial, "output", name)

        # An output declared `sensitive = true` is sensitive wherever it is used.
        secret = declared_sensitive(block)

        def compute() -> Val:
            value = self.eval(value_attr.value, Scope(child))
            origin = Origin(value_attr.loc, note, redacted=note if secret else None)
            return with_origin(value, origin)

        label = f"{child.address}.{name}"
        return self._guarded(key, label, value_attr.value, compute, value_attr.loc)

    # --- variables and locals ----------------------------------------------------------------

    def _var(self, instance: ModuleInstance, name: str, expr: Expr) -> Val:
        decl = instance.definition.variables.get(name)
        if decl is None:
            self._diagnose(f"reference to undeclared input variable var.{name}", expr.loc)
            return Val(Unknown(f"var.{name}", "undeclared input variable"), expr.loc)
        key = (instance.serial, "var", name)

        def compute() -> Val:
            if instance.parent is None:
                return self._root_inputs(instance).value(name, decl)
            return self._child_var(instance, name)

        label = f"{instance.prefix}var.{name}"
        return self._guarded(key, label, expr, compute, decl.loc)

    def _child_var(self, instance: ModuleInstance, name: str) -> Val:
        decl = instance.definition.variables[name]
        assert instance.call is not None and instance.parent is not None
        arg = instance.call.body.attribute(name) if name not in MODULE_META else None
        default = decl.body.attribute("default")
        constant = Scope(instance, constant=True)
        value: Val | None = None
        if arg is not None:
            caller = Scope(instance.parent, instance.call_bindings)
            value = self._top(arg.value, caller)
            value = with_origin(value, Origin(arg.loc, f"{instance.address} input {name}"))
        elif default is not None:
            value = self._top(default.value, constant)
            secret = declared_sensitive(decl)
            value = with_origin(value, default_origin(name, default.loc, value, secret))
        spec = variable_type(decl)
        typed = typed_value(name, decl, value, spec, lambda e: self.eval(e, constant))
        return mark_sensitive(name, decl, typed)

    def _root_inputs(self, instance: ModuleInstance) -> RootInputs:
        inputs = self._inputs.get(instance.serial)
        if inputs is None:
            constant = Scope(instance, constant=True)
            inputs = RootInputs(
                instance.directory, self._loader, self._sources, lambda e: self.eval(e, constant)
            )
            self._inputs[instance.serial] = inputs
        return inputs

    def _local(self, instance: ModuleInstance, name: str, expr: Expr) -> Val:
        attr = instance.definition.locals.get(name)
        if attr is None:
            self._diagnose(f"reference to undeclared local value local.{name}", expr.loc)
            return Val(Unknown(f"local.{name}", "undeclared local value"), expr.loc)
        key = (instance.serial, "local", name)

        def compute() -> Val:
            value = self.eval(attr.value, Scope(instance))
            return with_origin(value, Origin(attr.loc, f"local.{name}"))

        return self._guarded(key, f"local.{name}", attr.value, compute, attr.loc)

    # --- references: what expressions ask the graph (References) ------------------------------

    def reference(self, root: str, name: str, expr: Expr, scope: Scope) -> Val:
        """``root.name`` where root is not a for-expression variable."""
        module = scope.module
        if root == "var":
            return self._var(module, name, expr)
        if root == "local":
            return self._local(module, name, expr)
        if root == "module":
            return self._module_value(module, name, expr)
        if root in {"each", "count"}:
            return _binding(scope.bindings, root, name, expr)
        if root == "path":
            return self._path(module, name, expr)
        if root == "terraform":
            if name == "workspace":
                return self._workspace(module, expr)
            raise EvalError(f'unsupported attribute "terraform.{name}"', expr)
        if root == "self":
            return Val(Unknown(f"self.{name}", "self is only known during provisioning"), expr.loc)
        if root == "data":
            raise EvalError(f"data.{name} must be followed by a name", expr)
        return self._resource_value(module, "managed", root, name, expr)

    def _workspace(self, module: ModuleInstance, expr: Expr) -> Val:
        """``terraform.workspace`` as Terraform would see it run in the root module:
        ``TF_WORKSPACE``, else the root's ``.terraform/environment``, else "default".

        Not marked sensitive: a workspace name is an identifier (Terraform prints it in every
        plan), unlike a ``TF_VAR_`` value, which may be a secret whatever its variable says."""
        root = module.root_dir
        key = norm_key(root)
        env = self._options.env.get("TF_WORKSPACE") or None
        if env is None:
            path = root / ".terraform" / "environment"
            if self.reads is not None:
                self.reads.workspace_files.setdefault(norm_key(path), path)
        known = self._workspaces.get(key)
        if known is None:
            known = self._workspaces[key] = self._workspace_value(root, env)
        return Val(known.v, expr.loc, known.chain)

    def _workspace_value(self, root: Path, env: str | None) -> Val:
        if env:
            origin = Origin(ENVIRONMENT, f"terraform.workspace = {env!r} (TF_WORKSPACE)")
            return with_origin(Val(env, ENVIRONMENT), origin)
        path = root / ".terraform" / "environment"
        read = self._options.read_text
        found = read(path) if read is not None else None
        name = found[0].strip() if found is not None else ""
        if found is None or not name:
            return Val("default", ENVIRONMENT)
        where = Location(found[1], 1, 1)
        origin = Origin(where, f"terraform.workspace = {name!r} (.terraform/environment)")
        return with_origin(Val(name, where), origin)

    def _path(self, module: ModuleInstance, name: str, expr: Expr) -> Val:
        """As Terraform shows them when run in the root module: relative to it ("." there,
        "../modules/x" for a module it calls), never the runner's absolute directory."""
        if name == "module":
            relative = os.path.relpath(module.directory, module.root_dir)
            return Val(Path(relative).as_posix(), expr.loc)
        if name in {"root", "cwd"}:
            return Val(".", expr.loc)
        raise EvalError(f'unsupported attribute "path.{name}"', expr)

    def data_resource(self, type_: str, name: str, expr: Expr, scope: Scope) -> Val:
        return self._resource_value(scope.module, "data", type_, name, expr)

    def instance_attribute(self, address: str, name: str, expr: Expr) -> Val | None:
        resource = self._resources.get(address)
        if resource is not None:
            return self._resource_attr(resource, name, expr)
        module = self._modules.get(address)
        if module is not None:
            return self._output(module, name, expr)
        return None

    def has_instance(self, address: str) -> bool:
        return address in self._resources or address in self._modules


# --- helpers ---------------------------------------------------------------------------------


def _unique_directories(directories: Sequence[Path]) -> list[Path]:
    seen: dict[str, Path] = {}
    for directory in directories:
        seen.setdefault(norm_key(directory), directory)
    return [seen[key] for key in sorted(seen)]


def _binding(bindings: Bindings, root: str, name: str, expr: Expr) -> Val:
    if root == "count":
        if name == "index" and bindings.count_index is not None:
            return bindings.count_index
        if name == "index":
            raise EvalError("count.index is only available in blocks with count", expr)
        raise EvalError(f'unsupported attribute "count.{name}"', expr)
    value = {"key": bindings.each_key, "value": bindings.each_value}.get(name)
    if value is not None:
        return value
    if name in {"key", "value"}:
        raise EvalError(f"each.{name} is only available in blocks with for_each", expr)
    raise EvalError(f'unsupported attribute "each.{name}"', expr)


def _collection(
    expansion: Expansion,
    handle: Callable[[InstanceKey, Bindings], Val],
    expr: Expr,
    base: str,
) -> Val:
    """The value of a resource or module reference: one handle, a list or a map of them."""
    if expansion.mode == "single":
        return handle(None, NO_BINDINGS)
    if expansion.mode == "count":
        return Val(tuple(handle(k, b) for k, b in expansion.keys), expr.loc)
    if expansion.mode == "for_each":
        return Val({str(k): handle(k, b) for k, b in expansion.keys}, expr.loc)
    for key, bindings in expansion.keys:
        handle(key, bindings)  # register the [*] stand-in so that indexing finds it
    address = f"{base}[*]"
    reason = (
        expansion.unknown.v.reason
        if expansion.unknown is not None and isinstance(expansion.unknown.v, Unknown)
        else "count or for_each is unknown"
    )
    return Val(Handle(base, reason, address=address, level="collection"), expr.loc, ref=address)


def _count_expansion(val: Val, attr: Attribute) -> Expansion:
    if not val.known:
        return _unresolved(val, attr)
    count = to_int(val, "count")
    if count < 0:
        raise EvalError(f"count must not be negative, not {count}")
    if count > MAX_INSTANCES:
        return _too_many(count, attr)
    origin = Origin(attr.loc, "count.index")
    keys = tuple((i, Bindings(count_index=Val(i, attr.value.loc, (origin,)))) for i in range(count))
    return Expansion(keys, "count")


def _for_each_expansion(val: Val, attr: Attribute) -> Expansion:
    v = val.v
    if isinstance(v, Unknown):
        return _unresolved(val, attr)
    if isinstance(v, dict):
        pairs = [(k, v[k]) for k in sorted(v)]
    elif isinstance(v, tuple) and val.kind == "set":
        if not wholly_known(val):
            unknown = first_unknown((val,))
            assert unknown is not None
            return _unresolved(Val(unknown, val.loc, val.chain), attr)
        pairs = [(to_str(item, "for_each element"), item) for item in v]
        for item in v:
            if not isinstance(item.v, str):
                raise EvalError(f"for_each set elements must be strings, not {type_name(item)}")
    elif v is None:
        raise EvalError("for_each must not be null")
    else:
        raise EvalError(
            f"for_each must be a map or a set of strings, not a {type_name(val)} "
            "(convert it with toset())"
        )
    if len(pairs) > MAX_INSTANCES:
        return _too_many(len(pairs), attr)
    key_hop = OriginHop(Origin(attr.loc, "each.key of for_each"))
    value_hop = OriginHop(Origin(attr.loc, "each.value of for_each"))
    keys = []
    for key, item in pairs:  # ``pairs`` keeps every item alive, as the hops need
        each_key = key_hop.of(Val(key, item.loc, item.chain))
        bindings = Bindings(each_key=each_key, each_value=value_hop.of(item))
        keys.append((key, bindings))
    return Expansion(tuple(keys), "for_each")


def _multiplier(body: Body) -> Attribute | None:
    return body.attribute("for_each") or body.attribute("count")


def _limit_place(instance: ModuleInstance, block: Block, name: str) -> tuple[str, Location]:
    """What the instance limit cuts short and where to say so: the innermost module call with
    count or for_each around ``block`` (it multiplies everything inside), else ``block``'s own
    count or for_each, else ``block`` itself. Module keys are left out, so that every instance
    of a call reports in one finding."""
    module: ModuleInstance | None = instance
    while module is not None and module.call is not None:
        attr = _multiplier(module.call.body)
        if attr is not None:
            return f"module.{module.call_name}", attr.value.loc
        module = module.parent
    attr = _multiplier(block.body)
    return name, attr.value.loc if attr is not None else block.loc


def _refused(block: Block, label: str) -> Expansion:
    """A resource past the root's instance limit: one stand-in that may not exist."""
    why = "not expanded: the instance limit of the root module was reached"
    unknown = Unknown(label, why)
    loc = block.loc
    bindings = Bindings(
        each_key=Val(Unknown("each.key", why), loc),
        each_value=Val(Unknown("each.value", why), loc),
        count_index=Val(Unknown("count.index", why), loc),
    )
    return Expansion(((UNRESOLVED, bindings),), "refused", Val(unknown, loc))


def _too_many(count: int, attr: Attribute) -> Expansion:
    reason = f"{attr.name} of {count:,} instances is too large to expand"
    return _unresolved(Val(Unknown(safe_render(attr.value), reason), attr.value.loc), attr)


def _unresolved(val: Val, attr: Attribute) -> Expansion:
    """One stand-in instance ``[*]`` that may not exist; its each/count are unknown."""
    unknown = val.v if isinstance(val.v, Unknown) else Unknown(safe_render(attr.value), "unknown")
    unknown = plain_unknown(unknown)
    exists = Val(unknown, attr.value.loc, val.chain)
    why = f"{attr.name} is unknown ({unknown.expression}: {unknown.reason})"
    bindings = Bindings(
        each_key=Val(Unknown("each.key", why), attr.value.loc),
        each_value=Val(Unknown("each.value", why), attr.value.loc),
        count_index=Val(Unknown("count.index", why), attr.value.loc),
    )
    return Expansion(((UNRESOLVED, bindings),), "unresolved", exists)


__all__ = ["EvalOptions", "ModuleLoader", "Scope", "evaluate_tree"]
