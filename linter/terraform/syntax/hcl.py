"""HCL native syntax (``*.tf``) to our syntax tree, with exact source positions.

tree-sitter-hcl parses the file (in C); this module walks its concrete syntax tree once and
builds :mod:`linter.terraform.syntax.ast`. Nothing shaped like tree-sitter's nodes leaves it.

tree-sitter's grammar is more forgiving than HCL in a few places, so the walk adds HCL's rules:

* newlines are significant in bodies and object constructors (tree-sitter ignores them
  everywhere): an attribute ends at the end of its line unless brackets, parentheses, a
  template sequence or a for-expression are open, or the line ends next to a binary operator
  or a ``?``/``:`` of a conditional;
* ``a ? b : c ? d : e`` nests to the right (tree-sitter-hcl 1.2 nests it to the left);
* what tree-sitter-hcl 1.2 misreads is handed to it as other text of the same length (every
  offset stays the same; the converter reads the real source): numbers such as ``1e3`` (an
  exponent without a fraction), a byte order mark, form feed or vertical tab (whitespace to
  tree-sitter, not to HCL), and the text of strings and heredocs, blanked (tree-sitter makes
  a token of nearly every character of it: half its parse time), where the tree it gives
  back shows that the blanks lay in text (see _blanked);
* string escapes, ``$${``/``%%{``, strip markers and template directives are interpreted
  here; heredoc bodies and ``.tf.json`` strings are split by a small scanner, and each
  ``${...}``/``%{...}`` sequence's expression is parsed on its own;
* limits on nesting, so hostile input ends in :class:`HclSyntaxError`, never RecursionError.

tree-sitter recovers from syntax errors; any ERROR or MISSING node makes the parse fail with a
one-line message at the first token tree-sitter could not accept (read from its parse log; its
ERROR nodes may start earlier), saying what it expected there.
"""

from __future__ import annotations

import gc
import itertools
import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from operator import attrgetter
from typing import cast

import tree_sitter_hcl
from tree_sitter import Language, Node, Parser, Range, Tree

from linter.core.collector import in_run
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
    make_location,
)

__all__ = ["HclSyntaxError", "parse_expression", "parse_hcl", "parse_template"]

# Brackets of any kind open at once. Real configurations stay far below this; the limit stops
# pathological input (10,000 nested "[") before we walk a tree that deep.
MAX_BRACKET_NESTING = 100
# Nesting of expressions (each operator, call, attribute access or bracket is one level) and of
# the blocks around them (each block inside another block is one level too), which bounds the
# recursion of everything that walks the syntax tree afterwards (the cache's encoder and
# decoder, the evaluator): a tree may be deep in blocks or in expressions, never both at once.
MAX_EXPRESSION_DEPTH = 200


class HclSyntaxError(LocatedError):
    """The input is not valid HCL (or Terraform JSON); ``location`` says where."""

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------------------------
# The tree-sitter grammar
# --------------------------------------------------------------------------------------------

_LANGUAGE = Language(tree_sitter_hcl.language())


def _kinds(name: str, *, named: bool = True) -> frozenset[int]:
    """Every node kind id with this name (an alias can give a name several ids)."""
    found = frozenset(
        kind
        for kind in range(_LANGUAGE.node_kind_count)
        if _LANGUAGE.node_kind_for_id(kind) == name and _LANGUAGE.node_kind_is_named(kind) == named
    )
    if not found:
        raise AssertionError(f"tree-sitter-hcl has no node kind {name!r}")
    return found


def _kind(name: str, *, named: bool = True) -> int:
    return min(_kinds(name, named=named))


_ATTRIBUTE = _kind("attribute")
_BLOCK = _kind("block")
_BODY = _kind("body")
_COMMENT = _kind("comment")
_IDENTIFIER = _kind("identifier")
_STRING_LIT = _kind("string_lit")
_BLOCK_START = _kind("block_start")
_EXPRESSION = _kind("expression")
_OPERATION = _kind("operation")
_CONDITIONAL = _kind("conditional")
_BINARY = _kind("binary_operation")
_UNARY = _kind("unary_operation")
_LITERAL_VALUE = _kind("literal_value")
_TEMPLATE_EXPR = _kind("template_expr")
_QUOTED_TEMPLATE = _kind("quoted_template")
_HEREDOC = _kind("heredoc_template")
_HEREDOC_START = _kind("heredoc_start")
_HEREDOC_IDENTIFIER = _kind("heredoc_identifier")
_COLLECTION = _kind("collection_value")
_TUPLE = _kind("tuple")
_OBJECT = _kind("object")
_OBJECT_ELEM = _kind("object_elem")
_VARIABLE = _kind("variable_expr")
_FUNCTION_CALL = _kind("function_call")
_FUNCTION_ARGUMENTS = _kind("function_arguments")
_ELLIPSIS = _kind("ellipsis")
_FOR_EXPR = _kind("for_expr")
_FOR_TUPLE = _kind("for_tuple_expr")
_FOR_INTRO = _kind("for_intro")
_FOR_COND = _kind("for_cond")
_INDEX = _kind("index")
_NEW_INDEX = _kind("new_index")
_GET_ATTR = _kind("get_attr")
_SPLAT = _kind("splat")
_ATTR_SPLAT = _kind("attr_splat")
_TEMPLATE_LITERAL = _kind("template_literal")
_INTERPOLATION = _kind("template_interpolation")
_DIRECTIVE = _kind("template_directive")
_TEMPLATE_IF = _kind("template_if")
_TEMPLATE_FOR = _kind("template_for")
_TEMPLATE_FOR_START = _kind("template_for_start")
_TEMPLATE_IF_INTRO = _kind("template_if_intro")
_TEMPLATE_ELSE_INTRO = _kind("template_else_intro")
_STRIP_MARKER = _kind("strip_marker")
_QUOTED_TEMPLATE_START = _kind("quoted_template_start")
_QUOTED_TEMPLATE_END = _kind("quoted_template_end")
_LPAREN = _kind("(", named=False)
_MINUS = _kind("-", named=False)
_COMMA = _kind(",", named=False)
_EQUALS = _kind("=", named=False)
# Keywords tree-sitter-hcl also finds at the start of a longer name ("indata").
_KEYWORDS = frozenset(
    _kind(word, named=False) for word in ("for", "in", "if", "else", "endif", "endfor")
)
_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_DIGITS = frozenset(b"0123456789")

_BINARY_OPERATORS = {
    _kind(symbol, named=False): symbol
    for symbol in ("||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%")
}
_UNARY_OPERATORS = {_kind(symbol, named=False): symbol for symbol in ("-", "!")}


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(_LANGUAGE)


# What tree-sitter-hcl 1.2 reads differently from HCL, replaced by text of the same length
# (so every offset stays the same) before tree-sitter sees it; the converter reads the real
# source. "1e3" (an exponent without a fraction) is lexed as the number 1 and the name "e3":
# it gets as many digits. A byte order mark, form feed or vertical tab is whitespace to
# tree-sitter but not to HCL: it gets "@", which is no token either.
_MISREAD = re.compile(rb"(?<![\w.])\d+[eE][+-]?\d+(?![\w.])|\xef\xbb\xbf|[\x0b\x0c]")


_MAYBE_MISREAD = re.compile(rb"[0-9][eE]")


def _for_tree_sitter(source: bytes) -> bytes:
    if (
        _MAYBE_MISREAD.search(source) is None
        and b"\xef\xbb\xbf" not in source
        and b"\x0b" not in source
        and b"\x0c" not in source
    ):
        return source
    return _MISREAD.sub(
        lambda m: (b"1" if m.group()[:1].isdigit() else b"@") * len(m.group()), source
    )


# tree-sitter-hcl makes a token of nearly every character of a string's or a heredoc's text
# (about 170 bytes each: a 1 MB string took 170 MB), but none of blanks; that text is half of
# its parse time on real configurations (dense benchmark: 2.7 s, 1.4 s with the text blanked).
# So tree-sitter is handed the source with that text blanked, byte for byte, and the converter
# reads the text from the real source (it takes a string's text from between its quotes and
# sequences, never from tree-sitter's literal tokens).
#
# Which bytes are text is decided by a small lexer (_text_ranges), so what tree-sitter makes of
# the blanked source is checked before it is used: every blanked range must lie in text in the
# tree that comes back (_in_text). Then it lies in text in the real source's tree too: both
# trees agree up to the first range (the bytes before it are the same), so tree-sitter enters
# it in text; a blanked byte is never one that can change what follows in text (a quote, a
# backslash, "$" or "%" that may open a sequence, a line break), and no heredoc line that may
# be its closing marker is blanked; so both leave the range as they entered it, and so on to
# the next range. A tree that fails the check, or that has an error, is made again from the
# real source, as is every file whose conversion finds an error, so that messages and
# locations never depend on the blanking.
_BLANKED = bytes(byte if byte in b'$%"\\\n\r' else 0x20 for byte in range(256))
_MIN_BLANKED = 8  # shorter text costs tree-sitter little, and each range costs a check
_TEXT_KINDS = frozenset(
    kind
    for name in ("template_literal", "string_lit", "quoted_template", "heredoc_template")
    for kind in _kinds(name)
)
# Below this size, a file that fails to parse is reported from a parse of its real source; a
# larger one from its blanked source, to bound the memory its error costs.
_LARGE_FILE = 512 * 1024


_ByteRange = tuple[int, int]


def _blanked(
    source: bytes, first: int = 0, last: int | None = None
) -> tuple[bytes, list[_ByteRange]]:
    """The bytes tree-sitter parses for ``source`` (same length, same structure) and the
    ranges blanked in them: the text of strings and heredocs, from ``first`` (in code) to
    ``last`` (see the comment above)."""
    given = _for_tree_sitter(source)
    regions = [
        (start, end)
        for start, end in _text_ranges(given, first, last)
        if end - start >= _MIN_BLANKED
    ]
    if not regions:
        return given, regions
    pieces = []
    done = 0
    for start, end in regions:
        pieces.append(given[done:start])
        pieces.append(given[start:end].translate(_BLANKED))
        done = end
    pieces.append(given[done:])
    return b"".join(pieces), regions


def _in_text(root: Node, regions: Sequence[_ByteRange]) -> bool:
    """Whether every blanked range lies in the text of a string or heredoc of this tree."""
    covering = root.descendant_for_byte_range
    for start, end in regions:
        node = covering(start, end)
        if node is None or node.kind_id not in _TEXT_KINDS:
            return False
    return True


# What matters to find the text of strings and heredocs: in code, in a string, in a heredoc.
# In code, a whole string with nothing to interpret (most of them) is one match.
_TOKENS = rb'"([^"\\$%\n]*)"|"|#|//|/\*|<<-?([A-Za-z][A-Za-z0-9._-]*)\r?\n'
# Braces matter only inside a template sequence (one closes it): code outside any, most of a
# file, is scanned without stopping at the braces of its blocks and objects.
_CODE_SCAN = re.compile(_TOKENS + rb"|\{|\}")
_OUTER_CODE_SCAN = re.compile(_TOKENS)
_STRING_SCAN_BYTES = re.compile(rb'\\.|\$\$\{|%%\{|\$\{|%\{|"', re.DOTALL)
_HEREDOC_SCAN = re.compile(rb"\$\$\{|%%\{|\$\{|%\{|\n")


def _text_ranges(
    source: bytes, first: int = 0, last: int | None = None
) -> Iterator[tuple[int, int]]:
    """The byte ranges of string and heredoc text, found by a small HCL lexer (from
    ``first``, in code, to ``last``).

    Only a guess on invalid input: a parse of the blanked source that fails is done again on
    the real one (see _tree).
    """
    # What each open "{" returns to: None (code), b'"' (a string) or a heredoc's mode.
    stack: list[bytes | None] = []
    position = first
    end = len(source) if last is None else last
    mode: bytes | None = None  # None: code; b'"': a string; b"\n" + marker: a heredoc
    while position < end:
        if mode is None:
            match = (_CODE_SCAN if stack else _OUTER_CODE_SCAN).search(source, position, end)
            if match is None:
                return
            position = match.end()
            if match.start(1) >= 0:  # a plain string: its text, and still in code
                yield match.span(1)
                continue
            found = match.group()
            if found == b'"':
                mode = b'"'
            elif found in (b"#", b"//"):
                newline = source.find(b"\n", position)
                position = end if newline < 0 else newline + 1
            elif found == b"/*":
                closing = source.find(b"*/", position)
                position = end if closing < 0 else closing + 2
            elif found == b"{":
                stack.append(None)
            elif found == b"}":
                mode = stack.pop() if stack else None
            else:
                mode = b"\n" + match.group(2)
                position -= 1  # the heredoc's text starts after its first newline
        else:
            scan = _STRING_SCAN_BYTES if mode == b'"' else _HEREDOC_SCAN
            match = scan.search(source, position, end)
            stop = end if match is None else match.start()
            # Never a heredoc line that begins with its marker: it may close the heredoc.
            if mode == b'"' or not source[position:stop].lstrip().startswith(mode[1:]):
                yield position, stop
            if match is None:
                return
            position = match.end()
            found = match.group()
            if found == b'"':
                mode = None
            elif found in (b"${", b"%{"):
                stack.append(mode)
                mode = None
            elif found == b"\n":
                line_end = source.find(b"\n", position)
                line = source[position : end if line_end < 0 else line_end]
                if line.strip() == mode[1:]:
                    mode = None
                    position = end if line_end < 0 else line_end


def _tree(source: bytes) -> tuple[Tree, bool]:
    """tree-sitter's tree of ``source``: of its blanked text when that tree can be trusted;
    and whether it is that one."""
    given, regions = _blanked(source)
    tree = _parser().parse(given)
    if not regions:
        return tree, False
    if tree.root_node.has_error or not _in_text(tree.root_node, regions):
        return _real_tree(source), False
    return tree, True


def _real_tree(source: bytes) -> Tree:
    """tree-sitter's tree of the source as it is (but for what it misreads)."""
    return _parser().parse(_for_tree_sitter(source))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is parsed; in a run, freeze what the
    parse built before it resumes.

    Converting allocates hundreds of thousands of small objects (tree-sitter nodes, locations,
    AST nodes) and creates no reference cycles. With the collector running, each full
    collection re-traverses every object built so far, so time per block grows with the file.
    Paused, the time per block stays flat. Resumed with the tree's objects waiting in the
    young generation, it would traverse them all at its next allocation only to move them on,
    none being garbage: 92 young collections, 0.39 s of an 8.5 s cold run on the dense
    benchmark. Frozen, they are never traversed, and are still freed by reference counting
    when their root is done. What else is frozen with them is the little cyclic garbage the
    run made since the last parse (tests check that the evaluation makes none from its
    errors), collected when the run ends and unfreezes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if in_run():
            gc.freeze()
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


_SPAN_ORDER = attrgetter("start_line", "end_line")


def parse_hcl(text: str, path: str) -> File:
    """Parse a ``.tf`` file into our syntax tree; raise HclSyntaxError if it is not valid HCL."""
    source = text.encode("utf-8", "surrogatepass")
    with _gc_paused():
        try:
            pieced = _pieced(source, text, path) if len(source) >= _PIECEWISE else None
            converter, body = pieced if pieced is not None else _converted(source, text, path)
        except RecursionError:
            raise HclSyntaxError("expression nests too deeply", Location(path)) from None
    spans = tuple(sorted(converter.spans, key=_SPAN_ORDER))
    return File(path, body, spans)


def _pieced(source: bytes, text: str, path: str) -> tuple[_Converter, Body] | None:
    """The file converted a piece at a time, or None when it does not split (see _in_pieces)."""
    converter = _Converter(source, text, path)
    body = _in_pieces(source, converter)
    return None if body is None else (converter, body)


def _converted(source: bytes, text: str, path: str) -> tuple[_Converter, Body]:
    """The whole file converted; an error is always found in its real source's tree (one
    found in the blanked source's might say less, or say it elsewhere)."""
    converter = _Converter(source, text, path)
    tree, blanked = _tree(source)
    try:
        return converter, converter.file_body(tree.root_node)
    except HclSyntaxError:
        if not blanked:
            raise
    del tree  # tree-sitter's nodes are freed before the next tree is made
    converter = _Converter(source, text, path)
    return converter, converter.file_body(_real_tree(source).root_node)


# A file this large is parsed a piece at a time: tree-sitter's tree takes about 45 bytes of
# memory for each byte of source (230 MB for a file of 20,000 workspaces), and only one piece's
# tree need be alive while it is converted.
_PIECEWISE = 2 * 1024 * 1024
_PIECE = 256 * 1024
# Where a top-level item may start: after a line that is "}", before a line that is blank, a
# comment or begins with a name.
_TOP_LEVEL_START = re.compile(rb"\n\}[ \t]*\r?\n(?=[ \t]*(?:\r?\n|#|//|[A-Za-z_]))")


def _in_pieces(source: bytes, converter: _Converter) -> Body | None:
    """The file's body parsed piece by piece, each piece a run of whole top-level blocks; None
    when the file does not split so (then it is parsed whole, which also reports its errors).

    A piece cut anywhere but between top-level items (inside a heredoc, a comment, an
    expression) ends unfinished, which tree-sitter reports as an error: any error, in any
    piece, and the pieces are dropped for one parse of the whole file. What the converter
    checks across a body (an attribute set twice) is checked across the pieces."""
    bodies = convert_pieces(source, converter, list(_pieces(source)))
    if bodies is None:
        return None
    attributes = [a for body in bodies for a in body.attributes]
    blocks = [b for body in bodies for b in body.blocks]
    if len({a.name for a in attributes}) < len(attributes):
        return None  # an attribute set twice: the whole parse says where, and first where
    return Body(tuple(attributes), tuple(blocks))


Piece = tuple[int, int, int, tuple[int, int]]


def convert_pieces(source: bytes, converter: _Converter, pieces: list[Piece]) -> list[Body] | None:
    """Each piece's body (see _in_pieces); None when one does not parse on its own."""
    if not pieces:
        return []
    given, regions = _blanked(source, pieces[0][0], pieces[-1][1])
    parser = Parser(_LANGUAGE)  # its own: the shared one must keep parsing whole files
    bodies: list[Body] = []
    for start, end, first_row, end_point in pieces:
        parser.included_ranges = [Range((first_row, 0), end_point, start, end)]
        tree = parser.parse(given)
        root = tree.root_node
        inside = regions[bisect_left(regions, (start,)) : bisect_left(regions, (end,))]
        try:
            trusted = not root.has_error and _in_text(root, inside)
            piece = converter.file_body(root) if trusted else None
        except (HclSyntaxError, RecursionError):
            piece = None  # the whole parse reports it, after any error that comes first
        del tree, root
        if piece is None:
            return None
        bodies.append(piece)
    return bodies


def _pieces(source: bytes) -> Iterator[Piece]:
    """(start byte, end byte, start row, end point) of pieces of about _PIECE bytes, cut
    where a top-level block may start (so a piece but the last ends at a line's start)."""
    start, row = 0, 0
    while start < len(source):
        cut = _TOP_LEVEL_START.search(source, start + _PIECE)
        end = len(source) if cut is None else cut.end()
        end_row = row + source.count(b"\n", start, end)
        yield start, end, row, (end_row, end - (source.rfind(b"\n", 0, end) + 1))
        start, row = end, end_row


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
    return _build_template(items, make_location(path, line, column), flush=False)


# --------------------------------------------------------------------------------------------
# Tree-sitter tree to AST
# --------------------------------------------------------------------------------------------


def _whole_number(text: str) -> int | float:
    """An integer literal; one too long for int() (over 4,300 digits) becomes a float (inf)."""
    try:
        return int(text)
    except ValueError:
        return float(text)


_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")
_LITERAL_VALUES: dict[str, bool | None] = {"true": True, "false": False, "null": None}
_TOO_DEEP_BRACKETS = f"brackets nest too deeply (more than {MAX_BRACKET_NESTING} levels)"

# The plain shapes of _Converter.plain_attribute. A name: no "-" (a name may have one, but
# "a-b" is left to the tree), never a keyword or literal (tree-sitter may read those apart).
_PLAIN_WORD = rb"(?!(?:true|false|null|for|in|if|else|endif|endfor)\b)[A-Za-z_][A-Za-z0-9_]*"
# A string with nothing to interpret: no escape, no template sequence, no line break.
_PLAIN_STRING = rb'"[^"\\{}$%\r\n]*"'
_PLAIN_SCALAR = (
    rb"(?:" + _PLAIN_STRING + rb"|[0-9]+(?![0-9.eE])|(?:true|false|null)\b|"
    rb"" + _PLAIN_WORD + rb"(?:\." + _PLAIN_WORD + rb")*(?![\w.\[\-]))"
)
_PLAIN_ITEMS = _PLAIN_SCALAR + rb"(?:[ \t]*,[ \t]*" + _PLAIN_SCALAR + rb")*[ \t]*,?[ \t]*"
_PLAIN_TUPLE = rb"\[[ \t]*(?:" + _PLAIN_ITEMS + rb")?\]"
_PLAIN_ATTRIBUTE = re.compile(
    rb"(" + _PLAIN_WORD + rb")[ \t]*=[ \t]*("
    + _PLAIN_SCALAR + rb"|" + _PLAIN_TUPLE + rb"|\{[ \t]*\n(?s:.*)\})\Z"
)  # fmt: skip
_PLAIN_ITEM = re.compile(_PLAIN_STRING + rb"|[0-9]+|[A-Za-z_][A-Za-z0-9_.]*")
# An object's line: blank, or one item (a trailing comma allowed); and its last line.
_PLAIN_OBJECT_LINE = re.compile(
    rb"[ \t]*(?:(" + _PLAIN_WORD + rb")[ \t]*[=:][ \t]*(" + _PLAIN_SCALAR + rb")[ \t]*,?[ \t]*)?\n"
)
_PLAIN_OBJECT_END = re.compile(rb"[ \t]*\}\Z")
_PLAIN_LITERALS: dict[bytes, bool | None] = {b"true": True, b"false": False, b"null": None}


class _Converter:
    """Converts one tree-sitter tree. ``line_shift``/``col_shift`` place a sub-parse in its file.

    ``significant`` says whether newlines end things where the walk is (in a body or an object
    constructor, not inside brackets). ``deferred`` keeps the first error found while
    converting a well-formed tree (a duplicate attribute, a bad escape, a template directive
    without its end...): syntax errors (brackets, newlines) anywhere in the file come first.
    """

    __slots__ = (
        "blocks",
        "brackets",
        "col_shift",
        "deferred",
        "depth",
        "line_numbers",
        "line_shift",
        "names",
        "path",
        "plain",
        "significant",
        "source",
        "spans",
        "text",
        "texts",
        "wide_rows",
    )

    def __init__(
        self,
        source: bytes,
        text: str,
        path: str,
        *,
        line_shift: int = 0,
        col_shift: int = 0,
        depth: int = 0,
        blocks: int = 0,
        brackets: int = 0,
    ) -> None:
        self.source = source
        self.text = text
        self.path = path
        self.line_shift = line_shift
        self.col_shift = col_shift  # applies to line 1 of the source only
        # Levels of nesting so far (MAX_EXPRESSION_DEPTH), and how many of them are blocks
        # inside blocks; a top-level block (resource, locals...) is no level.
        self.depth = depth
        self.blocks = blocks
        self.brackets = brackets
        self.significant = True
        self.deferred: HclSyntaxError | None = None
        self.spans: list[Span] = []
        # Rows (0-based) holding a non-ASCII character: only there do byte and character
        # columns differ.
        self.wide_rows: frozenset[int] = frozenset()
        if not text.isascii():
            self.wide_rows = frozenset(
                row for row, line in enumerate(text.split("\n")) if not line.isascii()
            )
        # No shift and no wide row: a node's location is its start point plus one (loc's fast
        # path, which most files take for every node).
        self.plain = not self.wide_rows and line_shift == 0 and col_shift == 0
        # Identifier text seen so far and its name, checked (see name_of): a file repeats few
        # names many times, so each is decoded and checked once, and shared.
        self.names: dict[bytes, str] = {}
        # The same for the text of plain string literals ("true", a region, a tag's name).
        self.texts: dict[bytes, str] = {}
        # The line number of each row, made once: the locations of a line share one int
        # (less memory, and less for the collector to visit than an int per location).
        self.line_numbers = list(range(1 + line_shift, source.count(b"\n") + 2 + line_shift))

    # Positions and text ---------------------------------------------------------------

    def loc(self, node: Node) -> Location:
        row, column = node.start_point
        if self.plain:
            return make_location(self.path, self.line_numbers[row], column + 1)
        if self.wide_rows and row in self.wide_rows:
            return self.loc_at(row, column, node.start_byte)
        if row == 0:
            column += self.col_shift
        return make_location(self.path, self.line_numbers[row], column + 1)

    def loc_at(self, row: int, column: int, offset: int) -> Location:
        if self.wide_rows and row in self.wide_rows:
            column = len(self.source[offset - column : offset].decode("utf-8", "surrogatepass"))
        if row == 0:
            column += self.col_shift
        return make_location(self.path, self.line_numbers[row], column + 1)

    def loc_of_offset(self, offset: int) -> Location:
        line_start = self.source.rfind(b"\n", 0, offset) + 1
        row = self.source.count(b"\n", 0, line_start)
        return self.loc_at(row, offset - line_start, offset)

    def string_of(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "surrogatepass")

    def name_of(self, node: Node) -> str:
        """An identifier; only a function's name may have "::" (tree-sitter takes it anywhere)."""
        raw = self.source[node.start_byte : node.end_byte]
        name = self.names.get(raw)
        if name is None:
            if b"::" in raw:
                raise _double_colon(self, node)
            name = self.names[raw] = raw.decode("utf-8", "surrogatepass")
        return name

    @staticmethod
    def kids(node: Node) -> list[Node]:
        """The children of ``node`` without comments."""
        children = node.children
        for child in children:
            if child.kind_id == _COMMENT:
                return _without_comments(children)
        return children

    def defer(self, error: HclSyntaxError) -> None:
        if self.deferred is None:
            self.deferred = error

    # Limits -----------------------------------------------------------------------------

    def open_bracket(self, node: Node) -> None:
        self.brackets += 1
        if self.brackets > MAX_BRACKET_NESTING:
            raise HclSyntaxError(_TOO_DEEP_BRACKETS, self.loc(node))

    def enter(self, levels: int, node: Node) -> None:
        self.depth += levels
        if self.depth > MAX_EXPRESSION_DEPTH:
            raise HclSyntaxError(self.too_deep(), self.loc(node))

    def too_deep(self) -> str:
        """The message for an expression nested past MAX_EXPRESSION_DEPTH levels."""
        message = f"expression nests too deeply (more than {MAX_EXPRESSION_DEPTH} levels"
        around = self.blocks - 1  # the nested blocks, not the top-level one
        if around > 0:
            message += f", counting the {around} nested block{'s' if around > 1 else ''} around it"
        return message + ")"

    # Newlines ---------------------------------------------------------------------------

    def line_break(self, start: int, end: int) -> int:
        """The offset of the first line break (or line comment) between two tokens, or -1.

        ``/* */`` comments are no line break, even when they span lines (as in HCL).
        """
        source = self.source
        newline = source.find(b"\n", start, end)
        hash_ = source.find(b"#", start, end)
        slash = source.find(b"/", start, end)
        if slash < 0:
            if hash_ < 0:
                return newline
            return hash_ if newline < 0 else min(newline, hash_)
        index = start
        while index < end:
            char = source[index]
            if char in b" \t\r":
                index += 1
            elif source.startswith(b"/*", index):
                closing = source.find(b"*/", index + 2, end)
                index = end if closing < 0 else closing + 2
            else:
                return index  # "\n", "#" or "//"
        return -1

    def no_line_break(self, before: Node, after: Node, *, at_next: bool, expected: str) -> None:
        """Where newlines are significant, fail if a line ends between two tokens.

        ``at_next``: the text before the line break was complete (it ended the attribute or
        object element), so the error is the token after it.
        """
        if not self.significant:
            return
        if self.source.find(b"\n", before.end_byte, after.start_byte) < 0:
            return  # a line comment ends with a newline too
        position = self.line_break(before.end_byte, after.start_byte)
        if position < 0:
            return
        if at_next:
            found = _describe_text(self.source, after.start_byte)
            raise HclSyntaxError(f"unexpected {found}; {expected}", self.loc(after))
        found = "newline" if self.source[position] == 0x0A else "comment"
        raise HclSyntaxError(
            f"unexpected {found}; expected {expected}", self.loc_of_offset(position)
        )

    # Files and bodies -------------------------------------------------------------------

    def file_body(self, root: Node) -> Body:
        if root.has_error:
            raise _syntax_error(self, root)
        body = Body()
        for child in root.children:
            kind = child.kind_id
            if kind == _BODY:
                body = self.body(child)
            elif kind != _COMMENT:  # tree-sitter-hcl also takes a file that is one object
                raise HclSyntaxError(
                    f"unexpected {_describe_text(self.source, child.start_byte)}; "
                    "expected an attribute or a block",
                    self.loc(child),
                )
        if self.deferred is not None:
            raise self.deferred
        return body

    def body(self, node: Node) -> Body:
        attributes: list[Attribute] = []
        blocks: list[Block] = []
        seen: dict[str, Attribute] = {}
        for child in node.children:
            kind = child.kind_id
            if kind == _ATTRIBUTE:
                attribute = self.attribute(child)
                first = seen.get(attribute.name)
                if first is not None:
                    message = f"attribute '{attribute.name}' is set twice"
                    self.defer(
                        HclSyntaxError(f"{message} (first at line {first.loc.line})", attribute.loc)
                    )
                    continue
                seen[attribute.name] = attribute
                attributes.append(attribute)
            elif kind == _BLOCK:
                blocks.append(self.block(child))
        return Body(tuple(attributes), tuple(blocks))

    def attribute(self, node: Node) -> Attribute:
        if self.plain and self.brackets < MAX_BRACKET_NESTING:
            plain = self.plain_attribute(node)
            if plain is not None:
                return plain
        return self.attribute_of(node)

    def attribute_of(self, node: Node) -> Attribute:
        children = node.children
        if len(children) != 3:
            children = _without_comments(children)
        name_node, equals, value_node = children
        if self.source.find(b"\n", name_node.end_byte, value_node.start_byte) >= 0:
            self.no_line_break(name_node, equals, at_next=True, expected="expected '{'")
            self.no_line_break(equals, value_node, at_next=False, expected="an expression")
        loc = self.loc(name_node)
        value = self.expr(value_node)
        end_line = loc.line
        # Most attributes fit on their line: then no end point is needed (it costs a Point).
        if self.source.find(b"\n", name_node.start_byte, value_node.end_byte) >= 0:
            end_line = self.line_numbers[value_node.end_point[0]]
            if end_line > loc.line:
                self.spans.append(Span(self.path, loc.line, end_line))
        return Attribute(self.name_of(name_node), value, loc, end_line)

    # Plain attributes ------------------------------------------------------------------
    #
    # Most attributes of a generated configuration are one of a few simple shapes: a name set
    # to a plain string, a whole number, true/false/null, a reference (a.b.c), a one-line
    # tuple of those, or an object of such items one per line. Read through tree-sitter's
    # nodes, each costs a dozen or more node objects and property reads; its text, already
    # known to parse (the tree has no error), says the same with one match. Only ASCII files
    # without shifted positions (``plain``) take this path, and only text in which nothing
    # can fail (no line break where one could matter, no escape, no template, nesting far
    # from its limits): anything else is read from the tree, as before.

    def plain_attribute(self, node: Node) -> Attribute | None:
        """The attribute read from its text when it has a plain shape (see above), else None."""
        start = node.start_byte
        end = node.end_byte
        source = self.source
        match = _PLAIN_ATTRIBUTE.match(source, start, end)
        if match is None:
            return None
        if self.depth + source.count(b".", start, end) + 4 >= MAX_EXPRESSION_DEPTH:
            return None  # a long chain near the limit: the tree's path raises where it must
        row, column = node.start_point
        line = self.line_numbers[row]
        path = self.path
        loc = make_location(path, line, column + 1)
        value_start = match.start(2)
        at = column + 1 - start  # a byte offset on the attribute's first line -> its column
        kind = source[value_start]
        end_line = line
        if kind == 0x7B:  # "{": an object, one item a line
            value = self.plain_object(value_start, end, row)
            if value is None:
                return None
            end_line = self.line_numbers[row + source.count(b"\n", start, end)]
            self.spans.append(Span(path, line, end_line))
        elif kind == 0x5B:  # "[": a tuple on this line
            items = tuple(
                [
                    self.plain_value(item.start(), item.end(), line, at)
                    for item in _PLAIN_ITEM.finditer(source, value_start + 1, end - 1)
                ]
            )
            value = TupleExpr(make_location(path, line, value_start + at), items)
        else:
            value = self.plain_value(value_start, end, line, at)
        return Attribute(self.plain_name(start, match.end(1)), value, loc, end_line)

    def plain_object(self, start: int, end: int, row: int) -> Expr | None:
        """An object from ``{`` at ``start`` (its row) to ``}`` ending at ``end``, with one
        ``name = value`` or ``name: value`` item on each line between; None otherwise."""
        source = self.source
        line_numbers = self.line_numbers
        path = self.path
        opening = make_location(path, line_numbers[row], start - source.rfind(b"\n", 0, start))
        items = []
        position = source.find(b"\n", start, end) + 1
        row += 1
        while True:
            match = _PLAIN_OBJECT_LINE.match(source, position, end)
            if match is None:
                break
            if match.start(1) >= 0:  # not a blank line
                line = line_numbers[row]
                at = 1 - position  # the line starts at ``position``
                key_start = match.start(1)
                key_loc = make_location(path, line, key_start + at)
                key = Literal(key_loc, self.plain_name(key_start, match.end(1)))
                value = self.plain_value(match.start(2), match.end(2), line, at)
                items.append(ObjectItem(key, value, key_loc))
            position = match.end()
            row += 1
        if _PLAIN_OBJECT_END.match(source, position, end) is None:
            return None
        return ObjectExpr(opening, tuple(items))

    def plain_value(self, start: int, end: int, line: int, at: int) -> Expr:
        """A plain string, whole number, true/false/null or reference at ``start:end`` (on
        ``line``; ``at`` turns an offset into its column)."""
        source = self.source
        loc = make_location(self.path, line, start + at)
        first = source[start]
        if first == 0x22:  # '"'
            raw = source[start + 1 : end - 1]
            text = self.texts.get(raw)
            if text is None:
                text = self.texts[raw] = raw.decode("ascii")
            return Literal(loc, text)
        if first in _DIGITS:
            return Literal(loc, _whole_number(source[start:end].decode("ascii")))
        raw = source[start:end]
        if raw in _PLAIN_LITERALS:
            return Literal(loc, _PLAIN_LITERALS[raw])
        names = raw.split(b".")
        result: Expr = Variable(loc, self.plain_word(names[0]))
        for name in names[1:]:
            result = GetAttr(loc, result, self.plain_word(name))
        return result

    def plain_name(self, start: int, end: int) -> str:
        return self.plain_word(self.source[start:end])

    def plain_word(self, raw: bytes) -> str:
        name = self.names.get(raw)
        if name is None:
            name = self.names[raw] = raw.decode("ascii")
        return name

    def block(self, node: Node) -> Block:
        # A block inside a block is one level of nesting. Blocks alone never pass the limit
        # (brackets, braces included, stop at MAX_BRACKET_NESTING), but an expression deep
        # inside deep blocks does: enter() reports it.
        nested = self.blocks > 0
        self.blocks += 1
        self.depth += nested
        block = self.block_of(node)
        self.depth -= nested
        self.blocks -= 1
        return block

    def block_of(self, node: Node) -> Block:
        children = self.kids(node)
        type_node = children[0]
        labels: list[str] = []
        label_locs: list[Location] = []
        body: Body | None = None
        previous = type_node
        end_line = 0
        source = self.source
        for child in children[1:]:
            kind = child.kind_id
            if kind == _STRING_LIT:
                if (
                    self.significant
                    and source.find(b"\n", previous.end_byte, child.start_byte) >= 0
                ):
                    self.no_line_break(previous, child, at_next=True, expected="expected '{'")
                label_loc = self.loc(child)
                labels.append(self.label(child, label_loc))
                label_locs.append(label_loc)
            elif kind == _IDENTIFIER:
                if (
                    self.significant
                    and source.find(b"\n", previous.end_byte, child.start_byte) >= 0
                ):
                    self.no_line_break(previous, child, at_next=True, expected="expected '{'")
                labels.append(self.name_of(child))
                label_locs.append(self.loc(child))
            elif kind == _BLOCK_START:
                self.open_bracket(child)
            elif kind == _BODY:
                body = self.body(child)
            else:  # block_end
                self.brackets -= 1
                end_line = self.line_numbers[child.start_point[0]]
            previous = child
        loc = self.loc(type_node)
        self.spans.append(Span(self.path, loc.line, end_line))
        if body is None:
            body = Body()
        labels_ = tuple(labels)
        return Block(self.name_of(type_node), labels_, body, loc, end_line, tuple(label_locs))

    def label(self, node: Node, loc: Location) -> str:
        """The text of a quoted block label; ``loc`` is the label's location."""
        raw = self.source[node.start_byte + 1 : node.end_byte - 1].decode("utf-8", "surrogatepass")
        if "{" not in raw and "\\" not in raw:  # no sequence and no escape: the common case
            return raw
        text_loc = Location(loc.path, loc.line, loc.column + 1)
        for match in _SEQUENCE_START.finditer(raw):
            if len(match.group()) == 2:
                self.defer(
                    HclSyntaxError(
                        "template sequences are not allowed in a block label "
                        "(use $${ for a literal ${)",
                        loc,
                    )
                )
                return ""
        return self.unescape(raw, text_loc)

    # Expressions ------------------------------------------------------------------------

    def expr(self, node: Node) -> Expr:
        """An ``expression`` node."""
        children = node.children
        if len(children) == 1:  # the common case, made fast: a literal or a variable
            only = children[0]
            kind = only.kind_id
            if kind in (_LITERAL_VALUE, _VARIABLE):
                if self.depth >= MAX_EXPRESSION_DEPTH:
                    raise HclSyntaxError(self.too_deep(), self.loc(only))
                if kind == _VARIABLE:
                    return Variable(self.loc(only), self.name_of(only))
                return self.literal_value(only)
            handler = _TERMS.get(kind)
            if handler is not None:  # a term alone: what chain() and term() do, inlined
                if self.depth >= MAX_EXPRESSION_DEPTH:
                    raise HclSyntaxError(self.too_deep(), self.loc(only))
                self.depth += 1
                result = handler(self, only)
                self.depth -= 1
                return result
            return self.content(children, node)  # one child is never a comment
        for child in children:
            if child.kind_id == _COMMENT:
                return self.content(_without_comments(children), node)
        return self.chain(children)  # what content() does with more than one child

    def content(self, children: list[Node], node: Node) -> Expr:
        first = children[0]
        kind = first.kind_id
        if len(children) == 1:
            if kind == _OPERATION:
                operation = first.children[0]
                if operation.kind_id == _BINARY:
                    return self.binary(operation)
                return self.unary(operation)
            if kind == _CONDITIONAL:
                return self.conditional(_conditional_chain(first), 0, first)
        return self.chain(children)

    def chain(self, children: list[Node]) -> Expr:
        """A term followed by ``.name``, ``[key]``, ``.0`` and splat steps."""
        first = children[0]
        first_kind = first.kind_id  # read once: each read of a node's kind reaches into the tree
        steps = len(children) - 1
        if first_kind == _LPAREN:
            steps -= 2
        self.depth += steps  # enter(), inlined: most chains are one term and a few steps
        if self.depth > MAX_EXPRESSION_DEPTH:
            raise HclSyntaxError(self.too_deep(), self.loc(first))
        outer_depth = self.depth - steps  # each step is one level, the outermost first
        if first_kind == _LPAREN:
            result: Expr = self.parens(first, children[1])
            previous = children[2]
            rest = children[3:]
        elif first_kind == _VARIABLE:  # the common case, made fast: term() inlined
            if self.depth >= MAX_EXPRESSION_DEPTH:
                raise HclSyntaxError(self.too_deep(), self.loc(first))
            result = Variable(self.loc(first), self.name_of(first))
            previous = first
            rest = children[1:]
        else:
            result = self.term(first)
            previous = first
            rest = children[1:]
        source = self.source
        names = self.names
        for number, step in enumerate(rest):
            start = step.start_byte
            end = step.end_byte
            if self.significant and source.find(b"\n", previous.end_byte, end) >= 0:
                self.no_line_break(previous, step, at_next=True, expected=_ENDS_HERE)
            if step.kind_id == _GET_ATTR:  # the common case, made fast
                # ".name" with nothing between the dot and a name seen before: no node needed.
                name_text = names.get(source[start + 1 : end])
                if name_text is None:
                    name = step.children[-1]
                    if self.significant and source.find(b"\n", start, name.start_byte) >= 0:
                        self.get_attr(result, step)
                    name_text = self.name_of(name)
                result = GetAttr(result.loc, result, name_text)
            else:
                self.depth = outer_depth + steps - number
                result = self.step(result, step)
            previous = step
        self.depth = outer_depth
        return result

    def parens(self, opener: Node, inner: Node) -> Expr:
        """``( inner )``: newlines are not significant inside."""
        self.enter(1, opener)
        self.open_bracket(opener)
        significant = self.significant
        self.significant = False
        result = Parens(self.loc(opener), self.expr(inner))
        self.significant = significant
        self.brackets -= 1
        self.depth -= 1
        return result

    def term(self, node: Node) -> Expr:
        handler = _TERMS.get(node.kind_id)
        if handler is None:
            raise HclSyntaxError(f"unsupported syntax ({node.type})", self.loc(node))
        self.depth += 1
        if self.depth > MAX_EXPRESSION_DEPTH:
            raise HclSyntaxError(self.too_deep(), self.loc(node))
        result = handler(self, node)
        self.depth -= 1
        return result

    def step(self, target: Expr, node: Node) -> Expr:
        kind = node.kind_id
        if kind == _GET_ATTR:
            return self.get_attr(target, node)
        if kind == _INDEX:
            return self.index(target, node)
        if kind == _SPLAT:
            return self.splat(target, node.children[0])
        raise HclSyntaxError(f"unsupported syntax ({node.type})", self.loc(node))

    def get_attr(self, target: Expr, node: Node) -> Expr:
        dot, name = node.children
        self.no_line_break(dot, name, at_next=False, expected="a name")
        return GetAttr(target.loc, target, self.name_of(name))

    def index(self, target: Expr, node: Node) -> Expr:
        inner = node.children[0]
        if inner.kind_id == _NEW_INDEX:
            opener, key_node, _closer = self.kids(inner)
            self.open_bracket(opener)
            significant = self.significant
            self.significant = False
            key = self.expr(key_node)
            self.significant = significant
            self.brackets -= 1
            return Index(target.loc, target, key)
        # The legacy ".0": tree-sitter keeps the digits inside the node, without a node.
        start = inner.children[0].end_byte
        end = inner.end_byte
        raw = self.source[start:end]
        digits = raw.lstrip()
        offset = start + len(raw) - len(digits)
        if self.significant and self.line_break(start, offset) >= 0:
            raise HclSyntaxError(
                "unexpected newline; expected a name",
                self.loc_of_offset(self.line_break(start, offset)),
            )
        number = Literal(self.loc_of_offset(offset), _whole_number(digits.decode("ascii")))
        return Index(target.loc, target, number)

    def splat(self, target: Expr, node: Node) -> Expr:
        children = self.kids(node)
        item: Expr = SplatItem(self.loc(children[0]))
        attribute_only = node.kind_id == _ATTR_SPLAT
        steps = children[1:]
        previous = children[0]
        index = 0
        # "a.*" (the legacy attribute-only splat) applies only ".name" and ".0" steps to each
        # element; a "[key]" ends it and applies to the resulting list, as in HCL.
        while index < len(steps):
            step = steps[index]
            if attribute_only and step.kind_id == _INDEX and step.children[0].kind_id == _NEW_INDEX:
                break
            self.no_line_break(previous, step, at_next=True, expected=_ENDS_HERE)
            item = self.step(item, step)
            previous = step
            index += 1
        result: Expr = Splat(target.loc, target, item)
        for step in steps[index:]:
            self.no_line_break(previous, step, at_next=True, expected=_ENDS_HERE)
            result = self.step(result, step)
            previous = step
        return result

    def binary(self, node: Node) -> Expr:
        self.enter(1, node)
        children = self.kids(node)
        position = 1
        while children[position].kind_id not in _BINARY_OPERATORS:
            position += 1
        operator = children[position]
        symbol = _BINARY_OPERATORS[operator.kind_id]
        # A line may end before a binary operator (but not before "-", which would start a
        # new negative number) and after one.
        if operator.kind_id == _MINUS:
            self.no_line_break(children[position - 1], operator, at_next=True, expected=_ENDS_HERE)
        left = self.content(children[:position], node)
        right = self.content(children[position + 1 :], node)
        self.depth -= 1
        return Binary(left.loc, symbol, left, right)

    def unary(self, node: Node) -> Expr:
        self.enter(1, node)
        children = self.kids(node)
        operator = children[0]
        self.no_line_break(operator, children[1], at_next=False, expected="an expression")
        operand = self.content(children[1:], node)
        self.depth -= 1
        loc = self.loc(operator)
        if operator.kind_id == _MINUS and isinstance(operand, Literal):
            number = operand.value
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                return Literal(loc, -number)
        return Unary(loc, _UNARY_OPERATORS[operator.kind_id], operand)

    def conditional(self, chain: list[Node], start: int, node: Node) -> Expr:
        """``chain`` is ``c1, t1, c2, t2, ..., else``: HCL nests conditionals to the right."""
        self.enter(1, node)
        condition = self.expr(chain[start])
        then = self.expr(chain[start + 1])
        if start + 3 < len(chain):
            otherwise = self.conditional(chain, start + 2, chain[start + 2])
        else:
            otherwise = self.expr(chain[start + 2])
        self.depth -= 1
        return Conditional(condition.loc, condition, then, otherwise)

    # Terms ------------------------------------------------------------------------------

    def literal_value(self, node: Node) -> Expr:
        # A literal_value node holds exactly one token (string_lit, numeric_lit, bool_lit or
        # null_lit), with the same bytes and start: its first byte says which, and the child
        # node is never made.
        start = node.start_byte
        end = node.end_byte
        source = self.source
        first = source[start]
        if first == 0x22:  # '"': a string_lit, without sequences; its text is between quotes
            raw = source[start + 1 : end - 1]
            loc = self.loc(node)
            if b"\\" in raw or b"{" in raw:
                text = raw.decode("utf-8", "surrogatepass")
                text = self.unescape(text, Location(loc.path, loc.line, loc.column + 1))
                return Literal(loc, text)
            known = self.texts.get(raw)
            if known is None:
                known = self.texts[raw] = raw.decode("utf-8", "surrogatepass")
            return Literal(loc, known)
        if first in _DIGITS:
            text = source[start:end].decode("utf-8", "surrogatepass")
            if _NUMBER.match(text) is None:
                raise HclSyntaxError(f"invalid number {_quote(text)}", self.loc(node))
            if "." in text or "e" in text or "E" in text:
                return Literal(self.loc(node), float(text))
            return Literal(self.loc(node), _whole_number(text))
        if first == 0x6E:  # "n": null
            return Literal(self.loc(node), None)
        return Literal(self.loc(node), first == 0x74)  # "t": true, else false

    def variable(self, node: Node) -> Expr:
        return Variable(self.loc(node), self.name_of(node))

    def template_expr(self, node: Node) -> Expr:
        inner = node.children[0]
        if inner.kind_id == _HEREDOC:
            return self.heredoc(inner)
        return self.quoted(inner)

    def collection(self, node: Node) -> Expr:
        inner = node.children[0]
        if inner.kind_id == _TUPLE:
            return self.tuple_expr(inner)
        return self.object_expr(inner)

    def tuple_expr(self, node: Node) -> Expr:
        children = node.children
        self.open_bracket(children[0])
        significant = self.significant
        self.significant = False
        items = tuple([self.expr(c) for c in children if c.kind_id == _EXPRESSION])
        self.significant = significant
        self.brackets -= 1
        return TupleExpr(self.loc(node), items)

    def object_expr(self, node: Node) -> Expr:
        children = node.children
        self.open_bracket(children[0])
        significant = self.significant
        self.significant = True
        items = []
        source = self.source
        for element in children:
            if element.kind_id != _OBJECT_ELEM:
                continue
            key_node, separator, value_node = self.kids(element)
            # Newlines are significant here: only a line break between key and value can fail.
            if source.find(b"\n", key_node.end_byte, value_node.start_byte) >= 0:
                self.no_line_break(key_node, separator, at_next=False, expected="'=' or ':'")
                self.no_line_break(separator, value_node, at_next=False, expected="an expression")
            key = self.object_key(key_node)
            items.append(ObjectItem(key, self.expr(value_node), key.loc))
        self.significant = significant
        self.brackets -= 1
        return ObjectExpr(self.loc(node), tuple(items))

    def object_key(self, node: Node) -> Expr:
        # A bare name is the key itself, as in Terraform: { name = 1 } has the key "name".
        children = node.children
        if len(children) == 1:  # one child is never a comment
            only = children[0]
            kind = only.kind_id
            if kind == _VARIABLE:
                return Literal(self.loc(only), self.name_of(only))
            # true, false or null (a literal's first byte tells its kind, see literal_value)
            if kind == _LITERAL_VALUE and self.source[only.start_byte] in b"tfn":
                return Literal(self.loc(only), self.string_of(only))
            return self.content(children, node)
        return self.content(self.kids(node), node)

    def function_call(self, node: Node) -> Expr:
        children = self.kids(node)
        name, opener = children[0], children[1]
        if self.significant and self.source.find(b"\n", name.end_byte, opener.start_byte) >= 0:
            self.no_line_break(name, opener, at_next=True, expected=_ENDS_HERE)
        self.open_bracket(opener)
        significant = self.significant
        self.significant = False
        args: tuple[Expr, ...] = ()
        expand_final = False
        if children[2].kind_id == _FUNCTION_ARGUMENTS:
            arguments = children[2].children
            args = tuple([self.expr(a) for a in arguments if a.kind_id == _EXPRESSION])
            expand_final = any(a.kind_id == _ELLIPSIS for a in arguments)
        self.significant = significant
        self.brackets -= 1
        return Call(self.loc(node), self.string_of(name), args, expand_final)

    def for_expr(self, node: Node) -> Expr:
        inner = node.children[0]
        children = self.kids(inner)
        self.open_bracket(children[0])
        significant = self.significant
        self.significant = False
        key_var, value_var, collection = self.for_intro(children[1])
        expressions = [c for c in children if c.kind_id == _EXPRESSION]
        conditions = [c for c in children if c.kind_id == _FOR_COND]
        key: Expr | None = None
        if inner.kind_id == _FOR_TUPLE:
            value = self.expr(expressions[0])
        else:
            key = self.expr(expressions[0])
            value = self.expr(expressions[1])
        condition = None
        if conditions:
            self.keyword_ends(conditions[0].children)
            condition = self.expr(self.kids(conditions[0])[1])
        group = any(c.kind_id == _ELLIPSIS for c in children)
        self.significant = significant
        self.brackets -= 1
        loc = self.loc(inner)
        return ForExpr(loc, key_var, value_var, collection, key, value, condition, group)

    def keyword_ends(self, children: list[Node]) -> None:
        """A keyword must not run on into a name: "indata" is a name, not "in data"."""
        source = self.source
        for child in children:
            after = source[child.end_byte : child.end_byte + 1]
            if child.kind_id in _KEYWORDS and after and after[0] in _NAME_BYTES:
                found = _describe_text(source, child.start_byte)
                raise HclSyntaxError(f"unexpected {found}", self.loc(child))

    def for_intro(self, node: Node) -> tuple[str | None, str, Expr]:
        children = node.children
        self.keyword_ends(children)
        names = [self.name_of(c) for c in children if c.kind_id == _IDENTIFIER]
        collection = next(c for c in children if c.kind_id == _EXPRESSION)
        key_var = names[0] if len(names) == 2 else None
        return key_var, names[-1], self.expr(collection)

    # Templates --------------------------------------------------------------------------

    def quoted(self, node: Node) -> Expr:
        """A quoted string (``string_lit`` or ``quoted_template``).

        The literal text is what lies between the quotes and the sequences: tree-sitter's
        template_literal nodes leave out blanks next to a sequence.
        """
        loc = self.loc(node)
        children = node.children
        opener, closer = children[0], children[-1]
        if node.kind_id == _STRING_LIT:  # no sequences: the common case
            raw = self.source[opener.end_byte : closer.start_byte]
            text = raw.decode("utf-8", "surrogatepass")
            if b"\\" in raw or b"{" in raw:
                text = self.unescape(text, self.loc_after(opener))
            return Literal(loc, text)
        sequences: list[Node] = []
        _template_sequences(children, sequences)
        items: list[_TemplateItem] = []
        previous = opener
        for sequence in sequences:
            self.add_text(previous, sequence.start_byte, items)
            if sequence.kind_id == _INTERPOLATION:
                items.append(self.interpolation(sequence))
            else:
                items.append(self.directive_marker(sequence))
            previous = sequence
        self.add_text(previous, closer.start_byte, items)
        if len(items) == 1 and isinstance(items[0], _Text):
            return Literal(loc, items[0].text)
        try:
            return _build_template(items, loc, flush=False)
        except HclSyntaxError as error:
            self.defer(error)
            return Literal(loc, "")

    def loc_after(self, node: Node) -> Location:
        row, column = node.end_point
        return self.loc_at(row, column, node.end_byte)

    def add_text(self, previous: Node, end: int, items: list[_TemplateItem]) -> None:
        start = previous.end_byte
        if start < end:
            loc = self.loc_after(previous)
            text = self.source[start:end].decode("utf-8", "surrogatepass")
            items.append(_Text(self.unescape(text, loc), loc))

    def interpolation(self, node: Node) -> _Interpolation:
        children = node.children
        opener, closer = children[0], children[-1]
        self.open_bracket(opener)
        significant = self.significant
        self.significant = False
        expressions = [c for c in children if c.kind_id == _EXPRESSION]
        if not expressions:
            raise HclSyntaxError("unexpected '}'; expected an expression", self.loc(closer))
        expression = self.expr(expressions[0])
        self.significant = significant
        self.brackets -= 1
        strip_before = children[1].kind_id == _STRIP_MARKER and (
            children[1].start_byte == opener.end_byte
        )
        strip_after = children[-2].kind_id == _STRIP_MARKER and (
            children[-2].end_byte == closer.start_byte
        )
        return _Interpolation(expression, strip_before, strip_after)

    def directive_marker(self, node: Node) -> _Directive:
        children = self.kids(node)
        self.keyword_ends(children)
        opener = children[0]
        keyword_index = 2 if children[1].kind_id == _STRIP_MARKER else 1
        directive = _Directive(
            self.string_of(children[keyword_index]),
            self.loc(opener),
            strip_before=keyword_index == 2,
            strip_after=children[-2].kind_id == _STRIP_MARKER,
        )
        self.open_bracket(opener)
        significant = self.significant
        self.significant = False
        names = [self.string_of(c) for c in children if c.kind_id == _IDENTIFIER]
        expressions = [c for c in children if c.kind_id == _EXPRESSION]
        if expressions:
            directive.expr = self.expr(expressions[0])
        if names:
            directive.value_var = names[-1]
            directive.key_var = names[0] if len(names) == 2 else None
        self.significant = significant
        self.brackets -= 1
        return directive

    def heredoc(self, node: Node) -> Expr:
        children = node.children
        marker = children[0]
        closing = children[-1]
        source = self.source
        body_start = source.find(b"\n", marker.start_byte) + 1
        # The body runs to the newline before the closing marker's line (that newline is part
        # of the value, as in Terraform).
        body_end = source.rfind(b"\n", 0, closing.start_byte) + 1
        text = source[body_start : max(body_start, body_end)].decode("utf-8", "surrogatepass")
        start = self.loc(node)
        positions = _TextPositions(text, start.line + 1, 1, single_line=False)
        flush = source[marker.start_byte : marker.end_byte] == b"<<-"
        try:
            items = _TemplateScanner(
                text, self.path, positions, self.depth, by_line=True, blocks=self.blocks
            ).scan()
            return _build_template(items, start, flush=flush)
        except HclSyntaxError as error:
            self.defer(error)
            return Literal(start, "")

    def unescape(self, text: str, loc: Location) -> str:
        if "\\" not in text and "$${" not in text and "%%{" not in text:
            return text

        def replace(match: re.Match[str]) -> str:
            whole = match.group()
            if whole[0] != "\\":
                return whole[1:]  # "$${" or "%%{"
            escaped = match.group(1)
            simple = _SIMPLE_ESCAPES.get(escaped)
            if simple is not None:
                return simple
            digits = match.group(2) or match.group(3)
            if digits and int(digits, 16) <= sys.maxunicode:
                return chr(int(digits, 16))
            column = loc.column + (match.start() if "\n" not in text[: match.start()] else 0)
            self.defer(
                HclSyntaxError(
                    f"invalid escape sequence {_quote(whole)} in a string",
                    Location(loc.path, loc.line, column),
                )
            )
            return whole

        return _ESCAPE.sub(replace, text)


_ENDS_HERE = "expected the end of the line"
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|.?)|\$\$\{|%%\{", re.DOTALL)
_DIRECTIVE_MARKERS = frozenset(
    {
        _TEMPLATE_IF_INTRO,
        _TEMPLATE_ELSE_INTRO,
        _kind("template_if_end"),
        _TEMPLATE_FOR_START,
        _kind("template_for_end"),
    }
)

_DIRECTIVE_PARTS = frozenset({_DIRECTIVE, _TEMPLATE_IF, _TEMPLATE_FOR})

_TERMS: dict[int, Callable[[_Converter, Node], Expr]] = {
    _LITERAL_VALUE: _Converter.literal_value,
    _VARIABLE: _Converter.variable,
    _TEMPLATE_EXPR: _Converter.template_expr,
    _COLLECTION: _Converter.collection,
    _FUNCTION_CALL: _Converter.function_call,
    _FOR_EXPR: _Converter.for_expr,
}


def _without_comments(children: list[Node]) -> list[Node]:
    return [c for c in children if c.kind_id != _COMMENT]


def _template_sequences(children: list[Node], found: list[Node]) -> None:
    """The interpolations and directive markers among ``children``, nested ones included."""
    for child in children:
        kind = child.kind_id
        if kind == _INTERPOLATION or kind in _DIRECTIVE_MARKERS:
            found.append(child)
        elif kind in _DIRECTIVE_PARTS:
            _template_sequences(child.children, found)


def _conditional_chain(node: Node) -> list[Node]:
    """``c1, t1, c2, t2, ..., else`` of a chain of conditionals written without parentheses.

    tree-sitter-hcl nests ``a ? b : c ? d : e`` to the left, as ``(a ? b : c) ? d : e``; the
    flat list lets the converter nest it to the right, as HCL does.
    """
    condition, _question, then, _colon, otherwise = _without_comments(node.children)
    inner = _without_comments(condition.children)
    if len(inner) == 1 and inner[0].kind_id == _CONDITIONAL:
        return [*_conditional_chain(inner[0]), then, otherwise]
    return [condition, then, otherwise]


# --------------------------------------------------------------------------------------------
# Syntax errors: the first ERROR or MISSING node of a tree
# --------------------------------------------------------------------------------------------


def _double_colon(converter: _Converter, node: Node) -> HclSyntaxError:
    offset = converter.source.index(b"::", node.start_byte)
    return HclSyntaxError("unexpected ':'", converter.loc_of_offset(offset))


def _misplaced_double_colon(
    converter: _Converter, root: Node, before: int
) -> HclSyntaxError | None:
    """A name with "::" before offset ``before`` that is not a function's name, if any."""
    cursor = root.walk()
    source = converter.source
    while True:
        node = cursor.node
        assert node is not None
        if node.start_byte >= before:
            return None
        if node.kind_id == _IDENTIFIER and b"::" in source[node.start_byte : node.end_byte]:
            parent = node.parent
            if parent is None or parent.kind_id != _FUNCTION_CALL:
                return _double_colon(converter, node)
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return None


def _newline_in_block_header(
    converter: _Converter, node: Node, _root: Node, offset: int
) -> HclSyntaxError | None:
    """A block type or label, a line break, then another label or an "=": HCL stops there.

    (A block's "{" may follow on the next line; tree-sitter also reads a label or an "="
    there, and finds the error later.)
    """
    parent = node if node.is_error else node.parent
    if parent is None:
        return None
    children = [c for c in parent.children if c.kind_id != _COMMENT]
    for before, after in itertools.pairwise(children):
        if after.start_byte >= offset:
            return None
        if before.kind_id not in (_IDENTIFIER, _STRING_LIT):
            continue
        if after.kind_id not in (_IDENTIFIER, _STRING_LIT, _EQUALS):
            continue
        if converter.line_break(before.end_byte, after.start_byte) >= 0:
            found = _describe_text(converter.source, after.start_byte)
            return HclSyntaxError(f"unexpected {found}; expected '{{'", converter.loc(after))
    return None


def _newline_after_equals(
    converter: _Converter, _node: Node, root: Node, offset: int
) -> HclSyntaxError | None:
    """``x =`` and a line break before the unexpected token: HCL stops at the line break.

    (tree-sitter reads on across it; an attribute or object element value must start on
    the line of its "=".)
    """
    previous: Node | None = None
    cursor = root.walk()
    while True:
        node = cursor.node
        assert node is not None
        if node.start_byte >= offset:
            break
        if node.child_count == 0 and node.end_byte > node.start_byte and node.end_byte <= offset:
            previous = node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                break
        else:
            continue
        break
    if previous is None or converter.source[previous.start_byte : previous.end_byte] != b"=":
        return None
    position = converter.line_break(previous.end_byte, offset)
    if position < 0:
        return None
    found = "newline" if converter.source[position] == 0x0A else "comment"
    return HclSyntaxError(
        f"unexpected {found}; expected an expression", converter.loc_of_offset(position)
    )


def _first_error(root: Node) -> Node:
    cursor = root.walk()
    while True:
        node = cursor.node
        assert node is not None
        if node.is_error or node.is_missing:
            return node
        if node.has_error and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return root


def _skip_blanks(source: bytes, offset: int) -> int:
    """The offset of the next token at or after ``offset`` (skipping blanks and comments)."""
    end = len(source)
    while offset < end:
        char = source[offset]
        if char in b" \t\r\n":
            offset += 1
        elif char == 0x23 or source.startswith(b"//", offset):  # "#"
            newline = source.find(b"\n", offset)
            offset = end if newline < 0 else newline + 1
        elif source.startswith(b"/*", offset):
            closing = source.find(b"*/", offset + 2)
            offset = end if closing < 0 else closing + 2
        else:
            return offset
    return end


def _error_offset(source: bytes, node: Node) -> int:
    """Where the input stops making sense, for the first ERROR or MISSING node.

    An ERROR node holds the part of the input that tree-sitter could not fit: first the
    subtrees that were fine (a valid prefix), then tokens it skipped, which have no node. The
    error is the first token no child covers, or the token after the node.
    """
    if node.is_missing:
        return _skip_blanks(source, node.start_byte)
    position = node.start_byte
    for child in node.children:
        if child.start_byte == child.end_byte:
            continue
        gap = _skip_blanks(source, position)
        if gap < child.start_byte:
            return gap
        position = max(position, child.end_byte)
    return _skip_blanks(source, position)


def _describe_text(source: bytes, offset: int) -> str:
    if offset >= len(source):
        return "end of file"
    text = source[offset : offset + 80].decode("utf-8", "replace")
    first = re.match(r"[A-Za-z0-9_]+|\S", text)
    return _quote(first.group() if first else text[:1])


def _quote(text: str) -> str:
    shown = text if len(text) <= 20 else text[:19] + "…"
    return "'" + shown.encode("unicode_escape").decode("ascii").replace("'", "\\'") + "'"


def _errormake_location(converter: _Converter, offset: int) -> Location:
    source = converter.source
    if offset >= len(source):
        end = converter.text
        line_start = end.rfind("\n") + 1
        row = end.count("\n")
        column = len(end) - line_start
        if row == 0:
            column += converter.col_shift
        return Location(converter.path, row + 1 + converter.line_shift, column + 1)
    return converter.loc_of_offset(offset)


# How the tokens tree-sitter would have accepted are listed in a message, in this order.
_EXPECTED_NAMES = (
    ("}", "'}'"),
    ("]", "']'"),
    (")", "')'"),
    ("=", "'='"),
    (":", "':'"),
    ("=>", "'=>'"),
    ("in", "'in'"),
    (",", "','"),
    ("{", "'{'"),
)
_EXPRESSION_START = "numeric_lit_token1"
_PROCESS = re.compile(
    r"process version:(\d+), version_count:\d+, state:(\d+), row:(\d+), col:(\d+)"
)


class _ParseLog:
    """Where tree-sitter first found no action for a token, from its parse log."""

    __slots__ = ("found", "last")

    def __init__(self) -> None:
        self.last: tuple[int, int, int] | None = None  # state, row, column
        self.found: tuple[int, int, int] | None = None

    def __call__(self, _log_type: object, message: str) -> None:
        if self.found is not None:
            return
        if message.startswith("process "):
            match = _PROCESS.match(message)
            if match is not None:
                _version, state, row, column = (int(g) for g in match.groups())
                self.last = (state, row, column)
        elif message.startswith("detect_error"):
            self.found = self.last


def _first_unexpected(source: bytes) -> tuple[int, int] | None:
    """The offset of the first token tree-sitter could not accept, and its parse state."""
    log = _ParseLog()
    parser = Parser(_LANGUAGE, logger=log)
    # A large file's error is found in its blanked source: its text may cost hundreds of MB.
    parser.parse(_blanked(source)[0] if len(source) >= _LARGE_FILE else _for_tree_sitter(source))
    if log.found is None:
        return None
    state, row, column = log.found
    line_start = 0
    for _ in range(row):
        line_start = source.index(b"\n", line_start) + 1
    return _skip_blanks(source, line_start + column), state


def _expected(source: bytes, start: int, offset: int, state: int) -> str:
    """What would have let the parse go on at ``offset``, in words ("']' or ','").

    The parse state's lookahead set is a superset (states are shared between contexts): each
    candidate it names is tried in turn, after the text of the top-level item holding the
    error (from ``start``): it is expected when the parse gets past it.
    """
    lookahead = _LANGUAGE.lookahead_iterator(state)
    valid = set(lookahead.names()) if lookahead is not None else set()
    prefix = source[start:offset] + b" "
    position = offset - start + 1

    def accepted(candidate: str) -> bool:
        unexpected = _first_unexpected(prefix + candidate.encode() + b" ")
        return unexpected is None or unexpected[0] >= position + len(candidate)

    if offset >= len(source):  # at the end of the file, say what is left open
        closers = [shown for token, shown in _EXPECTED_NAMES[:3] if token in valid]
        closers = [shown for shown in closers if accepted(shown[1])]
        if closers:
            return " or ".join(closers)
    if "identifier" in valid and accepted("a = 0\n") and accepted("a {}\n"):
        return "an attribute or a block"
    expression = _EXPRESSION_START in valid and accepted("0")
    names = [
        shown
        for token, shown in _EXPECTED_NAMES
        if token in valid and not (expression and token in ("{", "[", "(")) and accepted(token)
    ]
    if expression:
        names.append("an expression")
    elif "identifier" in valid and accepted("a"):
        names.append("a name")
    if not names:
        return ""
    names = names[:4]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _item_start(root: Node, offset: int) -> int:
    """The end of the last top-level item without errors that ends before ``offset``."""
    start = 0
    items = root.children
    if len(items) == 1 and items[0].kind_id == _BODY:
        items = items[0].children
    for item in items:
        if item.end_byte > offset or item.has_error:
            break
        start = item.end_byte
    return start


def _syntax_error(converter: _Converter, root: Node) -> HclSyntaxError:
    source = converter.source
    node = _first_error(root)
    offset = _error_offset(source, node)
    start = _item_start(root, node.start_byte)
    # Brackets too deep before the first error node are before the first unexpected token.
    brackets = _bracket_error(converter, root, node.start_byte)
    if brackets is not None:
        return brackets
    state = None
    unexpected = _first_unexpected(source[start : max(node.end_byte, offset) + 1])
    if unexpected is not None:
        offset = start + unexpected[0]
        state = unexpected[1]
    first = _skip_blanks(source, 0)
    if first < len(source) and source[first] == 0x7B and converter.line_shift == 0:
        # tree-sitter-hcl takes a file that is one object; HCL does not.
        found = "'{'; expected an attribute or a block"
        return HclSyntaxError(f"unexpected {found}", converter.loc_of_offset(first))
    for newline in (_newline_after_equals, _newline_in_block_header):
        error = newline(converter, node, root, offset)
        if error is not None:
            return error
    for earlier in (_bracket_error, _misplaced_double_colon):
        error = earlier(converter, root, offset)
        if error is not None:
            return error
    special = _template_error(converter, root, node, offset)
    if special is not None:
        return special
    found = _describe_text(source, offset)
    expected = ""
    if state is not None and offset - start <= _MAX_PROBED:
        expected = _expected(source, start, offset, state)
    message = f"unexpected {found}" + (f"; expected {expected}" if expected else "")
    return HclSyntaxError(message, _errormake_location(converter, offset))


# Finding what was expected parses the text before the error again once per candidate: not
# for an item this long (a message without "expected ..." is still exact about where).
_MAX_PROBED = 20_000


_OPENERS = frozenset(
    {
        _kind("(", named=False),
        _kind("[", named=False),
        _kind("{", named=False),
        _kind("template_interpolation_start"),
        _kind("template_directive_start"),
    }
)
_CLOSERS = frozenset(
    {
        _kind(")", named=False),
        _kind("]", named=False),
        _kind("}", named=False),
        _kind("template_interpolation_end"),
        _kind("template_directive_end"),
    }
)


def _bracket_error(converter: _Converter, root: Node, before: int) -> HclSyntaxError | None:
    """The first bracket nested past MAX_BRACKET_NESTING before offset ``before``, if any.

    Heredoc bodies are left out: their sequences are parsed on their own.
    """
    open_brackets = converter.brackets
    cursor = root.walk()
    while True:
        node = cursor.node
        assert node is not None
        if node.start_byte >= before:
            return None
        kind = node.kind_id
        if kind in _OPENERS and node.child_count == 0:
            open_brackets += 1
            if open_brackets > MAX_BRACKET_NESTING:
                return HclSyntaxError(_TOO_DEEP_BRACKETS, converter.loc(node))
        elif kind in _CLOSERS and node.child_count == 0:
            open_brackets = max(0, open_brackets - 1)
        if kind != _HEREDOC and cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return None


def _template_error(
    converter: _Converter, root: Node, node: Node, offset: int
) -> HclSyntaxError | None:
    """A precise message when the first error is inside a quoted string or a heredoc."""
    # The string or heredoc around the error, or one whose start tree-sitter left in it.
    starts: list[Node] = []
    ancestor: Node | None = node
    while ancestor is not None:
        kind = ancestor.kind_id
        if kind in (_STRING_LIT, _QUOTED_TEMPLATE, _HEREDOC):
            starts = [ancestor.children[0]]
        ancestor = ancestor.parent
    if not starts:
        cursor_nodes = [node]
        while cursor_nodes:
            current = cursor_nodes.pop()
            if current.start_byte > offset:
                continue
            kind = current.kind_id
            if kind in (_QUOTED_TEMPLATE_START, _HEREDOC_START):
                starts.append(current)
            else:
                cursor_nodes.extend(current.children)
        starts.sort(key=lambda n: n.start_byte)
    for start in starts:
        if start.start_byte >= offset:
            continue
        error = _check_template_at(converter, start)
        if error is not None:
            return error
    return None


def _check_template_at(converter: _Converter, start: Node) -> HclSyntaxError | None:
    """Scan the string or heredoc that starts at ``start`` as our template scanner would."""
    source = converter.source
    text = converter.text
    parent = start.parent
    if start.kind_id == _HEREDOC_START or (parent is not None and parent.kind_id == _HEREDOC_START):
        offset = start.start_byte
        match = _HEREDOC_HEADER.match(source, offset)
        if match is None:
            return None
        body_start = match.end()
        closing = re.compile(rb"^[ \t]*" + re.escape(match.group(2)) + rb"\r?$", re.MULTILINE)
        end = closing.search(source, body_start)
        if end is None:
            marker = match.group(2).decode("ascii")
            return HclSyntaxError(
                f"unterminated heredoc: no line '{marker}' closes it",
                converter.loc_of_offset(offset),
            )
        body = source[body_start : end.start()].decode("utf-8", "surrogatepass")
        loc = converter.loc_of_offset(offset)
        positions = _TextPositions(body, loc.line + 1, 1, single_line=False)
        try:
            items = _TemplateScanner(body, converter.path, positions, 0, by_line=True).scan()
            _build_template(items, loc, flush=match.group(1) == b"-")
        except HclSyntaxError as error:
            return error
        return None
    # A quoted string: find its end as HCL's scanner does (escapes, nested sequences).
    offset = start.start_byte
    char_offset = len(source[:offset].decode("utf-8", "surrogatepass"))
    loc = converter.loc_of_offset(offset)
    close = _find_string_end(text, char_offset + 1)
    if close < 0:
        return HclSyntaxError("unterminated string: no closing '\"'", loc)
    raw = text[char_offset + 1 : close]
    inner = converter.loc_of_offset(offset + 1)
    positions = _TextPositions(raw, inner.line, inner.column, single_line=False)
    try:
        scanner = _TemplateScanner(raw, converter.path, positions, 0, by_line=False, escapes=True)
        _build_template(scanner.scan(), loc, flush=False)
    except HclSyntaxError as error:
        return error
    return None


_HEREDOC_HEADER = re.compile(rb"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\r?\n")


def _find_string_end(text: str, start: int) -> int:
    """The index of the '"' closing the quoted string whose text starts at ``start``, or -1."""
    position = start
    while True:
        match = _STRING_SCAN.search(text, position)
        if match is None:
            return -1
        found = match.group()
        if found == '"':
            return match.start()
        if found.startswith("\\") or found in ("$${", "%%{"):
            position = match.end()
        else:
            close = _find_sequence_end(text, match.end())
            if close < 0:
                return -1
            position = close + 1


_STRING_SCAN = re.compile(r'\\.|\$\$\{|%%\{|\$\{|%\{|"', re.DOTALL)


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
    strip markers and ``<<-`` indentation removal work on those pieces. With ``escapes``
    (quoted strings, when diagnosing an error), backslash escapes in literal text are checked.
    """

    __slots__ = ("blocks", "by_line", "depth", "escapes", "items", "path", "positions", "text")

    def __init__(
        self,
        text: str,
        path: str,
        positions: _TextPositions,
        depth: int,
        *,
        by_line: bool,
        blocks: int = 0,
        escapes: bool = False,
    ) -> None:
        self.text = text
        self.path = path
        self.positions = positions
        self.depth = depth
        self.blocks = blocks  # as in _Converter
        self.by_line = by_line
        self.escapes = escapes
        self.items: list[_TemplateItem] = []

    def loc(self, offset: int) -> Location:
        return make_location(self.path, *self.positions.at(offset))

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
        if self.escapes:
            _check_escapes(piece, self.loc(offset))
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


def _check_escapes(text: str, loc: Location) -> None:
    for match in _ESCAPE.finditer(text):
        whole = match.group()
        if whole[0] != "\\" or match.group(1) in _SIMPLE_ESCAPES:
            continue
        digits = match.group(2) or match.group(3)
        if digits and int(digits, 16) <= sys.maxunicode:
            continue
        column = loc.column + (match.start() if "\n" not in text[: match.start()] else 0)
        raise HclSyntaxError(
            f"invalid escape sequence {_quote(whole)} in a string",
            Location(loc.path, loc.line, column),
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
    wrapped = f"{_WRAPPER}{text})"
    source = wrapped.encode("utf-8", "surrogatepass")
    tree = _real_tree(source)  # a sequence's text: short, and its errors are reported as found
    converter = _Converter(
        source,
        wrapped,
        path,
        line_shift=line_shift,
        col_shift=col_shift,
        depth=depth,
        blocks=blocks,
    )
    root = tree.root_node
    try:
        body = converter.file_body(root)
    except HclSyntaxError as exc:
        # An error at our closing ")" means the expression ended too early.
        end = converter.loc_of_offset(len(source) - 1)
        if exc.location == end and exc.message.startswith("unexpected ')'"):
            message = "unexpected end of expression" + exc.message[len("unexpected ')'") :]
            raise HclSyntaxError(message, end) from None
        raise
    except RecursionError:
        raise HclSyntaxError(
            "expression nests too deeply", make_location(path, line, column)
        ) from None
    value = body.attributes[0].value if len(body.attributes) == 1 and not body.blocks else None
    if not isinstance(value, Parens):
        raise HclSyntaxError(
            "invalid expression in a template sequence", make_location(path, line, column)
        )
    return value.expr
