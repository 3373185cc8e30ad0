"""CloudFormation front end: Claude Platform on AWS workspaces from templates (SPEC §3.3).

A YAML or JSON document whose top-level ``Resources`` has an entry of type
``AWS::AWSExternalAnthropic::Workspace`` is a declaration source (CDK writes such templates to
``cdk.out/*.template.json``). Each workspace becomes a declaration on platform
``aws-claude-platform``: ``Properties.Name`` is its name and ``Properties.Tags`` (a list of
``{Key, Value}``) carry its facts under the same tag keys as Terraform. ``DataResidency`` is
not a compliance fact.

Intrinsic functions, short (``!Ref``) and long (``Fn::*``) forms, are evaluated where the
template itself determines the value: a parameter's ``Default``, ``Mappings``, ``Conditions``
over those. A parameter without a ``Default`` is one of its ``AllowedValues`` when it has them
(the rules are then decided over those values), else unknown; pseudo parameters
(``AWS::Region``...), resource attributes, imports and dynamic references are unknown. A value
that came from elsewhere in the template is reported where the resource uses it, and the
parameter defaults, mapping entries and conditions it came through are its evidence chain.

Templates that do not name the type are never parsed (a substring test comes first); a file
that names it but cannot be parsed is a BAA900 finding.
"""

from __future__ import annotations

import base64
import difflib
import io
import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode as YMap
from ruamel.yaml.nodes import Node as YNode
from ruamel.yaml.nodes import ScalarNode as YScalar
from ruamel.yaml.nodes import SequenceNode as YSeq

from linter.core.findings import Finding, parse_error, schema_error
from linter.core.jsonpos import JsonSyntaxError, JsonValue, parse_json_document
from linter.core.locations import Location, Span
from linter.core.model import Fact, Origin, Unknown
from linter.core.parsed import ParsedFile
from linter.core.tags import AWS_SEPARATORS, BOOL_FACTS, LIST_FACTS, split_list, tag_fact
from linter.core.tree import Declaration, MapEntry, MapNode, Node, Scalar, ScalarNode, UnknownNode
from linter.inputs.yaml import (
    TooLargeError,
    YamlWalker,
    _error_location,
    _error_message,
    _flow_nesting_message,
    _flow_too_deep,
    _scalar,
)

MARKER = "AWS::AWSExternalAnthropic::Workspace"
PLATFORM = "aws-claude-platform"
PROPERTIES = ("Name", "DataResidency", "Tags")
# Combinations of parameter values and conditions tried for one value; more is unknown.
MAX_ALTERNATIVES = 64
# Nested intrinsic functions evaluated at most this deep (templates nest a handful).
MAX_EVAL_DEPTH = 48
MAX_TEXT = 80  # characters of an expression shown in a message
PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::NoValue",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)
LIST_PARAMETER = re.compile(r"^(?:CommaDelimitedList|List<.*>)$")
FIX = (
    "Give the parameter a Default (or write the value in the template) so baa-lint can check "
    "it, or suppress this finding with a reason when the value is decided at deploy time."
)
# The facts a workspace's tags carry, and their value when no tag sets them.
DEFAULTS: dict[str, object] = {
    "phi": False,
    "models": (),
    "products": ("api",),
    "data_retention": "inherit",
}


# --- the template as a tree, from YAML or JSON ---------------------------------------------------


@dataclass(frozen=True, eq=False)
class _T:
    """A template node: a mapping, a sequence or a scalar, with its position.

    YAML short forms are turned into the long form here (``!Ref X`` is ``{Ref: X}``,
    ``!Sub s`` is ``{Fn::Sub: s}``), so the evaluator sees one shape.
    """

    kind: str  # "map" | "seq" | "scalar"
    loc: Location
    end_line: int
    value: Scalar = None
    items: tuple[_T, ...] = ()
    entries: tuple[tuple[str, Location, _T], ...] = ()

    def get(self, key: str) -> _T | None:
        for name, _, value in self.entries:
            if name == key:
                return value
        return None

    def entry(self, key: str) -> tuple[Location, _T] | None:
        for name, where, value in self.entries:
            if name == key:
                return where, value
        return None


def _long_form(tag: str) -> str:
    name = tag[1:]
    return name if name in ("Ref", "Condition") else f"Fn::{name}"


@dataclass
class _YamlConverter(YamlWalker):
    noun: str = "template"

    def convert(self, node: YNode, depth: int = 0) -> _T:
        self.visit(node, depth)
        tag = node.tag or ""
        if isinstance(node, YMap):
            plain = self.mapping(node, depth)
        elif isinstance(node, YSeq):
            items = tuple(self.convert(item, depth + 1) for item in node.value)
            plain = _T("seq", self.loc(node), self.end_line(node), items=items)
        else:
            assert isinstance(node, YScalar)
            value = str(node.value) if tag.startswith("!") else _scalar(node)
            plain = _T("scalar", self.loc(node), self.loc(node).line, value)
        if tag.startswith("!"):  # a local tag: a short form; resolved ones start "tag:"
            entry = (_long_form(tag), plain.loc, plain)
            return _T("map", plain.loc, plain.end_line, entries=(entry,))
        return plain

    def mapping(self, node: YMap, depth: int) -> _T:
        self.blocks.append(Span(self.path, node.start_mark.line + 1, self.end_line(node)))
        entries: dict[str, tuple[str, Location, _T]] = {}
        merged: list[tuple[str, Location, _T]] = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                for source in value_node.value if isinstance(value_node, YSeq) else [value_node]:
                    if isinstance(source, YMap):
                        merged.extend(self.mapping(source, depth + 1).entries)
                continue
            if not isinstance(key_node, YScalar):
                continue  # CloudFormation keys are names; a collection key names nothing
            key, key_loc = str(key_node.value), self.loc(key_node)
            if key in entries:
                self.duplicate_key(key, entries[key][1], key_loc)
                del entries[key]
            if isinstance(value_node, (YMap, YSeq)):
                self.blocks.append(Span(self.path, key_loc.line, self.end_line(value_node)))
            entries[key] = (key, key_loc, self.convert(value_node, depth + 1))
        for entry in merged:
            entries.setdefault(entry[0], entry)
        return _T("map", self.loc(node), self.end_line(node), entries=tuple(entries.values()))


def _from_json(value: JsonValue) -> _T:
    if value.kind == "object":
        entries = tuple((k, where, _from_json(v)) for k, where, v in value.members)
        return _T("map", value.loc, value.end_line, entries=entries)
    if value.kind == "array":
        return _T("seq", value.loc, value.end_line, items=tuple(_from_json(v) for v in value.items))
    return _T("scalar", value.loc, value.end_line, value.value)


def _is_template(doc: _T) -> bool:
    resources = doc.get("Resources") if doc.kind == "map" else None
    return resources is not None and resources.kind == "map"


# --- evaluated values ------------------------------------------------------------------------


@dataclass(frozen=True)
class _V:
    """An evaluated value: known (``value``), one of ``options``, unknown, or absent.

    ``loc`` is where the value was written (a literal, a parameter's Default, a mapping entry);
    ``at`` where the expression that produced it sits, when that differs; ``chain`` the
    parameters, mappings and conditions it came through.
    """

    loc: Location
    value: object = None  # str | int | float | bool | None | tuple[_V, ...] | dict[str, _V]
    chain: tuple[Origin, ...] = ()
    at: Location | None = None
    options: tuple[_V, ...] | None = None
    unknown: Unknown | None = None
    absent: bool = False  # AWS::NoValue: the property or list item is left out
    source: str = ""  # for a choice: the expression that chooses
    why: str = ""  # for a choice: what the choice depends on


def _placed(value: _V, where: Location) -> _V:
    return value if where in (value.loc, value.at) else replace(value, at=where)


def _cfn_string(value: object) -> str | None:
    """A scalar as CloudFormation reads it in a string context."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _plain(value: _V) -> object:
    if isinstance(value.value, tuple):
        return tuple(_plain(v) for v in value.value)
    if isinstance(value.value, dict):
        return tuple(sorted((k, _plain(v)) for k, v in value.value.items()))
    return _cfn_string(value.value) if value.value is not None else None


def _flat(value: _V) -> list[_V]:
    """The options of a choice (choices inside choices flattened), or the value itself."""
    if value.options is None:
        return [value]
    flat: list[_V] = []
    for option in value.options:
        flat.extend(_flat(option))
    return flat


def _chains(values: Sequence[_V]) -> tuple[Origin, ...]:
    return tuple(dict.fromkeys(step for v in values for step in v.chain))


def _render(node: _T, limit: int = MAX_TEXT) -> str:
    """An expression as a reader would write it (short forms), cut to ``limit`` characters."""
    text = _render_full(node, 0)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _render_full(node: _T, depth: int) -> str:
    if depth > 8:
        return "…"
    if node.kind == "scalar":
        return _cfn_string(node.value) or "null"
    if node.kind == "seq":
        return "[" + ", ".join(_render_full(i, depth + 1) for i in node.items) + "]"
    if len(node.entries) == 1 and _is_intrinsic(node.entries[0][0]):
        name, _, arg = node.entries[0]
        short = "!" + name.removeprefix("Fn::")
        return f"{short} {_render_full(arg, depth + 1)}"
    inner = ", ".join(f"{k}: {_render_full(v, depth + 1)}" for k, _, v in node.entries)
    return "{" + inner + "}"


def _is_intrinsic(key: str) -> bool:
    return key in ("Ref", "Condition") or key.startswith("Fn::")


# --- the evaluator ---------------------------------------------------------------------------


class _Evaluator:
    """Evaluates intrinsic functions over one template's Parameters, Mappings and Conditions."""

    def __init__(self, doc: _T, path: str) -> None:
        self.path = path
        self.parameters = _named(doc.get("Parameters"))
        self.conditions = _named(doc.get("Conditions"))
        self.mappings = doc.get("Mappings")
        resources = doc.get("Resources")
        self.resources = {k for k, _, _ in resources.entries} if resources is not None else set()
        self._conditions: dict[str, _V] = {}
        self._active: set[str] = set()
        # The identifier of the Fn::ForEach loop being expanded, and its value.
        self.bindings: dict[str, _V] = {}

    # values

    def unknown(
        self, node: _T, reason: str, chain: tuple[Origin, ...] = (), expression: str = ""
    ) -> _V:
        shown = expression or _render(node)
        return _V(node.loc, chain=chain, unknown=Unknown(shown, reason, fix=FIX))

    def eval(self, node: _T, depth: int = 0) -> _V:
        if depth > MAX_EVAL_DEPTH:
            return self.unknown(node, f"intrinsic functions nest deeper than {MAX_EVAL_DEPTH}")
        if node.kind == "scalar":
            if isinstance(node.value, str) and "{{resolve:" in node.value:
                return self.unknown(node, "a dynamic reference, resolved only at deploy time")
            return _V(node.loc, node.value)
        if node.kind == "seq":
            items = tuple(_placed(self.eval(i, depth + 1), i.loc) for i in node.items)
            return _V(node.loc, tuple(i for i in items if not i.absent))
        if len(node.entries) == 1 and _is_intrinsic(node.entries[0][0]):
            name, _, arg = node.entries[0]
            return self.intrinsic(name, arg, node, depth + 1)
        values = {}
        for key, _, child in node.entries:
            value = _placed(self.eval(child, depth + 1), child.loc)
            if not value.absent:
                values[key] = value
        return _V(node.loc, values)

    def intrinsic(self, name: str, arg: _T, node: _T, depth: int) -> _V:
        handler = _INTRINSICS.get(name)
        if handler is None:
            short = name.removeprefix("Fn::")
            return self.unknown(node, f"baa-lint does not evaluate {short}")
        return handler(self, arg, node, depth)

    def combine(self, args: Sequence[_V], node: _T, compute: Callable[[list[_V]], _V | str]) -> _V:
        """``compute`` over every combination of the arguments' options.

        ``compute`` returns a value, or a string saying why the combination is invalid (an
        unknown). An unknown argument makes the result unknown; results that all agree are
        one known value, others a choice.
        """
        for arg in args:
            for option in _flat(arg):
                if option.unknown is not None:
                    return _V(node.loc, chain=option.chain, unknown=option.unknown)
        flats = [_flat(a) for a in args]
        total = 1
        for options in flats:
            total *= len(options)
        if total > MAX_ALTERNATIVES:
            return self.unknown(node, "depends on too many combinations of parameters")
        results: list[_V] = []
        for combination in itertools.product(*flats):
            result = compute(list(combination))
            if isinstance(result, str):
                return self.unknown(node, result, _chains(combination))
            if result.unknown is not None:
                return result
            results.append(replace(result, chain=_chains([result, *combination])))
        distinct = {repr(_plain(r)) for r in results}
        if len(distinct) == 1:
            return replace(results[0], chain=_chains(results))
        choosers = [a for a in args if a.options is not None]
        why = "; ".join(dict.fromkeys(a.why for a in choosers if a.why))
        source = next((a.source for a in choosers if a.source), _render(node))
        return _V(node.loc, options=tuple(results), source=source, why=why)

    # parameters and conditions

    def parameter(self, name: str, node: _T) -> _V:
        key_loc, definition = self.parameters[name]
        kind = definition.get("Type")
        type_name = str(kind.value) if kind is not None and kind.kind == "scalar" else "String"
        defined = Origin(key_loc, f"parameter {name} is defined here, without a Default")
        if type_name.startswith("AWS::SSM::Parameter::"):
            reason = (
                f"parameter {name} is read from SSM Parameter Store at deploy time "
                "(its Default names the SSM parameter, not its value)"
            )
            return self.unknown(node, reason, (Origin(key_loc, f"parameter {name}: {type_name}"),))
        secret = _truthy(definition.get("NoEcho"))
        default = definition.get("Default")
        if default is not None and default.kind == "scalar" and default.value is not None:
            text = _cfn_string(default.value) or ""
            shown = "(sensitive)" if secret else repr(text)
            chain = (Origin(default.loc, f"parameter {name} defaults to {shown}"),)
            if LIST_PARAMETER.match(type_name):
                items = tuple(_V(default.loc, part.strip(), chain) for part in text.split(","))
                return _V(default.loc, items, chain)
            return _V(default.loc, text, chain)
        allowed = definition.get("AllowedValues")
        choices = [a for a in allowed.items if a.kind == "scalar"] if allowed is not None else []
        if choices and not LIST_PARAMETER.match(type_name):
            values = ", ".join(_cfn_string(a.value) or "" for a in choices)
            why = f"parameter {name}, which has no Default (AllowedValues: {values})"
            step = Origin(key_loc, f"parameter {name} has no Default (AllowedValues: {values})")
            options = tuple(_V(a.loc, _cfn_string(a.value), (step,)) for a in choices)
            if len(options) == 1:
                return options[0]
            return _V(key_loc, options=options, source=f"!Ref {name}", why=why)
        reason = f"parameter {name} has no Default"
        return self.unknown(node, reason, (defined,), expression=f"!Ref {name}")

    def condition(self, name: str, node: _T, depth: int = 0) -> _V:
        if name in self._conditions:
            return self._conditions[name]
        found = self.conditions.get(name)
        if found is None:
            return self.unknown(node, f"no condition named {name} in this template")
        if name in self._active:
            return self.unknown(node, f"condition {name} refers to itself")
        key_loc, definition = found
        self._active.add(name)
        try:
            value = self.condition_value(definition, depth + 1)
        finally:
            self._active.discard(name)
        text = _render(definition)
        if value.unknown is not None:
            step = Origin(key_loc, f"condition {name} ({text}) cannot be decided")
            result = replace(value, chain=(step, *value.chain))
        elif value.options is not None:
            why = f"condition {name} ({text}) depends on {value.why or 'a parameter'}"
            step = Origin(key_loc, why)
            options = tuple(replace(o, chain=(step, *o.chain)) for o in _flat(value))
            chain = (step, *_chains(_flat(value)))
            result = _V(key_loc, chain=chain, options=options, source=f"Condition {name}", why=why)
        else:
            state = "true" if value.value is True else "false"
            step = Origin(key_loc, f"condition {name} is {state}: {text}")
            result = _V(key_loc, value.value, (step, *value.chain))
        self._conditions[name] = result
        return result

    def condition_value(self, node: _T, depth: int) -> _V:
        """A condition's value: a boolean, a choice of both, or unknown."""
        if depth > MAX_EVAL_DEPTH or node.kind != "map" or len(node.entries) != 1:
            return self.unknown(node, "not a condition function")
        name, _, arg = node.entries[0]
        if name == "Condition":
            if arg.kind == "scalar" and isinstance(arg.value, str):
                return self.condition(arg.value, node, depth + 1)
            return self.unknown(node, "Condition takes a condition name")
        if name == "Fn::Equals":
            if arg.kind != "seq" or len(arg.items) != 2:
                return self.unknown(node, "Fn::Equals takes two values")
            sides = [self.eval(i, depth + 1) for i in arg.items]
            return self.combine(sides, node, lambda v: _V(node.loc, _plain(v[0]) == _plain(v[1])))
        if name in ("Fn::Not", "Fn::And", "Fn::Or"):
            if arg.kind != "seq" or not arg.items:
                return self.unknown(node, f"{name} takes a list of conditions")
            parts = [self.condition_value(i, depth + 1) for i in arg.items]
            return self.logic(name, parts, node)
        return self.unknown(node, f"{name} is not a condition function")

    def logic(self, name: str, parts: list[_V], node: _T) -> _V:
        if name == "Fn::Not":
            return self.combine(parts[:1], node, lambda v: _V(node.loc, v[0].value is not True))
        deciding = name == "Fn::Or"  # a true part decides an Or, a false one an And
        for part in parts:
            if part.options is None and part.unknown is None and part.value is deciding:
                return _V(node.loc, deciding, part.chain)

        def compute(values: list[_V]) -> _V:
            found = [v.value is True for v in values]
            return _V(node.loc, any(found) if deciding else all(found))

        return self.combine(parts, node, compute)


def _named(node: _T | None) -> dict[str, tuple[Location, _T]]:
    if node is None or node.kind != "map":
        return {}
    return {key: (where, value) for key, where, value in node.entries if value.kind == "map"}


def _truthy(node: _T | None) -> bool:
    return node is not None and _cfn_string(node.value) in ("true", "True")


# --- the intrinsic functions -----------------------------------------------------------------

_Handler = Callable[[_Evaluator, _T, _T, int], _V]


def _ref(ev: _Evaluator, arg: _T, node: _T, depth: int) -> _V:
    name = arg.value if arg.kind == "scalar" else None
    if not isinstance(name, str):
        return ev.unknown(node, "Ref takes a name")
    return _reference(ev, name, node)


def _reference(ev: _Evaluator, name: str, node: _T) -> _V:
    """What ``!Ref name`` (or ``${name}`` in Fn::Sub) stands for."""
    if name in ev.bindings:
        return ev.bindings[name]
    if name == "AWS::NoValue":
        return _V(node.loc, absent=True)
    if name in PSEUDO_PARAMETERS or name.startswith("AWS::"):
        return ev.unknown(node, "a pseudo parameter, known only when the stack is deployed")
    if name in ev.parameters:
        return ev.parameter(name, node)
    if name in ev.resources:
        return ev.unknown(node, f"the identifier of resource {name}, known only after deploy")
    return ev.unknown(node, f"{name} is neither a parameter nor a resource of this template")


_SUB_PART = re.compile(r"\$\{([^}]*)\}")


def _sub(ev: _Evaluator, arg: _T, node: _T, depth: int) -> _V:
    text_node, variables = arg, None
    if arg.kind == "seq" and len(arg.items) == 2:
        text_node, variables = arg.items[0], arg.items[1]
    if text_node.kind != "scalar" or not isinstance(text_node.value, str):
        return ev.unknown(node, "Fn::Sub takes a string, or a string and a map of variables")
    template = text_node.value
    if "{{resolve:" in template:
        return ev.unknown(node, "a dynamic reference, resolved only at deploy time")
    pieces: list[str | _V] = []
    position = 0
    for match in _SUB_PART.finditer(template):
        pieces.append(template[position : match.start()])
        position = match.end()
        name = match.group(1).strip()
        if name.startswith("!"):  # ${!Literal} writes "${Literal}"
            pieces.append("${" + name[1:] + "}")
            continue
        bound = variables.get(name) if variables is not None and variables.kind == "map" else None
        if bound is not None:
            pieces.append(ev.eval(bound, depth + 1))
        elif "." in name and not name.startswith("AWS::"):
            pieces.append(ev.unknown(node, f"${{{name}}} is a resource attribute"))
        else:
            pieces.append(_reference(ev, name, node))
    pieces.append(template[position:])
    values = [p for p in pieces if isinstance(p, _V)]

    def compute(chosen: list[_V]) -> _V | str:
        it = iter(chosen)
        out = []
        for piece in pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            text = _cfn_string(next(it).value)
            if text is None:
                return "Fn::Sub substitutes a value that is not a string"
            out.append(text)
        return _V(node.loc, "".join(out))

    return ev.combine(values, node, compute)


def _join(ev: _Evaluator, arg: _T, node: _T, depth: int) -> _V:
    if arg.kind != "seq" or len(arg.items) != 2:
        return ev.unknown(node, "Fn::Join takes a delimiter and a list")
    delimiter = ev.eval(arg.items[0], depth + 1)
    items = ev.eval(arg.items[1], depth + 1)

    def compute(chosen: list[_V]) -> _V | str:
        sep, listed = chosen
        if not isinstance(sep.value, str) or not isinstance(listed.value, tuple):
            return "Fn::Join takes a string delimiter and a list"
        return _join_items(ev, sep.value, listed, node)

    return ev.combine([delimiter, items], node, compute)


def _join_items(ev: _Evaluator, separator: str, listed: _V, node: _T) -> _V:
    assert isinstance(listed.value, tuple)

    def compute(chosen: list[_V]) -> _V | str:
        texts = [_cfn_string(c.value) for c in chosen if not c.absent]
        if any(t is None for t in texts):
            return "Fn::Join joins a value that is not a string"
        return _V(node.loc, separator.join(t for t in texts if t is not None))

    return ev.combine(list(listed.value), node, compute)


def _select(ev: _Evaluator, arg: _T, node: _T, depth: int) -> _V:
    if arg.kind != "seq" or len(arg.items) != 2:
        return ev.unknown(node, "Fn::Select takes an index and a list")
    index, listed = (ev.eval(i, depth + 1) for i in arg.items)

    def compute(chosen: list[_V]) -> _V | str:
        at, values = chosen
        text = _cfn_string(at.value)
        if text is None or not text.isdigit() or not isinstance(values.value, tuple):
            return "Fn::Select takes a number and a list"
        if int(text) >= len(values.value):
            return f"Fn::Select index {text} is past the end of the list"
        picked = values.value[int(text)]
        assert isinstance(picked, _V)
        return replace(picked, chain=_chains([picked, at, values]))

    return ev.combine([index, listed], node, compute)


def _split(ev: _Evaluator, arg: _T, node: _T, depth: int) -> _V:
    if arg.kind != "seq" or len(arg.items) != 2:
        return ev.unknown(node, "Fn::Split takes a delimiter and a string")
    delimiter, source = (ev.eval(i, depth + 1) for i in arg.items)

    def compute(chosen: list[_V]) -> _V | str:
        sep, text = chosen
        if not isinstance(sep.value, str) or not sep.value or not isinstance(text.value, str):
            return "Fn::Split takes a delimiter and a string"
        return _V(node.loc, tuple(_V(node.loc, part) for part in text.value.split(sep.value)))

    return ev.combine([delimiter, source], node, compute)


def _find_in_map(ev: _Evaluator, arg: _T, node: _T, depth: int) -> _V:
    if arg.kind != "seq" or len(arg.items) not in (3, 4):
        return ev.unknown(node, "Fn::FindInMap takes a map name and two keys")
    keys = [ev.eval(i, depth + 1) for i in arg.items[:3]]
    fallback = arg.items[3].get("DefaultValue") if len(arg.items) == 4 else None

    def compute(chosen: list[_V]) -> _V | str:
        names = [_cfn_string(c.value) for c in chosen]
        if any(n is None for n in names):
            return "Fn::FindInMap takes names"
        found: _T | None = ev.mappings
        for name in names:
            found = found.get(str(name)) if found is not None and found.kind == "map" else None
        if found is None:
            if fallback is not None:
                return ev.eval(fallback, depth + 1)
            return f"Mappings has no entry {'.'.join(str(n) for n in names)}"
        shown = ".".join(str(n) for n in names)
        return _literal(found, (Origin(found.loc, f"Mappings {shown} is {_render(found)}"),))

    return ev.combine(keys, node, compute)


def _literal(node: _T, chain: tuple[Origin, ...]) -> _V:
    """A value written in Mappings (no intrinsic functions there)."""
    if node.kind == "seq":
        return _V(node.loc, tuple(_literal(i, chain) for i in node.items), chain)
    if node.kind == "map":
        return _V(node.loc, {k: _literal(v, chain) for k, _, v in node.entries}, chain)
    return _V(node.loc, node.value, chain)


def _if(ev: _Evaluator, arg: _T, node: _T, depth: int) -> _V:
    if arg.kind != "seq" or len(arg.items) != 3 or arg.items[0].kind != "scalar":
        return ev.unknown(node, "Fn::If takes a condition name and two values")
    name = _cfn_string(arg.items[0].value) or ""
    decided = ev.condition(name, arg.items[0], depth)
    branches = arg.items[1:]
    if decided.options is None and decided.unknown is None:
        branch = branches[0] if decided.value is True else branches[1]
        value = _placed(ev.eval(branch, depth + 1), branch.loc)
        return replace(value, chain=(*decided.chain, *value.chain))
    # Either branch may be taken: the value is one of them.
    why = decided.why or (decided.unknown.reason if decided.unknown else "")
    options = []
    for branch in branches:
        value = _placed(ev.eval(branch, depth + 1), branch.loc)
        options.append(replace(value, chain=(*decided.chain, *value.chain)))
    return _V(node.loc, options=tuple(options), source=_render(node), why=why or name)


def _base64(ev: _Evaluator, arg: _T, node: _T, depth: int) -> _V:
    def compute(chosen: list[_V]) -> _V | str:
        text = _cfn_string(chosen[0].value)
        if text is None:
            return "Fn::Base64 takes a string"
        return _V(node.loc, base64.b64encode(text.encode()).decode())

    return ev.combine([ev.eval(arg, depth + 1)], node, compute)


def _get_att(ev: _Evaluator, arg: _T, node: _T, depth: int) -> _V:
    return ev.unknown(node, "an attribute of a deployed resource, known only after deploy")


_INTRINSICS: dict[str, _Handler] = {
    "Ref": _ref,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::FindInMap": _find_in_map,
    "Fn::If": _if,
    "Fn::Base64": _base64,
    "Fn::GetAtt": _get_att,
}


# --- workspaces ------------------------------------------------------------------------------


def _inside(location: Location, span: Span) -> bool:
    return location.path == span.path and span.start_line <= location.line <= span.end_line


def _anchor(value: _V, span: Span, fallback: Location) -> tuple[Location, tuple[Origin, ...]]:
    """Where a value is reported (inside the resource) and the chain that explains it."""
    if _inside(value.loc, span):
        return value.loc, value.chain
    where = value.at if value.at is not None and _inside(value.at, span) else fallback
    chain = value.chain
    if all(step.location != value.loc for step in chain):
        chain = (*chain, Origin(value.loc, "value written here"))
    return where, chain


def _member(value: _V, key: str) -> _V:
    """``value[key]`` over every option of a choice; absent when it is not there."""
    if value.unknown is not None:
        return value
    if value.options is not None:
        options = tuple(_member(o, key) for o in value.options)
        return replace(value, options=options)
    if isinstance(value.value, dict):
        found = value.value.get(key)
        if isinstance(found, _V):
            return replace(found, chain=(*value.chain, *found.chain))
    return _V(value.loc, absent=True)


def _expand(value: _V, budget: int = MAX_ALTERNATIVES) -> list[tuple[_V, tuple[_V, ...]]] | None:
    """Every choice-free alternative of a value, each with the choices taken to get it.

    None when there are more than ``budget`` alternatives.
    """
    if value.options is not None:
        found: list[tuple[_V, tuple[_V, ...]]] = []
        for option in value.options:
            expanded = _expand(option, budget)
            if expanded is None:
                return None
            found.extend((alt, (value, *taken)) for alt, taken in expanded)
            if len(found) > budget:
                return None
        return found
    parts: list[tuple[object, _V]]
    if isinstance(value.value, tuple):
        parts = list(enumerate(value.value))
    elif isinstance(value.value, dict):
        parts = list(value.value.items())
    else:
        return [(value, ())]
    combos: list[tuple[list[tuple[object, _V]], tuple[_V, ...]]] = [([], ())]
    for key, item in parts:
        expanded = _expand(item, budget)
        if expanded is None:
            return None
        combos = [([*c, (key, alt)], t + taken) for c, t in combos for alt, taken in expanded]
        if len(combos) > budget:
            return None
    result = []
    for combo, taken in combos:
        kept = [(k, v) for k, v in combo if not v.absent]
        new: object = (
            tuple(v for _, v in kept)
            if isinstance(value.value, tuple)
            else {str(k): v for k, v in kept}
        )
        result.append((replace(value, value=new), taken))
    return result


@dataclass
class _TagTable:
    """One alternative's tags: by key, and an unknown that may hide any tag."""

    values: dict[str, _V] = field(default_factory=dict)
    hidden: _V | None = None


def _tag_table(tags: _V, problems: list[tuple[str, Location]]) -> _TagTable:
    table = _TagTable()
    if tags.absent:
        return table
    if tags.unknown is not None:
        table.hidden = tags
        return table
    if not isinstance(tags.value, tuple):
        problems.append(("Tags must be a list of {Key, Value} mappings", tags.at or tags.loc))
        return table
    for item in tags.value:
        if item.unknown is not None:
            table.hidden = table.hidden or item
            continue
        if not isinstance(item.value, dict) or "Key" not in item.value:
            problems.append(("a tag must be a mapping with Key and Value", item.at or item.loc))
            continue
        key, value = item.value["Key"], item.value.get("Value")
        if key.unknown is not None:
            table.hidden = table.hidden or key
            continue
        name = _cfn_string(key.value)
        if name is None or value is None:
            problems.append(("a tag must be a mapping with Key and Value", item.at or item.loc))
            continue
        table.values.setdefault(name, value)
    return table


def _fact_value(key: str, value: _V) -> object:
    """A tag value as the fact reads it (for comparing alternatives and as a choice)."""
    text = _cfn_string(value.value) or ""
    if key in BOOL_FACTS:
        lowered = text.strip().lower()
        return lowered == "true" if lowered in ("true", "false") else text
    if key in LIST_FACTS:
        return tuple(item for _, _, item in split_list(text, AWS_SEPARATORS))
    return text


def _scalar_node(value: _V, span: Span, fallback: Location, attr: str) -> Node:
    where, chain = _anchor(value, span, fallback)
    if value.unknown is not None:
        return UnknownNode(where, attr, chain, value.unknown)
    text = _cfn_string(value.value)
    if text is None:
        return ScalarNode(where, attr, chain, None, "")
    return ScalarNode(where, attr, chain, text, text)


def _tag_facts(
    tags: _V,
    tag_keys: Mapping[str, str],
    span: Span,
    fallback: Location,
    problems: list[tuple[str, Location]],
) -> list[MapEntry]:
    """The workspace's facts from its tags, decided over every alternative the template allows."""
    expanded = _expand(tags)
    if expanded is None:
        reason = "the tags depend on too many combinations of parameters and conditions"
        expanded = [(replace(tags, options=None, unknown=Unknown("Tags", reason, fix=FIX)), ())]
    tables = [(_tag_table(alt, problems), taken) for alt, taken in expanded]
    entries: list[MapEntry] = []
    for key, tag in tag_keys.items():
        hidden = next((t.hidden for t, _ in tables if tag not in t.values and t.hidden), None)
        present = [(t.values[tag], taken) for t, taken in tables if tag in t.values]
        unknown = next((v for v, _ in present if v.unknown is not None), None)
        if unknown is not None or (hidden is not None):
            source = unknown if unknown is not None else hidden
            assert source is not None
            attr = f"tags.{tag}" if unknown is not None else "tags"
            node = _scalar_node(source, span, fallback, attr)
            entries.append(MapEntry(key, node.location, node))
            continue
        if not present:
            continue
        values = [_fact_value(key, v) for v, _ in present]
        if len(present) < len(tables):
            values.append(DEFAULTS[key])
        distinct = list(dict.fromkeys(repr(v) for v in values))
        first = present[0][0]
        if len(distinct) == 1:
            node = tag_fact(key, _scalar_node(first, span, fallback, f"tags.{tag}"), AWS_SEPARATORS)
            entries.append(MapEntry(key, node.location, node))
            continue
        choices = tuple(dict.fromkeys(values))
        chosen = [c for _, taken in present for c in taken]
        # Reported where the choosing expression is (the !If, the !Ref of the parameter).
        where, _ = _anchor(chosen[0] if chosen else first, span, fallback)
        chain = _chains([v for v, _ in present] + chosen)
        expression = next((c.source for c in chosen if c.source), f"Tags {tag}")
        whys = "; ".join(dict.fromkeys(c.why for c in chosen if c.why))
        shown = ", ".join(_show_choice(c) for c in choices)
        reason = f"{whys + '; ' if whys else ''}it is one of {shown}"
        unknown_value = Unknown(expression, reason, options=choices, fix=FIX)
        node = UnknownNode(where, f"tags.{tag}", chain, unknown_value)
        entries.append(MapEntry(key, where, node))
    return entries


def _show_choice(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _exists(resource: _T, ev: _Evaluator) -> Fact[bool] | bool:
    """A resource's Condition: True (always there), False (never), or an unknown fact."""
    entry = resource.entry("Condition")
    if entry is None:
        return True
    _, node = entry
    name = _cfn_string(node.value) if node.kind == "scalar" else None
    if name is None:
        return True
    value = ev.condition(name, node)
    if value.options is None and value.unknown is None:
        return value.value is True
    reason = value.why or (value.unknown.reason if value.unknown else "cannot be decided")
    unknown = Unknown(f"Condition: {name}", reason, fix=FIX)
    return Fact(unknown, node.loc, "Condition", chain=value.chain or _chains(_flat(value)))


def _workspace(
    logical_id: str,
    key_loc: Location,
    resource: _T,
    ev: _Evaluator,
    *,
    tag_keys: Mapping[str, str],
    findings: list[Finding],
) -> Declaration | None:
    path = ev.path
    span = Span(path, key_loc.line, max(resource.end_line, key_loc.line))
    exists = _exists(resource, ev)
    if exists is False:
        return None
    properties = resource.entry("Properties")
    props = ev.eval(properties[1]) if properties is not None else _V(key_loc, {})
    if properties is not None and properties[1].kind == "map":
        findings.extend(_unknown_properties(properties[1], logical_id))
    name = _member(props, "Name")
    name_node: Node = ScalarNode(key_loc, "name", (), logical_id, logical_id)
    known = name.options is None and name.unknown is None
    if known and isinstance(name.value, str) and name.value.strip():
        name_node = _scalar_node(name, span, key_loc, "name")
    tags_entry = properties[1].entry("Tags") if properties is not None else None
    tags_loc = tags_entry[0] if tags_entry is not None else key_loc
    problems: list[tuple[str, Location]] = []
    entries = [
        MapEntry("kind", key_loc, ScalarNode(key_loc, "", (), "Workspace", "Workspace")),
        MapEntry("name", name_node.location, name_node),
        *_tag_facts(_member(props, "Tags"), tag_keys, span, tags_loc, problems),
    ]
    for message, where in dict.fromkeys(problems):
        findings.append(schema_error(message, where, logical_id, "Tags"))
    return Declaration(
        MapNode(key_loc, entries=tuple(entries)),
        path,
        span,
        "cloudformation",
        address=logical_id,
        exists=exists if isinstance(exists, Fact) else None,
        platform=PLATFORM,
    )


def _unknown_properties(properties: _T, logical_id: str) -> Iterator[Finding]:
    if len(properties.entries) == 1 and _is_intrinsic(properties.entries[0][0]):
        return
    for key, where, _ in properties.entries:
        if key not in PROPERTIES:
            close = difflib.get_close_matches(key, PROPERTIES, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            yield schema_error(
                f"unknown property '{key}' of {MARKER} (it takes Name, DataResidency and "
                f"Tags){hint}",
                where,
                logical_id,
                key,
            )


def _declarations(
    doc: _T, path: str, tag_keys: Mapping[str, str], findings: list[Finding]
) -> list[Declaration]:
    resources = doc.get("Resources")
    assert resources is not None
    ev = _Evaluator(doc, path)
    found = []
    for logical_id, key_loc, resource, bindings in _resources(resources, ev, findings):
        kind = resource.get("Type") if resource.kind == "map" else None
        if kind is None or kind.kind != "scalar" or kind.value != MARKER:
            continue
        ev.bindings = bindings
        decl = _workspace(logical_id, key_loc, resource, ev, tag_keys=tag_keys, findings=findings)
        if decl is not None:
            found.append(decl)
    ev.bindings = {}
    return found


_Resource = tuple[str, Location, _T, dict[str, _V]]


def _names_the_type(node: _T) -> bool:
    todo = [node]
    while todo:
        item = todo.pop()
        if item.kind == "scalar" and item.value == MARKER:
            return True
        todo.extend(item.items)
        todo.extend(value for _, _, value in item.entries)
    return False


def _resources(resources: _T, ev: _Evaluator, findings: list[Finding]) -> Iterator[_Resource]:
    """Every resource, with the loops of ``Fn::ForEach`` (AWS::LanguageExtensions) expanded.

    A loop over a collection the template determines declares one resource per value (its
    logical id and ``${Identifier}`` / ``!Ref Identifier`` substituted); one whose collection
    cannot be known and that declares a workspace is reported, never skipped in silence.
    """
    for key, key_loc, node in resources.entries:
        if not key.startswith("Fn::ForEach::"):
            yield key, key_loc, node, {}
            continue
        loop = node.items if node.kind == "seq" and len(node.items) == 3 else ()
        identifier = loop[0].value if loop and loop[0].kind == "scalar" else None
        body = loop[2] if loop and loop[2].kind == "map" else None
        collection = ev.eval(loop[1]) if loop else None
        values = collection.value if collection is not None else None
        known = (
            isinstance(identifier, str)
            and body is not None
            and collection is not None
            and collection.options is None
            and isinstance(values, tuple)
            and all(isinstance(v.value, str) and v.options is None for v in values)
        )
        if not known:
            if _names_the_type(node):
                findings.append(
                    parse_error(
                        f"{key}: its collection cannot be resolved here, so the Claude Platform "
                        "on AWS workspaces it declares are not checked",
                        key_loc,
                    )
                )
            continue
        assert isinstance(identifier, str) and body is not None and isinstance(values, tuple)
        for value in values:
            text = str(value.value)
            step = Origin(key_loc, f"{key}: {identifier} is {text!r}")
            bound = {identifier: replace(value, chain=(step, *value.chain))}
            alnum = re.sub(r"[^A-Za-z0-9]", "", text)
            for template_key, template_loc, resource in body.entries:
                name = template_key.replace("${" + identifier + "}", text)
                name = name.replace("&{" + identifier + "}", alnum)
                yield name, template_loc, resource, bound


# --- entry points ----------------------------------------------------------------------------


def mentions_workspace(text: str) -> bool:
    """The cheap test: only a file that names the type can declare one."""
    return MARKER in text


def parse_cloudformation_yaml(text: str, path: str, tag_keys: Mapping[str, str]) -> ParsedFile:
    """The Claude Platform on AWS workspaces of a YAML template (nothing if it names none)."""
    if not mentions_workspace(text):
        return ParsedFile(path, text)
    too_deep = _flow_too_deep(text, path)
    if too_deep is not None:
        return ParsedFile(path, text, findings=(parse_error(_flow_nesting_message(), too_deep),))
    converter = _YamlConverter(path, text)
    declarations: list[Declaration] = []
    findings: list[Finding] = []
    try:
        for doc in YAML(typ="safe", pure=True).compose_all(io.StringIO(text)):
            if doc is None:
                continue
            tree = converter.convert(doc)
            if _is_template(tree):
                declarations += _declarations(tree, path, tag_keys, findings)
    except TooLargeError as exc:
        findings.append(parse_error(exc.message, exc.location))
    except YAMLError as exc:
        findings.append(parse_error(_error_message(exc), _error_location(exc, path)))
    except RecursionError:
        findings.append(parse_error("YAML nests too deeply to parse", Location(path)))
    if not declarations:  # not a template of ours: its other problems are not ours to report
        findings = [f for f in findings if f.rule == "BAA900"]
        converter.findings = []
    return ParsedFile(
        path,
        text,
        declarations=tuple(declarations),
        findings=tuple(converter.findings + findings),
        blocks=tuple(converter.blocks),
        comment_style="yaml",
    )


def parse_cloudformation_json(text: str, path: str, tag_keys: Mapping[str, str]) -> ParsedFile:
    """The workspaces of a JSON template (CDK's ``cdk.out/*.template.json``).

    JSON has no comments, so the file's text is not kept: nothing in it can be a suppression.
    """
    if not mentions_workspace(text):
        return ParsedFile(path, "")
    try:
        root = parse_json_document(text, path)
    except JsonSyntaxError as exc:
        return ParsedFile(path, "", findings=(parse_error(exc.message, exc.location),))
    tree = _from_json(root)
    if not _is_template(tree):
        return ParsedFile(path, "")
    findings: list[Finding] = []
    declarations = _declarations(tree, path, tag_keys, findings)
    return ParsedFile(path, "", tuple(declarations), tuple(findings))
