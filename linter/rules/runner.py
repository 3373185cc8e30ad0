"""Run rules over configurations with three-valued logic.

Rules are plain boolean functions over fully known values. When a subject holds unknown values,
the engine enumerates its *worlds*: every combination of possible values for the unknowns
(booleans, enums, representative model ids). A finding is reported only when it holds in every
world; a finding that holds in some worlds becomes an :class:`Undecided` record, naming the
unknowns that decide it, for the rules of the "unresolved" scope.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

from linter.core.findings import Finding
from linter.core.locations import Location, Span
from linter.core.model import Fact, Model, Unknown, UnknownValueError
from linter.normalize.configurations import Configuration
from linter.policy.data import Policy
from linter.policy.domains import domain, representative
from linter.rules.base import Context, Hit, Rule, Undecided
from linter.rules.subjects import OrgView

MAX_WORLDS = 4096

Path = tuple[str | int, ...]
HitKey = tuple[str, Any, str, str]  # rule code, location, attribute, object address


@dataclass(frozen=True)
class _Slot:
    path: Path
    fact: Fact[Any]
    domain: tuple[Any, ...]


def _subject_address(subject: Any) -> str:
    return str(subject.address if isinstance(subject, Configuration) else subject.org.address)


def _owner(subject: Any) -> str:
    if isinstance(subject, Configuration):
        return subject.label
    return f"organization '{subject.org.shown_name}'"


# Per dataclass type, the names of its fields; None for a type that is not a dataclass. The
# walk below asks this of every value of every subject (tens of thousands per run).
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {Location: (), Span: ()}  # no facts inside


def _field_names(cls: type) -> tuple[str, ...] | None:
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
        _FIELD_NAMES[cls] = names
        return names


def _collect(obj: Any, path: Path, out: list[tuple[Path, Fact[Any]]]) -> None:
    """The unknown facts of a subject (dataclasses, tuples of them, facts and lists of facts),
    each with its path from the subject."""
    for name in _field_names(type(obj)) or ():
        value = getattr(obj, name)
        if type(value) is Fact or isinstance(value, Fact):
            if isinstance(value.value, Unknown):
                out.append(((*path, name), value))
            elif isinstance(value.value, tuple):
                for index, item in enumerate(value.value):
                    if isinstance(item, Fact) and isinstance(item.value, Unknown):
                        out.append(((*path, name, index), item))
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if _field_names(type(item)):
                    _collect(item, (*path, name, index), out)
        elif _field_names(type(value)):
            _collect(value, (*path, name), out)


def _domain(path: Path, fact: Fact[Any], subject: Any, policy: Policy) -> tuple[Any, ...]:
    """The worlds of one unknown: the values its declaration allows, else its whole domain."""
    element = isinstance(path[-1], int)
    name = str(path[-2] if element else path[-1])
    kind = subject.kind if isinstance(subject, Configuration) else "workspace"
    allowed = domain(name, element, kind, policy)
    unknown = fact.value
    if isinstance(unknown, Unknown) and unknown.options:
        return _within(unknown.options, allowed, representative(name))
    return allowed


def _within(
    options: tuple[Any, ...], allowed: tuple[Any, ...], representative: bool
) -> tuple[Any, ...]:
    """The worlds of an unknown that says which values it can take.

    A list fact (models, products) takes its options as they are, and so does a fact whose
    domain only stands for its values (model ids); an enumerated scalar only when every option
    is a value its type allows (an invalid one would be a schema error if it were written out):
    otherwise every allowed value stays possible.
    """
    if representative or not allowed:
        return tuple(dict.fromkeys(options))
    if all(isinstance(c, tuple) and all(isinstance(i, str) for i in c) for c in options):
        return tuple(dict.fromkeys(options))
    if all(c in allowed and not isinstance(c, tuple) for c in options):
        return tuple(dict.fromkeys(options))
    return allowed


def _assumed(fact: Fact[Any], value: Any, watch: tuple[int, set[int]] | None = None) -> Fact[Any]:
    unknown = fact.value if isinstance(fact.value, Unknown) else None
    if isinstance(value, tuple):
        value = tuple(Fact(v, fact.location, fact.attr, True, fact.chain, unknown) for v in value)
    if watch is None:
        return Fact(value, fact.location, fact.attr, True, fact.chain, unknown)
    watched = _Watched(value, fact.location, fact.attr, True, fact.chain, unknown)
    object.__setattr__(watched, "_watch", watch)
    return watched


_READS = frozenset({"value", "v", "get", "known"})


class _Watched(Fact[Any]):
    """An assumed value that notes, in its ``_watch`` (slot index, set), that it was read.

    A rule is a pure function of what it reads: two worlds that agree on every slot it read
    give it the same answer, whatever the other slots hold. Noting reads lets a rule be
    decided over the unknowns it actually depends on (see _by_reads)."""

    def __getattribute__(self, name: str) -> Any:
        if name in _READS:
            watch = object.__getattribute__(self, "__dict__").get("_watch")
            if watch is not None:
                watch[1].add(watch[0])
        return object.__getattribute__(self, name)


def _replace(obj: Any, path: Path, new: Fact[Any]) -> Any:
    head, rest = path[0], path[1:]
    if isinstance(obj, tuple):
        assert isinstance(head, int)
        return (*obj[:head], _replace(obj[head], rest, new), *obj[head + 1 :])
    if isinstance(obj, Fact):
        assert isinstance(head, int) and not rest and isinstance(obj.value, tuple)
        items = list(obj.value)
        items[head] = new
        return replace(obj, value=tuple(items))
    child = getattr(obj, str(head))
    updated = new if not rest else _replace(child, rest, new)
    return replace(obj, **{str(head): updated})


def _exists(subject: Any) -> bool:
    return not isinstance(subject, Configuration) or bool(subject.exists.v)


def _hits(
    subject: Any, rules: Sequence[Rule], ctx: Context, blind: list[Undecided]
) -> dict[HitKey, tuple[Rule, Hit]]:
    """The hits of every rule in one world; a rule that reads a value no domain enumerates
    cannot be decided there, and goes to ``blind`` instead of crashing the run."""
    found: dict[HitKey, tuple[Rule, Hit]] = {}
    if not _exists(subject):
        return found
    address = _subject_address(subject)
    for rule in rules:
        assert rule.check is not None
        try:
            rule_hits = list(rule.check(subject, ctx))
        except UnknownValueError as exc:
            unknown = exc.fact.value
            assert isinstance(unknown, Unknown)
            blind.append(Undecided(exc.fact, unknown, (rule.code,), address, _owner(subject)))
            continue
        for hit in rule_hits:
            key = (rule.code, hit.location, hit.attr, hit.object or address)
            found.setdefault(key, (rule, hit))
    return found


@dataclass
class Outcome:
    hits: dict[HitKey, tuple[Rule, Hit]]
    undecided: list[Undecided]


def _slots(subject: Any, policy: Policy) -> list[_Slot]:
    found: list[tuple[Path, Fact[Any]]] = []
    _collect(subject, (), found)
    slots = [_Slot(p, f, _domain(p, f, subject, policy)) for p, f in found]
    return [s for s in slots if s.domain]


def _worlds(subject: Any, slots: list[_Slot]) -> Iterator[tuple[tuple[int, ...], Any]]:
    """Every combination of values for the slots, as (choice indexes, subject with them)."""
    for choice in itertools.product(*(range(len(s.domain)) for s in slots)):
        world = subject
        for slot, index in zip(slots, choice, strict=True):
            world = _replace(world, slot.path, _assumed(slot.fact, slot.domain[index]))
        yield choice, world


def _world_count(slots: list[_Slot]) -> int:
    total = 1
    for slot in slots:
        total *= len(slot.domain)
    return total


def decide(subject: Any, predicate: Callable[[Any], bool], policy: Policy) -> bool | None:
    """A predicate over a subject with unknowns: True or False if every world agrees, else None."""
    slots = _slots(subject, policy)
    if _world_count(slots) > MAX_WORLDS:
        return None
    try:
        answers = {predicate(world) for _, world in _worlds(subject, slots)}
    except UnknownValueError:  # it reads a value no domain enumerates: it cannot be decided
        return None
    return answers.pop() if len(answers) == 1 else None


def evaluate(subject: Any, rules: Sequence[Rule], ctx: Context) -> Outcome:
    """Definite hits (true in every world) and undecided ones for one subject."""
    slots = _slots(subject, ctx.policy)
    blind: list[Undecided] = []
    if not slots:
        return Outcome(_hits(subject, rules, ctx, blind), blind)
    if _world_count(slots) > MAX_WORLDS:
        return _by_reads(subject, slots, rules, ctx)
    worlds = {choice: _hits(world, rules, ctx, blind) for choice, world in _worlds(subject, slots)}
    return _verdict(subject, slots, worlds, blind)


def _by_reads(subject: Any, slots: list[_Slot], rules: Sequence[Rule], ctx: Context) -> Outcome:
    """Too many worlds for every unknown at once: each rule is decided over the unknowns it
    reads. A rule first runs with every unknown at its first value; each unknown it reads is
    then enumerated, until it reads nothing new. An organization with 13 workspaces of unknown
    existence has 8,192 worlds, but a rule that stops at the organization's own facts reads
    none of them, and is decided, rather than reported as undecided for every unknown."""
    hits: dict[HitKey, tuple[Rule, Hit]] = {}
    undecided: list[Undecided] = []
    for rule in rules:
        outcome = _by_reads_of(subject, slots, rule, ctx)
        hits.update(outcome.hits)
        undecided += outcome.undecided
    return Outcome(hits, undecided)


def _by_reads_of(subject: Any, slots: list[_Slot], rule: Rule, ctx: Context) -> Outcome:
    read: list[int] = []
    while True:
        chosen = [slots[i] for i in read]
        if _world_count(chosen) > MAX_WORLDS:
            return Outcome({}, [_undecided(subject, s, (rule.code,)) for s in chosen])
        seen: set[int] = set()
        blind: list[Undecided] = []
        worlds = {}
        for choice in itertools.product(*(range(len(s.domain)) for s in chosen)):
            fixed = dict(zip(read, choice, strict=True))
            world = subject
            for index, slot in enumerate(slots):
                value = slot.domain[fixed.get(index, 0)]
                world = _replace(world, slot.path, _assumed(slot.fact, value, (index, seen)))
            worlds[choice] = _hits(world, [rule], ctx, blind)
        new = sorted(seen.difference(read))
        if not new:
            return _verdict(subject, chosen, worlds, blind)
        read += new


def _verdict(
    subject: Any,
    slots: list[_Slot],
    worlds: dict[tuple[int, ...], dict[HitKey, tuple[Rule, Hit]]],
    blind: list[Undecided],
) -> Outcome:
    """Hits true in every world are definite; the others are undecided, for the slots that
    decide them."""
    all_keys = set().union(*(w.keys() for w in worlds.values()))
    definite: dict[HitKey, tuple[Rule, Hit]] = {}
    deciding: dict[int, set[str]] = {}
    for key in sorted(all_keys, key=repr):
        present = [choice for choice, hits in worlds.items() if key in hits]
        if len(present) == len(worlds):
            definite[key] = _mildest(worlds[c][key] for c in present)
            continue
        for index in _deciding_slots(key, slots, worlds):
            deciding.setdefault(index, set()).add(key[0])
    undecided = [
        _undecided(subject, slots[i], tuple(sorted(codes))) for i, codes in deciding.items()
    ]
    return Outcome(definite, undecided + blind)


def _mildest(candidates: Iterable[tuple[Rule, Hit]]) -> tuple[Rule, Hit]:
    """Of one finding's variants across worlds, the one with the lowest severity holds in all."""
    return min(candidates, key=lambda rh: (rh[1].severity or rh[0].severity).rank)


def _with(choice: tuple[int, ...], index: int, value: int) -> tuple[int, ...]:
    return (*choice[:index], value, *choice[index + 1 :])  # tuple display, valid on 3.10


def _deciding_slots(
    key: HitKey, slots: list[_Slot], worlds: dict[tuple[int, ...], dict[HitKey, Any]]
) -> list[int]:
    """Slots whose value alone flips the hit in some world; all slots if none does alone."""
    result = []
    for index, slot in enumerate(slots):
        for choice, hits in worlds.items():
            if key not in hits:
                continue
            flipped = any(
                key not in worlds[_with(choice, index, other)] for other in range(len(slot.domain))
            )
            if flipped:
                result.append(index)
                break
    return result or list(range(len(slots)))


def _undecided(subject: Any, slot: _Slot, codes: tuple[str, ...]) -> Undecided:
    unknown = slot.fact.value
    assert isinstance(unknown, Unknown)
    return Undecided(slot.fact, unknown, codes, _subject_address(subject), _owner(subject))


def _finding(rule: Rule, hit: Hit, address: str) -> Finding:
    # Evidence at the finding's own location repeats what the message says; a step named twice
    # (the chain of the offending fact, and again in a setting of that same fact) once.
    evidence = tuple(dict.fromkeys(e for e in hit.evidence if e.location != hit.location))
    return Finding(
        rule=rule.code,
        name=rule.slug,
        severity=hit.severity or rule.severity,
        message=hit.message,
        location=hit.location,
        object=hit.object if hit.object is not None else address,
        attribute=hit.attr,
        evidence=evidence,
        fix=hit.fix,
        autofix=hit.autofix,
    )


def _merge_undecided(items: list[Undecided]) -> list[Undecided]:
    merged: dict[tuple[Any, str, str], Undecided] = {}
    for item in items:
        if item.unknown.silent:
            continue
        key = (item.fact.location, item.fact.attr, item.address)
        seen = merged.get(key)
        if seen is not None:
            rules = tuple(sorted(set(seen.rules) | set(item.rules)))
            merged[key] = replace(seen, rules=rules)
        else:
            merged[key] = item
    return list(merged.values())


def run_rules(
    model: Model, configs: Sequence[Configuration], rules: Sequence[Rule], ctx: Context
) -> list[Finding]:
    """Every finding the selected rules make about the model and its configurations."""
    by_scope: dict[str, list[Rule]] = {}
    for rule in rules:
        by_scope.setdefault(rule.scope, []).append(rule)
    hits: dict[HitKey, Finding] = {}
    undecided: list[Undecided] = []

    subjects: list[tuple[Any, list[Rule]]] = [
        (c, by_scope.get("configuration", [])) for c in configs
    ]
    for org in model.organizations:
        subjects.append(
            (OrgView.of(org, model.workspaces_of(org)), by_scope.get("organization", []))
        )
    for subject, subject_rules in subjects:
        if not subject_rules:
            continue
        outcome = evaluate(subject, subject_rules, ctx)
        for key, (rule, hit) in outcome.hits.items():
            hits.setdefault(key, _finding(rule, hit, key[3]))
        undecided.extend(outcome.undecided)

    for scope, subject in (("model", model), ("unresolved", _merge_undecided(undecided))):
        for finding in run_scope(scope, subject, by_scope.get(scope, []), ctx):
            hits.setdefault(
                (finding.rule, finding.location, finding.attribute, finding.object), finding
            )
    return list(hits.values())


def run_scope(scope: str, subject: Any, rules: Sequence[Rule], ctx: Context) -> list[Finding]:
    """The findings of the rules of one scope whose subject is a whole (the model, the
    undecided unknowns, the suppression problems), once each."""
    found: dict[HitKey, Finding] = {}
    for rule in rules:
        if rule.scope != scope:
            continue
        assert rule.check is not None
        for hit in rule.check(subject, ctx):
            finding = _finding(rule, hit, "")
            found.setdefault((rule.code, hit.location, hit.attr, finding.object), finding)
    return list(found.values())
