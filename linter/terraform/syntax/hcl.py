"""HCL native syntax (``*.tf``) to our syntax tree, with exact source positions.

python-hcl2 is used only for its Lark grammar and its token post-lexer: we build our own Lark
parser from ``hcl2.lark``, take the raw Lark parse tree and convert it here into
:mod:`linter.terraform.syntax.ast`. Nothing shaped like python-hcl2's output leaves this module.

Three things are added on top of the grammar:

* a token-stream pass that drops newlines where HCL ignores them (inside ``(...)``, ``[...]``,
  ``${...}``, ``%{...}`` and ``{ for ... }``), so multi-line calls, lists and for-expressions
  that Terraform accepts also parse here; it also drops ``/* */`` comments inside expressions
  and the ``~`` of ``${~ x ~}``, which the grammar does not allow;
* templates the grammar keeps as one opaque token (heredocs) or never sees (``.tf.json``
  strings) are split into literal text and ``${...}``/``%{...}`` sequences by a small scanner,
  and each sequence's expression is parsed with the same Lark parser;
* limits on nesting, so hostile input ends in :class:`HclSyntaxError`, never RecursionError.
"""

from __future__ import annotations

import gc
import hashlib
import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, cast

import hcl2.parser
import lark
from hcl2.postlexer import PostLexer
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from linter.core.cache import private_cache_dir as _private_cache_dir
from linter.core.locations import LocatedError, Location, Span
from linter.terraform.syntax.ast import (
    Attribute,
    Binary,
    Block,
    Body,
    Call,
    Conditional,
    Expr,
    File,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    ObjectExpr,
    ObjectItem,
    Parens,
    Splat,
    SplatItem,
    Template,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    Unary,
    Variable,
)

__all__ = ["HclSyntaxError", "parse_expression", "parse_hcl", "parse_template"]

# Brackets of any kind open at once. Real configurations stay far below this; the limit stops
# pathological input (10,000 nested "[") before Lark builds a tree we could not walk.
MAX_BRACKET_NESTING = 100
# Nesting of expressions (each operator, call, attribute access or bracket is one level) and of
# the blocks around them (each block inside another block is one level too), which bounds the
# recursion of everything that walks the syntax tree afterwards (the cache's encoder and
# decoder, the evaluator): a tree may be deep in blocks or in expressions, never both at once.
MAX_EXPRESSION_DEPTH = 200

_Tree = Tree[Token]
_Node = Tree[Token] | Token


class HclSyntaxError(LocatedError):
    """The input is not valid HCL (or Terraform JSON); ``location`` says where."""

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------------------------
# Token stream: newlines inside brackets
# --------------------------------------------------------------------------------------------

# Kinds of open bracket. Newlines are significant only in bodies and object constructors.
_BODY, _OBJECT, _PENDING_BRACE, _PAREN, _BRACKET, _INTERPOLATION, _DIRECTIVE, _FOR_BRACE = range(8)
_NEWLINES_IGNORED = frozenset({_PAREN, _BRACKET, _INTERPOLATION, _DIRECTIVE, _FOR_BRACE})
_OPENERS = {
    "LPAR": _PAREN,
    "LSQB": _BRACKET,
    "INTERP_START": _INTERPOLATION,
    "DIRECTIVE_START": _DIRECTIVE,
}
_CLOSERS = frozenset({"RPAR", "RSQB", "RBRACE"})
_HEREDOCS = frozenset({"HEREDOC_TEMPLATE", "HEREDOC_TEMPLATE_TRIM"})


class _NestingTooDeepError(Exception):
    def __init__(self, token: Token) -> None:
        super().__init__("too deep")
        self.token = token


class _NewlinePostLexer:
    """Drops newline/comment tokens where HCL's own parser ignores them.

    HCL ignores newlines inside ``(...)``, ``[...]``, template sequences and ``{ for ... }``,
    but not in block bodies or object constructors (``{ a = 1 \\n b = 2 }``). python-hcl2's
    grammar only allows newlines at a few fixed places, so valid Terraform such as a ``.attr``
    continued on the next line inside ``try(...)`` fails to parse. Removing those tokens before
    the LALR parser sees them fixes this without touching the grammar, and since no other token
    changes, every position stays exact. ``/* */`` comments are dropped everywhere: HCL treats
    them as whitespace, never as a line break. So are the ``~`` strip markers of ``${~ x ~}``,
    which the grammar lacks (the converter finds them in the source text). python-hcl2's own
    pass (a newline before a binary operator continues the expression) runs on the result.
    """

    # The contextual lexer only recognises terminals the parser can accept next. Comments and
    # "~" must be recognised everywhere so that this pass can remove them where HCL allows
    # them but the grammar does not ("x = /* c */ 1", "${~ x ~}").
    always_accept: ClassVar[tuple[str, ...]] = ("NL_OR_COMMENT", "STRIP_MARKER")

    def __init__(self) -> None:
        self._operator_pass = PostLexer()

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        operator_pass: Iterator[Token] = self._operator_pass.process(
            self._drop_ignored_newlines(stream)
        )
        return operator_pass

    @staticmethod
    def _drop_ignored_newlines(stream: Iterator[Token]) -> Iterator[Token]:
        # `kind` is the innermost open bracket; `stack` holds the enclosing ones with their
        # `after_eq` flag. In a body, a "{" after "=" starts an expression, otherwise a block.
        stack: list[tuple[int, bool]] = []
        kind = _BODY
        after_eq = False
        for token in stream:
            token_type = token.type
            if token_type == "NL_OR_COMMENT":
                if kind in _NEWLINES_IGNORED or token.value.startswith("/*"):
                    continue
                after_eq = False
                yield token
                continue
            if token_type == "STRIP_MARKER" and kind == _INTERPOLATION:
                continue  # the grammar has no strip markers on ${ }: the converter reads them
            if kind == _PENDING_BRACE:
                # HCL decides between an object and a for-expression by the first token.
                kind = _FOR_BRACE if token_type == "FOR" else _OBJECT
            if token_type == "LBRACE":
                stack.append((kind, after_eq))
                kind = _BODY if kind == _BODY and not after_eq else _PENDING_BRACE
                after_eq = False
                if len(stack) > MAX_BRACKET_NESTING:
                    raise _NestingTooDeepError(token)
            elif token_type in _OPENERS:
                stack.append((kind, after_eq))
                kind = _OPENERS[token_type]
                after_eq = False
                if len(stack) > MAX_BRACKET_NESTING:
                    raise _NestingTooDeepError(token)
            elif token_type in _CLOSERS:
                if stack:
                    kind, after_eq = stack.pop()
            elif token_type == "EQ":
                after_eq = True
            elif token_type in _HEREDOCS:
                after_eq = False  # a heredoc token ends with the newline after its marker
            yield token


# --------------------------------------------------------------------------------------------
# The Lark parser
# --------------------------------------------------------------------------------------------

_GRAMMAR_FILE = Path(hcl2.parser.__file__).parent / "hcl2.lark"
# Equivalent forms of three of python-hcl2's terminals. The originals repeat a group once per
# character ("(?:a|b)+", "(.|\n)*?"), and Python's re keeps backtracking state for every
# repetition: a 1 MB string, heredoc or block comment took 0.4 s and 190-250 MB. These match
# runs of plain characters in one step (0.02 s, no extra memory).
_FASTER_TERMINALS = (
    (
        r'/(?:(?!\$\$\{)(?!\$\{)(?!%%\{)(?!%\{)[^"\\]|\\.|(?:\$(?!\$?\{))|(?:%(?!%?\{)))+/',
        r'/(?:[^"\\$%]+|\\.|\$(?!\$?\{)|%(?!%?\{))+/',
    ),
    (r"(?:(?:.|\n)*?\r?\n)??", r"(?:[\s\S]*?\r?\n)??"),
    (r"/\/\*(.|\n)*?(\*\/)/", r"/\/\*[\s\S]*?\*\//"),
)
# python-hcl2 allows one unary operator before a term, so `!!x` and `- -1`, valid Terraform,
# do not parse; let a unary operator apply to another one.
_NESTED_UNARY = (
    "!unary_op : (MINUS | NOT) expr_term",
    "!unary_op : (MINUS | NOT) (expr_term | unary_op)",
)
# Part of the cache file's name: bump it to make every installation rebuild the cache.
_CACHE_FORMAT = "2"


def _cache_path() -> str | bool:
    directory = _private_cache_dir()
    if directory is None:
        return False
    key = hashlib.sha256()
    key.update(_grammar().encode())
    key.update(f"{lark.__version__}|{sys.version_info[:2]}|{_CACHE_FORMAT}".encode())
    current = directory / f"hcl2-grammar-{key.hexdigest()[:20]}.lark-cache"
    for stale in directory.glob("hcl2-grammar-*.lark-cache"):
        if stale != current:  # left by another version of the grammar, Lark or Python
            with suppress(OSError):
                stale.unlink()
    return str(current)


@lru_cache(maxsize=1)
def _grammar() -> str:
    """python-hcl2's grammar with the faster terminals and the unary fix (each only if the rule
    is there as expected)."""
    text = _GRAMMAR_FILE.read_text(encoding="utf-8")
    for original, replacement in (*_FASTER_TERMINALS, _NESTED_UNARY):
        text = text.replace(original, replacement)
    return text


@lru_cache(maxsize=1)
def _parser() -> Lark:
    # Lark's cache stores only the grammar analysis; the post-lexer (and its always_accept,
    # which shapes the contextual lexer) is passed again on every load, so caching is safe.
    # Lark checks a hash of the grammar and options inside the file before using it.
    return Lark(
        _grammar(),
        parser="lalr",
        postlex=_NewlinePostLexer(),
        cache=_cache_path(),
        maybe_placeholders=False,
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is parsed.

    Parsing allocates hundreds of thousands of small containers (tokens, tree nodes, AST
    nodes) and creates no reference cycles. With the collector running, each full collection
    re-traverses every object built so far, so time per block grows with the file: Lark with
    python-hcl2's grammar took 1.3 ms/block on a 30 KB file and 2.7 ms/block on a 0.5 MB one,
    over half of it in the collector. Paused, the time per block stays flat. Callers drop
    what is garbage before the collector resumes (see parse_hcl).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def parse_hcl(text: str, path: str) -> File:
    """Parse a ``.tf`` file into our syntax tree; raise HclSyntaxError if it is not valid HCL."""
    with _gc_paused():
        # The grammar needs a final newline (Lark has no end-of-file terminal).
        source = text + "\n"
        tree = _parse_source(source, path, 0, 0)
        converter = _Converter(source, path)
        try:
            body = converter.body(_first_subtree(tree))
        except RecursionError:
            raise HclSyntaxError("expression nests too deeply", Location(path)) from None
        # Free Lark's tree (most of the objects the parse made) while the collector is paused:
        # still alive when it resumes, the first collection would traverse all of it again.
        del tree
    spans = tuple(sorted(converter.spans, key=lambda s: (s.start_line, s.end_line)))
    return File(path, body, spans)


def parse_expression(text: str, path: str, line: int = 1, column: int = 1) -> Expr:
    """Parse one expression whose first character is at ``line:column`` in ``path``."""
    return _parse_expression(text, path, line, column, 0)


def parse_template(
    text: str, path: str, line: int = 1, column: int = 1, *, single_line: bool = False
) -> Expr:
    """Parse template text (a heredoc body or a JSON string): Literal if it has no sequences.

    Backslash escapes are not processed (the caller's syntax already did that); ``$${`` and
    ``%%{`` are literal ``${``/``%{``. With ``single_line``, every position is on ``line``
    (the text came from one source line, e.g. a JSON string with escaped newlines).
    """
    positions = _TextPositions(text, line, column, single_line)
    items = _TemplateScanner(text, path, positions, 0, by_line=False).scan()
    return _build_template(items, Location(path, line, column), flush=False)


# --------------------------------------------------------------------------------------------
# Running Lark and reporting its errors
# --------------------------------------------------------------------------------------------


def _parse_source(source: str, path: str, line_shift: int, col_shift: int) -> _Tree:
    """Run the Lark parser; positions in errors are shifted like the converter shifts them."""

    def location(line: int, column: int) -> Location:
        return Location(path, line + line_shift, column + (col_shift if line == 1 else 0))

    try:
        tree: _Tree = _parser().parse(source)
        return tree
    except UnexpectedInput as exc:
        message, line, column = _describe_lark_error(exc, source)
        raise HclSyntaxError(message, location(line, column)) from None
    except _NestingTooDeepError as exc:
        token = exc.token
        raise HclSyntaxError(
            f"brackets nest too deeply (more than {MAX_BRACKET_NESTING} levels)",
            location(_int(token.line), _int(token.column)),
        ) from None
    except RecursionError:
        raise HclSyntaxError("input nests too deeply", location(1, 1)) from None


_TERMINAL_NAMES = {
    "EQ": "'='",
    "COLON": "':'",
    "COMMA": "','",
    "DOT": "'.'",
    "QMARK": "'?'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LPAR": "'('",
    "RPAR": "')'",
    "ELLIPSIS": "'...'",
    "FOR_OBJECT_ARROW": "'=>'",
    "IN": "'in'",
    "IF": "'if'",
    "FOR": "'for'",
    "NAME": "a name",
    "DBLQUOTE": "'\"'",
    "NL_OR_COMMENT": "a newline",
    "STRING_CHARS": "string text",
    "INTERP_START": "'${'",
    "DIRECTIVE_START": "'%{'",
    "STRIP_MARKER": "'~'",
    "$END": "end of file",
}
_EXPRESSION_STARTS = frozenset(
    [
        "NAME",
        "INT_LITERAL",
        "FLOAT_LITERAL",
        "DBLQUOTE",
        "LSQB",
        "LBRACE",
        "LPAR",
        "MINUS",
        "NOT",
        "TRUE",
        "FALSE",
        "NULL",
        "HEREDOC_TEMPLATE",
        "HEREDOC_TEMPLATE_TRIM",
        "TEMPLATE_STRING",
    ]
)
_OPERATORS = frozenset(
    [
        "DOUBLE_EQ",
        "NEQ",
        "LT",
        "GT",
        "LEQ",
        "GEQ",
        "MINUS",
        "ASTERISK",
        "SLASH",
        "PERCENT",
        "DOUBLE_AMP",
        "DOUBLE_PIPE",
        "PLUS",
        "QMARK",
        "DOT",
        "LSQB",
        "FULL_SPLAT_START",
        "ATTR_SPLAT",
    ]
)
# The order in which alternatives are listed in "expected ..." (closers first: most useful).
_EXPECTED_ORDER = (
    "RBRACE",
    "RSQB",
    "RPAR",
    "DBLQUOTE",
    "EQ",
    "COLON",
    "FOR_OBJECT_ARROW",
    "IN",
    "COMMA",
    "LBRACE",
    "NAME",
    "NL_OR_COMMENT",
)


def _describe_lark_error(exc: UnexpectedInput, source: str) -> tuple[str, int, int]:
    """A one-line message and the 1-based position for one of Lark's parse errors."""
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        line, column = _int(getattr(token, "line", 1)), _int(getattr(token, "column", 1))
        accepted = _accepted_terminals(exc)
        if "DBLQUOTE" in accepted and "NAME" not in accepted:
            quote = _open_quote(exc)
            if quote is not None:
                line, column = _int(quote.line), _int(quote.column)
            return "unterminated string: no closing '\"'", line, column
        if token.type == "$END":
            found = "end of file"
            line, column = _end_of(source[:-1])  # without the newline we appended
        else:
            found = _describe_token(token)
            # "=" and ":" tokens include the blanks before them.
            value = str(token.value)
            if value[:1] in (" ", "\t"):
                column += len(value) - len(value.lstrip(" \t"))
        expected = _describe_expected(accepted)
        return f"unexpected {found}{'; expected ' + expected if expected else ''}", line, column
    if isinstance(exc, UnexpectedCharacters):
        line, column = _int(exc.line), _int(exc.column)
        return f"unexpected character {_quote(exc.char)}", line, column
    if isinstance(exc, UnexpectedEOF):
        expected = _describe_expected(set(exc.expected))
        return f"unexpected end of file{'; expected ' + expected if expected else ''}", 1, 1
    return "syntax error", _int(getattr(exc, "line", 1)), _int(getattr(exc, "column", 1))


def _end_of(text: str) -> tuple[int, int]:
    """The line and column just after the last character of ``text``."""
    line_start = text.rfind("\n") + 1
    return text.count("\n") + 1, len(text) - line_start + 1


def _open_quote(exc: UnexpectedToken) -> Token | None:
    """The opening quote of the string being parsed when ``exc`` happened, if any."""
    # The parser state is Lark-internal (its module moved between versions): read it loosely.
    values = getattr(exc.state, "value_stack", None)
    if not isinstance(values, list):
        return None
    for value in reversed(values):
        if isinstance(value, Token) and value.type == "DBLQUOTE":
            return value
    return None


def _accepted_terminals(exc: UnexpectedToken) -> set[str]:
    """What the parser could have accepted instead of the unexpected token.

    When the contextual lexer fails, Lark reports the terminals that lexer knew, which include
    our ``always_accept`` ones; the parser state says what was really acceptable.
    """
    state = exc.state
    try:
        accepted: set[str] = set(state.parse_conf.states[state.position])
    except (AttributeError, KeyError, TypeError):
        accepted = set(exc.expected)
    return {name for name in accepted if name.isupper() or name == "$END"}


def _describe_token(token: Token) -> str:
    text = str(token.value)
    if token.type == "NL_OR_COMMENT":
        stripped = text.lstrip()
        return "comment" if stripped[:1] in ("#", "/") else "newline"
    text = text.strip()
    # A token the contextual lexer did not expect may be a long run of text: show its start.
    first = re.match(r"[A-Za-z0-9_]+|\S", text)
    return _quote(first.group() if first else text)


def _describe_expected(expected: set[str]) -> str:
    names: list[str] = []
    if {"NAME", "FOR_EACH"} <= expected:
        return "an attribute or a block"  # keywords are accepted as names only in bodies
    if {"NAME", "INT_LITERAL", "DBLQUOTE"} <= expected:
        names.append("an expression")
        expected -= _EXPRESSION_STARTS
    expected -= _OPERATORS
    names.extend(_TERMINAL_NAMES[t] for t in _EXPECTED_ORDER if t in expected)
    if len(names) > 1 and "NL_OR_COMMENT" in expected:
        names.remove(_TERMINAL_NAMES["NL_OR_COMMENT"])  # a newline is rarely what is missing
    if not names:
        return ""
    names = names[:4]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _quote(text: str) -> str:
    shown = text if len(text) <= 20 else text[:19] + "…"
    return "'" + shown.encode("unicode_escape").decode("ascii").replace("'", "\\'") + "'"


def _int(value: object) -> int:
    return value if isinstance(value, int) else 1


# --------------------------------------------------------------------------------------------
# Lark tree to AST
# --------------------------------------------------------------------------------------------


def _whole_number(text: str) -> int | float:
    """An integer literal; one too long for int() (over 4,300 digits) becomes a float (inf)."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def _first_subtree(tree: _Tree) -> _Tree:
    for child in tree.children:
        if isinstance(child, Tree):
            return child
    raise AssertionError("the grammar always produces a body")


def _subtrees(tree: _Tree) -> list[_Tree]:
    """The child rules of ``tree``, without newline/comment nodes."""
    return [c for c in tree.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _first_token(node: _Node) -> Token:
    while isinstance(node, Tree):
        node = node.children[0]
    return node


def _last_line(node: _Node) -> int:
    """The line of the last character of ``node`` (ignoring a trailing newline/comment)."""
    while isinstance(node, Tree):
        children = node.children
        index = len(children) - 1
        while index > 0:
            child = children[index]
            if not (isinstance(child, Tree) and child.data == "new_line_or_comment"):
                break
            index -= 1
        node = children[index]
    end_line = _int(node.end_line)
    # A heredoc token includes the newline after its closing marker.
    return end_line - 1 if node.value.endswith("\n") else end_line


_OPERATOR_SYMBOLS = {
    "DOUBLE_PIPE": "||",
    "DOUBLE_AMP": "&&",
    "DOUBLE_EQ": "==",
    "NEQ": "!=",
    "LT": "<",
    "GT": ">",
    "LEQ": "<=",
    "GEQ": ">=",
    "PLUS": "+",
    "MINUS": "-",
    "ASTERISK": "*",
    "SLASH": "/",
    "PERCENT": "%",
    "NOT": "!",
}
_LITERAL_VALUES: dict[str, bool | None] = {"true": True, "false": False, "null": None}


class _Converter:
    """Converts one Lark tree. ``line_shift``/``col_shift`` place a sub-parse in its file."""

    __slots__ = ("blocks", "col_shift", "depth", "line_shift", "path", "source", "spans")

    def __init__(
        self,
        source: str,
        path: str,
        line_shift: int = 0,
        col_shift: int = 0,
        depth: int = 0,
        *,
        blocks: int = 0,
    ) -> None:
        self.source = source
        self.path = path
        self.line_shift = line_shift
        self.col_shift = col_shift  # applies to line 1 of the source only
        # Levels of nesting so far (MAX_EXPRESSION_DEPTH), and how many of them are blocks
        # inside blocks; a top-level block (resource, locals...) is no level.
        self.depth = depth
        self.blocks = blocks
        self.spans: list[Span] = []

    def loc(self, token: Token) -> Location:
        line = _int(token.line)
        column = _int(token.column)
        if line == 1:
            column += self.col_shift
        return Location(self.path, line + self.line_shift, column)

    # Bodies -----------------------------------------------------------------------------

    def body(self, tree: _Tree) -> Body:
        attributes: list[Attribute] = []
        blocks: list[Block] = []
        seen: dict[str, Attribute] = {}
        for child in tree.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                attribute = self.attribute(child)
                first = seen.get(attribute.name)
                if first is not None:
                    message = f"attribute '{attribute.name}' is set twice"
                    raise HclSyntaxError(
                        f"{message} (first at line {first.loc.line})", attribute.loc
                    )
                seen[attribute.name] = attribute
                attributes.append(attribute)
            elif child.data == "block":
                blocks.append(self.block(child))
        return Body(tuple(attributes), tuple(blocks))

    def attribute(self, tree: _Tree) -> Attribute:
        name_node, _equals, value_node = tree.children
        name_token = _first_token(name_node)
        loc = self.loc(name_token)
        value = self.expr(cast(_Tree, value_node))
        end_line = _last_line(value_node) + self.line_shift
        if end_line > loc.line:
            self.spans.append(Span(self.path, loc.line, end_line))
        return Attribute(str(name_token), value, loc, end_line)

    def block(self, tree: _Tree) -> Block:
        children = tree.children
        type_token = _first_token(children[0])
        # A block inside a block is one level of nesting. Blocks alone never pass the limit
        # (the token stream stops brackets, braces included, at MAX_BRACKET_NESTING), but an
        # expression deep inside deep blocks does: expr() reports it.
        nested = self.blocks > 0
        self.blocks += 1
        self.depth += nested
        block = self.block_of(children, type_token)
        self.depth -= nested
        self.blocks -= 1
        return block

    def too_deep(self) -> str:
        """The message for an expression nested past MAX_EXPRESSION_DEPTH levels."""
        message = f"expression nests too deeply (more than {MAX_EXPRESSION_DEPTH} levels"
        around = self.blocks - 1  # the nested blocks, not the top-level one
        if around > 0:
            message += f", counting the {around} nested block{'s' if around > 1 else ''} around it"
        return message + ")"

    def block_of(self, children: list[_Node], type_token: Token) -> Block:
        labels: list[str] = []
        label_locs: list[Location] = []
        body: Body | None = None
        for child in children[1:]:
            if not isinstance(child, Tree):
                continue
            if child.data == "string":
                labels.append(self.label(child))
                label_locs.append(self.loc(_first_token(child)))
            elif child.data == "body":
                body = self.body(child)
            elif child.data != "new_line_or_comment":
                token = _first_token(child)
                labels.append(str(token))
                label_locs.append(self.loc(token))
        loc = self.loc(type_token)
        end_line = self.loc(cast(Token, children[-1])).line
        self.spans.append(Span(self.path, loc.line, end_line))
        return Block(
            str(type_token), tuple(labels), body or Body(), loc, end_line, tuple(label_locs)
        )

    def label(self, tree: _Tree) -> str:
        value = self.string(tree)
        if not isinstance(value, Literal) or not isinstance(value.value, str):
            raise HclSyntaxError(
                "template sequences are not allowed in a block label (use $${ for a literal ${)",
                value.loc,
            )
        return value.value

    # Expressions ------------------------------------------------------------------------

    def expr(self, tree: _Tree) -> Expr:
        # expr_term wraps every term; only the "( expr )" form carries meaning.
        while tree.data == "expr_term" and len(tree.children) == 1:
            tree = cast(_Tree, tree.children[0])
        self.depth += 1
        if self.depth > MAX_EXPRESSION_DEPTH:
            raise HclSyntaxError(self.too_deep(), self.loc(_first_token(tree)))
        handler = _EXPRESSION_HANDLERS.get(tree.data)
        if handler is None:
            raise HclSyntaxError(f"unsupported syntax ({tree.data})", self.loc(_first_token(tree)))
        result = handler(self, tree)
        self.depth -= 1
        return result

    def parens(self, tree: _Tree) -> Expr:
        return Parens(self.loc(_first_token(tree)), self.expr(_subtrees(tree)[0]))

    def int_lit(self, tree: _Tree) -> Expr:
        token = _first_token(tree)
        return Literal(self.loc(token), _whole_number(str(token.value)))

    def float_lit(self, tree: _Tree) -> Expr:
        token = _first_token(tree)
        return Literal(self.loc(token), float(token.value))

    def literal_value(self, tree: _Tree) -> Expr:
        token = _first_token(tree)
        return Literal(self.loc(token), _LITERAL_VALUES[token.value])

    def identifier(self, tree: _Tree) -> Expr:
        token = _first_token(tree)
        return Variable(self.loc(token), str(token.value))

    def tuple_expr(self, tree: _Tree) -> Expr:
        items = tuple(self.expr(child) for child in _subtrees(tree))
        return TupleExpr(self.loc(_first_token(tree)), items)

    def object_expr(self, tree: _Tree) -> Expr:
        items = []
        for element in _subtrees(tree):
            key_node, _separator, value_node = element.children
            key = self.object_key(cast(_Tree, key_node))
            items.append(ObjectItem(key, self.expr(cast(_Tree, value_node)), key.loc))
        return ObjectExpr(self.loc(_first_token(tree)), tuple(items))

    def object_key(self, tree: _Tree) -> Expr:
        # A bare name is the key itself, as in Terraform: { name = 1 } has the key "name".
        node = tree.children[0]
        while isinstance(node, Tree) and node.data == "expr_term" and len(node.children) == 1:
            node = node.children[0]
        if isinstance(node, Tree) and node.data in ("identifier", "keyword", "literal_value"):
            token = _first_token(node)
            return Literal(self.loc(token), str(token.value))
        return self.expr(cast(_Tree, node))

    def function_call(self, tree: _Tree) -> Expr:
        names: list[str] = []
        args: tuple[Expr, ...] = ()
        expand_final = False
        for child in tree.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "identifier":
                names.append(str(_first_token(child).value))
            elif child.data == "arguments":
                args = tuple(self.expr(arg) for arg in _subtrees(child))
                expand_final = any(
                    isinstance(t, Token) and t.type == "ELLIPSIS" for t in child.children
                )
        return Call(self.loc(_first_token(tree)), "::".join(names), args, expand_final)

    def get_attr_expr_term(self, tree: _Tree) -> Expr:
        target_node, traversal = tree.children
        return self.traverse(self.expr(cast(_Tree, target_node)), cast(_Tree, traversal))

    index_expr_term = get_attr_expr_term

    def traverse(self, target: Expr, traversal: _Tree) -> Expr:
        """Apply one ``.name``, ``[key]`` or legacy ``.0`` step to ``target``."""
        kind = traversal.data
        if kind == "get_attr":
            name = _first_token(traversal.children[1])
            return GetAttr(target.loc, target, str(name.value))
        if kind == "short_index":
            number = cast(Token, traversal.children[1])
            return Index(
                target.loc, target, Literal(self.loc(number), _whole_number(str(number.value)))
            )
        key = self.expr(_subtrees(traversal)[0])  # braces_index
        return Index(target.loc, target, key)

    def full_splat_expr_term(self, tree: _Tree) -> Expr:
        target_node, splat = tree.children
        target = self.expr(cast(_Tree, target_node))
        splat = cast(_Tree, splat)
        item: Expr = SplatItem(self.loc(_first_token(splat)))
        attribute_only = splat.data == "attr_splat"
        steps = _subtrees(splat)
        index = 0
        # "a.*" (the legacy attribute-only splat) applies only ".name" and ".0" steps to each
        # element; a "[key]" ends it and applies to the resulting list, as in HCL.
        while index < len(steps) and not (attribute_only and steps[index].data == "braces_index"):
            item = self.traverse(item, steps[index])
            index += 1
        result: Expr = Splat(target.loc, target, item)
        for step in steps[index:]:
            result = self.traverse(result, step)
        return result

    attr_splat_expr_term = full_splat_expr_term

    def for_intro(self, tree: _Tree) -> tuple[str | None, str, Expr]:
        names = [str(_first_token(c).value) for c in _subtrees(tree) if c.data == "identifier"]
        collection = next(c for c in _subtrees(tree) if c.data != "identifier")
        key_var = names[0] if len(names) == 2 else None
        return key_var, names[-1], self.expr(collection)

    def for_tuple_expr(self, tree: _Tree) -> Expr:
        intro, value, *rest = _subtrees(tree)
        key_var, value_var, collection = self.for_intro(intro)
        condition = self.expr(_subtrees(rest[0])[0]) if rest else None
        return ForExpr(
            self.loc(_first_token(tree)),
            key_var,
            value_var,
            collection,
            None,
            self.expr(value),
            condition,
        )

    def for_object_expr(self, tree: _Tree) -> Expr:
        intro, key, value, *rest = _subtrees(tree)
        key_var, value_var, collection = self.for_intro(intro)
        condition = self.expr(_subtrees(rest[0])[0]) if rest else None
        group = any(isinstance(t, Token) and t.type == "ELLIPSIS" for t in tree.children)
        return ForExpr(
            self.loc(_first_token(tree)),
            key_var,
            value_var,
            collection,
            self.expr(key),
            self.expr(value),
            condition,
            group,
        )

    def conditional(self, tree: _Tree) -> Expr:
        condition, then, otherwise = (self.expr(c) for c in _subtrees(tree))
        return Conditional(condition.loc, condition, then, otherwise)

    def binary_op(self, tree: _Tree) -> Expr:
        left_node, term = _subtrees(tree)
        operator, right_node = _subtrees(term)
        left = self.expr(left_node)
        symbol = _OPERATOR_SYMBOLS[_first_token(operator).type]
        return Binary(left.loc, symbol, left, self.expr(right_node))

    def unary_op(self, tree: _Tree) -> Expr:
        operator = _first_token(tree)
        operand = self.expr(_subtrees(tree)[0])
        loc = self.loc(operator)
        if operator.type == "MINUS" and isinstance(operand, Literal):
            number = operand.value
            # The lexer reads "-7.5" as one number but "-7" as minus and 7; make both numbers.
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                return Literal(loc, -number)
        return Unary(loc, _OPERATOR_SYMBOLS[operator.type], operand)

    # Templates --------------------------------------------------------------------------

    def string(self, tree: _Tree) -> Expr:
        children = tree.children
        loc = self.loc(cast(Token, children[0]))
        items: list[_TemplateItem] = []
        for part in children[1:-1]:
            item = cast(_Tree, part).children[0]
            if isinstance(item, Token):
                text = item.value
                if item.type != "STRING_CHARS":  # "$${..." or "%%{...": the first char escapes
                    text = text[1:]
                items.append(_Text(self.unescape(text, item), self.loc(item)))
            elif item.data == "interpolation":
                opener, closer = (c for c in item.children if isinstance(c, Token))
                expression = self.expr(_subtrees(item)[0])
                strip_before = self.source.startswith("~", _int(opener.end_pos))
                strip_after = self.source.startswith("~", _int(closer.start_pos) - 1)
                items.append(_Interpolation(expression, strip_before, strip_after))
            else:
                items.append(self.directive(item))
        if len(items) == 1 and isinstance(items[0], _Text):
            return Literal(loc, items[0].text)  # the common case: no sequences
        return _build_template(items, loc, flush=False)

    def template_string(self, tree: _Tree) -> Expr:
        token = _first_token(tree)  # \"text\" inside a template sequence
        return Literal(self.loc(token), self.unescape(token.value[2:-2], token))

    def directive(self, tree: _Tree) -> _Directive:
        tokens = [c for c in tree.children if isinstance(c, Token)]
        keyword_index = 2 if tokens[1].type == "STRIP_MARKER" else 1
        directive = _Directive(
            tokens[keyword_index].value,
            self.loc(tokens[0]),
            strip_before=keyword_index == 2,
            strip_after=tokens[-2].type == "STRIP_MARKER",
        )
        subtrees = _subtrees(tree)
        names = [str(_first_token(c).value) for c in subtrees if c.data == "identifier"]
        expressions = [c for c in subtrees if c.data != "identifier"]
        if expressions:
            directive.expr = self.expr(expressions[0])
        if names:
            directive.value_var = names[-1]
            directive.key_var = names[0] if len(names) == 2 else None
        return directive

    def heredoc(self, tree: _Tree) -> Expr:
        token = _first_token(tree)
        header = re.match(r"<<(-?)[^\r\n]*\r?\n", token.value)
        assert header is not None  # the terminal's pattern guarantees it
        # The body runs to the newline before the closing marker's line (that newline is part
        # of the value, as in Terraform).
        closing_line_start = token.value.rstrip("\r\n").rfind("\n") + 1
        text = token.value[header.end() : closing_line_start]
        start = self.loc(token)
        positions = _TextPositions(text, start.line + 1, 1, single_line=False)
        items = _TemplateScanner(
            text, self.path, positions, self.depth, by_line=True, blocks=self.blocks
        ).scan()
        return _build_template(items, start, flush=header.group(1) == "-")

    def unescape(self, text: str, token: Token) -> str:
        if "\\" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            escaped = match.group(1)
            simple = _SIMPLE_ESCAPES.get(escaped)
            if simple is not None:
                return simple
            digits = match.group(2) or match.group(3)
            if digits and int(digits, 16) <= sys.maxunicode:
                return chr(int(digits, 16))
            loc = self.loc(token)
            column = loc.column + (match.start() if "\n" not in text[: match.start()] else 0)
            raise HclSyntaxError(
                f"invalid escape sequence {_quote(match.group())} in a string",
                Location(loc.path, loc.line, column),
            )

        return _ESCAPE.sub(replace, text)


_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|.?)", re.DOTALL)

_EXPRESSION_HANDLERS: dict[str, Callable[[_Converter, _Tree], Expr]] = {
    "expr_term": _Converter.parens,
    "int_lit": _Converter.int_lit,
    "float_lit": _Converter.float_lit,
    "literal_value": _Converter.literal_value,
    "identifier": _Converter.identifier,
    "string": _Converter.string,
    "template_string": _Converter.template_string,
    "tuple": _Converter.tuple_expr,
    "object": _Converter.object_expr,
    "function_call": _Converter.function_call,
    "get_attr_expr_term": _Converter.get_attr_expr_term,
    "index_expr_term": _Converter.index_expr_term,
    "full_splat_expr_term": _Converter.full_splat_expr_term,
    "attr_splat_expr_term": _Converter.attr_splat_expr_term,
    "for_tuple_expr": _Converter.for_tuple_expr,
    "for_object_expr": _Converter.for_object_expr,
    "conditional": _Converter.conditional,
    "binary_op": _Converter.binary_op,
    "unary_op": _Converter.unary_op,
    "heredoc_template": _Converter.heredoc,
    "heredoc_template_trim": _Converter.heredoc,
}


# --------------------------------------------------------------------------------------------
# Templates: scanning heredoc bodies and JSON strings, and building the tree
# --------------------------------------------------------------------------------------------


class _Text:
    """Literal template text (escapes already processed)."""

    __slots__ = ("loc", "text")

    def __init__(self, text: str, loc: Location) -> None:
        self.text = text
        self.loc = loc


class _Interpolation:
    __slots__ = ("expr", "strip_after", "strip_before")

    def __init__(self, expr: Expr, strip_before: bool, strip_after: bool) -> None:
        self.expr = expr
        self.strip_before = strip_before
        self.strip_after = strip_after


class _Directive:
    """One ``%{ if }``, ``%{ else }``, ``%{ endif }``, ``%{ for }`` or ``%{ endfor }``."""

    __slots__ = ("expr", "key_var", "keyword", "loc", "strip_after", "strip_before", "value_var")

    def __init__(self, keyword: str, loc: Location, strip_before: bool, strip_after: bool) -> None:
        self.keyword = keyword
        self.loc = loc
        self.strip_before = strip_before
        self.strip_after = strip_after
        self.expr: Expr | None = None
        self.key_var: str | None = None
        self.value_var = ""


_TemplateItem = _Text | _Interpolation | _Directive


class _TextPositions:
    """Maps offsets in a template's text to positions in the file."""

    __slots__ = ("column", "line", "line_starts")

    def __init__(self, text: str, line: int, column: int, single_line: bool) -> None:
        self.line = line
        self.column = column
        self.line_starts = [0]
        if not single_line:
            self.line_starts += [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.line_starts, offset) - 1
        column = offset - self.line_starts[index] + 1
        if index == 0:
            column += self.column - 1
        return self.line + index, column


_SEQUENCE_START = re.compile(r"\$\$\{|%%\{|\$\{|%\{")
# What matters while looking for the "}" that closes a sequence: quotes, escapes, braces.
_SEQUENCE_SCAN = re.compile(r'\\|"|\$\$\{|%%\{|\$\{|%\{|\{|\}')


def _find_sequence_end(text: str, start: int) -> int:
    """Index of the "}" closing the sequence whose body starts at ``start``, or -1.

    Tracks nested braces and quoted strings (with their own ``${...}``) inside the expression.
    """
    stack = [0]  # brace depth per open expression; -1 marks an open quoted string
    position = start
    while True:
        match = _SEQUENCE_SCAN.search(text, position)
        if match is None:
            return -1
        found = match.group()
        position = match.end()
        if stack[-1] < 0:  # inside a quoted string
            if found == '"':
                stack.pop()
            elif found == "\\":
                position += 1
            elif found in ("${", "%{"):
                stack.append(0)
        elif found == '"':
            stack.append(-1)
        elif found == "}":
            if stack[-1] == 0:
                stack.pop()
                if not stack:
                    return match.start()
            else:
                stack[-1] -= 1
        elif found != "\\":
            stack[-1] += 1


class _TemplateScanner:
    """Splits template text into literal text, interpolations and directives.

    With ``by_line`` (heredocs), literal text is cut after each newline, as HCL's scanner does;
    strip markers and ``<<-`` indentation removal work on those pieces.
    """

    __slots__ = ("blocks", "by_line", "depth", "items", "path", "positions", "text")

    def __init__(
        self,
        text: str,
        path: str,
        positions: _TextPositions,
        depth: int,
        *,
        by_line: bool,
        blocks: int = 0,
    ) -> None:
        self.text = text
        self.path = path
        self.positions = positions
        self.depth = depth
        self.blocks = blocks  # as in _Converter
        self.by_line = by_line
        self.items: list[_TemplateItem] = []

    def loc(self, offset: int) -> Location:
        return Location(self.path, *self.positions.at(offset))

    def scan(self) -> list[_TemplateItem]:
        text = self.text
        position = 0
        while True:
            match = _SEQUENCE_START.search(text, position)
            if match is None:
                self.add_text(position, text[position:])
                return self.items
            self.add_text(position, text[position : match.start()])
            opener = match.group()
            if len(opener) == 3:  # "$${" or "%%{" stand for a literal "${" or "%{"
                self.add_text(match.start() + 1, opener[1:])
                position = match.end()
            else:
                position = self.add_sequence(match.start(), opener)

    def add_text(self, offset: int, piece: str) -> None:
        if not piece:
            return
        if self.by_line and "\n" in piece[:-1]:
            for line in piece.splitlines(keepends=True):
                self.items.append(_Text(line, self.loc(offset)))
                offset += len(line)
            return
        self.items.append(_Text(piece, self.loc(offset)))

    def add_sequence(self, start: int, opener: str) -> int:
        """Add the ``${...}`` or ``%{...}`` starting at ``start``; return the offset after it."""
        text = self.text
        close = _find_sequence_end(text, start + 2)
        if close < 0:
            raise HclSyntaxError(
                f"unterminated template sequence: no closing '}}' for '{opener}'", self.loc(start)
            )
        inner_start, inner_end = start + 2, close
        strip_before = text.startswith("~", inner_start)
        inner_start += strip_before
        strip_after = inner_end > inner_start and text[inner_end - 1] == "~"
        inner_end -= strip_after
        if opener == "${":
            expression = self.expression(inner_start, inner_end)
            self.items.append(_Interpolation(expression, strip_before, strip_after))
        else:
            directive = _Directive("", self.loc(start), strip_before, strip_after)
            self.fill_directive(directive, inner_start, inner_end)
            self.items.append(directive)
        return close + 1

    def expression(self, start: int, end: int) -> Expr:
        line, column = self.positions.at(start)
        return _parse_expression(
            self.text[start:end], self.path, line, column, self.depth, blocks=self.blocks
        )

    def fill_directive(self, directive: _Directive, start: int, end: int) -> None:
        """Fill in ``directive`` from the text between ``%{`` and ``}`` (no strip markers)."""
        keyword = _DIRECTIVE_KEYWORD.match(self.text, start, end)
        if keyword is None:
            raise HclSyntaxError(
                "invalid template directive: expected if, for, else, endif or endfor",
                directive.loc,
            )
        directive.keyword = keyword.group(1)
        rest = keyword.end()
        if directive.keyword == "for":
            header = _FOR_HEADER.match(self.text, rest, end)
            if header is None:
                raise HclSyntaxError(
                    "invalid 'for' directive: expected '%{ for name in collection }' "
                    "or '%{ for key, value in collection }'",
                    directive.loc,
                )
            directive.key_var = header.group(1) if header.group(2) else None
            directive.value_var = header.group(2) or header.group(1)
            rest = header.end()
        if directive.keyword in ("if", "for"):
            directive.expr = self.expression(rest, end)
        elif self.text[rest:end].strip():
            raise HclSyntaxError(
                f"extra characters in the {directive.keyword} directive", directive.loc
            )


_DIRECTIVE_KEYWORD = re.compile(r"\s*(if|else|endif|for|endfor)\b")
_FOR_HEADER = re.compile(
    r"\s*([A-Za-z_][A-Za-z0-9_-]*)(?:\s*,\s*([A-Za-z_][A-Za-z0-9_-]*))?\s+in\b"
)


def _build_template(items: list[_TemplateItem], loc: Location, *, flush: bool) -> Expr:
    """Apply strip markers (and ``<<-`` indentation removal), then nest if/for directives.

    Returns a Literal when there are no sequences at all, else a Template.
    """
    _apply_strip_markers(items)
    if flush:
        _remove_common_indentation(items)
    if all(isinstance(item, _Text) for item in items):
        return Literal(loc, "".join(cast(_Text, item).text for item in items))
    return Template(loc, _nest_directives(items))


def _apply_strip_markers(items: list[_TemplateItem]) -> None:
    # As in HCL: "~" trims whitespace from the adjacent literal piece only.
    for index, item in enumerate(items):
        if isinstance(item, _Text):
            continue
        if item.strip_before and index > 0:
            previous = items[index - 1]
            if isinstance(previous, _Text):
                previous.text = previous.text.rstrip()
        if item.strip_after and index + 1 < len(items):
            following = items[index + 1]
            if isinstance(following, _Text):
                following.text = following.text.lstrip()


def _remove_common_indentation(items: list[_TemplateItem]) -> None:
    """``<<-``: remove the smallest indentation of the non-blank lines from every line.

    Follows Terraform: whitespace-only lines neither count nor change, and a line that starts
    with a sequence has no indentation.
    """
    smallest = sys.maxsize
    line_starts: list[_Text] = []
    at_line_start = True
    for item in items:
        if at_line_start:
            at_line_start = False
            if isinstance(item, _Text):
                stripped = item.text.lstrip()
                if stripped or not item.text.endswith("\n"):
                    smallest = min(smallest, len(item.text) - len(stripped))
                    line_starts.append(item)
            else:
                smallest = 0
        if isinstance(item, _Text) and item.text.endswith("\n"):
            at_line_start = True
    if smallest in (0, sys.maxsize):
        return
    for text in line_starts:
        text.text = text.text[smallest:]
        text.loc = Location(text.loc.path, text.loc.line, text.loc.column + smallest)


class _OpenDirective:
    """An ``%{ if }`` or ``%{ for }`` whose parts are being collected (or the template root)."""

    __slots__ = ("directive", "otherwise", "then")

    def __init__(self, directive: _Directive | None) -> None:
        self.directive = directive
        self.then: list[Expr | _Text] = []
        self.otherwise: list[Expr | _Text] | None = None

    def parts(self) -> list[Expr | _Text]:
        return self.then if self.otherwise is None else self.otherwise


def _nest_directives(items: list[_TemplateItem]) -> tuple[Expr, ...]:
    """Turn the flat item list into template parts, with TemplateIf/TemplateFor nested."""
    stack = [_OpenDirective(None)]
    for item in items:
        top = stack[-1]
        if isinstance(item, _Text):
            top.parts().append(item)
        elif isinstance(item, _Interpolation):
            top.parts().append(item.expr)
        elif item.keyword in ("if", "for"):
            stack.append(_OpenDirective(item))
            if len(stack) > MAX_EXPRESSION_DEPTH:
                raise HclSyntaxError("template directives nest too deeply", item.loc)
        else:
            opened = top.directive
            expected = "for" if item.keyword == "endfor" else "if"
            if opened is None or opened.keyword != expected:
                raise HclSyntaxError(f"unexpected %{{ {item.keyword} }} directive", item.loc)
            if item.keyword == "else":
                if top.otherwise is not None:
                    raise HclSyntaxError("an %{ if } directive can have only one else", item.loc)
                top.otherwise = []
                continue
            stack.pop()
            stack[-1].parts().append(_close_directive(top, opened))
    if len(stack) > 1:
        opened = cast(_Directive, stack[-1].directive)
        closing = "endif" if opened.keyword == "if" else "endfor"
        raise HclSyntaxError(
            f"%{{ {opened.keyword} }} directive has no matching %{{ {closing} }}", opened.loc
        )
    return _merge_text(stack[0].then)


def _close_directive(frame: _OpenDirective, opened: _Directive) -> Expr:
    body = Template(opened.loc, _merge_text(frame.then))
    subject = cast(Expr, opened.expr)
    if opened.keyword == "for":
        return TemplateFor(opened.loc, opened.key_var, opened.value_var, subject, body)
    otherwise = None
    if frame.otherwise is not None:
        otherwise = Template(opened.loc, _merge_text(frame.otherwise))
    return TemplateIf(opened.loc, subject, body, otherwise)


def _merge_text(parts: list[Expr | _Text]) -> tuple[Expr, ...]:
    """Template parts: runs of literal text become one Literal; empty text disappears."""
    merged: list[Expr] = []
    run: list[_Text] = []
    for part in [*parts, None]:
        if isinstance(part, _Text):
            if part.text:
                run.append(part)
            continue
        if run:
            merged.append(Literal(run[0].loc, "".join(t.text for t in run)))
            run = []
        if part is not None:
            merged.append(part)
    return tuple(merged)


# --------------------------------------------------------------------------------------------
# Sub-parses: the expression inside a template sequence
# --------------------------------------------------------------------------------------------

_WRAPPER = "_=("


def _parse_expression(
    text: str, path: str, line: int, column: int, depth: int, *, blocks: int = 0
) -> Expr:
    """Parse ``text`` as one expression located at ``line:column`` (for template sequences)."""
    line_shift = line - 1
    col_shift = column - 1 - len(_WRAPPER)
    source = f"{_WRAPPER}{text})\n"
    try:
        tree = _parse_source(source, path, line_shift, col_shift)
    except HclSyntaxError as exc:
        # An error at our closing ")" means the expression ended too early.
        end_line, end_column = _end_of(source[:-2])
        end = Location(
            path, end_line + line_shift, end_column + (col_shift if end_line == 1 else 0)
        )
        if exc.location == end and exc.message.startswith("unexpected ')'"):
            message = "unexpected end of expression" + exc.message[len("unexpected ')'") :]
            raise HclSyntaxError(message, end) from None
        raise
    converter = _Converter(source, path, line_shift, col_shift, depth, blocks=blocks)
    try:
        body = converter.body(_first_subtree(tree))
    except RecursionError:
        raise HclSyntaxError("expression nests too deeply", Location(path, line, column)) from None
    value = body.attributes[0].value if len(body.attributes) == 1 and not body.blocks else None
    if not isinstance(value, Parens):
        raise HclSyntaxError(
            "invalid expression in a template sequence", Location(path, line, column)
        )
    return value.expr
