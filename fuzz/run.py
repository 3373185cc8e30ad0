"""Run the fuzz harnesses: ``python fuzz/run.py --minutes 10`` (each harness, one after another).

Options: ``--minutes M`` per harness (default 10), ``--only hcl,yaml,eval,calls,cloudformation``,
``--timeout S`` (an input slower than this is a hang; default 2), ``--fallback`` (the
random-mutation fuzzer even when atheris is installed), ``--dir D`` (where work/ and artifacts/
go; default fuzz/). The growing corpus is kept in work/NAME (seeded from fuzz/corpus/NAME),
crashing inputs in artifacts/NAME/. Exit 1 when any harness crashed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
HARNESSES = ("hcl", "yaml", "eval", "calls", "cloudformation")


def run(
    name: str, seconds: int, timeout: int, fallback: bool, base: Path = FUZZ
) -> tuple[int, int, list[Path]]:
    """(exit code, executions, crashing inputs) of one harness run."""
    work = base / "work" / name
    artifacts = base / "artifacts" / name
    work.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    before = set(artifacts.iterdir())
    command = [
        sys.executable,
        str(FUZZ / f"fuzz_{name}.py"),
        str(work),
        str(FUZZ / "corpus" / name),
        f"-max_total_time={seconds}",
        f"-timeout={timeout}",
        "-rss_limit_mb=2048",
        "-max_len=65536",
        f"-artifact_prefix={artifacts}/",
        "-print_final_stats=1",
    ]
    dictionary = FUZZ / "dict" / f"{name}.dict"
    if dictionary.exists() and not fallback:
        command.append(f"-dict={dictionary}")
    env = dict(os.environ, BAA_FUZZ_FALLBACK="1" if fallback else "0")
    log = base / "work" / f"{name}.log"
    started = time.monotonic()
    with log.open("w") as out:
        # A hard stop well after max_total_time, in case the fuzzer itself hangs.
        try:
            proc = subprocess.run(
                command,
                check=False,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                timeout=seconds + 120,
            )
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = -1
    text = log.read_text(errors="replace")
    found = re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)
    executions = int(found[-1]) if found else 0
    crashes = sorted(set(artifacts.iterdir()) - before)
    elapsed = time.monotonic() - started
    print(
        f"{name}: {elapsed / 60:.1f} min, {executions:,} executions, "
        f"{len(crashes)} new crashing input(s), exit {code} (log: {log})"
    )
    for crash in crashes:
        print(f"  {crash}")
    return code, executions, crashes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="per harness")
    parser.add_argument("--only", default=",".join(HARNESSES))
    parser.add_argument("--timeout", type=int, default=2)
    parser.add_argument("--fallback", action="store_true")
    parser.add_argument("--dir", type=Path, default=FUZZ, help="for work/ and artifacts/")
    args = parser.parse_args()
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in HARNESSES]
    if unknown:
        parser.error(f"unknown harness {', '.join(unknown)} (one of {', '.join(HARNESSES)})")
    failed = False
    total = 0
    for name in names:
        code, executions, crashes = run(
            name, max(1, int(args.minutes * 60)), args.timeout, args.fallback, args.dir
        )
        total += executions
        failed |= code != 0 or bool(crashes)
    print(f"total: {total:,} executions")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
