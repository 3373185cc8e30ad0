"""YAML front end: baa-lint declarations from YAML 1.2 files, with line and column of every node.

ruamel.yaml composes the file into nodes (never Python objects, so no tag can execute code);
declaration documents are then converted into :mod:`linter.core.tree` under a node budget, which
bounds alias and merge-key expansion (billion laughs) and nesting depth.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode as YMap
from ruamel.yaml.nodes import Node as YNode
from ruamel.yaml.nodes import ScalarNode as YScalar
from ruamel.yaml.nodes import SequenceNode as YSeq

from linter.core.findings import Finding, parse_error, schema_error
from linter.core.locations import LocatedError, Location, Span
from linter.core.model import Origin
from linter.core.parsed import ParsedFile
from linter.core.tree import Declaration, MapEntry, MapNode, Node, Scalar, ScalarNode, SeqNode

MARKER = "baa-lint/"
MAX_NODES = 20_000
MAX_DEPTH = 64
# Open flow collections ("[", "{") at once. ruamel's scanner spends time quadratic in this
# nesting before its parser could fail (10,000 "[" take seconds), so deeper input is refused
# before composing: far more than any declaration (MAX_DEPTH) may use.
MAX_FLOW_NESTING = 256
_TAG = "tag:yaml.org,2002:"


class TooLargeError(LocatedError):
    """A YAML document that expands or nests past the limits."""


def block_end_line(node: YNode, text: str) -> int:
    """The last line (1-based) of a node, for block-scoped suppressions.

    A block collection ends at the start of the next token: when only indentation stands
    before it on its line (column 0, or the dash of the next item), on the line before.
    """
    end_line: int = node.end_mark.line
    start_line: int = node.start_mark.line
    index: int = node.end_mark.index
    line_start = text.rfind("\n", 0, index) + 1
    if text[line_start:index].strip(" \t-") or (not text and node.end_mark.column):
        return end_line + 1
    return max(end_line, start_line + 1)


@dataclass
class YamlWalker:
    """What every converter of composed YAML nodes keeps: positions, block spans (for
    suppressions), findings, and the limits that bound alias expansion and nesting."""

    path: str
    text: str = ""
    budget: int = MAX_NODES
    findings: list[Finding] = field(default_factory=list)
    blocks: list[Span] = field(default_factory=list)
    noun: str = "declaration"  # what a document is, for the limit messages

    def loc(self, node: YNode) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def end_line(self, node: YNode) -> int:
        return block_end_line(node, self.text)

    def visit(self, node: YNode, depth: int) -> None:
        """Count one node against the limits; TooLargeError past them."""
        self.budget -= 1
        if self.budget < 0:
            raise TooLargeError(
                f"{self.noun} expands to more than {MAX_NODES:,} values "
                "(aliases or merge keys repeated too often?)",
                self.loc(node),
            )
        if depth > MAX_DEPTH:
            raise TooLargeError(f"{self.noun} nests deeper than {MAX_DEPTH} levels", self.loc(node))

    def duplicate_key(self, key: str, first: Location, where: Location) -> None:
        """A key set twice in one mapping: a finding at the second; the last value is used."""
        self.findings.append(
            schema_error(
                f"duplicate key '{key}' (first set at line {first.line}); the last value is used",
                where,
            )
        )


@dataclass
class _Converter(YamlWalker):
    def convert(self, node: YNode, depth: int = 0) -> Node:
        self.visit(node, depth)
        if isinstance(node, YMap):
            return self.mapping(node, depth)
        if isinstance(node, YSeq):
            items = tuple(self.convert(item, depth + 1) for item in node.value)
            return SeqNode(self.loc(node), items=items)
        assert isinstance(node, YScalar)
        return ScalarNode(self.loc(node), value=_scalar(node), text=_written(node))

    def mapping(self, node: YMap, depth: int) -> MapNode:
        self.blocks.append(Span(self.path, node.start_mark.line + 1, self.end_line(node)))
        entries: dict[str, MapEntry] = {}
        merged: dict[str, MapEntry] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                # What a merge key brings in belongs to this mapping: it is located at the
                # `<<` here (where a suppression for this object goes), and the anchor it came
                # from is the first step of its evidence.
                here = self.loc(key_node)
                for entry in self.merge_sources(value_node, depth):
                    note = f"{entry.key}: merged in with << from here"
                    origin = Origin(entry.value.location, note)
                    merged.setdefault(entry.key, _relocated(entry, here, origin))
                continue
            if not isinstance(key_node, YScalar):
                self.findings.append(
                    schema_error("keys must be plain names, not collections", self.loc(key_node))
                )
                continue
            key = str(key_node.value)
            key_loc = self.loc(key_node)
            if key in entries:
                self.duplicate_key(key, entries[key].key_location, key_loc)
                del entries[key]
            if isinstance(value_node, (YMap, YSeq)):
                self.blocks.append(Span(self.path, key_loc.line, self.end_line(value_node)))
            entries[key] = MapEntry(key, key_loc, self.convert(value_node, depth + 1))
        for key, entry in merged.items():
            entries.setdefault(key, entry)
        return MapNode(self.loc(node), entries=tuple(entries.values()))

    def merge_sources(self, value: YNode, depth: int) -> list[MapEntry]:
        sources = value.value if isinstance(value, YSeq) else [value]
        result: list[MapEntry] = []
        for source in sources:
            if not isinstance(source, YMap):
                self.findings.append(
                    schema_error("a merge key (<<) must refer to a mapping", self.loc(source))
                )
                continue
            result.extend(self.mapping(source, depth + 1).entries)
        return result


def _relocated_node(node: Node, where: Location, origin: Origin) -> Node:
    chain = (origin, *node.chain)
    if isinstance(node, MapNode):
        entries = tuple(_relocated(e, where, origin) for e in node.entries)
        return MapNode(where, node.attr, chain, entries)
    if isinstance(node, SeqNode):
        items = tuple(_relocated_node(i, where, origin) for i in node.items)
        return SeqNode(where, node.attr, chain, items)
    if isinstance(node, ScalarNode):
        return ScalarNode(where, node.attr, chain, node.value, node.text)
    return node


def _relocated(entry: MapEntry, where: Location, origin: Origin) -> MapEntry:
    return MapEntry(entry.key, where, _relocated_node(entry.value, where, origin))


# YAML 1.2 allows tabs as separation white space after `key:` and `-`; ruamel's scanner
# rejects one before a flow collection (`models:\t[...]`). A tab there is replaced by a
# space, one character for one, so every position stays exact. Tabs as indentation stay
# invalid YAML.
_TAB_AFTER_KEY = re.compile(r"^( *(?:- +)*[A-Za-z0-9_.$<-][^:#'\"\t\n]*:)(\t[ \t]*)", re.M)
_TAB_AFTER_DASH = re.compile(r"^( *(?:- +)*-)(\t[ \t]*)", re.M)


def _separating_tabs(text: str) -> str:
    if "\t" not in text:
        return text

    def spaces(match: re.Match[str]) -> str:
        return match.group(1) + " " * len(match.group(2))

    return _TAB_AFTER_DASH.sub(spaces, _TAB_AFTER_KEY.sub(spaces, text))


def _written(node: YScalar) -> str:
    """How the scalar was written: its text, in the quotes it was written in (a block scalar
    after its indicator), so that a plain ``yes`` can be told from a quoted ``'yes'``."""
    text = str(node.value)
    style = node.style or ""
    return f"{style}{text}{style}" if style in ("'", '"') else f"{style}{text}"


def _scalar(node: YScalar) -> Scalar:
    text = str(node.value)
    tag = node.tag or ""
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return text.lower() == "true"
    if tag == _TAG + "int":
        cleaned = text.replace("_", "")
        for base in (0, 10):
            try:
                return int(cleaned, base)
            except ValueError:
                continue
        return text
    if tag == _TAG + "float":
        lowered = text.lower().lstrip("+")
        if lowered in (".inf", "-.inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return text  # NaN never compares equal; keep the text so it stays a visible value
        try:
            return float(text.replace("_", ""))
        except ValueError:
            return text
    return text


def _is_declaration(node: YNode) -> bool:
    if not isinstance(node, YMap):
        return False
    for key, value in node.value:
        if isinstance(key, YScalar) and key.value == "apiVersion" and isinstance(value, YScalar):
            return str(value.value).startswith(MARKER)
    return False


def _error_location(exc: YAMLError, path: str) -> Location:
    mark = None
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Location(path)
    return Location(path, mark.line + 1, mark.column + 1)


def _error_message(exc: YAMLError) -> str:
    """One line: the problem, and where the construct it is in started (if elsewhere)."""
    if not isinstance(exc, MarkedYAMLError) or not exc.problem:
        return "invalid YAML: " + (str(exc).splitlines() or ["syntax error"])[0]
    message = f"invalid YAML: {exc.problem}"
    context, mark = exc.context, exc.context_mark
    if context and mark is not None and mark != exc.problem_mark:
        construct = str(context).removeprefix("while parsing ").removeprefix("while scanning ")
        construct = construct.removeprefix("a ").removeprefix("an ")
        message += (
            f" (in the {construct} that starts at line {mark.line + 1}, column {mark.column + 1})"
        )
    elif context:
        message += f" ({context})"
    return message


# Brackets, and the one-line quoted strings and comments whose brackets do not count.
_FLOW_TOKENS = re.compile(
    r"""[\[\]{}]|'[^'\n]*'|"(?:[^"\\\n]|\\.)*"|(?:^|(?<=[ \t]))#[^\n]*""", re.M
)


def _flow_too_deep(text: str, path: str) -> Location | None:
    """Where flow collections first nest deeper than MAX_FLOW_NESTING, if they do."""
    if text.count("[") + text.count("{") <= MAX_FLOW_NESTING:
        return None
    depth = 0
    for match in _FLOW_TOKENS.finditer(text):
        char = match.group()[0]
        if char in "[{":
            depth += 1
            if depth > MAX_FLOW_NESTING:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                return Location(path, line, start - text.rfind("\n", 0, start))
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def _flow_nesting_message() -> str:
    return f"YAML nests too deeply (more than {MAX_FLOW_NESTING} levels of brackets)"


class YamlError(LocatedError):
    """A YAML file (a configuration) that cannot be read; one line, with its location."""

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def parse_yaml_mapping(text: str, path: str) -> MapNode:
    """A single-document YAML mapping with positions (used for the configuration file)."""
    converter = _Converter(path, text)
    too_deep = _flow_too_deep(text, path)
    if too_deep is not None:
        raise YamlError(_flow_nesting_message(), too_deep)
    try:
        doc = YAML(typ="safe", pure=True).compose(io.StringIO(_separating_tabs(text)))
        if doc is None:
            return MapNode(Location(path))
        root = converter.convert(doc)
    except TooLargeError as exc:
        raise YamlError(exc.message, exc.location) from None
    except YAMLError as exc:
        raise YamlError(_error_message(exc), _error_location(exc, path)) from None
    except RecursionError:
        raise YamlError("YAML nests too deeply to parse", Location(path)) from None
    if converter.findings:
        first = converter.findings[0]
        raise YamlError(first.message, first.location)
    if not isinstance(root, MapNode):
        raise YamlError("expected a mapping of settings", root.location)
    return root


def parse_yaml(text: str, path: str) -> ParsedFile:
    """Parse a YAML file's declarations. Files that never mention ``baa-lint/`` are skipped."""
    if MARKER not in text:
        return ParsedFile(path, text)
    too_deep = _flow_too_deep(text, path)
    if too_deep is not None:
        return ParsedFile(path, text, findings=(parse_error(_flow_nesting_message(), too_deep),))
    converter = _Converter(path, text)
    declarations: list[Declaration] = []
    findings: list[Finding] = []
    yaml = YAML(typ="safe", pure=True)
    try:
        for doc in yaml.compose_all(io.StringIO(_separating_tabs(text))):
            if doc is None or not _is_declaration(doc):
                continue
            root = converter.convert(doc)
            assert isinstance(root, MapNode)
            span = Span(path, doc.start_mark.line + 1, converter.end_line(doc))
            declarations.append(Declaration(root, path, span, "yaml"))
    except TooLargeError as exc:
        findings.append(parse_error(exc.message, exc.location))
    except YAMLError as exc:
        findings.append(parse_error(_error_message(exc), _error_location(exc, path)))
    except RecursionError:
        findings.append(parse_error("YAML nests too deeply to parse", Location(path)))
    return ParsedFile(
        path,
        text,
        declarations=tuple(declarations),
        findings=tuple(converter.findings + findings),
        blocks=tuple(converter.blocks),
        comment_style="yaml",
    )
