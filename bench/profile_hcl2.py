#!/usr/bin/env python3
"""Why does python-hcl2 get slower per block as a file grows?  Measure it.

    python bench/profile_hcl2.py [--sizes 0.1,0.2,0.4,0.8] [--repeat 3] [--profile]

Builds one realistic file per size (top-level AWS blocks from bench/infra.py, the same mix as
the corpus), then parses it in a fresh process per variant and reports milliseconds per
top-level block:

* ``hcl2.loads`` as shipped (GC on), and split into its stages: Lark parse
  (``parses_to_tree``), rule transformation, serialization;
* ``hcl2.loads`` with the cyclic garbage collector disabled, and after ``gc.freeze()``;
* baa-lint's ``parse_hcl`` as shipped (it pauses the collector) and with the collector on;
* the number of collections and the time spent in them (``gc.callbacks``).

With ``--profile``, also prints the top functions of a cProfile run of ``hcl2.loads`` on the
largest file, GC on and off. Results go to stdout (a table) and, with ``--json FILE``, to JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import infra  # noqa: E402

VARIANTS = [
    "hcl2.loads",
    "hcl2.loads gc-off",
    "hcl2.loads gc-freeze",
    "hcl2 lark-parse",
    "hcl2 lark-parse gc-off",
    "hcl2 transform",
    "hcl2 serialize",
    "baa-lint parse_hcl",
    "baa-lint parse_hcl gc-on",
]


def build_file(target_bytes: int, seed: int = 7) -> tuple[str, int]:
    """A file of about ``target_bytes`` of mixed top-level blocks; (text, block count)."""
    rng = random.Random(seed)
    makers = [
        lambda n: infra.aws_security_group(rng, f"sg_{n}"),
        lambda n: infra.aws_iam_role(rng, f"role_{n}", "ecs-tasks"),
        lambda n: infra.aws_alarm(rng, f"alarm_{n}", "CPUUtilization"),
        lambda n: infra.aws_ecs_service(rng, f"svc_{n}"),
        lambda n: infra.aws_lambda(rng, f"fn_{n}"),
    ]
    parts: list[str] = []
    size = 0
    number = 0
    while size < target_bytes:
        block = makers[number % len(makers)](number)
        parts.append(block)
        size += len(block) + 1
        number += 1
    text = "\n".join(parts)
    blocks = sum(
        1
        for line in text.splitlines()
        if line.startswith(("resource ", "data ", "locals ", "module ", "variable "))
    )
    return text, blocks


# The measuring child: one variant, one file, best of N (after one warm-up parse of a small
# file so that grammar loading is not measured).
CHILD = r"""
import gc, json, sys, time
variant, path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(path, encoding="utf-8").read()
import hcl2
from hcl2.api import parses_to_tree, transform, serialize
from linter.terraform.syntax import hcl as ours
import contextlib
hcl2.loads('a = 1\n')
ours.parse_hcl('a = 1\n', 'warmup.tf')
collections = [0, 0, 0]
gc_seconds = [0.0]
started = [0.0]
def callback(phase, info):
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        gc_seconds[0] += time.perf_counter() - started[0]
        collections[info["generation"]] += 1
best = None
best_gc = None
for _ in range(repeat):
    gc.collect()
    collections[:] = [0, 0, 0]
    gc_seconds[0] = 0.0
    if "gc-off" in variant:
        gc.disable()
    if "gc-freeze" in variant:
        gc.freeze()
    if variant.endswith("gc-on"):
        ours._gc_paused = contextlib.nullcontext
    if variant in ("hcl2 transform", "hcl2 serialize"):
        tree = parses_to_tree(text)
        if variant == "hcl2 serialize":
            rules = transform(tree)
    collections[:] = [0, 0, 0]
    gc_seconds[0] = 0.0
    gc.callbacks.append(callback)
    t0 = time.perf_counter()
    if variant.startswith("hcl2.loads"):
        hcl2.loads(text)
    elif variant.startswith("hcl2 lark-parse"):
        parses_to_tree(text)
    elif variant == "hcl2 transform":
        transform(tree)
    elif variant == "hcl2 serialize":
        serialize(rules)
    else:
        ours.parse_hcl(text, "big.tf")
    elapsed = time.perf_counter() - t0
    gc.callbacks.remove(callback)
    tree = rules = None
    gc.enable()
    gc.unfreeze()
    if best is None or elapsed < best:
        best = elapsed
        best_gc = (list(collections), gc_seconds[0])
print(json.dumps({"seconds": best, "collections": best_gc[0], "gc_seconds": best_gc[1]}))
"""


def measure(variant: str, path: Path, repeat: int) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, "-c", CHILD, variant, str(path), str(repeat)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, object] = json.loads(output)
    return result


def cprofile(path: Path, gc_off: bool) -> str:
    script = (
        "import cProfile, pstats, gc, io, hcl2\n"
        f"text = open({str(path)!r}, encoding='utf-8').read()\n"
        "hcl2.loads('a = 1\\n')\n"
        f"{'gc.disable()' if gc_off else ''}\n"
        "profile = cProfile.Profile()\n"
        "profile.enable(); hcl2.loads(text); profile.disable()\n"
        "out = io.StringIO()\n"
        "pstats.Stats(profile, stream=out).sort_stats('tottime').print_stats(12)\n"
        "print(out.getvalue())\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="0.05,0.1,0.2,0.4,0.8", help="MB, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    variants = [v for v in args.variants.split(",") if v]
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for size in sizes:
            text, blocks = build_file(int(size * 1_000_000))
            path = Path(tmp) / f"file-{size}.tf"
            path.write_text(text, encoding="utf-8")
            files.append((size, path, blocks, len(text.encode())))
        header = f"{'variant':<26}" + "".join(f"{f'{s} MB':>16}" for s in sizes)
        print("ms per top-level block (collections gen0/gen1/gen2, seconds in GC)")
        print(header)
        for variant in variants:
            cells = []
            for size, path, blocks, nbytes in files:
                result = measure(variant, path, args.repeat)
                seconds = float(result["seconds"])  # type: ignore[arg-type]
                results.append(
                    {
                        "variant": variant,
                        "mb": size,
                        "bytes": nbytes,
                        "blocks": blocks,
                        **result,
                        "ms_per_block": 1000 * seconds / blocks,
                        "kb_per_s": nbytes / 1000 / seconds,
                    }
                )
                cells.append(
                    f"{1000 * seconds / blocks:>9.2f} ({float(result['gc_seconds']):4.1f}s)"
                )  # type: ignore[arg-type]
            print(f"{variant:<26}" + "".join(f"{c:>16}" for c in cells), flush=True)
        print()
        for size, _path, blocks, nbytes in files:
            print(f"{size} MB: {nbytes} bytes, {blocks} top-level blocks")
        for row in results:
            if row["variant"] == "hcl2.loads":
                print(
                    f"hcl2.loads {row['mb']} MB: {row['kb_per_s']:.0f} KB/s, "
                    f"collections {row['collections']}, {row['gc_seconds']:.2f} s in GC"
                )
        if args.profile:
            largest = files[-1][1]
            for gc_off in (False, True):
                print(
                    f"\ncProfile of hcl2.loads on {files[-1][0]} MB, GC {'off' if gc_off else 'on'}"
                )
                print(cprofile(largest, gc_off))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
