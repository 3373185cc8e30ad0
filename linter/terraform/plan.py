"""Terraform plan JSON (`terraform show -json plan.out`): fully resolved resource instances.

A `.json` file is read as a plan only when it has `format_version` and `planned_values`; other
JSON is ignored. Resources come from `planned_values` (root and child modules); values that are
known only after apply (`resource_changes[].change.after_unknown`) are unknown. Findings name the
plan file, at the line of the resource's address, and the resource address itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.core.findings import parse_error
from linter.core.locations import Location, Span
from linter.core.model import Origin, Unknown
from linter.core.parsed import ParsedFile
from linter.terraform.emit import declarations
from linter.terraform.eval.operations import taint
from linter.terraform.eval.values import ResourceInstance, Val
from linter.terraform.options import TerraformOptions
from linter.terraform.recognised import DATA_TYPES, MANAGED_TYPES

if TYPE_CHECKING:
    from linter.terraform.syntax.tfjson import JsonValue

RECOGNISED = {("managed", t) for t in MANAGED_TYPES} | {("data", t) for t in DATA_TYPES}
# What a provider's data "anthropic_organization" reads (the community provider's shape): not
# facts. A data source configured with no argument is a reference to the org behind its provider.
ORG_READ_ONLY = frozenset({"id", "name", "type"})


# Levels of arrays and objects in a resource's values (and in a plan that the JSON decoder
# cannot read for its depth). Terraform's own values stay far below; the limit keeps every walk
# over them (here and in the stages after) far from Python's recursion limit.
MAX_PLAN_DEPTH = 100


class _TooDeepError(Exception):
    def __init__(self, location: Location) -> None:
        super().__init__(location)
        self.location = location


def _too_deep(location: Location) -> ParsedFile:
    message = f"plan JSON nests too deeply (more than {MAX_PLAN_DEPTH} levels)"
    return ParsedFile(location.path, "", findings=(parse_error(message, location),))


_STRUCTURE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _too_deep_in_text(text: str, path: str) -> ParsedFile:
    """A plan the JSON decoder cannot read for its depth: BAA900 where it passes the limit."""
    depth = 0
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_PLAN_DEPTH:
                found = _line_of(text, token, match.start())
                if found is not None:
                    return _too_deep(Location(path, found.line, found.column))
        elif token in "]}":
            depth -= 1
    return _too_deep(Location(path))


def _looks_like_plan(text: str) -> bool:
    return '"planned_values"' in text and '"format_version"' in text


def _line_of(text: str, needle: str, start: int = 0) -> Location | None:
    index = text.find(needle, start)
    if index < 0:
        return None
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Location("", line, column)


def _val(
    value: Any,
    unknown: Any,
    at: JsonValue | None,
    loc: Location,
    expression: str,
    *,
    sensitive: Any = None,
    depth: int = 1,
) -> Val:
    """A planned value with the position it has in the plan file (``at``), when known.

    ``unknown`` and ``sensitive`` are the plan's marks for it (after_unknown,
    sensitive_values): ``true``, or the same shape as the value. A value the plan marks
    sensitive (a sensitive variable's, a sensitive output's) prints as SENSITIVE."""
    here = at.loc if at is not None else loc
    if depth > MAX_PLAN_DEPTH and isinstance(value, (dict, list)):
        raise _TooDeepError(here)
    if sensitive is True:
        return _sensitive(_val(value, unknown, at, loc, expression, depth=depth), here)
    # (False, None or a shape: nothing here is sensitive, or only what the shape marks.)
    if unknown is True:
        return Val(Unknown(expression, "known only after apply"), here)
    if isinstance(value, dict):
        fields: dict[str, Any] = unknown if isinstance(unknown, dict) else {}
        secrets: dict[str, Any] = sensitive if isinstance(sensitive, dict) else {}
        members = {k: v for k, _, v in at.members} if at is not None and at.kind == "object" else {}
        known = {
            k: _val(
                v,
                fields.get(k),
                members.get(k),
                here,
                f"{expression}.{k}",
                sensitive=secrets.get(k),
                depth=depth + 1,
            )
            for k, v in value.items()
        }
        # An attribute known only after apply may be left out of the planned value entirely.
        for k, flag in fields.items():
            if flag is True and k not in known:
                known[k] = Val(Unknown(f"{expression}.{k}", "known only after apply"), here)
        return Val(known, here)
    if isinstance(value, list):
        marks: list[Any] = unknown if isinstance(unknown, list) else []
        hidden: list[Any] = sensitive if isinstance(sensitive, list) else []
        elements = at.items if at is not None and at.kind == "array" else []
        items = tuple(
            _val(
                v,
                marks[i] if i < len(marks) else None,
                elements[i] if i < len(elements) else None,
                here,
                f"{expression}[{i}]",
                sensitive=hidden[i] if i < len(hidden) else None,
                depth=depth + 1,
            )
            for i, v in enumerate(value)
        )
        return Val(items, here)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return Val(value, here)
    return Val(str(value), here)


_PLAN_SENSITIVE = "marked sensitive in the plan"


def _sensitive(val: Val, loc: Location) -> Val:
    return taint(val, (Origin(loc, _PLAN_SENSITIVE, redacted=_PLAN_SENSITIVE),))


_DECODER = json.JSONDecoder()


def _values_positions(text: str, path: str, after: int) -> JsonValue | None:
    """The positioned ``values`` object of the resource whose address is at ``after``.

    Parsing a whole plan with positions is slow (plans reach many megabytes), so only this
    object is: found right after the address (Terraform writes the address first), cut out
    with the C decoder, and parsed with positions behind padding that keeps them absolute.
    """
    start = text.find('"values"', after)
    following = text.find('"address"', after + 1)
    if start < 0 or (0 <= following < start):
        return None
    brace = text.find("{", start)
    if brace < 0:
        return None
    try:
        _, end = _DECODER.raw_decode(text, brace)
    except json.JSONDecodeError:
        return None
    line_start = text.rfind("\n", 0, brace) + 1
    padding = "\n" * text.count("\n", 0, brace) + " " * (brace - line_start)
    # Imported here: the JSON front end brings in the HCL parser (tree-sitter), which only a run
    # that actually reads a plan needs.
    from linter.terraform.syntax.hcl import HclSyntaxError
    from linter.terraform.syntax.tfjson import parse_json_document

    try:
        return parse_json_document(padding + text[brace:end], path)
    except HclSyntaxError:
        return None


def _modules(root: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A module and its child modules, parents first (a stack, however deep they nest)."""
    stack = [root]
    while stack:
        module = stack.pop()
        yield module
        children = module.get("child_modules")
        if isinstance(children, list):
            stack.extend(c for c in reversed(children) if isinstance(c, dict))


# One module step of an address: module.<name> with an optional [key] ("a.b" keys allowed).
_MODULE_STEP = re.compile(r'module\.([A-Za-z_][\w-]*)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.')


def _module_steps(address: str) -> list[tuple[str, str]]:
    """(call name, step text) for each module step at the start of an address."""
    steps = []
    position = 0
    while match := _MODULE_STEP.match(address, position):
        steps.append((match.group(1), match.group(0)[:-1]))
        position = match.end()
    return steps


def _config_module(configuration: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The configuration block of a module instance (prefix "module.a[0].module.b"; "" = root)."""
    module = configuration.get("root_module", {}) or {}
    for name, _ in _module_steps(prefix + "."):
        module = (module.get("module_calls", {}) or {}).get(name, {}).get("module", {}) or {}
    return module


def _resource_config(
    configuration: dict[str, Any], address: str, mode: str, type_: str, name: str
) -> dict[str, Any]:
    module = _config_module(configuration, _module_prefix(address))
    local = f"{'data.' if mode == 'data' else ''}{type_}.{name}"
    for resource in module.get("resources", []) or []:
        if isinstance(resource, dict) and resource.get("address") == local:
            return resource
    return {}


def _provider_alias(resource_config: dict[str, Any]) -> str | None:
    key = str(resource_config.get("provider_config_key", ""))
    key = key.rsplit(":", 1)[-1]
    if key.startswith("anthropic."):
        return key.split(".", 1)[1]
    return None


def _module_prefix(address: str) -> str:
    return ".".join(step for _, step in _module_steps(address))


def _org_reference(references: list[Any], prefix: str) -> str | None:
    for reference in references:
        text = str(reference)
        if text.startswith(("anthropic_organization.", "data.anthropic_organization.")):
            parts = text.split(".")
            base = ".".join(parts[:3] if parts[0] == "data" else parts[:2])
            return f"{prefix}.{base}" if prefix else base
    return None


def _parent(prefix: str) -> tuple[str, str]:
    """The parent module prefix and the call name of a module instance prefix."""
    steps = _module_steps(prefix + ".")
    return ".".join(step for _, step in steps[:-1]), steps[-1][0]


def _references(
    configuration: dict[str, Any], resource_config: dict[str, Any], attribute: str, address: str
) -> str | None:
    """The organization a workspace's organization/organization_id expression refers to.

    A reference to an input variable is followed up through the module calls that set it.
    """
    prefix = _module_prefix(address)
    expressions = resource_config.get("expressions", {}) or {}
    references = (expressions.get(attribute, {}) or {}).get("references", []) or []
    for _ in range(32):  # module nesting is shallow; the bound only guards malformed plans
        found = _org_reference(references, prefix)
        if found is not None or not prefix:
            return found
        variable = next((str(r)[4:] for r in references if str(r).startswith("var.")), None)
        if variable is None:
            return None
        parent, call = _parent(prefix)
        module = _config_module(configuration, parent)
        call_config = (module.get("module_calls", {}) or {}).get(call, {}) or {}
        expression = (call_config.get("expressions", {}) or {}).get(variable, {}) or {}
        references = expression.get("references", []) or []
        prefix = parent
    return None


def _written(resource_config: dict[str, Any]) -> set[str] | None:
    """The attributes the configuration writes for a resource (None: not in the plan)."""
    if not resource_config:
        return None
    expressions = resource_config.get("expressions", {}) or {}
    return set(expressions) if isinstance(expressions, dict) else set()


def _org_reference_shape(mode: str, type_: str, config: dict[str, Any], values: Any) -> bool:
    """A data "anthropic_organization" written without arguments: its values are what the
    provider read (id, name, type = "organization"), never facts."""
    if mode != "data" or type_ != "anthropic_organization":
        return False
    written = _written(config)
    if written is not None:
        return not written
    if not isinstance(values, dict) or not set(values) <= ORG_READ_ONLY:
        return False
    return values.get("type") in (None, "organization")


def _computed_tags(tags: Val | None, resource_config: dict[str, Any]) -> bool:
    """An unknown that the configuration never wrote: a provider-computed value, not a fact.

    A new workspace without ``tags`` has ``after_unknown.tags = true`` (the provider computes
    them); that is no tag at all, unlike ``tags = var.tags`` with an unknown value.
    """
    if tags is None or not isinstance(tags.v, Unknown) or not resource_config:
        return False
    return "tags" not in (resource_config.get("expressions", {}) or {})


def plan_instances(data: dict[str, Any], text: str, path: str) -> list[ResourceInstance]:
    changes = {
        c.get("address"): (c.get("change", {}) or {}).get("after_unknown", {}) or {}
        for c in data.get("resource_changes", []) or []
        if isinstance(c, dict)
    }
    configuration = data.get("configuration", {}) or {}
    planned_at = max(text.find('"planned_values"'), 0)
    plan = _Plan(text, path, changes, configuration)
    planned = _instances(
        plan, _modules(data.get("planned_values", {}).get("root_module", {}) or {}), planned_at
    )
    # A data source Terraform could read while planning is in the prior state, not in the
    # planned values: still there, so that references to it resolve.
    seen = {instance.address for instance in planned}
    prior_state = data.get("prior_state", {}) or {}
    state_values = prior_state.get("values", {}) if isinstance(prior_state, dict) else {}
    read = _instances(
        _Plan(text, path, {}, configuration),
        _modules((state_values or {}).get("root_module", {}) or {}),
        max(text.find('"prior_state"'), planned_at),
        only_data=True,
    )
    return planned + [instance for instance in read if instance.address not in seen]


@dataclass(frozen=True)
class _Plan:
    text: str
    path: str
    changes: dict[Any, Any]  # address -> after_unknown
    configuration: dict[str, Any]


def _instances(
    plan: _Plan, modules: Iterator[dict[str, Any]], search_from: int, only_data: bool = False
) -> list[ResourceInstance]:
    """The recognised resources of ``modules``, located in the plan text after ``search_from``."""
    text, path, changes, configuration = plan.text, plan.path, plan.changes, plan.configuration
    instances = []
    for module in modules:
        for resource in module.get("resources", []) or []:
            if not isinstance(resource, dict):
                continue
            mode, type_ = resource.get("mode", "managed"), resource.get("type", "")
            if (mode, type_) not in RECOGNISED or (only_data and mode != "data"):
                continue
            address = str(resource.get("address", ""))
            needle = f'"address": {json.dumps(address)}'
            offset = text.find(needle, search_from)
            found = _line_of(text, needle, search_from)
            loc = Location(path, found.line, found.column) if found else Location(path)
            unknown = changes.get(address, {})
            positions = _values_positions(text, path, offset) if offset >= 0 else None
            members = {k: (kl, v) for k, kl, v in positions.members} if positions else {}
            hidden = resource.get("sensitive_values")
            values = resource.get("values", {}) or {}
            config = _resource_config(
                configuration, address, mode, type_, str(resource.get("name", ""))
            )
            if _org_reference_shape(mode, type_, config, values):
                values, unknown = {}, {}
            attributes = {
                k: _val(
                    v,
                    unknown.get(k) if isinstance(unknown, dict) else None,
                    members[k][1] if k in members else None,
                    loc,
                    f"{address}.{k}",
                    sensitive=hidden.get(k) if isinstance(hidden, dict) else hidden is True,
                )
                for k, v in values.items()
            }
            attribute_locs = {k: members[k][0] if k in members else loc for k in attributes}
            end_line = positions.end_line if positions else loc.line
            if isinstance(unknown, dict):
                for key, flag in unknown.items():
                    if flag is True and key not in attributes:
                        attributes[key] = Val(
                            Unknown(f"{address}.{key}", "known only after apply"), loc
                        )
            if _computed_tags(attributes.get("tags"), config):
                del attributes["tags"]
            for key in ("organization", "organization_id"):
                ref = _references(configuration, config, key, address)
                if ref is not None:
                    current = attributes.get(
                        key, Val(Unknown(f"{address}.{key}", "known only after apply"), loc)
                    )
                    attributes[key] = Val(current.v, current.loc, current.chain, ref)
            instances.append(
                ResourceInstance(
                    mode=mode,
                    type=type_,
                    name=str(resource.get("name", "")),
                    address=address,
                    path=path,
                    span=Span(path, loc.line, end_line),
                    loc=loc,
                    attributes=attributes,
                    attribute_locs=attribute_locs,
                    provider_alias=_provider_alias(config),
                )
            )
    return instances


def read_plan(text: str, path: str, options: TerraformOptions) -> ParsedFile | None:
    """A plan file's declarations, or None when the JSON is not a Terraform plan."""
    if not _looks_like_plan(text):
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        location = Location(path, exc.lineno, exc.colno)
        return ParsedFile(
            path, "", findings=(parse_error(f"invalid plan JSON: {exc.msg}", location),)
        )
    except RecursionError:  # the C decoder nests only as deep as the recursion limit allows
        return _too_deep_in_text(text, path)  # it names both keys: reported, as a plan
    if not isinstance(data, dict) or "planned_values" not in data or "format_version" not in data:
        return None
    major = str(data.get("format_version", "1")).split(".")[0]
    if major != "1":
        message = (
            f"unsupported plan format_version {data.get('format_version')!r} (baa-lint reads 1.x)"
        )
        return ParsedFile(path, "", findings=(parse_error(message, Location(path)),))
    try:
        instances = plan_instances(data, text, path)
    except _TooDeepError as exc:
        return _too_deep(exc.location)
    return ParsedFile(path, "", tuple(declarations(instances, options.tag_keys, source="plan")))


_HEAD = 1 << 20  # how much of a JSON file that cannot be read as text is looked at


def may_be_plan(head: bytes) -> bool:
    """Whether the beginning of a JSON file that cannot be read as text (unreadable, too large,
    not UTF-8) looks like a plan: then its failure is reported, never skipped in silence."""
    # Terraform writes format_version first, then terraform_version (planned_values may
    # only come after a large "variables").
    return b'"format_version"' in head and (
        b'"planned_values"' in head or b'"terraform_version"' in head
    )
