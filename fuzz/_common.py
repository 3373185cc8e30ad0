"""Shared plumbing for the fuzz harnesses: decoding, the atheris entry, and a fallback fuzzer.

Each harness module defines ``test_one_input(data: bytes) -> None``, which must return normally
for every input: an exception escaping it is a bug. ``main()`` runs it under atheris
(coverage-guided, libFuzzer flags) when atheris is installed, and otherwise under a small
random-mutation fuzzer that understands the same flags we use (``-max_total_time``,
``-runs``, ``-timeout``, ``-artifact_prefix``) and the same corpus directories.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

FUZZ_DIR = Path(__file__).resolve().parent
REPO = FUZZ_DIR.parent
if str(REPO) not in sys.path:  # run as `python fuzz/fuzz_hcl.py` from anywhere
    sys.path.insert(0, str(REPO))

from linter.core.files import SourceError, decode_text  # noqa: E402

Harness = Callable[[bytes], None]


def decode(data: bytes, path: str) -> str:
    """The text the linter would read, or (for undecodable bytes) a lossy decoding, so that
    every input still exercises the parser."""
    try:
        return decode_text(data, path)
    except SourceError:
        text = data.decode("utf-8", errors="replace").replace("\x00", " ")
        return text.replace("\r\n", "\n").replace("\r", "\n")


def corpus_files(directories: list[Path]) -> list[Path]:
    files: list[Path] = []
    for directory in directories:
        if directory.is_file():
            files.append(directory)
        elif directory.is_dir():
            files.extend(sorted(p for p in directory.rglob("*") if p.is_file()))
    return files


# --- a tiny mutator (the fallback, and the CI smoke run) -------------------------------------

_TOKENS = (
    b"{",
    b"}",
    b"[",
    b"]",
    b"(",
    b")",
    b'"',
    b"${",
    b"%{",
    b"<<EOT\n",
    b"\nEOT\n",
    b"=",
    b":",
    b"- ",
    b"&a ",
    b"*a",
    b"<<: ",
    b"\n",
    b"\r\n",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"#",
    b"//",
    b"/*",
    b"var.",
    b"local.",
    b"module.",
    b"each.value",
    b"count.index",
    b"for x in ",
    b" ? ",
    b"...",
    b"[*]",
    b"9" * 40,
    b"1e999",
    b"-",
    b"!",
    b"anthropic_workspace",
    b"anthropic_organization",
    b"apiVersion: baa-lint/v1\n",
    b"try(",
    b"merge(",
    b"lookup(",
    b"format(",
    b"range(",
    b"regex(",
)


def mutate(data: bytes, rng: random.Random, others: list[bytes] | None = None) -> bytes:
    """One to four random edits: byte flips, deletions, insertions, token splices, line shuffles,
    truncation, duplication, and crossover with another input."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(9)
        pos = rng.randint(0, len(out))
        if choice == 0 and out:
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        elif choice == 1 and out:
            end = min(len(out), pos + rng.randint(1, 16))
            del out[pos:end]
        elif choice == 2:
            out[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif choice == 3:
            out[pos:pos] = rng.choice(_TOKENS)
        elif choice == 4:
            lines = bytes(out).split(b"\n")
            rng.shuffle(lines)
            out = bytearray(b"\n".join(lines))
        elif choice == 5:
            del out[pos:]
        elif choice == 6 and out:
            start = rng.randrange(len(out))
            chunk = out[start : start + rng.randint(1, 64)]
            out[pos:pos] = chunk * rng.randint(1, 8)
        elif choice == 7 and others:
            other = rng.choice(others)
            cut = rng.randint(0, len(other))
            out = out[:pos] + bytearray(other[cut:])
        else:
            lines = bytes(out).split(b"\n")
            if lines:
                i = rng.randrange(len(lines))
                lines.insert(rng.randrange(len(lines) + 1), lines[i])
            out = bytearray(b"\n".join(lines))
    return bytes(out[: 1 << 16])


class CrashError(Exception):
    """An input made the harness raise or run too long."""


def run_one(harness: Harness, data: bytes, timeout: float) -> float:
    """Run one input; raise CrashError (with the input kept) on an exception or a hang."""
    started = time.monotonic()
    try:
        harness(data)
    except Exception as exc:
        raise CrashError(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}") from exc
    elapsed = time.monotonic() - started
    if elapsed > timeout:
        raise CrashError(f"slow input: {elapsed:.2f}s > {timeout}s")
    return elapsed


def _flags(argv: list[str]) -> tuple[dict[str, str], list[Path]]:
    flags: dict[str, str] = {}
    dirs: list[Path] = []
    for arg in argv:
        if arg.startswith("-") and "=" in arg:
            name, _, value = arg.lstrip("-").partition("=")
            flags[name] = value
        elif not arg.startswith("-"):
            dirs.append(Path(arg))
    return flags, dirs


def fallback_fuzz(harness: Harness, argv: list[str]) -> int:
    """Random-mutation fuzzing with libFuzzer-style flags; prints libFuzzer-style final stats."""
    flags, dirs = _flags(argv)
    max_time = float(flags.get("max_total_time", "60"))
    runs = int(flags.get("runs", "-1"))
    timeout = float(flags.get("timeout", "2"))
    prefix = flags.get("artifact_prefix", "./")
    rng = random.Random(int(flags.get("seed", "0")) or None)
    seeds = [p.read_bytes() for p in corpus_files(dirs)] or [b""]
    pool = list(seeds)
    deadline = time.monotonic() + max_time
    executed = 0
    for seed in seeds:  # every seed unchanged first
        _attempt(harness, seed, timeout, prefix)
        executed += 1
    while time.monotonic() < deadline and (runs < 0 or executed < runs):
        data = mutate(rng.choice(pool), rng, pool)
        _attempt(harness, data, timeout, prefix)
        executed += 1
        if rng.random() < 0.05:
            pool.append(data)
            if len(pool) > 2000:
                pool.pop(rng.randrange(len(seeds), len(pool)))
    print(f"stat::number_of_executed_units: {executed}")
    print(f"Done {executed} runs in {max_time:.0f} second(s)")
    return 0


def _attempt(harness: Harness, data: bytes, timeout: float, prefix: str) -> None:
    try:
        run_one(harness, data, timeout)
    except CrashError as crash:
        name = f"{prefix}crash-{hashlib.sha1(data).hexdigest()}"
        Path(name).write_bytes(data)
        print(f"==CRASH== {crash}\nartifact: {name}", file=sys.stderr)
        raise SystemExit(1) from None


def main(harness: Harness) -> None:
    """``python fuzz/fuzz_X.py [CORPUS_DIR...] [-max_total_time=S] [-timeout=S] ...``"""
    if os.environ.get("BAA_FUZZ_FALLBACK") != "1":
        try:
            import atheris
        except ImportError:
            atheris = None
        if atheris is not None:
            atheris.instrument_all()
            atheris.Setup(sys.argv, harness)
            atheris.Fuzz()
            return
        print("atheris is not installed: using the random-mutation fallback", file=sys.stderr)
    raise SystemExit(fallback_fuzz(harness, sys.argv[1:]))
