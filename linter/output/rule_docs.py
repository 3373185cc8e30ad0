"""The rule documentation pages (``docs/rules/<code>.md``), written from the rule metadata.

SARIF's ``helpUri`` and ``baa-lint explain`` link to these pages, so they must say what the
registry says: ``python -m tests.update_rule_docs`` writes them, and a test regenerates them
and compares byte for byte. The example of each rule (``examples/rules/<code>-<slug>/``) is read
by that command and handed in here as text: this module reads no file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from linter.result import Rule

GENERATED_NOTE = (
    "<!-- Generated from the rule metadata by `python -m tests.update_rule_docs`; "
    "edit the rule, not this file. -->"
)
INDEX_NAME = "README.md"

_LANGUAGES = {".yaml": "yaml", ".yml": "yaml", ".tf": "hcl", ".tfvars": "hcl", ".json": "json"}
_BACKTICKS = re.compile(r"`{3,}")


@dataclass(frozen=True)
class Example:
    """A runnable example: its directory (from the repository root), its input files as
    (name, text), the extra command-line arguments it runs with, and what baa-lint prints."""

    directory: str
    files: tuple[tuple[str, str], ...]
    arguments: tuple[str, ...]
    output: str


def page_name(rule: Rule) -> str:
    return f"{rule.code}.md"


def _fenced(text: str, language: str) -> list[str]:
    """A code block that no backtick run inside ``text`` can close early."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=2)
    fence = "`" * (longest + 1)
    return [f"{fence}{language}", *text.rstrip("\n").split("\n"), fence]


def _example(example: Example) -> list[str]:
    link = f"../../{example.directory}/"
    lines = ["## Example", "", f"[`{example.directory}/`]({link}):", ""]
    for name, text in example.files:
        language = _LANGUAGES.get(PurePosixPath(name).suffix, "text")
        lines += [f"`{name}`:", "", *_fenced(text, language), ""]
    command = " ".join(("baa-lint", example.directory, *example.arguments))
    lines += [f"`{command}` prints:", "", *_fenced(example.output, "text"), ""]
    return lines


def _suppressing(rule: Rule) -> list[str]:
    if not rule.suppressible:
        return ["## Suppressing it", "", f"{rule.code} findings cannot be suppressed.", ""]
    return [
        "## Suppressing it",
        "",
        "With a reason, on the line of the finding or on the line above it (above a block's "
        "first line, for the whole block):",
        "",
        "```yaml",
        f"# baa-lint: ignore[{rule.code}] <why this is acceptable> until=YYYY-MM-DD",
        "```",
        "",
        f"Or turn it off for some paths (`per-path-ignores`) or everywhere (`--ignore {rule.code}`"
        f" or `--ignore {rule.slug}`); change its severity with `severity: {{{rule.slug}: ...}}`.",
        "",
    ]


def rule_page(rule: Rule, example: Example | None) -> str:
    """The markdown page of one rule."""
    lines = [
        GENERATED_NOTE,
        "",
        f"# {rule.code} {rule.slug}",
        "",
        "| code | name | default severity | suppressible |",
        "|---|---|---|---|",
        f"| {rule.code} | {rule.slug} | {rule.severity.value} | "
        f"{'yes' if rule.suppressible else 'no'} |",
        "",
        f"{rule.summary}.",
        "",
        *rule.explanation.strip("\n").split("\n"),
        "",
    ]
    if example is not None:
        lines += _example(example)
    lines += _suppressing(rule)
    return "\n".join(lines).rstrip("\n") + "\n"


def index_page(rules: Sequence[Rule]) -> str:
    """``docs/rules/README.md``: every rule, linked to its page."""
    lines = [
        GENERATED_NOTE,
        "",
        "# baa-lint rules",
        "",
        "`baa-lint rules` lists them and `baa-lint explain CODE` prints a rule's explanation.",
        "",
        "| code | name | severity | summary |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| [{r.code}]({page_name(r)}) | {r.slug} | {r.severity.value} | {r.summary} |"
        for r in rules
    ]
    return "\n".join(lines) + "\n"


def pages(rules: Sequence[Rule], examples: dict[str, Example]) -> dict[str, str]:
    """Every page by file name: one per rule (its example by rule code), and the index."""
    written = {page_name(r): rule_page(r, examples.get(r.code)) for r in rules}
    written[INDEX_NAME] = index_page(rules)
    return written
