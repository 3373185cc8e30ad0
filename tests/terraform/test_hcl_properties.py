"""Property tests: generated HCL always parses and renders back; mutated input fails cleanly.

Expressions are generated as two texts: the canonical single-line form (what render_expr
prints) and a layout that adds the line breaks Terraform allows (inside brackets, parentheses,
template sequences and for-expressions, and between object elements). Parsing the layout and
rendering each value must give the canonical text back.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.terraform.syntax.hcl import HclSyntaxError, parse_hcl
from linter.terraform.syntax.render import MAX_LENGTH, render_expr
from linter.terraform.syntax.tfjson import parse_tf_json

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

KEYWORDS = {"true", "false", "null", "for", "in", "if", "else", "endif", "endfor", "for_each"}
names = st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True).filter(lambda n: n not in KEYWORDS)


@dataclass(frozen=True)
class Code:
    canonical: str  # what render_expr prints
    layout: str  # the same expression as a person might lay it out


def same(text: str) -> Code:
    return Code(text, text)


# --- leaves ---------------------------------------------------------------------------------

integers = st.integers(min_value=-(10**12), max_value=10**12).map(lambda n: same(str(n)))
floats = (
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
    .filter(lambda f: not f.is_integer())
    .map(lambda f: same(repr(f)))
)
keywords = st.sampled_from(["true", "false", "null"]).map(same)

STRING_ALPHABET = st.sampled_from(
    [*"abcXYZ019 _-.:/@!?&|*+=<>()[]{}$%~#'`", "\\", '"', "\n", "\t", "é", "😀", "日"]
)


def quote(text: str) -> str:
    """An HCL quoted string for ``text`` (written independently of the renderer)."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )
    return f'"{escaped}"'


# "${" and "%{" in literal text are covered by unit tests (python-hcl2's lexer needs a "}" after
# an escaped "$${"), so generated text avoids them.
literal_text = st.text(STRING_ALPHABET, max_size=12).filter(
    lambda t: "${" not in t and "%{" not in t
)
strings = literal_text.map(lambda t: same(quote(t)))


@st.composite
def references(draw: st.DrawFn) -> Code:
    root = draw(names)
    steps = draw(
        st.lists(
            st.one_of(
                names.map(lambda n: f".{n}"),
                st.integers(0, 99).map(lambda i: f"[{i}]"),
                names.map(lambda n: f'["{n}"]'),
            ),
            max_size=3,
        )
    )
    splat = draw(st.sampled_from(["", "[*]", "[*].id"]))
    return same(root + "".join(steps) + splat)


leaves = st.one_of(integers, floats, keywords, strings, references())


# --- compound expressions ---------------------------------------------------------------------


def is_plain_string(canonical: str) -> bool:
    return canonical.startswith('"') and "${" not in canonical and "%{" not in canonical


def joined(items: list[Code], multiline: bool, indent: str = "  ") -> tuple[str, str]:
    canonical = ", ".join(item.canonical for item in items)
    if not multiline or not items:
        return canonical, ", ".join(item.layout for item in items)
    return canonical, "\n" + "".join(f"{indent}{item.layout},\n" for item in items)


def extend(children: st.SearchStrategy[Code]) -> st.SearchStrategy[Code]:
    @st.composite
    def tuples(draw: st.DrawFn) -> Code:
        items = draw(st.lists(children, max_size=4))
        canonical, layout = joined(items, draw(st.booleans()))
        return Code(f"[{canonical}]", f"[{layout}]")

    @st.composite
    def objects(draw: st.DrawFn) -> Code:
        keys = draw(st.lists(names, max_size=4, unique=True))
        if not keys:
            return same("{}")
        values = [draw(children) for _ in keys]
        canonical = (
            "{ "
            + ", ".join(f"{k} = {v.canonical}" for k, v in zip(keys, values, strict=True))
            + " }"
        )
        if draw(st.booleans()):  # one element per line, with or without commas
            comma = draw(st.sampled_from(["", ","]))
            lines = "".join(
                f"  {k} = {v.layout}{comma}\n" for k, v in zip(keys, values, strict=True)
            )
            return Code(canonical, "{\n" + lines + "}")
        return Code(
            canonical,
            "{ " + ", ".join(f"{k} = {v.layout}" for k, v in zip(keys, values, strict=True)) + " }",
        )

    @st.composite
    def calls(draw: st.DrawFn) -> Code:
        name = draw(st.sampled_from(["f", "lookup", "merge", "try", "provider::p::fn"]))
        args = draw(st.lists(children, max_size=3))
        expand = "..." if args and draw(st.booleans()) else ""
        canonical = ", ".join(a.canonical for a in args) + expand
        if draw(st.booleans()) and args:  # one argument per line
            layout = "\n  " + ",\n  ".join(a.layout for a in args) + (expand or ",") + "\n"
        else:
            layout = ", ".join(a.layout for a in args) + expand
        return Code(f"{name}({canonical})", f"{name}({layout})")

    @st.composite
    def binary_chains(draw: st.DrawFn) -> Code:
        # Flat chains of operators: precedence decides the tree, render must reproduce the text.
        operands = draw(st.lists(st.one_of(leaves, parens()), min_size=2, max_size=4))
        operators = [
            draw(
                st.sampled_from(
                    ["||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"]
                )
            )
            for _ in operands[1:]
        ]
        canonical = operands[0].canonical
        layout = operands[0].layout
        for operator, operand in zip(operators, operands[1:], strict=True):
            canonical += f" {operator} {operand.canonical}"
            layout += f" {operator} {operand.layout}"
        if draw(st.booleans()):  # inside parentheses the operator may start the next line
            layout = layout.replace(" || ", "\n  || ").replace(" + ", "\n  + ")
        return Code(f"({canonical})", f"({layout})")

    @st.composite
    def parens(draw: st.DrawFn) -> Code:
        inner = draw(children)
        return Code(
            f"({inner.canonical})",
            f"(\n  {inner.layout}\n)" if draw(st.booleans()) else f"({inner.layout})",
        )

    @st.composite
    def conditionals(draw: st.DrawFn) -> Code:
        condition, then, otherwise = draw(children), draw(children), draw(children)
        canonical = f"({condition.canonical} ? {then.canonical} : {otherwise.canonical})"
        separator = draw(st.sampled_from([" ", "\n  "]))
        layout = f"({condition.layout}{separator}? {then.layout}{separator}: {otherwise.layout})"
        return Code(canonical, layout)

    @st.composite
    def unaries(draw: st.DrawFn) -> Code:
        operand = draw(st.one_of(references(), parens()))
        operator = draw(st.sampled_from(["!", "-"]))
        return Code(operator + operand.canonical, operator + operand.layout)

    @st.composite
    def templates(draw: st.DrawFn) -> Code:
        # A plain string inside "${...}" renders as text ("${"a"}" is "a"), so leave those out;
        # and "$" or "%" just before "${" would make it the escape "$${".
        interpolated = children.filter(lambda c: not is_plain_string(c.canonical))
        text_before_sequence = literal_text.filter(lambda t: not t.endswith(("$", "%")))
        pieces = draw(
            st.lists(
                st.one_of(
                    text_before_sequence.map(lambda t: ("text", t)),
                    interpolated.map(lambda c: ("expr", c)),
                ),
                min_size=1,
                max_size=3,
            )
        )
        canonical, layout = '"', '"'
        previous_text = False
        for kind, piece in pieces:
            if kind == "text":
                assert isinstance(piece, str)
                if previous_text or not piece:
                    continue  # adjacent literal pieces merge, so keep one
                text = quote(piece)[1:-1]
                canonical += text
                layout += text
                previous_text = True
            else:
                assert isinstance(piece, Code)
                canonical += "${" + piece.canonical + "}"
                layout += (
                    "${" + (f"\n  {piece.layout}\n" if draw(st.booleans()) else piece.layout) + "}"
                )
                previous_text = False
        return Code(canonical + '"', layout + '"')

    @st.composite
    def for_expressions(draw: st.DrawFn) -> Code:
        value_var = draw(names)
        key_var = draw(st.one_of(st.none(), names.filter(lambda n: n != value_var)))
        head = f"for {key_var + ', ' if key_var else ''}{value_var} in "
        collection, value = draw(children), draw(children)
        condition = draw(st.one_of(st.none(), children))
        cond_c = f" if {condition.canonical}" if condition else ""
        cond_l = f"\n  if {condition.layout}" if condition else ""
        if draw(st.booleans()):
            canonical = f"[{head}{collection.canonical} : {value.canonical}{cond_c}]"
            layout = f"[\n  {head}{collection.layout} :\n  {value.layout}{cond_l}\n]"
            return Code(canonical, layout)
        key = draw(children)
        canonical = (
            f"{{{head}{collection.canonical} : {key.canonical} => {value.canonical}{cond_c}}}"
        )
        layout = f"{{ {head}{collection.layout} : {key.layout}\n  => {value.layout}{cond_l} }}"
        return Code(canonical, layout)

    return st.one_of(
        tuples(),
        objects(),
        calls(),
        binary_chains(),
        parens(),
        conditionals(),
        unaries(),
        templates(),
        for_expressions(),
    )


expressions = st.recursive(leaves, extend, max_leaves=5)


# --- files -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    text: str
    # (block path, attribute name, canonical value) for every attribute, in order
    attributes: list[tuple[tuple[str, ...], str, str]]


@st.composite
def bodies(draw: st.DrawFn, path: tuple[str, ...] = (), depth: int = 0) -> Generated:
    indent = "  " * depth
    attribute_names = draw(st.lists(names, max_size=3, unique=True))
    lines: list[str] = []
    attributes: list[tuple[tuple[str, ...], str, str]] = []
    for name in attribute_names:
        expr = draw(expressions)
        lines.append(f"{indent}{name} = {expr.layout}")
        attributes.append((path, name, expr.canonical))
    if depth < 2:
        for _ in range(draw(st.integers(0, 2))):
            block_type = draw(names)
            labels = draw(st.lists(st.one_of(names, names.map(lambda n: f'"{n}-x"')), max_size=2))
            inner = draw(bodies(path=(*path, block_type), depth=depth + 1))
            header = " ".join([block_type, *labels])
            lines.append(f"{indent}{header} {{\n{inner.text}{indent}}}")
            attributes.extend(inner.attributes)
    text = "".join(f"{line}\n" for line in lines)
    return Generated(text, attributes)


def collect(
    body_blocks: object, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], str, str]]:
    from linter.terraform.syntax.ast import Body

    assert isinstance(body_blocks, Body)
    found = [(path, a.name, render_expr(a.value)) for a in body_blocks.attributes]
    for block in body_blocks.blocks:
        found += collect(block.body, (*path, block.type))
    return found


def matches(rendered: str, canonical: str) -> bool:
    if len(canonical) <= MAX_LENGTH:
        return rendered == canonical
    return rendered == canonical[: MAX_LENGTH - 1] + "…"


@SETTINGS
@given(bodies())
def test_generated_hcl_parses_and_values_render_back(generated: Generated) -> None:
    file = parse_hcl(generated.text, "gen.tf")
    found = collect(file.body)
    assert [(p, n) for p, n, _ in found] == [(p, n) for p, n, _ in generated.attributes]
    for (_, name, rendered), (_, _, canonical) in zip(found, generated.attributes, strict=True):
        assert matches(rendered, canonical), (name, rendered, canonical, generated.text)


@SETTINGS
@given(expressions)
def test_line_breaks_where_terraform_allows_them_do_not_change_the_tree(expr: Code) -> None:
    one_line = parse_hcl(f"x = {expr.canonical}\n", "a.tf").body.attributes[0].value
    laid_out = parse_hcl(f"x = {expr.layout}\n", "a.tf").body.attributes[0].value
    assert render_expr(laid_out) == render_expr(one_line)


# --- mutations ---------------------------------------------------------------------------------

MUTATION_ALPHABET = st.sampled_from(
    [*'{}[]()"=,.:?$%~#/*<>-!\\ \n\tax0', "${", "%{", "<<EOT\n", "EOT\n", "/*", "*/", "...", "=>"]
)


@st.composite
def mutated(draw: st.DrawFn, source: st.SearchStrategy[str]) -> str:
    text = draw(source)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "truncate"]))
        if action == "insert":
            text = text[:position] + draw(MUTATION_ALPHABET) + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 8)) :]
        elif action == "replace" and position < len(text):
            text = text[:position] + draw(MUTATION_ALPHABET) + text[position + 1 :]
        elif action == "duplicate":
            end = min(len(text), position + draw(st.integers(1, 20)))
            text = text[:end] + text[position:end] + text[end:]
        else:
            text = text[:position]
    return text


def parses_or_fails_cleanly(text: str, parser: object = parse_hcl) -> None:
    assert callable(parser)
    try:
        parser(text, "m.tf")
    except HclSyntaxError as exc:
        assert "\n" not in exc.message
        assert exc.location.line >= 1 and exc.location.column >= 1


@SETTINGS
@given(mutated(bodies().map(lambda g: g.text)))
def test_mutated_hcl_raises_nothing_but_syntax_errors(text: str) -> None:
    parses_or_fails_cleanly(text)


@SETTINGS
@given(st.text(max_size=200))
def test_random_text_raises_nothing_but_syntax_errors(text: str) -> None:
    parses_or_fails_cleanly(text)


@SETTINGS
@given(st.binary(max_size=200))
def test_random_bytes_raise_nothing_but_syntax_errors(data: bytes) -> None:
    parses_or_fails_cleanly(data.decode("utf-8", errors="replace"))


JSON_CONFIG = """{
  "resource": {"anthropic_workspace": {"x": {
    "name": "ws-${var.env}",
    "tags": {"phi": "true", "models": ["a", "b"]},
    "count": 1.5, "on": true, "off": null
  }}},
  "locals": [{"a": "%{ if x }y%{ endif }"}]
}"""


@SETTINGS
@given(mutated(st.just(JSON_CONFIG)))
def test_mutated_terraform_json_raises_nothing_but_syntax_errors(text: str) -> None:
    parses_or_fails_cleanly(text, parse_tf_json)
