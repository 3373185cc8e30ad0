"""tree-sitter parses a source whose string and heredoc text is blanked (linter.terraform.syntax
.hcl, _blanked): the result must be the real source's, whatever the text, the lexer's guesses
and the errors. Every comparison is against a conversion of the real source's own tree."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.core.locations import Location
from linter.terraform.syntax import hcl
from linter.terraform.syntax.hcl import HclSyntaxError, parse_hcl

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Outcome = tuple[object, ...]


def real_outcome(text: str) -> Outcome:
    """What converting the real source's tree gives: the body and spans, or the error."""
    source = text.encode("utf-8", "surrogatepass")
    converter = hcl._Converter(source, text, "m.tf")
    try:
        body = converter.file_body(hcl._real_tree(source).root_node)
    except HclSyntaxError as exc:
        return ("error", exc.message, exc.location)
    except RecursionError:
        return ("error", "expression nests too deeply", Location("m.tf"))
    return ("parsed", body, tuple(sorted(converter.spans, key=hcl._SPAN_ORDER)))


def outcome(text: str) -> Outcome:
    try:
        parsed = parse_hcl(text, "m.tf")
    except HclSyntaxError as exc:
        return ("error", exc.message, exc.location)
    return ("parsed", parsed.body, parsed.spans)


@contextmanager
def blanking_everything() -> Iterator[None]:
    """Every text range blanked, however short (the default leaves short ones)."""
    saved = hcl._MIN_BLANKED
    hcl._MIN_BLANKED = 1
    try:
        yield
    finally:
        hcl._MIN_BLANKED = saved


# --- generated text-heavy files ----------------------------------------------------------------

TEXT = st.lists(
    st.sampled_from([*"abcXYZ019 _-.:/@!?&|*+=<>()[]{}~#'`", "$", "%", "é", "日", "EOT", "*/"]),
    max_size=30,
).map("".join)
ESCAPES = st.sampled_from(["\\n", '\\"', "\\\\", "\\t", "$${", "%%{", "\\u00e9"])
SEQUENCES = st.sampled_from(
    ["${var.x}", '${ "in ${y} side" }', '${ {a = "b"}["a"] }', "%{ if c }x%{ endif }", "${~ z ~}"]
)


@st.composite
def quoted(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(TEXT, ESCAPES, SEQUENCES), max_size=5))
    return '"' + "".join(parts).replace('"', "").replace("\n", "") + '"'


@st.composite
def heredoc(draw: st.DrawFn) -> str:
    marker = draw(st.sampled_from(["EOT", "EOF", "END_OF_TEXT"]))
    indented = draw(st.booleans())
    lines = draw(
        st.lists(
            st.one_of(
                TEXT.map(lambda t: t.replace("\n", "")),
                SEQUENCES,
                st.just(f"{marker} is not the end"),
                st.just(f"  {marker}x"),
                st.just(f'say "{marker}"'),
            ),
            max_size=5,
        )
    )
    closing = ("  " if indented else "") + marker
    return (
        f"<<{'-' if indented else ''}{marker}\n" + "".join(f"{line}\n" for line in lines) + closing
    )


COMMENTS = st.sampled_from(
    ['# a "quoted # comment', "// it's \"odd", '/* "*/" */', '/* multi\nline "x" */', ""]
)


@st.composite
def files(draw: st.DrawFn) -> str:
    lines = []
    for index in range(draw(st.integers(1, 5))):
        value = draw(st.one_of(quoted(), heredoc(), st.just('["a long list item", "b", 1]')))
        lines.append(f"a{index} = {value} {draw(COMMENTS)}".rstrip())
        if draw(st.booleans()):
            label = draw(quoted())
            lines.append(f"block {label} {{\n  inner = {draw(quoted())}\n}}")
    return "\n".join(lines) + "\n"


MUTATIONS = st.sampled_from(['"', "\\", "$", "{", "}", "\n", "#", "/*", "<<EOT\n", "EOT\n", "${"])


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(files())
    for _ in range(draw(st.integers(1, 3))):
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(MUTATIONS) + text[position + draw(st.integers(0, 2)) :]
    return text


@SETTINGS
@given(files())
def test_a_blanked_parse_gives_what_the_real_source_gives(text: str) -> None:
    with blanking_everything():
        assert outcome(text) == real_outcome(text)


@SETTINGS
@given(mutated())
def test_a_blanked_parse_of_broken_text_gives_the_real_sources_error(text: str) -> None:
    with blanking_everything():
        assert outcome(text) == real_outcome(text)


# --- the lexer's guesses are checked -----------------------------------------------------------

SOURCE = 'name = "a workspace for the clinical team"\ncount = var.n\nitems = [local.a, "bb"]\n'


def test_a_range_the_lexer_got_wrong_never_changes_the_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Blanking code, were the lexer to take it for text, would change the tree and still
    # parse ("count = var.n" gone, a blank line left): the check sees that the range is not
    # text and parses the real source.
    expected = real_outcome(SOURCE)
    wrong = SOURCE.index("count = var.n")

    def code_as_text(
        source: bytes, first: int = 0, last: int | None = None
    ) -> Iterator[tuple[int, int]]:
        yield wrong, wrong + len("count = var.n")

    monkeypatch.setattr(hcl, "_text_ranges", code_as_text)
    with blanking_everything():
        assert outcome(SOURCE) == expected
    assert hcl._tree(SOURCE.encode())[1] is False


def test_the_text_of_strings_is_what_is_blanked() -> None:
    source = SOURCE.encode()
    given, regions = hcl._blanked(source)
    assert len(given) == len(source)
    assert [source[start:end] for start, end in regions] == [
        b"a workspace for the clinical team"
    ]  # "bb" is shorter than _MIN_BLANKED
    assert b"clinical" not in given
    assert hcl._tree(source)[1] is True


def test_a_quote_backslash_dollar_percent_or_line_break_is_never_blanked() -> None:
    line = 'some "quoted" \\ text with $ and % signs and more'
    given, regions = hcl._blanked(f"x = <<EOT\n{line}\nEOT\n".encode())
    assert regions
    kept = "".join(c if c in '"\\$%' else " " for c in line)
    assert given == f"x = <<EOT\n{kept}\nEOT\n".encode()


def test_a_heredoc_line_that_begins_with_its_marker_is_never_blanked() -> None:
    # It may be the closing marker to tree-sitter even where the lexer thinks not.
    text = "x = <<EOT\nEOT is not the end of it\n  EOTX neither, but it looks it\nEOT\n"
    given, regions = hcl._blanked(text.encode())
    assert given == text.encode()
    assert regions == []
    assert outcome(text) == real_outcome(text)


def test_an_error_in_a_file_with_blanked_text_is_found_in_its_real_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = 'a = "a long enough string"\na = "set twice, with more text"\n'
    real = real_outcome(text)
    assert real[0] == "error"
    made: list[bytes] = []
    real_tree = hcl._real_tree

    def tree(source: bytes) -> object:
        made.append(source)
        return real_tree(source)

    monkeypatch.setattr(hcl, "_real_tree", tree)
    assert outcome(text) == real
    assert made == [text.encode()]  # the blanked tree found it; the real one reported it
