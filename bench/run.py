#!/usr/bin/env python3
"""The baa-lint performance benchmark (SPEC §8): one command, every variant side by side.

    python bench/run.py [--scale S] [--corpus DIR] [--runs N] [--checkov] [--jobs N]

1. Generates the corpus (bench/generate.py; reused when its manifest and digest match).
2. Measures, alternating the variants over N runs (the order rotates every run) and reporting
   medians, each in a fresh subprocess:

   - ``cold``      baa-lint on the whole corpus with an empty cache (a fresh
                   ``--cache-dir`` per run; ``--no-cache`` when only that exists);
   - ``warm``      the same with a cache primed by an earlier, unmeasured run;
   - ``pre-commit`` one ``.tf`` file in a directory with Anthropic resources is modified and
                   baa-lint runs the way ``.pre-commit-hooks.yaml`` says (its ``entry``, plus
                   the file when ``pass_filenames`` is true), on its default cache;
   - ``python-hcl2`` the naive approach: ``hcl2.loads`` on every ``.tf`` file, one process;
   - ``checkov``   with ``--checkov``, once: ``checkov -d CORPUS --framework terraform
                   --check CKV_AWS_20 --quiet --compact``, installed by this script into
                   ``bench/.venv-checkov`` (skipped with a message when that fails).

3. Records wall seconds (``time.perf_counter``) and peak memory: the larger of the child's
   own high-water mark (``VmHWM``, sampled) and the sampled sum of PSS over the whole process
   tree (worker processes included). Not ``ru_maxrss``: on Linux a child's starts at its
   parent's high-water mark (it is kept across fork and exec), so it reported this runner's
   memory, not the command's, whenever the runner was the larger.
4. Prints a table (median seconds, peak MB, ratio to cold) and the SPEC targets with
   PASS/FAIL, writes ``bench/results.json``, and checks that baa-lint's findings equal the
   planted ones in ``expected.json`` (cold, warm and pre-commit). Exit status: 0 when findings
   match (targets are reported, not enforced), 1 on a findings mismatch or a failed command.

The file-system cache is warm for every variant (the corpus was just read); "cold" is about
baa-lint's cache. Nothing here touches the network except the checkov installation.
"""

from __future__ import annotations

import argparse
import collections
import compileall
import contextlib
import importlib.util
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 (bench/ is not a package)

CHECKOV_VENV = HERE / ".venv-checkov"
CHECKOV_CHECK = "CKV_AWS_20"
TARGETS = {
    "checkov_ratio": 100.0,
    "naive_ratio": 10.0,
    "warm_seconds": 1.0,
    "precommit_seconds": 1.0,
    "peak_mb": 300.0,
}
TEXT_FINDING = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+):(?P<column>\d+): (?P<rule>[A-Z]+\d+) \[")
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# ----------------------------------------------------------------------------------------
# Measuring one command
# ----------------------------------------------------------------------------------------


@dataclass
class Measurement:
    seconds: float
    peak_mb: float
    maxrss_mb: float  # ru_maxrss: at least this runner's own high-water mark (see measure)
    hwm_mb: float  # the command's own high-water mark (VmHWM of its main process, sampled)
    tree_pss_mb: float  # sampled sum over the process tree
    processes: int  # the most processes seen at once in the tree
    returncode: int
    stdout: str
    stderr: str


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            text = (task / "children").read_text(encoding="ascii")
        except OSError:
            continue
        found.extend(int(p) for p in text.split())
    return found


def _rss_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1]) * PAGE // 1024
    except (OSError, ValueError, IndexError):
        return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (a forked worker's) split between the sharers."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii").splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return _rss_kb(pid)  # no smaps_rollup: RSS counts shared pages in every process


def _hwm_kb(pid: int) -> int:
    """The process's own peak resident set size since its exec (VmHWM)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return _rss_kb(pid)


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process and all its descendants until stopped, and the
    main process's own high-water mark.

    Every 20 ms at first, then less often (up to every 0.1 s): a long run's peak is not a
    short spike, and reading smaps_rollup of a large process is not free. While the tree is a
    single process, its high-water mark is that peak (only growth in the last interval before
    it exits can be missed), so only VmHWM is read.
    """

    def __init__(self, pid: int, interval: float = 0.02, max_interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.max_interval = max_interval
        self.peak_kb = 0
        self.hwm_kb = 0
        self.processes = 1  # the most processes seen at once in the tree
        self._stop_event = threading.Event()

    def run(self) -> None:
        interval = self.interval
        while not self._stop_event.is_set():
            pids = [self.pid]
            index = 0
            while index < len(pids):
                pids.extend(_children(pids[index]))
                index += 1
            hwm = _hwm_kb(self.pid)
            self.hwm_kb = max(self.hwm_kb, hwm)
            total = hwm if len(pids) == 1 else sum(_pss_kb(p) for p in pids)
            self.peak_kb = max(self.peak_kb, total)
            self.processes = max(self.processes, len(pids))
            self._stop_event.wait(interval)
            interval = min(self.max_interval, interval * 1.2)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def measure(
    command: Sequence[str],
    cwd: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Measurement:
    """Run ``command`` in a fresh process; wall seconds, peak memory, output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, stdout=out, stderr=err, env=env)
        sampler = TreeSampler(process.pid)
        sampler.start()
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - started
        sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    # ru_maxrss (kilobytes on Linux) is recorded, not used: a child's starts at its parent's
    # high-water mark, so it would report this runner whenever the runner is the larger.
    maxrss_mb = usage.ru_maxrss / 1024
    tree_mb = sampler.peak_kb / 1024
    hwm_mb = sampler.hwm_kb / 1024
    return Measurement(
        seconds=seconds,
        peak_mb=max(hwm_mb, tree_mb),
        maxrss_mb=maxrss_mb,
        hwm_mb=hwm_mb,
        tree_pss_mb=tree_mb,
        processes=sampler.processes,
        returncode=process.returncode,
        stdout=stdout,
        stderr=stderr,
    )


# ----------------------------------------------------------------------------------------
# Findings
# ----------------------------------------------------------------------------------------

Key = tuple[str, str, int, str]  # rule, path, line, object


def expected_findings(corpus: Path) -> tuple[collections.Counter[Key], int]:
    data = json.loads((corpus / generate.EXPECTED_NAME).read_text(encoding="utf-8"))
    keys = collections.Counter(
        (f["rule"], f["path"], int(f["line"]), f["object"]) for f in data["findings"]
    )
    return keys, int(data["suppressed"])


def json_findings(stdout: str) -> tuple[collections.Counter[Key], int]:
    data = json.loads(stdout)
    keys = collections.Counter(
        (f["rule"], f["path"], int(f["line"]), f.get("object", "")) for f in data["findings"]
    )
    return keys, int(data.get("summary", {}).get("suppressed", -1))


def text_findings(stdout: str) -> collections.Counter[tuple[str, str, int]]:
    found: collections.Counter[tuple[str, str, int]] = collections.Counter()
    for line in stdout.splitlines():
        match = TEXT_FINDING.match(line)
        if match:
            found[(match["rule"], match["path"], int(match["line"]))] += 1
    return found


def describe_difference(
    label: str, actual: collections.Counter[Any], expected: collections.Counter[Any]
) -> list[str]:
    problems = []
    for key, count in sorted((actual - expected).items()):
        problems.append(f"{label}: unexpected finding {key} (x{count})")
    for key, count in sorted((expected - actual).items()):
        problems.append(f"{label}: missing finding {key} (x{count})")
    return problems


# ----------------------------------------------------------------------------------------
# The variants
# ----------------------------------------------------------------------------------------


def baa_lint_command() -> list[str]:
    script = Path(sys.executable).parent / "baa-lint"
    if script.exists():
        return [str(script)]
    found = shutil.which("baa-lint")
    return [found] if found else [sys.executable, "-m", "linter"]


def detect_options(base: list[str]) -> set[str]:
    """Which of the performance options this baa-lint has (from ``check --help``)."""
    help_text = subprocess.run(
        [*base, "check", "--help"], capture_output=True, text=True, check=False
    ).stdout
    return {o for o in ("--no-cache", "--cache-dir", "--jobs", "--pre-commit") if o in help_text}


@dataclass
class Hook:
    entry: list[str]
    pass_filenames: bool
    source: str


def read_hook() -> Hook:
    path = REPO / ".pre-commit-hooks.yaml"
    try:
        from ruamel.yaml import YAML

        hooks = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        hook = next(h for h in hooks if h.get("id") == "baa-lint")
        return Hook(
            shlex.split(str(hook["entry"])),
            bool(hook.get("pass_filenames", True)),
            f"{path.name}: {hook['entry']}",
        )
    except (OSError, StopIteration, KeyError, TypeError, ImportError, ValueError):
        return Hook(["baa-lint", "check"], True, "default (no readable .pre-commit-hooks.yaml)")


@dataclass
class Plan:
    """Everything needed to run the variants over one corpus."""

    corpus: Path
    base: list[str]
    options: set[str]
    jobs: int | None
    hook: Hook
    precommit_file: Path
    work: Path  # temporary directory for caches
    warm_cache: Path
    commands: dict[str, list[str]] = field(default_factory=dict)
    touches: int = 0
    original: str = ""

    def __post_init__(self) -> None:
        self.original = self.precommit_file.read_text(encoding="utf-8")

    def common(self) -> list[str]:
        args = ["check", "--format", "json", "--exit-zero"]
        if self.jobs is not None and "--jobs" in self.options:
            args += ["--jobs", str(self.jobs)]
        return args

    def cold(self) -> list[str]:
        cache: list[str] = []
        if "--cache-dir" in self.options:
            fresh = Path(tempfile.mkdtemp(prefix="cold-", dir=self.work))
            cache = ["--cache-dir", str(fresh)]
        elif "--no-cache" in self.options:
            cache = ["--no-cache"]
        return [*self.base, *self.common(), *cache, "."]

    def warm(self) -> list[str]:
        cache = ["--cache-dir", str(self.warm_cache)] if "--cache-dir" in self.options else []
        return [*self.base, *self.common(), *cache, "."]

    def precommit(self) -> list[str]:
        entry = list(self.hook.entry)
        if entry and entry[0] == "baa-lint":
            entry = [*self.base, *entry[1:]]
        relative = self.precommit_file.relative_to(self.corpus).as_posix()
        return [*entry, relative] if self.hook.pass_filenames else entry

    def touch(self) -> None:
        """Change the pre-commit file's content (a trailing comment: no line moves)."""
        self.touches += 1
        self.precommit_file.write_text(
            self.original + f"# bench: edit {self.touches}\n", encoding="utf-8"
        )

    def restore(self) -> None:
        self.precommit_file.write_text(self.original, encoding="utf-8")


def ensure_git(corpus: Path) -> None:
    """pre-commit runs in a git work tree; baa-lint keeps its default cache at its root."""
    if (corpus / ".git").exists():
        return
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(corpus)], check=False)
    if not (corpus / ".git").exists():
        (corpus / ".git").mkdir()


# ----------------------------------------------------------------------------------------
# checkov
# ----------------------------------------------------------------------------------------


def install_venv(venv: Path, packages: Sequence[str], timeout: int) -> str | None:
    """A fresh venv with ``packages`` installed by pip (the benchmark's only network access);
    None when that worked, else why not (with pip's last lines)."""
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True
        )
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *packages],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        lines = detail.decode("utf-8", "replace").strip().splitlines()[-3:]
        return f"cannot install {', '.join(packages)}: {exc}" + (
            "\n  " + "\n  ".join(lines) if lines else ""
        )
    return None


def checkov_binary() -> tuple[Path | None, str]:
    """checkov in bench/.venv-checkov, installing it there when missing."""
    binary = CHECKOV_VENV / "bin" / "checkov"
    if binary.exists():
        return binary, "already installed"
    print(f"installing checkov into {CHECKOV_VENV} (pip; needs the network) ...", flush=True)
    problem = install_venv(CHECKOV_VENV, ["checkov"], timeout=1800)
    if problem is not None:
        return None, problem
    return (binary, "installed") if binary.exists() else (None, "pip did not install checkov")


def checkov_version(binary: Path) -> str:
    result = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip() or "unknown"


# ----------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------


def machine(load_before: tuple[float, float, float]) -> dict[str, Any]:
    """What the results file says of the machine: processors, Python, load around the run."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def format_table(rows: list[dict[str, Any]]) -> str:
    header = (
        f"{'variant':<13}{'runs':>5}{'median s':>11}{'min s':>9}{'peak MB':>9}{'vs cold':>10}  note"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        ratio = row.get("ratio")
        ratio_text = f"{ratio:>9.1f}x" if isinstance(ratio, float) else f"{'-':>10}"
        lines.append(
            f"{row['variant']:<13}{row['runs']:>5}{row['median_s']:>11.3f}{row['min_s']:>9.3f}"
            f"{row['peak_mb']:>9.0f}{ratio_text}  {row.get('note', '')}"
        )
    return "\n".join(lines)


def evaluate_targets(summary: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    cold = summary.get("cold", {}).get("median_s")
    results: list[dict[str, Any]] = []

    def add(name: str, value: float | None, limit: float, better: str, unit: str) -> None:
        if value is None:
            results.append({"target": name, "value": None, "status": "NOT MEASURED"})
            return
        ok = value >= limit if better == "higher" else value <= limit
        results.append(
            {
                "target": name,
                "value": round(value, 3),
                "limit": limit,
                "unit": unit,
                "status": "PASS" if ok else "FAIL",
            }
        )

    checkov = summary.get("checkov", {}).get("median_s")
    naive = summary.get("python-hcl2", {}).get("median_s")
    add(
        "cold >= 100x faster than checkov",
        checkov / cold if checkov and cold else None,
        TARGETS["checkov_ratio"],
        "higher",
        "x",
    )
    add(
        "cold >= 10x faster than python-hcl2",
        naive / cold if naive and cold else None,
        TARGETS["naive_ratio"],
        "higher",
        "x",
    )
    add(
        "warm <= 1 s",
        summary.get("warm", {}).get("median_s"),
        TARGETS["warm_seconds"],
        "lower",
        "s",
    )
    add(
        "pre-commit <= 1 s",
        summary.get("pre-commit", {}).get("median_s"),
        TARGETS["precommit_seconds"],
        "lower",
        "s",
    )
    peaks = [summary[v]["peak_mb"] for v in ("cold", "warm", "pre-commit") if v in summary]
    add("baa-lint peak <= 300 MB", max(peaks) if peaks else None, TARGETS["peak_mb"], "lower", "MB")
    return results


# ----------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------


CORPUS_KINDS = ("generated", "dense", "bigfile", "foreach", "all")


def corpus_kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in CORPUS_KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"{', '.join(unknown) or 'nothing'}: not a corpus kind ({', '.join(CORPUS_KINDS)})"
        )
    return kinds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="baa-lint performance benchmark (SPEC §8)",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="corpus size (1.0: >5,000 .tf files, >20 MB)"
    )
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="corpus directory (default: bench/corpus, or bench/corpus-SCALE when scale != 1)",
    )
    parser.add_argument("--runs", type=int, default=3, help="measured runs per variant (median)")
    parser.add_argument(
        "--jobs", type=int, default=None, help="baa-lint --jobs (default: baa-lint's own default)"
    )
    parser.add_argument(
        "--checkov",
        action="store_true",
        help="also run checkov once (installs it into bench/.venv-checkov)",
    )
    parser.add_argument(
        "--skip-naive", action="store_true", help="do not run the python-hcl2 variant"
    )
    parser.add_argument(
        "--corpus-kind",
        type=corpus_kinds,
        default=("generated",),
        help="generated: the prunable monorepo (this script's original run); dense, bigfile, "
        "foreach: the cases where nothing is prunable (bench/cases.py); all: every case; or a "
        "comma-separated list (one table)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny corpora (the generator, never the mirrors), each variant once, findings "
        "checked, no timing verdicts (CI)",
    )
    parser.add_argument(
        "--corpus-root",
        type=Path,
        default=HERE,
        help="where the cases' corpora are built (bench/dense, bench/bigfile, ...)",
    )
    parser.add_argument(
        "--source",
        choices=("auto", "mirrors", "generator"),
        default="auto",
        help="dense corpus: the pinned repositories (bench/dense.json) from their mirrors, "
        "the generator, or the mirrors when they are all there (auto)",
    )
    parser.add_argument(
        "--mirrors",
        type=Path,
        default=None,
        help="bare git mirrors of the pinned repositories "
        "(default: $BAA_LINT_BENCH_MIRRORS, else /work/.mirror)",
    )
    parser.add_argument(
        "--generator-scale",
        type=float,
        default=1.0,
        help="dense corpus from the generator: its scale (per copy)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="default: bench/results.json (generated), bench/results-dense.json (the others)",
    )
    parser.add_argument("--timeout", type=float, default=7200, help="seconds per command")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.output is None:
        legacy = args.corpus_kind == ("generated",) and not args.quick
        args.output = HERE / ("results.json" if legacy else "results-dense.json")
    return args


def run_variants(
    plan: Plan, args: argparse.Namespace, expected: collections.Counter[Key], suppressed: int
) -> tuple[dict[str, list[Measurement]], list[str]]:
    """Prime the caches, then N rounds over the variants (rotating order); runs and problems."""
    corpus = plan.corpus
    naive_command = [sys.executable, str(HERE / "naive_hcl2.py"), str(corpus)]
    variants: dict[str, Callable[[], list[str]]] = {
        "cold": plan.cold,
        "warm": plan.warm,
        "pre-commit": plan.precommit,
    }
    if not args.skip_naive:
        variants["python-hcl2"] = lambda: naive_command
    problems: list[str] = []
    raw: dict[str, list[Measurement]] = collections.defaultdict(list)
    try:
        print("priming caches ...", flush=True)
        for label, command in (("warm", plan.warm()), ("pre-commit", plan.precommit())):
            primed = measure(command, corpus, timeout=args.timeout)
            if primed.returncode not in (0, 1):
                error = primed.stderr.strip()[-500:]
                problems.append(f"{label} priming run exited {primed.returncode}: {error}")
        names = list(variants)
        for run in range(args.runs):
            order = names[run % len(names) :] + names[: run % len(names)]
            for name in order:
                if name == "pre-commit":
                    plan.touch()
                command = variants[name]()
                plan.commands[name] = command
                result = measure(command, corpus, timeout=args.timeout)
                raw[name].append(result)
                print(
                    f"  run {run + 1}/{args.runs} {name:<12} {result.seconds:8.3f} s "
                    f"{result.peak_mb:7.0f} MB  (exit {result.returncode})",
                    flush=True,
                )
                problems += check_run(name, result, expected, suppressed, plan)
                if name == "pre-commit":
                    plan.restore()  # the next warm run finds the tree it was primed on
                if name == "cold" and "--cache-dir" in command:
                    fresh = command[command.index("--cache-dir") + 1]
                    shutil.rmtree(fresh, ignore_errors=True)
    finally:
        plan.restore()
    return raw, problems


def run_checkov(plan: Plan, args: argparse.Namespace) -> tuple[Measurement | None, dict[str, Any]]:
    binary, status = checkov_binary()
    if binary is None:
        print(f"checkov skipped: {status}", flush=True)
        return None, {"status": f"skipped: {status}"}
    version = checkov_version(binary)
    command = [
        str(binary), "-d", str(plan.corpus), "--framework", "terraform",
        "--check", CHECKOV_CHECK, "--quiet", "--compact",
    ]  # fmt: skip
    print(f"checkov {version}: {shlex.join(command)}", flush=True)
    print("  (run once; at scale 1.0 this takes tens of minutes) ...", flush=True)
    result = measure(command, plan.corpus, timeout=args.timeout)
    plan.commands["checkov"] = command
    print(
        f"  checkov {result.seconds:8.1f} s {result.peak_mb:7.0f} MB (exit {result.returncode})",
        flush=True,
    )
    info: dict[str, Any] = {
        "status": "measured",
        "version": version,
        "returncode": result.returncode,
        "output_tail": result.stdout.strip().splitlines()[-5:],
    }
    if result.returncode not in (0, 1):
        info["stderr_tail"] = result.stderr.strip()[-500:]
    return result, info


def variant_summary(results: list[Measurement], command: str) -> dict[str, Any]:
    """One variant's runs, as results.json records them."""
    return {
        "runs": len(results),
        "median_s": median([r.seconds for r in results]),
        "min_s": min(r.seconds for r in results),
        "seconds": [round(r.seconds, 3) for r in results],
        "peak_mb": max(r.peak_mb for r in results),
        "maxrss_mb": max(r.maxrss_mb for r in results),
        "hwm_mb": max(r.hwm_mb for r in results),
        "tree_pss_mb": max(r.tree_pss_mb for r in results),
        "processes": max(r.processes for r in results),
        "command": command,
    }


def summarize(raw: dict[str, list[Measurement]], plan: Plan) -> dict[str, dict[str, Any]]:
    summary = {
        name: variant_summary(results, shlex.join(plan.commands.get(name, [])))
        for name, results in raw.items()
    }
    cold = summary.get("cold", {}).get("median_s")
    for name, row in summary.items():
        row["ratio_to_cold"] = row["median_s"] / cold if cold and name != "cold" else None
    return summary


def table_rows(
    summary: dict[str, dict[str, Any]], plan: Plan, naive: dict[str, Any]
) -> list[dict[str, Any]]:
    notes = {
        "cold": "empty cache",
        "warm": "primed cache",
        "pre-commit": f"1 changed file: {plan.precommit_file.relative_to(plan.corpus)}",
        "python-hcl2": f"hcl2.loads x {naive.get('files', '?')} files, "
        f"{naive.get('failures', '?')} failures",
        "checkov": f"{CHECKOV_CHECK} only, run once",
    }
    return [
        {"variant": name, **summary[name], "ratio": summary[name]["ratio_to_cold"], "note": note}
        for name, note in notes.items()
        if name in summary
    ]


def print_report(
    stats: dict[str, Any],
    *,
    runs: int,
    rows: list[dict[str, Any]],
    targets: list[dict[str, Any]],
    notes: list[str],
) -> None:
    print()
    print(
        f"baa-lint benchmark: {stats['tf_files']} .tf files, {stats['tf_bytes'] / 1e6:.1f} MB, "
        f"{os.cpu_count()} CPUs, median of {runs} run(s)"
    )
    print(format_table(rows))
    print("(vs cold: the variant's median seconds divided by cold's)")
    print()
    for target in targets:
        value = target["value"]
        shown = "-" if value is None else f"{value:g} {target['unit']}"
        print(f"  {target['status']:<13} {target['target']:<38} {shown}")
    for note in notes:
        print(f"  note: {note}")


def byte_compile_linter() -> str:
    """Byte-compile the baa-lint package being measured, as ``pip install`` does.

    An editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module
    from source on every run (about 0.1 s), which no installed copy does.
    """
    spec = importlib.util.find_spec("linter")
    if spec is None or not spec.submodule_search_locations:
        return "byte-compile: the linter package is not importable here; skipped"
    package = next(iter(spec.submodule_search_locations))
    ok = compileall.compile_dir(package, quiet=1)
    return f"byte-compile: {package} ({'done' if ok else 'some modules failed'})"


def run_cases(args: argparse.Namespace) -> int:
    import cases  # the cases where nothing is prunable, and --quick (it imports this module)

    return cases.main(args)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.corpus_kind != ("generated",) or args.quick:
        return run_cases(args)
    default = HERE / ("corpus" if args.scale == 1.0 else f"corpus-{args.scale:g}")
    corpus = (args.corpus or default).resolve()

    print(f"corpus: {corpus} (scale {args.scale:g}, seed {args.seed})", flush=True)
    started = time.perf_counter()
    manifest = generate.ensure(corpus, args.scale, args.seed)
    stats: dict[str, Any] = manifest["stats"]  # type: ignore[assignment]
    print(
        f"  {stats['tf_files']} .tf files, {stats['tf_bytes'] / 1e6:.1f} MB of .tf, "
        f"{stats['tf_directories']} Terraform directories ({stats['anthropic_directories']} with "
        f"Anthropic declarations), {stats['anthropic_resource_blocks']} anthropic_* resources "
        f"({stats['anthropic_resource_instances']} instances), "
        f"{stats['expected_findings']} planted findings "
        f"[{time.perf_counter() - started:.1f} s]",
        flush=True,
    )
    ensure_git(corpus)
    expected, expected_suppressed = expected_findings(corpus)
    base = baa_lint_command()
    options = detect_options(base)
    hook = read_hook()
    print(f"baa-lint: {shlex.join(base)}; options found: {', '.join(sorted(options)) or 'none'}")
    print(f"{byte_compile_linter()}\npre-commit hook: {hook.source}")
    notes: list[str] = []
    if "--cache-dir" not in options and "--no-cache" not in options:
        notes.append("no cache options found: 'warm' is another cold run")
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="baa-lint-bench-") as work_name:
        work = Path(work_name)
        plan = Plan(
            corpus=corpus,
            base=base,
            options=options,
            jobs=args.jobs,
            hook=hook,
            precommit_file=corpus / str(manifest["precommit_file"]),
            work=work,
            warm_cache=work / "warm-cache",
        )
        raw, problems = run_variants(plan, args, expected, expected_suppressed)
        checkov_info: dict[str, Any] = {"status": "not requested (use --checkov)"}
        if args.checkov:
            checkov, checkov_info = run_checkov(plan, args)
            if checkov is not None:
                raw["checkov"] = [checkov]

    summary = summarize(raw, plan)
    naive: dict[str, Any] = {}
    if raw.get("python-hcl2"):
        with contextlib.suppress(ValueError, IndexError):
            naive = json.loads(raw["python-hcl2"][-1].stdout.strip().splitlines()[-1])
    if naive.get("failures"):
        failed = naive.get("failed_files")
        problems.append(f"python-hcl2 could not parse {naive['failures']} files: {failed}")
    targets = evaluate_targets(summary)

    rows = table_rows(summary, plan, naive)
    print_report(stats, runs=args.runs, rows=rows, targets=targets, notes=notes)
    result_json = {
        "corpus": {"path": str(corpus), "scale": args.scale, "seed": args.seed, **stats},
        "machine": machine(load_before),
        "baa_lint": {"command": base, "options": sorted(options), "jobs": args.jobs},
        "pre_commit_hook": hook.source,
        "runs": args.runs,
        "variants": summary,
        "targets": targets,
        "checkov": checkov_info,
        "naive": naive,
        "findings_match": not problems,
        "problems": problems,
        "notes": notes,
    }
    args.output.write_text(json.dumps(result_json, indent=1) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.output}")
    if problems:
        print("\nFINDINGS CHECK FAILED:", file=sys.stderr)
        for problem in problems[:50]:
            print(f"  {problem}", file=sys.stderr)
        if len(problems) > 50:
            print(f"  ... and {len(problems) - 50} more", file=sys.stderr)
        return 1
    print(
        f"findings check: OK ({sum(expected.values())} planted findings, "
        f"{expected_suppressed} suppressed, equal in every baa-lint run)"
    )
    return 0


def check_run(
    name: str,
    result: Measurement,
    expected: collections.Counter[Key],
    expected_suppressed: int,
    plan: Plan,
) -> list[str]:
    """Problems with one run's exit status and findings."""
    if name == "python-hcl2":
        return [] if result.returncode == 0 else [f"python-hcl2 run failed: {result.stderr[-500:]}"]
    if result.returncode not in (0, 1):
        return [f"{name}: baa-lint exited {result.returncode}: {result.stderr.strip()[-500:]}"]
    if name in ("cold", "warm"):
        try:
            actual, suppressed = json_findings(result.stdout)
        except (ValueError, KeyError) as exc:
            return [f"{name}: unreadable JSON output ({exc}): {result.stdout[:200]!r}"]
        problems = describe_difference(name, actual, expected)
        if suppressed != expected_suppressed:
            problems.append(
                f"{name}: {suppressed} suppressed findings, expected {expected_suppressed}"
            )
        return problems
    # pre-commit: text output; without filenames it is a whole-repository run.
    actual_text = text_findings(result.stdout)
    # Summed, not overwritten: a for_each puts many objects' findings on one line.
    everything: collections.Counter[tuple[str, str, int]] = collections.Counter()
    for (rule, path, line, _object), count in expected.items():
        everything[(rule, path, line)] += count
    if not plan.hook.pass_filenames:
        return describe_difference(name, actual_text, everything)
    # With the changed file: every expected finding in its directory must be there, and
    # nothing that is not expected at all (findings whose evidence runs through it may join).
    directory = plan.precommit_file.parent.relative_to(plan.corpus).as_posix()
    local = collections.Counter(
        {k: c for k, c in everything.items() if Path(k[1]).parent.as_posix() == directory}
    )
    problems = [p for p in describe_difference(name, actual_text, local) if "missing" in p]
    problems += describe_difference(name, actual_text - everything, collections.Counter())
    if not local:
        problems.append(f"{name}: the changed file's directory has no expected finding to check")
    return problems


if __name__ == "__main__":
    sys.exit(main())
