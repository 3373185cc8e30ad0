"""Our own Terraform syntax tree, with the location of every node.

The HCL front end (tree-sitter-hcl's tree) and the JSON-syntax front end (``.tf.json``) both
produce these types; nothing outside :mod:`linter.terraform.syntax.hcl` and
:mod:`linter.terraform.syntax.tfjson` ever sees tree-sitter's nodes. ``loc`` is where a node
starts (1-based line and column).
"""

from __future__ import annotations

from dataclasses import dataclass

# The nodes built most (about a million over a large repository) have a quicker __init__.
from linter.core.frozen import quick_init
from linter.core.locations import Location, Span

Literal_ = str | int | float | bool | None


def make_location(path: str, line: int, column: int) -> Location:
    """``Location(path, line, column)``, made faster than by its dataclass ``__init__`` (which
    sets each frozen field through ``object.__setattr__``): the HCL converter makes one for
    nearly every node, and a helper process's trees are decoded with it."""
    location = _new_location(Location)
    _set_path(location, path)
    _set_line(location, line)
    _set_column(location, column)
    return location


_new_location = object.__new__
_set_path = vars(Location)["path"].__set__  # the slots' own descriptors
_set_line = vars(Location)["line"].__set__
_set_column = vars(Location)["column"].__set__


@dataclass(frozen=True, slots=True)
class Expr:
    loc: Location


@quick_init
@dataclass(frozen=True, slots=True)
class Literal(Expr):
    """A number, bool, null, or a string with no interpolation."""

    value: Literal_


@dataclass(frozen=True, slots=True)
class Template(Expr):
    """A string with interpolations or directives: parts are Literal(str) or expressions.

    As in Terraform, a template that is exactly one interpolation ("${x}") yields x's value
    unchanged (not converted to a string).
    """

    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class TemplateIf(Expr):
    condition: Expr
    then: Template
    otherwise: Template | None


@dataclass(frozen=True, slots=True)
class TemplateFor(Expr):
    key_var: str | None
    value_var: str
    collection: Expr
    body: Template


@quick_init
@dataclass(frozen=True, slots=True)
class TupleExpr(Expr):
    items: tuple[Expr, ...]


@quick_init
@dataclass(frozen=True, slots=True)
class ObjectItem:
    key: Expr  # a bare identifier key is Literal(str); "(expr)" or a template is evaluated
    value: Expr
    key_loc: Location


@quick_init
@dataclass(frozen=True, slots=True)
class ObjectExpr(Expr):
    items: tuple[ObjectItem, ...]


@quick_init
@dataclass(frozen=True, slots=True)
class Variable(Expr):
    """A root name: var, local, each, count, module, data, path, self, terraform, or a type."""

    name: str


@quick_init
@dataclass(frozen=True, slots=True)
class GetAttr(Expr):
    target: Expr
    name: str


@dataclass(frozen=True, slots=True)
class Index(Expr):
    target: Expr
    key: Expr


@dataclass(frozen=True, slots=True)
class SplatItem(Expr):
    """The current element inside a Splat's ``each`` expression."""


@dataclass(frozen=True, slots=True)
class Splat(Expr):
    """``target[*].a.b`` or ``target.*.a``: ``each`` is evaluated per element with SplatItem."""

    target: Expr
    each: Expr


@quick_init
@dataclass(frozen=True, slots=True)
class Call(Expr):
    name: str  # "lookup", or "provider::ns::fn" for provider functions
    args: tuple[Expr, ...]
    expand_final: bool = False  # f(list...)


@dataclass(frozen=True, slots=True)
class Conditional(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    op: str  # || && == != < > <= >= + - * / %
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    op: str  # ! -
    operand: Expr


@dataclass(frozen=True, slots=True)
class ForExpr(Expr):
    """``[for k, v in coll : v if cond]`` (key is None) or ``{for k, v in coll : key => v...}``."""

    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None
    value: Expr
    condition: Expr | None
    group: bool = False  # the "..." grouping mode of object for-expressions


@dataclass(frozen=True, slots=True)
class Parens(Expr):
    expr: Expr


@quick_init
@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    value: Expr
    loc: Location  # the attribute name
    end_line: int


@quick_init
@dataclass(frozen=True, slots=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    loc: Location  # the block type keyword
    end_line: int  # the closing brace
    label_locs: tuple[Location, ...] = ()

    @property
    def span(self) -> Span:
        return Span(self.loc.path, self.loc.line, self.end_line)


@quick_init
@dataclass(frozen=True, slots=True)
class Body:
    attributes: tuple[Attribute, ...] = ()
    blocks: tuple[Block, ...] = ()

    def attribute(self, name: str) -> Attribute | None:
        for attr in self.attributes:
            if attr.name == name:
                return attr
        return None


@dataclass(frozen=True, slots=True)
class File:
    path: str
    body: Body
    # Line ranges a block-level suppression covers: every block, and every multi-line attribute.
    spans: tuple[Span, ...] = ()
