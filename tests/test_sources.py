"""Where a finding's offending token ends on its source line, and what of the line is shown."""

from __future__ import annotations

import pytest

from linter.core.locations import Location
from linter.core.redact import Redactor
from linter.core.sources import Excerpt, Sources, token_end


def token(line: str, column: int) -> str:
    """The token of ``line`` that starts at 1-based ``column``."""
    start = column - 1
    return line[start : token_end(line, start)]


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        ("    models: [claude-fable-5]", 14, "claude-fable-5"),  # flow list item
        ("    models: [claude-fable-5, claude-haiku-4-5]", 14, "claude-fable-5"),
        ("zero_data_retention: true  # yes", 22, "true"),  # plain scalar, then a comment
        ("zero_data_retenton: true", 1, "zero_data_retenton"),  # a key
        ("url: http://x:8080/a", 6, "http://x:8080/a"),  # ':' inside a scalar
        ('  name = "a \\"b\\" c"', 10, '"a \\"b\\" c"'),  # escaped quotes
        ("  - name: 'it''s here' # c", 11, "'it''s here'"),  # YAML's doubled quote
        ('  m = "${var.x == "a" ? "b" : "c"}-d"', 7, '"${var.x == "a" ? "b" : "c"}-d"'),
        ('  models = lookup(var.m, "k", [])', 12, 'lookup(var.m, "k", [])'),
        ("  models = local.models[0] # x", 12, "local.models[0]"),
        ("  tags = { phi = true }", 10, "{ phi = true }"),  # a whole collection
        ('    models = "claude-fable-5,claude-fabel-5"', 30, "claude-fabel-5"),  # inside a string
        ("  products: [", 13, "["),  # an unclosed collection: to the line's end
    ],
)
def test_token_ends_where_the_value_does(line: str, column: int, expected: str) -> None:
    assert token(line, column) == expected


def test_a_column_on_a_stop_character_marks_that_character() -> None:
    assert token("a, b", 2) == ","
    assert token("\tx", 1) == "\t"


def test_a_column_past_the_end_of_the_line_marks_nothing() -> None:
    assert token("abc", 4) == ""
    assert token("abc", 9) == ""


def test_excerpt_cuts_the_line_around_the_token() -> None:
    sources = Sources({"o.yaml": "a: 1\r\n  models: [claude-fable-5]\r\n"})
    assert sources.excerpt(Location("o.yaml", 2, 12)) == Excerpt(
        2, "  models: [", "claude-fable-5", "]"
    )


def test_no_excerpt_without_the_text_or_past_the_last_line() -> None:
    sources = Sources({"o.yaml": "a: 1\n", "empty.json": ""})
    assert sources.excerpt(Location("other.yaml", 1, 1)) is None
    assert sources.excerpt(Location("empty.json", 1, 1)) is None
    assert sources.excerpt(Location("o.yaml", 3, 1)) is None
    assert sources.excerpt(Location("o.yaml", 0, 1)) is None


def test_a_lone_carriage_return_stays_in_the_line() -> None:
    excerpt = Sources({"o.yaml": "a: x\ry\n"}).excerpt(Location("o.yaml", 1, 4))
    assert excerpt is not None
    assert excerpt.before + excerpt.token + excerpt.after == "a: x\ry"


def test_sensitive_values_are_masked_in_every_part() -> None:
    mask = Redactor(["acme-secret-model"]).text
    sources = Sources({"main.tf": '  models = sensitive("acme-secret-model")\n'}, mask)
    excerpt = sources.excerpt(Location("main.tf", 1, 22))
    assert excerpt == Excerpt(1, "  models = sensitive(", '"(sensitive)"', ")")


def test_a_secret_across_the_token_boundary_is_masked_and_left_unmarked() -> None:
    # A plain YAML scalar with a space: the token stops at the space, the secret does not.
    mask = Redactor(["two words"]).text
    sources = Sources({"o.yaml": "name: two words\n"}, mask)
    excerpt = sources.excerpt(Location("o.yaml", 1, 7))
    assert excerpt == Excerpt(1, "name: (sensitive)", "", "", marked=False)
