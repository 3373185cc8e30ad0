"""The module tree: what each directory declares, module sources, roots, instances, providers.

Nothing here evaluates expressions: the evaluator expands ``count``/``for_each`` and creates
:class:`ModuleInstance` objects; this module indexes declarations, resolves sources, finds the
root modules among candidate directories and maps provider configurations through module calls.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from linter.core.files import is_below
from linter.core.locations import Location
from linter.terraform.eval.values import Outline, Val
from linter.terraform.syntax.ast import (
    Attribute,
    Block,
    Expr,
    File,
    GetAttr,
    Literal,
    ObjectExpr,
    Parens,
    Template,
    Variable,
)

PROVIDER = "anthropic"
RESOURCE_META = frozenset({"count", "for_each", "provider", "depends_on", "lifecycle"})
MODULE_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


# --- declarations of one directory -----------------------------------------------------------


@dataclass(frozen=True)
class ResourceBlock:
    mode: str  # "managed" | "data"
    type: str
    name: str
    block: Block
    # ``anthropic_workspace.ws`` or ``data.anthropic_organization.main``: made once, since it
    # is asked for every instance of the block and every reference to it.
    local_address: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        base = f"{self.type}.{self.name}"
        object.__setattr__(self, "local_address", f"data.{base}" if self.mode == "data" else base)


@dataclass
class ModuleDef:
    """Everything one module directory declares, indexed by name (the first declaration wins)."""

    directory: Path
    files: tuple[File, ...]
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    resources: dict[tuple[str, str, str], ResourceBlock] = field(default_factory=dict)
    calls: dict[str, Block] = field(default_factory=dict)
    # Provider configurations of the anthropic provider declared here: None is the default one.
    provider_aliases: set[str | None] = field(default_factory=set)
    # recognised(), by its arguments: asked for every instance of the module.
    _recognised: dict[tuple[frozenset[str], frozenset[str]], tuple[ResourceBlock, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def recognised(
        self, managed: frozenset[str], data: frozenset[str]
    ) -> tuple[ResourceBlock, ...]:
        """The recognised resource and data blocks, in file and line order."""
        found = self._recognised.get((managed, data))
        if found is None:
            found = self._recognised[(managed, data)] = tuple(
                sorted(
                    (
                        r
                        for r in self.resources.values()
                        if (r.type in managed if r.mode == "managed" else r.type in data)
                    ),
                    key=lambda r: (r.block.loc.path, r.block.loc.line, r.block.loc.column),
                )
            )
        return found


def build_module_def(directory: Path, files: Iterable[File]) -> ModuleDef:
    ordered = tuple(sorted(files, key=lambda f: f.path))
    definition = ModuleDef(directory, ordered)
    for file in ordered:
        for block in file.body.blocks:
            _index_block(definition, block)
    return definition


def _index_block(definition: ModuleDef, block: Block) -> None:
    labels = block.labels
    if block.type == "variable" and len(labels) == 1:
        definition.variables.setdefault(labels[0], block)
    elif block.type == "locals":
        for attr in block.body.attributes:
            definition.locals.setdefault(attr.name, attr)
    elif block.type == "output" and len(labels) == 1:
        definition.outputs.setdefault(labels[0], block)
    elif block.type in {"resource", "data"} and len(labels) == 2:
        mode = "managed" if block.type == "resource" else "data"
        resource = ResourceBlock(mode, labels[0], labels[1], block)
        definition.resources.setdefault((mode, labels[0], labels[1]), resource)
    elif block.type == "module" and len(labels) == 1:
        definition.calls.setdefault(labels[0], block)
    elif block.type == "provider" and labels == (PROVIDER,):
        alias = block.body.attribute("alias")
        value = alias.value if alias is not None else None
        name = value.value if isinstance(value, Literal) else None
        definition.provider_aliases.add(name if isinstance(name, str) else None)


# --- module sources --------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A module call's ``source``: ``kind`` is "local", "remote" or "invalid"."""

    kind: str
    text: str
    loc: Location
    path: Path | None = None  # local sources: the directory, normalised


LOCAL_PREFIXES = ("./", "../", ".\\", "..\\")


def call_source(call: Block, caller_dir: Path) -> Source:
    attr = call.body.attribute("source")
    if attr is None:
        return Source("invalid", "", call.loc)
    text = _literal_string(attr.value)
    if text is None:
        return Source("invalid", "", attr.loc)
    if text.startswith(LOCAL_PREFIXES) or text in {".", ".."}:
        resolved = Path(os.path.normpath(caller_dir / text.replace("\\", "/")))
        return Source("local", text, attr.loc, resolved)
    return Source("remote", text, attr.loc)


def _literal_string(expr: Expr) -> str | None:
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, Template) and all(
        isinstance(p, Literal) and isinstance(p.value, str) for p in expr.parts
    ):
        return "".join(str(p.value) for p in expr.parts if isinstance(p, Literal))
    return None


def norm_key(path: str | os.PathLike[str]) -> str:
    """A comparable identity for a directory, however it was spelled (a string or a Path: hot
    loops over a monorepo's directories pass strings, which are cheaper than Path objects).
    abspath normalises already (os.path.normpath): a warm run asks this tens of thousands
    of times, mostly of the same absolute strings, whose answers are kept (a relative one
    depends on the working directory, which a server's run may change)."""
    text = os.fspath(path)
    known = _NORM_KEYS.get(text)
    if known is not None:
        return known
    key = os.path.normcase(os.path.abspath(text))
    if os.path.isabs(text):  # noqa: PTH117 - strings: hot loop
        if len(_NORM_KEYS) >= _MAX_NORM_KEYS:
            _NORM_KEYS.clear()
        _NORM_KEYS[text] = key
    return key


_NORM_KEYS: dict[str, str] = {}
_MAX_NORM_KEYS = 200_000


def is_inside(path: Path | str, root: Path, real: str | None = None) -> bool:
    """Whether ``path`` is ``root`` or below it, lexically and after resolving symlinks
    (``real``: ``os.path.realpath(path)``, when the caller has it already)."""
    lexical = norm_key(path)
    base = norm_key(root)
    if not is_below(lexical, base):
        return False
    try:
        real, real_base = real or os.path.realpath(path), _realpath(base)
    except (OSError, ValueError):
        return True
    return is_below(real, real_base)


@lru_cache(maxsize=64)
def _realpath(directory: str) -> str:
    """The repository root, resolved once (it is asked about for every module source)."""
    return os.path.realpath(directory)


def display_path(path: Path | str, root: Path | str) -> str:
    try:  # strings: every file a run parses is shown (relpath's answer is normal already)
        return os.path.relpath(norm_key(path), norm_key(root)).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


# --- roots -----------------------------------------------------------------------------------


def outline_of(definition: ModuleDef, repo_root: Path, recognised: bool) -> Outline:
    callees = []
    places = []
    for call in definition.calls.values():
        source = call_source(call, definition.directory)
        if source.path is not None:
            real = os.path.realpath(source.path)
            places.append((str(source.path), real))
            if is_inside(source.path, repo_root, real):
                callees.append(norm_key(source.path))
    return Outline(tuple(callees), recognised or bool(definition.calls), tuple(places))


def find_roots(candidates: Sequence[Path], outlines: Mapping[str, Outline]) -> list[Path]:
    """Candidate directories that no other candidate calls as a local module.

    Candidates only reachable through a module cycle would otherwise never be evaluated (and
    the cycle never reported), so the first of them in path order becomes a root as well.
    """
    by_key = {norm_key(c): c for c in candidates}
    callees: dict[str, list[str]] = {key: [] for key in by_key}
    called: set[str] = set()
    for key in by_key:
        outline = outlines.get(key)
        if outline is None:
            continue
        for target in outline.callees:
            if target in by_key:
                callees[key].append(target)
                called.add(target)
    roots = sorted(key for key in by_key if key not in called)
    reached = _reachable(roots, callees)
    for key in sorted(by_key):
        if key not in reached:
            roots.append(key)
            reached |= _reachable([key], callees)
    return [by_key[key] for key in sorted(set(roots))]


def _reachable(starts: Iterable[str], edges: Mapping[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(edges.get(key, ()))
    return seen


def leads_to_resources(
    start: Path,
    load: Callable[[Path], ModuleDef | None],
    has_resources: Callable[[ModuleDef], bool],
    inside: Callable[[Path], bool],
) -> set[str]:
    """The directories reachable from ``start`` through local calls that lead to a recognised
    resource (``start`` included when it does): only those module calls are expanded."""
    edges: dict[str, list[str]] = {}
    bearing: set[str] = set()
    todo = [start]
    seen: set[str] = set()
    while todo:
        directory = todo.pop()
        key = norm_key(directory)
        if key in seen:
            continue
        seen.add(key)
        definition = load(directory)
        if definition is None:
            continue
        if has_resources(definition):
            bearing.add(key)
        edges[key] = []
        for call in definition.calls.values():
            source = call_source(call, directory)
            if source.path is not None and inside(source.path):
                edges[key].append(norm_key(source.path))
                todo.append(source.path)
    return callers_of(bearing, edges)


def callers_of(targets: Iterable[str], calls: Mapping[str, Iterable[str]]) -> set[str]:
    """``targets`` and every directory that reaches one of them through local calls."""
    callers: dict[str, set[str]] = {}
    for caller, callees in calls.items():
        for callee in callees:
            callers.setdefault(callee, set()).add(caller)
    found = set(targets)
    todo = list(found)
    while todo:
        for caller in callers.get(todo.pop(), ()):
            if caller not in found:
                found.add(caller)
                todo.append(caller)
    return found


# --- instances -------------------------------------------------------------------------------


class _Unresolved:
    """The key of the single stand-in instance of an unresolved count/for_each."""

    def __repr__(self) -> str:
        return "UNRESOLVED"


UNRESOLVED = _Unresolved()
InstanceKey = int | str | _Unresolved | None  # None: no count/for_each


def key_suffix(key: InstanceKey) -> str:
    """``[0]``, ``["a"]`` (JSON-style escaping), ``[*]``, or nothing."""
    if key is None:
        return ""
    if isinstance(key, _Unresolved):
        return "[*]"
    if isinstance(key, int):
        return f"[{key}]"
    return f"[{json.dumps(key, ensure_ascii=False)}]"


def key_order(key: InstanceKey) -> tuple[int, int, str]:
    if isinstance(key, int):
        return (0, key, "")
    if isinstance(key, str):
        return (1, 0, key)
    return (2, 0, "")


@dataclass(frozen=True)
class Bindings:
    """``each.key``/``each.value``/``count.index`` of one resource or module instance."""

    each_key: Val | None = None
    each_value: Val | None = None
    count_index: Val | None = None


NO_BINDINGS = Bindings()


@dataclass(eq=False)
class ModuleInstance:
    """One instance of a module: the root, or one (count/for_each) instance of a module call."""

    serial: int
    address: str  # "" for a root module, else module.a["k"].module.b
    definition: ModuleDef
    root_dir: Path
    parent: ModuleInstance | None = None
    call_name: str = ""
    call: Block | None = None
    call_bindings: Bindings = NO_BINDINGS
    lineage: tuple[str, ...] = ()  # normalised directories from the root down to this one
    # (call name, instance key order) from the root down, for sorting instances.
    order: tuple[tuple[str, tuple[int, int, str]], ...] = ()
    providers: dict[str, str | None] = field(default_factory=dict)
    exists: Val | None = None  # unknown when an enclosing count/for_each is unresolved

    @property
    def prefix(self) -> str:
        return f"{self.address}." if self.address else ""

    @property
    def directory(self) -> Path:
        return self.definition.directory


# --- providers -------------------------------------------------------------------------------


def provider_ref(expr: Expr | None) -> str | None:
    """``anthropic`` or ``anthropic.alias`` from a provider reference (or its old string form)."""
    if expr is None:
        return None
    if isinstance(expr, Parens):
        return provider_ref(expr.expr)
    if isinstance(expr, Variable):
        return expr.name
    if isinstance(expr, GetAttr) and isinstance(expr.target, Variable):
        return f"{expr.target.name}.{expr.name}"
    text = _literal_string(expr)
    return text.strip() if text else None


def _provider_name(ref: str) -> str:
    return ref.split(".", 1)[0]


def _alias_of(ref: str) -> str | None:
    parts = ref.split(".", 1)
    return parts[1] if len(parts) == 2 else None


def resolve_provider(instance: ModuleInstance, ref: str) -> str | None:
    """The root provider alias a local configuration reference ends up as."""
    if instance.parent is not None and _alias_of(ref) in instance.definition.provider_aliases:
        return _alias_of(ref)  # a (legacy) configuration the module declares itself
    if ref in instance.providers:
        return instance.providers[ref]
    # In the root, anthropic.x is the configuration with alias x. In a child, an unmapped
    # reference is the child's own (legacy) configuration, or an error Terraform reports.
    return _alias_of(ref)


def child_providers(call: Block, parent: ModuleInstance) -> dict[str, str | None]:
    """The provider mapping of a child instance, from the call's ``providers = {...}``."""
    mapping: dict[str, str | None] = {}
    attr = call.body.attribute("providers")
    if attr is not None and isinstance(attr.value, ObjectExpr):
        for item in attr.value.items:
            child_ref = provider_ref(item.key)
            parent_ref = provider_ref(item.value)
            if (
                child_ref
                and parent_ref
                and _provider_name(child_ref) == PROVIDER
                and _provider_name(parent_ref) == PROVIDER
            ):
                mapping[child_ref] = resolve_provider(parent, parent_ref)
    if PROVIDER not in mapping:
        # The default configuration is inherited; Terraform does so even when a providers map
        # leaves it out.
        mapping[PROVIDER] = resolve_provider(parent, PROVIDER)
    return mapping


def instance_provider_alias(resource: ResourceBlock, instance: ModuleInstance) -> str | None:
    attr = resource.block.body.attribute("provider")
    ref = provider_ref(attr.value) if attr is not None else None
    if ref is None or _provider_name(ref) != PROVIDER:
        ref = PROVIDER
    return resolve_provider(instance, ref)
