#!/usr/bin/env python3
"""The floors baa-lint is judged against (SPEC §8), each measured in its own process.

    python bench/floor.py treesitter CORPUS   # tree-sitter-hcl parse of every .tf file's bytes
    python bench/floor.py read CORPUS         # read every file baa-lint would read

``treesitter`` is the cost of parsing the text and nothing else (a C parser, no tree kept, no
evaluation), ``read`` the cost of reading the files at all. Single process, files in sorted
order, imports inside the measurement. Prints one JSON line: files, bytes, seconds (and, for
treesitter, how many trees have syntax errors).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# As baa-lint's discovery: the directories it never enters, the files it reads.
SKIPPED_DIRECTORIES = {".terraform", ".git", "node_modules", ".baa-lint-cache"}
READ_SUFFIXES = (
    ".tf", ".tf.json", ".tfvars", ".tfvars.json", ".yaml", ".yml", ".json", ".template",
)  # fmt: skip


def files_under(root: Path, suffixes: tuple[str, ...]) -> list[Path]:
    found = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRECTORIES)
        found.extend(
            Path(current) / name for name in sorted(files) if name.lower().endswith(suffixes)
        )
    return found


def read_every_file(root: Path) -> dict[str, object]:
    total = 0
    paths = files_under(root, READ_SUFFIXES)
    for path in paths:
        total += len(path.read_bytes())
    return {"files": len(paths), "bytes": total}


def parse_with_tree_sitter(root: Path) -> dict[str, object]:
    import tree_sitter
    import tree_sitter_hcl

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    total = 0
    with_errors: list[str] = []
    paths = files_under(root, (".tf",))
    for path in paths:
        data = path.read_bytes()
        total += len(data)
        if parser.parse(data).root_node.has_error:
            with_errors.append(path.relative_to(root).as_posix())
    return {
        "files": len(paths),
        "bytes": total,
        "syntax_errors": len(with_errors),
        "files_with_errors": with_errors[:20],
        "tree_sitter": _version("tree-sitter"),
        "tree_sitter_hcl": _version("tree-sitter-hcl"),
    }


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


MODES = {"treesitter": parse_with_tree_sitter, "read": read_every_file}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=sorted(MODES))
    parser.add_argument("corpus", type=Path)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = MODES[args.mode](args.corpus)
    result = {"mode": args.mode, **result, "seconds": round(time.perf_counter() - started, 3)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
