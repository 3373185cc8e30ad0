"""Validate declarations against schemas/declaration.schema.json, one clear finding per problem.

Each jsonschema error is mapped back to the node it is about (file:line:col of the offending key
or value), with a did-you-mean for unknown keys and enum values and a hint for YAML 1.2 traps.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linter.core.findings import Finding, Fix, TextEdit, schema_error
from linter.core.locations import Location
from linter.core.model import SENSITIVE
from linter.core.shipped import load_schema
from linter.core.tree import (
    Declaration,
    MapEntry,
    MapNode,
    Node,
    ScalarNode,
    to_plain,
    walk_path,
)
from linter.core.version import __version__

# YAML 1.1 spellings of booleans that YAML 1.2 (and so baa-lint) reads as strings.
_YAML11_BOOLS = {
    "yes": "true",
    "no": "false",
    "on": "true",
    "off": "false",
    "y": "true",
    "n": "false",
}
# The spellings YAML 1.1 read as booleans (lower case, capitalised, upper case): only these
# mean true or false beyond doubt, so only these get a fix.
_YAML11_SPELLINGS = {
    spelling: word for word in _YAML11_BOOLS for spelling in (word, word.capitalize(), word.upper())
}
# The keys whose values decide BAA coverage. A fix that makes one of them take effect (a
# misspelt key renamed, a YAML 1.1 boolean rewritten) changes a compliance fact that baa-lint
# could not read before: it is unsafe, applied only with --unsafe-fixes. Renaming any other
# key (name, kind, organization, provider_alias) sets no compliance fact.
POLICY_KEYS = frozenset(
    {
        "type",
        "platform",
        "baa_signed",
        "hipaa_ready",
        "zero_data_retention",
        "limited_access_programs",
        "workspaces",
        "products",
        "product",
        "phi",
        "models",
        "model",
        "data_retention",
    }
)
_TYPE_NAMES = {
    "boolean": "a boolean (true or false)",
    "string": "a string",
    "array": "a list",
    "object": "a mapping",
    "integer": "an integer",
    "number": "a number",
}


if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError


@functools.cache
def _validator(schema_name: str, pointer: str) -> Draft202012Validator:
    # Imported here: jsonschema takes a noticeable share of start-up, and a run whose
    # declarations are all known to be valid (see KnownValid) never needs it.
    from jsonschema import Draft202012Validator

    schema = load_schema(schema_name)
    if pointer:
        schema = {"$ref": f"#/$defs/{pointer}", "$defs": schema["$defs"]}
    return Draft202012Validator(_inlined(schema, schema.get("$defs", {}), ()))


# Keywords of an object schema that constrain each property on its own. An object is valid
# against a schema made of only these exactly when the object without some of its properties
# is valid against the schema with those properties no longer required, and each of them is
# valid against its own property schema (see _valid_by_parts).
_PER_PROPERTY = frozenset(
    {"type", "properties", "required", "additionalProperties", "description", "title"}
)
# Verdicts on the non-string part of a declaration: a for_each of 10,000 workspaces has a few
# distinct ones, and their string values (names) alone differ.
_REST_VERDICTS: dict[tuple[str, str, tuple[str, ...], str], bool] = {}
_MAX_REST_VERDICTS = 50_000


@functools.cache
def _splittable(schema_name: str, pointer: str) -> dict[str, Any] | None:
    definition = load_schema(schema_name).get("$defs", {}).get(pointer) if pointer else None
    if not isinstance(definition, dict) or definition.get("type") != "object":
        return None
    if not set(definition) <= _PER_PROPERTY | {"allOf"}:
        return None
    if definition.get("additionalProperties", True) not in (True, False):
        return None
    if _conditioned(definition) is None:
        return None
    return definition


_CONDITIONS = frozenset({"if", "then", "else"})


@functools.cache
def _conditioned_in(schema_name: str, pointer: str) -> frozenset[str]:
    definition = _splittable(schema_name, pointer)
    return (_conditioned(definition) if definition else None) or frozenset()


def _conditioned(definition: dict[str, Any]) -> frozenset[str] | None:
    """The properties that an ``allOf`` of if/then/else conditions names (an Enterprise
    organization lists no workspaces): they are validated with the rest, never alone, so the
    conditions see them. None: an ``allOf`` of anything else (not split at all)."""
    names: set[str] = set()
    for item in definition.get("allOf", []):
        if not isinstance(item, dict) or not set(item) <= _CONDITIONS:
            return None
        for part in item.values():
            if not isinstance(part, dict) or not set(part) <= {"properties", "required"}:
                return None
            names.update(part.get("properties", {}))
            names.update(part.get("required", []))
    return frozenset(names)


@functools.cache
def _property_validator(schema_name: str, pointer: str, key: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    defs = load_schema(schema_name).get("$defs", {})
    definition = _splittable(schema_name, pointer)
    assert definition is not None
    return Draft202012Validator(_inlined(definition["properties"][key], defs, ()))


@functools.cache
def _rest_validator(
    schema_name: str, pointer: str, without: tuple[str, ...]
) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    defs = load_schema(schema_name).get("$defs", {})
    definition = _splittable(schema_name, pointer)
    assert definition is not None
    required = [key for key in definition.get("required", []) if key not in without]
    return Draft202012Validator(_inlined({**definition, "required": required}, defs, ()))


def _valid_by_parts(
    instance: Any, schema_name: str, pointer: str, known: KnownValid | None = None
) -> bool:
    """True when ``instance`` is valid, told from its string properties, each checked alone,
    and a verdict on the rest (remembered in this process, and in ``known`` across runs);
    False when it cannot be told this way (the full validation then decides, with its
    messages)."""
    definition = _splittable(schema_name, pointer)
    if definition is None or not isinstance(instance, dict):
        return False
    conditioned = _conditioned_in(schema_name, pointer)
    strings = tuple(
        sorted(
            key
            for key, value in instance.items()
            if isinstance(value, str) and key not in conditioned
        )
    )
    if not strings:
        return False
    properties = definition.get("properties", {})
    for key in strings:
        if key not in properties:
            return False
        if not _string_check(schema_name, pointer, key)(instance[key]):
            return False
    rest = {key: value for key, value in instance.items() if key not in strings}
    memo = (schema_name, pointer, strings, json.dumps(rest, sort_keys=True, default=repr))
    verdict = _REST_VERDICTS.get(memo)
    if verdict is None:
        verdict = _rest_verdict(memo, rest, known)
        if len(_REST_VERDICTS) >= _MAX_REST_VERDICTS:
            _REST_VERDICTS.clear()
        _REST_VERDICTS[memo] = verdict
    return verdict


def _rest_verdict(
    memo: tuple[str, str, tuple[str, ...], str], rest: dict[str, Any], known: KnownValid | None
) -> bool:
    """Whether the non-string part of a declaration is valid: known to be (a digest in
    ``known``), else checked, and remembered in ``known`` when it is. A warm run then needs no
    jsonschema at all (importing it alone takes a tenth of a second)."""
    schema_name, pointer, strings, text = memo
    digest = _digest(["rest", list(strings), text], schema_name, pointer) if known else ""
    if known is not None and digest in known.digests:
        return True
    verdict = _rest_validator(schema_name, pointer, strings).is_valid(rest)
    if verdict and known is not None:
        known.digests.add(digest)
        known.added = True
    return verdict


# Keywords that only annotate: they constrain nothing.
_ANNOTATIONS = frozenset({"description", "title", "default", "examples", "$comment"})


@functools.cache
def _string_check(schema_name: str, pointer: str, key: str) -> Callable[[str], bool]:
    """Whether a string is valid against a property's schema. A schema of only the keywords
    that constrain strings (type string, minLength, maxLength, pattern, enum, const, allOf of
    such schemas: every string property of the shipped schema) is checked here, as jsonschema
    checks it (tests/test_schema_parts.py compares the two); any other goes to jsonschema."""
    defs = load_schema(schema_name).get("$defs", {})
    definition = _splittable(schema_name, pointer)
    assert definition is not None
    simple = _string_predicate(_inlined(definition["properties"][key], defs, ()))
    if simple is not None:
        return simple
    return _property_validator(schema_name, pointer, key).is_valid


def _string_predicate(schema: Any) -> Callable[[str], bool] | None:
    """The schema's verdict on strings as a predicate, or None when it uses other keywords."""
    checks = _string_checks(schema)
    if checks is None:
        return None
    if not checks:
        return lambda text: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:  # a name: minLength and pattern (the common case, called per object)
        first, second = checks
        return lambda text: first(text) and second(text)
    return lambda text: all(check(text) for check in checks)


def _string_checks(schema: Any) -> list[Callable[[str], bool]] | None:
    """What a string must pass, keyword by keyword (allOf flattened; ``type: string`` holds of
    every string), or None for a schema with a keyword not handled here."""
    if not isinstance(schema, dict):
        return None
    checks: list[Callable[[str], bool]] = []
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS or (keyword == "type" and value == "string"):
            continue
        if keyword == "allOf" and isinstance(value, list):
            for part in value:
                more = _string_checks(part)
                if more is None:
                    return None
                checks += more
            continue
        check = _string_keyword(keyword, value)
        if check is None:
            return None
        checks.append(check)
    return checks


def _string_keyword(keyword: str, value: Any) -> Callable[[str], bool] | None:
    """One keyword's verdict on strings (jsonschema's: re.search for a pattern, len in code
    points for lengths, == for enum and const members), or None for one not handled here."""
    if keyword in ("minLength", "maxLength") and type(value) is int:
        if keyword == "minLength":
            return lambda text: len(text) >= value
        return lambda text: len(text) <= value
    if keyword == "pattern" and isinstance(value, str):
        pattern = re.compile(value)
        return lambda text: pattern.search(text) is not None
    if keyword == "enum" and isinstance(value, list):
        members = frozenset(item for item in value if isinstance(item, str))
        return members.__contains__
    if keyword == "const":
        if not isinstance(value, str):
            return lambda text: False  # a string equals no other JSON value
        return value.__eq__
    return None


_LOCAL_REF = "#/$defs/"


def _inlined(node: Any, defs: dict[str, Any], inside: tuple[str, ...]) -> Any:
    """The schema with every local ``$ref`` replaced by what it names, as ``allOf``.

    Same meaning, same errors (an error's ``schema`` is the named definition either way), but
    no reference lookup per validation: resolving them took half of the validation time of
    10,000 workspaces. A definition that refers to itself keeps its ``$ref`` (never inlined
    forever)."""
    if isinstance(node, list):
        return [_inlined(item, defs, inside) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    name = ref[len(_LOCAL_REF) :] if isinstance(ref, str) and ref.startswith(_LOCAL_REF) else None
    if name is None or name not in defs or name in inside:
        return {key: _inlined(value, defs, inside) for key, value in node.items()}
    target = _inlined(defs[name], defs, (*inside, name))
    rest = {k: _inlined(v, defs, inside) for k, v in node.items() if k != "$ref"}
    return {**rest, "allOf": [*rest.get("allOf", []), target]}


@dataclass
class KnownValid:
    """Digests of declaration contents already found valid (kept in the cache).

    A digest covers the content, the schema's own text, the definition and the baa-lint
    version, so any change to either side validates again.
    """

    digests: set[str] = field(default_factory=set)
    added: bool = False


@functools.cache
def _schema_digest(schema_name: str) -> str:
    text = json.dumps(load_schema(schema_name), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _digest(instance: Any, schema_name: str, definition: str) -> str:
    key = [__version__, _schema_digest(schema_name), definition, instance]
    text = json.dumps(key, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def format_path(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"string '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} {value!r}"


def _node_at(root: MapNode, path: list[str | int]) -> tuple[Node, Location]:
    found: tuple[Node, Location] = (root, root.location)
    for step in walk_path(root, path):
        found = step
    return found


def _type_hint(expected: str, node: Node, value: object) -> str:
    if expected == "boolean" and isinstance(node, ScalarNode) and isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _YAML11_BOOLS and node.text == value:
            return (
                f" (YAML 1.2 reads '{value}' as a string, not a boolean: "
                f"write {_YAML11_BOOLS[lowered]})"
            )
        if lowered in ("true", "false"):
            return f" (remove the quotes: {lowered})"
    if expected == "array" and isinstance(value, str):
        return f" (write a list: [{value}])"
    return ""


@dataclass(frozen=True)
class Fixable:
    """Which schema errors of a declaration can carry a fix, by where it was written: a fix
    is a text edit at the reported position, so that position must be where the text is."""

    keys: bool = False  # a misspelt key, renamed to its one close match
    nested_keys: bool = False  # ... below the declaration's top level too
    booleans: bool = False  # a YAML 1.1 boolean, rewritten as true or false

    @classmethod
    def of(cls, decl: Declaration) -> Fixable:
        if decl.source == "yaml":
            return cls(keys=True, nested_keys=True, booleans=True)
        if decl.source == "terraform" and not decl.path.lower().endswith(".json"):
            # A block's attribute names are located exactly; an object's keys are located at
            # the object, so only the top level is fixable.
            return cls(keys=True)
        return cls()


NOT_FIXABLE = Fixable()
Problem = tuple[str, Location, str, Fix | None]  # message, location, attribute path, fix


def _key_fix(
    entry: MapEntry, node: MapNode, allowed: list[str], top_level: bool, fixable: Fixable
) -> Fix | None:
    """Rename a misspelt key to its one close match (never when that key is already set)."""
    if not fixable.keys or (not top_level and not fixable.nested_keys) or entry.value.chain:
        return None  # (a value with a chain came from elsewhere: a merge key, a variable)
    matches = difflib.get_close_matches(entry.key, allowed, n=2, cutoff=0.6)
    if len(matches) != 1 or node.entry(matches[0]) is not None:
        return None
    target, where = matches[0], entry.key_location
    end = where.column + len(entry.key)
    edit = TextEdit(where.path, where.line, where.column, where.line, end, target, entry.key)
    safe = target not in POLICY_KEYS and entry.key not in POLICY_KEYS
    return Fix(f"rename '{entry.key}' to '{target}'", (edit,), safe=safe)


def _boolean_fix(node: Node, value: object, key: str, fixable: Fixable) -> Fix | None:
    """``yes``/``no``/``on``/``off``/``y``/``n`` written plain where a boolean is wanted."""
    if not fixable.booleans or not isinstance(node, ScalarNode) or node.chain:
        return None
    if not isinstance(value, str) or node.text != value or value not in _YAML11_SPELLINGS:
        return None  # quoted: a string in YAML 1.1 as well
    written = _YAML11_BOOLS[_YAML11_SPELLINGS[value]]
    where = node.location
    end = where.column + len(value)
    edit = TextEdit(where.path, where.line, where.column, where.line, end, written, value)
    return Fix(f"write {written} for '{value}'", (edit,), safe=key not in POLICY_KEYS)


def _messages(
    error: ValidationError, root: MapNode, fixable: Fixable = NOT_FIXABLE
) -> list[Problem]:
    """(message, location, attribute path, fix) for one jsonschema error.

    A sensitive value is described as SENSITIVE, without a hint or did-you-mean that would
    tell what it looks like, and never gets a fix."""
    expected: Any = error.validator_value
    path = list(error.absolute_path)
    node, key_location = _node_at(root, path)
    if node.sensitive:
        return [(*p, None) for p in _sensitive_messages(error, node, format_path(path))]
    where = format_path(path)
    subject = f"'{where}'" if where else "the declaration"
    schema = error.schema if isinstance(error.schema, dict) else {}

    if error.validator == "additionalProperties" and isinstance(node, MapNode):
        allowed = list(schema.get("properties", {}))
        found: list[Problem] = []
        for entry in node.entries:
            if entry.key not in allowed:
                key_path = format_path([*path, entry.key])
                message = f"unknown key '{entry.key}'" + _did_you_mean(entry.key, allowed)
                fix = _key_fix(entry, node, allowed, not path, fixable)
                found.append((message, entry.key_location, key_path, fix))
        return found
    if error.validator == "required":
        present: Any = error.instance if isinstance(error.instance, dict) else {}
        missing = [k for k in expected if k not in present]
        # A misspelt key ('organisation') is reported as unknown, with this one as its
        # did-you-mean: saying the right spelling is missing as well would say it twice.
        closed = schema.get("additionalProperties") is False
        misspelt = [k for k in present if closed and k not in schema.get("properties", {})]
        missing = [k for k in missing if not difflib.get_close_matches(k, misspelt, n=1)]
        if not missing:
            return []
        keys = ", ".join(f"'{k}'" for k in missing)
        noun = "key" if len(missing) == 1 else "keys"
        return [(f"{subject} is missing required {noun} {keys}", node.location, where, None)]
    if error.validator in ("enum", "const"):
        choices = expected if error.validator == "enum" else [expected]
        shown = ", ".join(str(c) for c in choices)
        value = error.instance
        hint = _did_you_mean(value, [str(c) for c in choices]) if isinstance(value, str) else ""
        message = f"invalid value {_describe(value)} for {subject}: expected one of {shown}{hint}"
        return [(message, node.location, where, None)]
    if error.validator == "type":
        wanted = _TYPE_NAMES.get(expected, str(expected))
        hint = _type_hint(expected, node, error.instance)
        message = f"{subject} must be {wanted}, not {_describe(error.instance)}{hint}"
        key = next((p for p in reversed(path) if isinstance(p, str)), "")
        fix = _boolean_fix(node, error.instance, key, fixable) if expected == "boolean" else None
        return [(message, node.location, where, fix)]
    if error.validator == "not" and "x-message" in schema:
        return [(f"{subject}: {schema['x-message']}", key_location, where, None)]
    if error.validator in ("pattern", "minLength"):
        message = f"invalid value {_describe(error.instance)} for {subject}"
        if where.endswith("name") or where == "organization":
            message += _NAME_RULE
        else:
            message += _TOKEN_RULE
        return [(message, node.location, where, None)]
    return [(f"{subject}: {error.message}", node.location, where, None)]


_NAME_RULE = ": a name must be non-empty, without '/' or leading whitespace"
_TOKEN_RULE = ": it must be non-empty and contain no whitespace"


def _sensitive_messages(
    error: ValidationError, node: Node, where: str
) -> list[tuple[str, Location, str]]:
    subject = f"'{where}'" if where else "the declaration"
    expected: Any = error.validator_value
    if error.validator in ("enum", "const"):
        choices = expected if error.validator == "enum" else [expected]
        shown = ", ".join(str(c) for c in choices)
        message = f"invalid value {SENSITIVE} for {subject}: expected one of {shown}"
    elif error.validator == "type":
        message = f"{subject} must be {_TYPE_NAMES.get(expected, str(expected))}, not {SENSITIVE}"
    else:
        message = f"invalid value {SENSITIVE} for {subject}"
        if error.validator in ("pattern", "minLength"):
            named = where.endswith("name") or where == "organization"
            message += _NAME_RULE if named else _TOKEN_RULE
    return [(message, node.location, where)]


def problems(
    root: MapNode, schema_name: str, definition: str = "", known: KnownValid | None = None
) -> list[tuple[str, Location, str]]:
    """(message, location, attribute path) for every way ``root`` breaks a shipped schema."""
    return [p[:3] for p in _problems(root, schema_name, definition, known)]


def _problems(
    root: MapNode,
    schema_name: str,
    definition: str = "",
    known: KnownValid | None = None,
    fixable: Fixable = NOT_FIXABLE,
) -> list[Problem]:
    instance: Any = to_plain(root)
    # Valid by parts costs less than the digest that KnownValid would look up: such a
    # declaration is never digested nor remembered.
    if _valid_by_parts(instance, schema_name, definition, known):
        return []
    digest = _digest(instance, schema_name, definition) if known is not None else ""
    if known is not None and digest in known.digests:
        return []
    found: dict[tuple[Location, str], Problem] = {}
    for error in _validator(schema_name, definition).iter_errors(instance):
        for problem in _messages(error, root, fixable):
            found.setdefault((problem[1], problem[0]), problem)
    if known is not None and not found:
        known.digests.add(digest)
        known.added = True
    return sorted(found.values(), key=lambda p: (p[1], p[0]))


def validate(
    decl: Declaration, definition: str = "", known: KnownValid | None = None
) -> list[Finding]:
    """Schema findings for one declaration; ``definition`` picks a $defs entry (Terraform)."""
    found = _problems(decl.root, "declaration.schema.json", definition, known, Fixable.of(decl))
    return [schema_error(message, where, "", attr, fix) for message, where, attr, fix in found]
