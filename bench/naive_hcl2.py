#!/usr/bin/env python3
"""The naive approach: parse every ``.tf`` file under a directory with ``hcl2.loads``.

    python bench/naive_hcl2.py CORPUS [--gc off|freeze|on] [--json]

Single process, single core, files in sorted order, exactly as a linter without pruning,
caching or parallelism would. Prints one JSON line: files, bytes, failures, seconds.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

SKIPPED_DIRECTORIES = {".terraform", ".git", "node_modules", ".baa-lint-cache"}


def tf_files(root: Path) -> list[Path]:
    found = []
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRECTORIES)
        found.extend(Path(current) / name for name in sorted(files) if name.endswith(".tf"))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument(
        "--gc",
        choices=("on", "off", "freeze"),
        default="on",
        help="cyclic garbage collector during the parse (default: on, as python-hcl2 runs)",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    import hcl2  # imported inside the measurement: a real run pays for it too

    if args.gc == "off":
        gc.disable()
    elif args.gc == "freeze":
        gc.freeze()
    files = tf_files(args.corpus)
    total_bytes = 0
    failures: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        total_bytes += len(text.encode("utf-8"))
        try:
            hcl2.loads(text)
        except Exception as exc:  # the benchmark reports failures, it does not stop on them
            failures.append(f"{path.relative_to(args.corpus)}: {type(exc).__name__}")
    seconds = time.perf_counter() - started
    result = {
        "files": len(files),
        "bytes": total_bytes,
        "failures": len(failures),
        "failed_files": failures[:20],
        "seconds": round(seconds, 3),
        "gc": args.gc,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
