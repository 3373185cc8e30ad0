"""Compliance facts written as tag values (strings): "true" is a boolean, "a,b" a list.

Shared by the front ends that read workspace tags: Terraform (``anthropic_workspace``, awscc)
and CloudFormation.
"""

from __future__ import annotations

import re

from linter.core.locations import Location
from linter.core.tree import Node, ScalarNode, SeqNode

# Facts of a workspace, and how each is read from a tag.
WORKSPACE_FACTS = ("phi", "models", "products", "data_retention")
BOOL_FACTS = ("phi", "baa_signed", "hipaa_ready", "zero_data_retention")
LIST_FACTS = ("models", "products", "limited_access_programs")

# Anthropic's tags take any character; AWS tags do not take commas (their values allow
# letters, digits, spaces and _ . : / = + - @), so a list there may also be separated by
# spaces, "+" or "/", none of which a model id contains.
COMMA = ","
AWS_SEPARATORS = ", +/\t"


def tag_bool(node: Node) -> Node:
    """Tag values are strings: "true"/"false" (any case) become booleans; others stay invalid."""
    if isinstance(node, ScalarNode) and isinstance(node.value, str):
        lowered = node.value.strip().lower()
        if lowered in ("true", "false"):
            return ScalarNode(node.location, node.attr, node.chain, lowered == "true", node.value)
    return node


def split_list(value: str, separators: str = COMMA) -> list[tuple[int, int, str]]:
    """(index, offset, item) of each non-empty item of a separated list, stripped."""
    items = []
    offset = 0
    for index, part in enumerate(re.split(f"[{re.escape(separators)}]", value)):
        text = part.strip()
        start = offset + (len(part) - len(part.lstrip()))
        offset += len(part) + 1  # each separator is one character
        if text:
            items.append((index, start, text))
    return items


def tag_list(node: Node, separators: str = COMMA) -> Node:
    """A tag holding a separated list ("claude-fable-5,claude-sonnet-4-5") becomes a list.

    The first item is located where the value starts, like any other fact, so a tag written as a
    literal, through for_each or through a module input is reported at the same place. When the
    tag is a literal in the block, later items get their own columns.
    """
    if not isinstance(node, ScalarNode) or not isinstance(node.value, str):
        return node
    items: list[Node] = []
    literal = not node.chain
    for index, start, text in split_list(node.value, separators):
        later = literal and index > 0
        column = node.location.column + 1 + start if later else node.location.column
        location = Location(node.location.path, node.location.line, column)
        items.append(ScalarNode(location, f"{node.attr}[{index}]", node.chain, text, text))
    return SeqNode(node.location, node.attr, node.chain, tuple(items))


def tag_fact(key: str, node: Node, separators: str = COMMA) -> Node:
    """A tag's value node as the fact ``key`` reads it."""
    if key in BOOL_FACTS:
        return tag_bool(node)
    if key in LIST_FACTS:
        return tag_list(node, separators)
    return node
