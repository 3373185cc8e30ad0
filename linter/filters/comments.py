"""Where the real comments are: a suppression directive counts only inside one.

A small lexer per comment style, independent of the parsers, that knows what is a string and
what is a comment: in HCL, quoted strings (with ``${}``/``%{}`` templates nesting code and
strings), heredocs and ``#``, ``//``, ``/* */`` comments; in YAML, quoted scalars (which may
span lines), block scalars (``|``, ``>``) and ``#`` comments after white space. The text is
what the front end parsed (newlines already normalised).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*$")
_BLOCK_SCALAR = re.compile(r"(?:^|[\s:-])[|>][0-9+-]*[ \t]*(?:#.*)?$")


@dataclass(frozen=True)
class LineShape:
    """One line: the column (0-based) where a comment starts, whether it has code, and whether
    it begins inside a string, heredoc, block scalar or block comment that an earlier line
    opened (then no comment line can be put before it)."""

    comment: int | None
    code: bool
    continued: bool = False


def hcl_lines(text: str) -> list[LineShape]:
    return _HclLexer(text).run()


def yaml_lines(text: str) -> list[LineShape]:
    return _yaml_lines(text.split("\n"))


class _HclLexer:
    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.shapes: list[LineShape] = []
        self.in_block_comment = False
        self.heredoc: tuple[str, bool] | None = None  # (terminator, indented)
        # The stack of open contexts inside a line or across lines: "s" a quoted string,
        # "t" a template's code inside a string, "{"/"(" /"[" brackets of code.
        self.stack: list[str] = []

    def run(self) -> list[LineShape]:
        for line in self.lines:
            self.shapes.append(self._line(line))
        return self.shapes

    def _line(self, line: str) -> LineShape:
        if self.heredoc is not None:
            terminator, _ = self.heredoc
            if line.strip() == terminator:
                self.heredoc = None
            return LineShape(None, True, True)
        continued = self.in_block_comment or (bool(self.stack) and self.stack[-1] == "s")
        shape = self._scan(line)
        return LineShape(shape.comment, shape.code, continued) if continued else shape

    def _scan(self, line: str) -> LineShape:
        comment: int | None = None
        code = False
        i = 0
        while i < len(line):
            if self.in_block_comment:
                comment = i if comment is None else comment
                end = line.find("*/", i)
                if end < 0:
                    return LineShape(comment, code)
                self.in_block_comment = False
                i = end + 2
                continue
            top = self.stack[-1] if self.stack else ""
            if top == "s":
                i = self._in_string(line, i)
                code = True
                continue
            char = line[i]
            if char in " \t":
                i += 1
                continue
            if char == "#" or line.startswith("//", i):
                return LineShape(i if comment is None else comment, code)
            if line.startswith("/*", i):
                comment = i if comment is None else comment
                self.in_block_comment = True
                i += 2
                continue
            code = True
            i = self._in_code(line, i)
            if i < 0:  # a heredoc opens: the rest of the line is its marker
                break
        return LineShape(comment, code)

    def _in_string(self, line: str, i: int) -> int:
        """Advance through string text; return the index after what was consumed."""
        while i < len(line):
            char = line[i]
            if char == "\\":
                i += 2
                continue
            if char == '"':
                self.stack.pop()
                return i + 1
            if line.startswith(("${", "%{"), i) and not line.startswith(("$${", "%%{"), i):
                self.stack.append("t")
                return i + 2
            if line.startswith(("$${", "%%{"), i):
                i += 3
                continue
            i += 1
        return i  # a quoted string does not continue on the next line in HCL; keep the state

    def _in_code(self, line: str, i: int) -> int:
        char = line[i]
        if char == '"':
            self.stack.append("s")
            return i + 1
        if char in "{([":
            self.stack.append(char)
            return i + 1
        if char in "})]":
            if self.stack and self.stack[-1] in ("t",) and char == "}":
                self.stack.pop()  # the end of a template sequence: back in the string
            elif self.stack and self.stack[-1] in "{([":
                self.stack.pop()
            return i + 1
        heredoc = _HEREDOC.match(line, i) if char == "<" else None
        if heredoc is not None:
            self.heredoc = (heredoc.group(2), bool(heredoc.group(1)))
            return -1
        return i + 1


def _yaml_lines(lines: list[str]) -> list[LineShape]:
    shapes: list[LineShape] = []
    quote: str | None = None  # an open quoted scalar that continues on the next line
    block_indent: int | None = None  # content of a block scalar: lines indented past this
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                shapes.append(LineShape(None, bool(line.strip()), True))
                continue
            block_indent = None
        continued = quote is not None
        comment, code, quote = _yaml_line(line, quote)
        shapes.append(LineShape(comment, code, continued))
        if quote is None and _BLOCK_SCALAR.search(line[:comment] if comment is not None else line):
            block_indent = indent
    return shapes


def _yaml_line(line: str, quote: str | None) -> tuple[int | None, bool, str | None]:
    code = False
    i = 0
    while i < len(line):
        char = line[i]
        if quote is not None:
            code = True
            if quote == "'" and line.startswith("''", i):
                i += 2
                continue
            if quote == '"' and char == "\\":
                i += 2
                continue
            if char == quote:
                quote = None
            i += 1
            continue
        if char == "#" and (i == 0 or line[i - 1] in " \t"):
            return i, code, None
        if char in "'\"" and (i == 0 or line[i - 1] in " \t[{,:-?"):
            quote = char
        elif char not in " \t":
            code = True
        i += 1
    return None, code, quote
