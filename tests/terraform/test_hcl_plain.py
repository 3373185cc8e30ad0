"""Plain attributes (hcl._Converter.plain_attribute) are read from their text instead of
tree-sitter's nodes: the tree must be exactly the one the nodes give, and every shape that
could fail or mean something else must be left to the nodes."""

from __future__ import annotations

import pytest

from linter.core.locations import Location
from linter.terraform.syntax import hcl
from linter.terraform.syntax.ast import File

# Read from the text: each is one attribute of a block.
PLAIN = [
    'name = "payments-00001"',
    'empty = ""',
    "count = 3",
    "big = 123456789012345678901234567890",
    "zero_padded = 007",
    "on = true",
    "off = false",
    "nothing = null",
    "org = anthropic_organization.hipaa.id",
    "alone = var_name",
    "true_ish = true_x",
    'models = ["claude-fable-5"]',
    'models = [ "a", "b" , "c", ]',
    "refs = [var.a, local.b.c, 1, true, null]",
    "none = []",
    'has_specials = "a #c //d /*e*/ f:g"',
    "keyword_start = for_each.key",
    'commented = "x" # why',
    'tags = {\n    cost_center = "ai-platform"\n    phi         = "true"\n  }',
    "tags = {\n    a = 1,\n\n    b: var.x\n    c = true\n  }",
    "tags = {\n  }",
]

# Left to the nodes (some are errors, which must be the nodes' errors).
NOT_PLAIN = [
    'escaped = "a\\"b"',
    'template = "${var.x}-y"',
    'directive = "%{if true}x%{endif}"',
    'dollar = "a$b"',
    'braces = "a{b}"',
    "float = 1.5",
    "exponent = 1e3",
    "negative = -1",
    "dashed = a-b",
    "literal_chain = true.x",
    "index = a.b[0]",
    "legacy = a.0",
    "splat = a[*].b",
    "call = f(1)",
    "sum = 1 + 2",
    "nested = [[1]]",
    "inline = { a = 1 }",
    "tags = {\n    a = [1]\n  }",
    "tags = {\n    a = 1 # c\n  }",
    "tags = {\n    a = 1 b = 2\n  }",
    "multi = [\n    1,\n  ]",
    "broken = a\n  .b",
    "heredoc = <<EOT\n  x\nEOT",
]

# Not even parsed by tree-sitter without an error: the same error either way.
BROKEN = ["tags = {\n    for = 1\n  }", "x = [1", 'x = "a']


def block(attribute: str) -> str:
    return f'resource "aws_thing" "x" {{\n  {attribute}\n  after = 1\n}}\n'


def parse(text: str) -> File | tuple[str, Location]:
    try:
        return hcl.parse_hcl(text, "main.tf")
    except hcl.HclSyntaxError as exc:
        return exc.message, exc.location


def from_nodes(text: str, monkeypatch: pytest.MonkeyPatch) -> File | tuple[str, Location]:
    with monkeypatch.context() as patch:
        patch.setattr(hcl._Converter, "plain_attribute", lambda self, node: None)
        return parse(text)


def counting_node_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The attributes read from tree-sitter's nodes from now on."""
    read: list[str] = []
    real = hcl._Converter.attribute_of

    def attribute_of(self: hcl._Converter, node: hcl.Node) -> hcl.Attribute:
        read.append(self.source[node.start_byte : node.end_byte].decode())
        return real(self, node)

    monkeypatch.setattr(hcl._Converter, "attribute_of", attribute_of)
    return read


@pytest.mark.parametrize("attribute", PLAIN + NOT_PLAIN + BROKEN)
def test_the_tree_is_the_one_the_nodes_give(
    attribute: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = block(attribute)
    assert parse(text) == from_nodes(text, monkeypatch)


@pytest.mark.parametrize("attribute", PLAIN)
def test_plain_attributes_are_read_from_their_text(
    attribute: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = counting_node_reads(monkeypatch)
    assert isinstance(parse(block(attribute)), File)
    assert read == []


@pytest.mark.parametrize("attribute", NOT_PLAIN)
def test_other_attributes_are_read_from_the_nodes(
    attribute: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = counting_node_reads(monkeypatch)
    parse(block(attribute))
    assert read[:1] == [attribute]


@pytest.mark.parametrize(
    "text",
    [
        block('name = "caf\u00e9"'),  # a wide row: columns count characters, not bytes
        "x = 1\r\ny = [1, 2]\r\n",
        "x = 1\ny = 2\nx = 3\n",  # set twice: the nodes' error
        "a = 1\n" + "b = " + "c." * 250 + "d\n",  # a chain past the nesting limit
    ],
)
def test_files_that_take_other_paths_give_the_same_tree(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert parse(text) == from_nodes(text, monkeypatch)


def test_positions_of_plain_items(monkeypatch: pytest.MonkeyPatch) -> None:
    text = 'resource "a" "b" {\n  tags = {\n    k = "v"\n  }\n  list = [1,  x.y]\n}\n'
    file = parse(text)
    assert isinstance(file, File)
    assert file == from_nodes(text, monkeypatch)
    tags, listed = file.body.blocks[0].body.attributes
    assert (tags.loc.line, tags.loc.column, tags.end_line) == (2, 3, 4)
    item = tags.value.items[0]  # type: ignore[attr-defined]
    assert (item.key_loc.line, item.key_loc.column, item.value.loc.column) == (3, 5, 9)
    assert [i.loc.column for i in listed.value.items] == [11, 15]  # type: ignore[attr-defined]
    assert (2, 4) in [(s.start_line, s.end_line) for s in file.spans]


def test_a_made_location_is_a_location() -> None:
    from linter.terraform.syntax.ast import make_location

    made = make_location("main.tf", 3, 7)
    assert made == Location("main.tf", 3, 7)
    assert hash(made) == hash(Location("main.tf", 3, 7))
    assert made < Location("main.tf", 3, 8)
    with pytest.raises(AttributeError):
        made.line = 4  # type: ignore[misc]
