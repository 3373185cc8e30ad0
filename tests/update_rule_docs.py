"""Write the rule documentation pages, docs/rules/<code>.md, from the rule metadata.

Run from the repository root after changing a rule's metadata or its example:

    python -m tests.update_rule_docs

Each page takes the rule's code, slug, severity, summary and explanation from the registry and
its example from ``examples/rules/<code>-<slug>/`` (the input files and expected.txt).
tests/test_rule_docs.py regenerates the pages and compares them byte for byte.
"""

from __future__ import annotations

import sys
from pathlib import Path

from linter.output.rule_docs import Example, pages
from linter.rules.registry import RULES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules"
EXAMPLES = ROOT / "examples" / "rules"
NOT_INPUTS = ("expected.txt", "args.txt")


def example(directory: Path) -> Example:
    """What an example directory holds: its inputs, its arguments and its expected output."""
    inputs = sorted(p for p in directory.rglob("*") if p.is_file() and p.name not in NOT_INPUTS)
    args = directory / "args.txt"
    return Example(
        directory=directory.relative_to(ROOT).as_posix(),
        files=tuple(
            (p.relative_to(directory).as_posix(), p.read_text(encoding="utf-8")) for p in inputs
        ),
        arguments=tuple(args.read_text(encoding="utf-8").split()) if args.exists() else (),
        output=(directory / "expected.txt").read_text(encoding="utf-8"),
    )


def expected_pages() -> dict[str, str]:
    """Every page as it should be, by file name."""
    examples = {}
    for rule in RULES:
        directory = EXAMPLES / f"{rule.code}-{rule.slug}"
        if (directory / "expected.txt").is_file():
            examples[rule.code] = example(directory)
    return pages(RULES, examples)


def main() -> int:
    DOCS.mkdir(parents=True, exist_ok=True)
    wanted = expected_pages()
    for stale in sorted(DOCS.glob("*.md")):
        if stale.name not in wanted:
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)}")
    for name, text in wanted.items():
        (DOCS / name).write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(wanted)} pages to {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
