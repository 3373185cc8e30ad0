"""Variable definition files: ``*.tfvars`` (HCL attributes) and ``*.tfvars.json``.

Both produce a File whose body holds one Attribute per variable. In the JSON form values are
plain JSON: strings are taken literally, never as templates (Terraform does the same).
"""

from __future__ import annotations

from linter.core.locations import Span
from linter.terraform.syntax.ast import Attribute, Body, File
from linter.terraform.syntax.hcl import HclSyntaxError, parse_hcl
from linter.terraform.syntax.tfjson import parse_json_document, plain_json_expr

__all__ = ["parse_tfvars"]


def parse_tfvars(text: str, path: str) -> File:
    """Parse a variables file, choosing the syntax by the suffix of ``path``."""
    if path.endswith(".json"):
        return _parse_json_tfvars(text, path)
    file = parse_hcl(text, path)
    if file.body.blocks:
        first = file.body.blocks[0]
        raise HclSyntaxError("blocks are not allowed in a variables file", first.loc)
    return file


def _parse_json_tfvars(text: str, path: str) -> File:
    root = parse_json_document(text, path)
    if root.kind != "object":
        raise HclSyntaxError(
            "a variables file in JSON must contain one object of variable names to values",
            root.loc,
        )
    attributes: list[Attribute] = []
    spans: list[Span] = []
    for name, name_loc, value in root.members:
        if name == "//":  # a comment property, as in other Terraform JSON
            continue
        attributes.append(Attribute(name, plain_json_expr(value), name_loc, value.end_line))
        if value.end_line > name_loc.line:
            spans.append(Span(path, name_loc.line, value.end_line))
    return File(path, Body(tuple(attributes)), tuple(spans))
