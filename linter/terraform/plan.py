"""Terraform plan JSON (`terraform show -json plan.out`): fully resolved resource instances.

A `.json` file is read as a plan only when it has `format_version` and `planned_values`; other
JSON is ignored. Resources come from `planned_values` (root and child modules); values that are
known only after apply (`resource_changes[].change.after_unknown`) are unknown. Findings name the
plan file, at the line of the resource's address, and the resource address itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from linter.core.files import SourceError, read_text
from linter.core.findings import parse_error
from linter.core.locations import Location, Span
from linter.core.model import Unknown
from linter.core.parsed import ParsedFile
from linter.inputs.discover import InputFile
from linter.terraform.emit import declarations
from linter.terraform.eval.values import ResourceInstance, Val
from linter.terraform.options import TerraformOptions
from linter.terraform.recognised import DATA_TYPES, MANAGED_TYPES

if TYPE_CHECKING:
    from linter.terraform.syntax.tfjson import JsonValue

RECOGNISED = {("managed", t) for t in MANAGED_TYPES} | {("data", t) for t in DATA_TYPES}


def _looks_like_plan(text: str) -> bool:
    return '"planned_values"' in text and '"format_version"' in text


def _line_of(text: str, needle: str, start: int = 0) -> Location | None:
    index = text.find(needle, start)
    if index < 0:
        return None
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Location("", line, column)


def _val(value: Any, unknown: Any, at: JsonValue | None, loc: Location, expression: str) -> Val:
    """A planned value with the position it has in the plan file (``at``), when known."""
    here = at.loc if at is not None else loc
    if unknown is True:
        return Val(Unknown(expression, "known only after apply"), here)
    if isinstance(value, dict):
        fields: dict[str, Any] = unknown if isinstance(unknown, dict) else {}
        members = {k: v for k, _, v in at.members} if at is not None and at.kind == "object" else {}
        known = {
            k: _val(v, fields.get(k), members.get(k), here, f"{expression}.{k}")
            for k, v in value.items()
        }
        # An attribute known only after apply may be left out of the planned value entirely.
        for k, flag in fields.items():
            if flag is True and k not in known:
                known[k] = Val(Unknown(f"{expression}.{k}", "known only after apply"), here)
        return Val(known, here)
    if isinstance(value, list):
        marks: list[Any] = unknown if isinstance(unknown, list) else []
        elements = at.items if at is not None and at.kind == "array" else []
        items = tuple(
            _val(
                v,
                marks[i] if i < len(marks) else None,
                elements[i] if i < len(elements) else None,
                here,
                f"{expression}[{i}]",
            )
            for i, v in enumerate(value)
        )
        return Val(items, here)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return Val(value, here)
    return Val(str(value), here)


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
    # Imported here: the JSON front end brings in the HCL parser (Lark), which only a run that
    # actually reads a plan needs.
    from linter.terraform.syntax.hcl import HclSyntaxError
    from linter.terraform.syntax.tfjson import parse_json_document

    try:
        return parse_json_document(padding + text[brace:end], path)
    except HclSyntaxError:
        return None


def _modules(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield module
    for child in module.get("child_modules", []) or []:
        if isinstance(child, dict):
            yield from _modules(child)


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
    planned_at = text.find('"planned_values"')
    instances = []
    for module in _modules(data.get("planned_values", {}).get("root_module", {}) or {}):
        for resource in module.get("resources", []) or []:
            if not isinstance(resource, dict):
                continue
            mode, type_ = resource.get("mode", "managed"), resource.get("type", "")
            if (mode, type_) not in RECOGNISED:
                continue
            address = str(resource.get("address", ""))
            needle = f'"address": {json.dumps(address)}'
            offset = text.find(needle, max(planned_at, 0))
            found = _line_of(text, needle, max(planned_at, 0))
            loc = Location(path, found.line, found.column) if found else Location(path)
            unknown = changes.get(address, {})
            positions = _values_positions(text, path, offset) if offset >= 0 else None
            members = {k: (kl, v) for k, kl, v in positions.members} if positions else {}
            attributes = {
                k: _val(
                    v,
                    unknown.get(k) if isinstance(unknown, dict) else None,
                    members[k][1] if k in members else None,
                    loc,
                    f"{address}.{k}",
                )
                for k, v in (resource.get("values", {}) or {}).items()
            }
            attribute_locs = {k: members[k][0] if k in members else loc for k in attributes}
            end_line = positions.end_line if positions else loc.line
            if isinstance(unknown, dict):
                for key, flag in unknown.items():
                    if flag is True and key not in attributes:
                        attributes[key] = Val(
                            Unknown(f"{address}.{key}", "known only after apply"), loc
                        )
            config = _resource_config(
                configuration, address, mode, type_, str(resource.get("name", ""))
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
    if not isinstance(data, dict) or "planned_values" not in data or "format_version" not in data:
        return None
    major = str(data.get("format_version", "1")).split(".")[0]
    if major != "1":
        message = (
            f"unsupported plan format_version {data.get('format_version')!r} (baa-lint reads 1.x)"
        )
        return ParsedFile(path, "", findings=(parse_error(message, Location(path)),))
    instances = plan_instances(data, text, path)
    return ParsedFile(path, "", tuple(declarations(instances, options.tag_keys, source="plan")))


def load_plans(files: Sequence[InputFile], options: TerraformOptions) -> list[ParsedFile]:
    parsed = []
    for item in files:
        try:
            text = read_text(item.path, item.display, options.max_file_size)
        except SourceError as exc:
            if item.explicit:
                parsed.append(
                    ParsedFile(item.display, "", findings=(parse_error(exc.message, exc.location),))
                )
            continue
        plan = read_plan(text, item.display, options)
        if plan is not None:
            parsed.append(plan)
    return parsed
