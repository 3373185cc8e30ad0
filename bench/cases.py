"""The benchmark's cases where nothing can be pruned (SPEC §8), for ``bench/run.py
--corpus-kind dense|bigfile|foreach|all [--quick]``.

Each case is a corpus (``bench/dense.py``, or ``bench/generate.py`` for ``generated``) with
its planted ``expected.json``, a set of baa-lint variants and the floors it is judged by, all
measured in the same run, each command in a fresh process:

- baa-lint: ``cold-j2`` (``--no-cache --jobs 2``), ``cold-j1`` (``--no-cache --jobs 1``),
  ``cold-cache`` (a fresh ``--cache-dir``), ``warm`` (a primed ``--cache-dir``) and
  ``pre-commit`` (one file changed, the hook of ``.pre-commit-hooks.yaml``);
- floors: ``tree-sitter`` (``bench/floor.py treesitter``), ``read`` (``bench/floor.py read``),
  ``python-hcl2`` (``bench/naive_hcl2.py``) and, with ``--checkov``, ``checkov`` (once).

Every JSON run's findings must equal ``expected.json`` (rule, path, line, object, and the
suppressed count) and be identical, finding for finding, to the case's other runs; the
pre-commit run must report its directory's expected findings. The peak memory of ``cold-j1``
is measured at 1x, 2x and 4x the dense corpus. One table gives every target: value, floor,
ratio, target, PASS/FAIL. ``--quick`` builds tiny corpora (the generator, never the mirrors),
runs each variant once and judges findings only.
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dense
import generate
import run
from run import Key, Measurement

HERE = Path(__file__).resolve().parent
TREESITTER_VENV = HERE / ".venv-treesitter"
TREESITTER_PACKAGES = ("tree-sitter", "tree-sitter-hcl")
KINDS = ("generated", "dense", "bigfile", "foreach")
BAA_LINT_VARIANTS = ("cold-j2", "cold-j1", "cold-cache", "warm", "pre-commit")
JSON_VARIANTS = ("cold-j2", "cold-j1", "cold-cache", "warm")
SCALES = (2, 4)  # the dense corpus again at these multiples, for peak memory
# Quick (CI) sizes: a few directories, a small big file; the for_each stays at full size.
QUICK_GENERATOR_SCALE = 0.01
QUICK_BIGFILE_WORKSPACES = 500
PROBLEMS_PER_RUN = 20


@dataclass
class Case:
    name: str
    corpus: Path
    manifest: dict[str, Any]
    variants: tuple[str, ...]
    floors: tuple[str, ...]
    runs: int
    expected: collections.Counter[Key] = field(default_factory=collections.Counter)
    suppressed: int = 0
    raw: dict[str, list[Measurement]] = field(default_factory=lambda: collections.defaultdict(list))
    floor_info: dict[str, dict[str, Any]] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    reference: str | None = None  # the first JSON run's findings, canonical
    reference_label: str = ""

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.manifest["stats"]
        return stats

    def median(self, name: str) -> float | None:
        results = self.raw.get(name)
        return statistics.median(r.seconds for r in results) if results else None

    def peak(self, *names: str) -> float | None:
        peaks = [r.peak_mb for n in names for r in self.raw.get(n, [])]
        return max(peaks) if peaks else None


# ----------------------------------------------------------------------------------------
# Corpora
# ----------------------------------------------------------------------------------------


def corpus_requests(args: argparse.Namespace) -> list[tuple[str, Path, dense.Request | None]]:
    """(case name, directory, request) for every case of the run (None: the generated corpus)."""
    root: Path = args.corpus_root
    quick = "quick-" if args.quick else ""
    kinds = KINDS if "all" in args.corpus_kind else args.corpus_kind
    source = "generator" if args.quick else args.source
    scale = QUICK_GENERATOR_SCALE if args.quick else args.generator_scale
    cases: list[tuple[str, Path, dense.Request | None]] = []
    for kind in kinds:
        if kind == "generated":
            cases.append(("generated", root / f"{quick}corpus", None))
        elif kind == "dense":
            for copies in (1, *SCALES):
                name = "dense" if copies == 1 else f"dense-{copies}x"
                request = dense.Request(
                    "dense", copies=copies, source=source, generator_scale=scale, seed=args.seed
                )
                cases.append((name, root / f"{quick}{name}", request))
        elif kind == "bigfile":
            workspaces = QUICK_BIGFILE_WORKSPACES if args.quick else dense.BIGFILE_WORKSPACES
            cases.append(
                ("bigfile", root / f"{quick}bigfile", dense.Request(kind, workspaces=workspaces))
            )
        else:
            cases.append(("foreach", root / f"{quick}foreach", dense.Request(kind)))
    return cases


def prepare(args: argparse.Namespace) -> list[Case]:
    cases = []
    for name, directory, request in corpus_requests(args):
        started = time.perf_counter()
        if request is None:
            scale = QUICK_GENERATOR_SCALE if args.quick else 1.0
            manifest = generate.ensure(directory, scale, args.seed)
        else:
            manifest = dense.ensure(directory, request, args.mirrors)
        run.ensure_git(directory)
        stats = manifest["stats"]
        print(
            f"{name}: {directory}: {stats['tf_files']} .tf files, {stats['tf_bytes'] / 1e6:.1f} "
            f"MB, {stats['tf_directories']} Terraform directories "
            f"({stats['anthropic_directories']} with Anthropic declarations), "
            f"{stats['expected_findings']} planted findings "
            f"[{time.perf_counter() - started:.1f} s]",
            flush=True,
        )
        if stats.get("source"):
            print(f"  source: {stats['source']}", flush=True)
        for note in manifest.get("notes", []):
            print(f"  note: {note}", flush=True)
        expected, suppressed = run.expected_findings(directory)
        cases.append(
            Case(
                name=name,
                corpus=directory,
                manifest=manifest,
                variants=_variants(name, args.quick),
                floors=() if args.quick else _floors(name, args),
                runs=1 if args.quick or name.endswith("x") else args.runs,
                expected=expected,
                suppressed=suppressed,
            )
        )
    return cases


def _variants(name: str, quick: bool) -> tuple[str, ...]:
    if name.startswith("dense-"):
        return ("cold-j1",)  # peak memory at scale (and its findings)
    if quick and name == "foreach":
        return ("cold-j2", "warm")  # 10,000 instances even in --quick: keep it to two runs
    return BAA_LINT_VARIANTS


def _floors(name: str, args: argparse.Namespace) -> tuple[str, ...]:
    naive = () if args.skip_naive else ("python-hcl2",)
    if name == "dense":
        return ("tree-sitter", "read", *naive)
    if name == "bigfile":
        return ("tree-sitter",)
    if name == "generated":
        return naive
    return ()


# ----------------------------------------------------------------------------------------
# Floors
# ----------------------------------------------------------------------------------------


def treesitter_python() -> tuple[str | None, str]:
    """An interpreter with tree-sitter and tree-sitter-hcl: this one, else
    bench/.venv-treesitter (installed there with pip when missing; needs the network)."""
    probe = "import tree_sitter, tree_sitter_hcl"

    def works(python: str) -> bool:
        return (
            subprocess.run([python, "-c", probe], capture_output=True, check=False).returncode == 0
        )

    if works(sys.executable):
        return sys.executable, "this interpreter"
    venv_python = TREESITTER_VENV / "bin" / "python"
    if venv_python.exists() and works(str(venv_python)):
        return str(venv_python), str(TREESITTER_VENV)
    print(
        f"installing {', '.join(TREESITTER_PACKAGES)} into {TREESITTER_VENV} (pip) ...", flush=True
    )
    problem = run.install_venv(TREESITTER_VENV, TREESITTER_PACKAGES, timeout=900)
    if problem is not None:
        return None, problem
    return (str(venv_python), str(TREESITTER_VENV)) if works(str(venv_python)) else (None, "")


def floor_command(name: str, corpus: Path, treesitter: str | None) -> list[str] | None:
    if name == "tree-sitter":
        if treesitter is None:
            return None
        return [treesitter, str(HERE / "floor.py"), "treesitter", str(corpus)]
    if name == "read":
        return [sys.executable, str(HERE / "floor.py"), "read", str(corpus)]
    if name == "python-hcl2":
        return [sys.executable, str(HERE / "naive_hcl2.py"), str(corpus)]
    raise ValueError(name)


def _last_json_line(stdout: str) -> dict[str, Any]:
    try:
        data = json.loads(stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {}
    return data if isinstance(data, dict) else {}


# ----------------------------------------------------------------------------------------
# Running a case
# ----------------------------------------------------------------------------------------


@dataclass
class Tools:
    base: list[str]
    options: set[str]
    hook: run.Hook
    treesitter: str | None
    work: Path


def baa_lint_command(case: Case, variant: str, tools: Tools, plan: run.Plan) -> list[str]:
    check = [*tools.base, "check", "--format", "json", "--exit-zero"]
    if variant == "cold-j2":
        return [*check, "--no-cache", "--jobs", "2", "."]
    if variant == "cold-j1":
        return [*check, "--no-cache", "--jobs", "1", "."]
    if variant == "cold-cache":
        fresh = tempfile.mkdtemp(prefix=f"{case.name}-cold-", dir=tools.work)
        return [*check, "--jobs", "2", "--cache-dir", fresh, "."]
    if variant == "warm":
        return [*check, "--jobs", "2", "--cache-dir", str(plan.warm_cache), "."]
    if variant == "pre-commit":
        return plan.precommit()
    raise ValueError(variant)


def canonical(findings: object) -> str:
    return json.dumps(findings, sort_keys=True)


def check_json_run(case: Case, label: str, result: Measurement) -> list[str]:
    """The run's findings equal the planted ones and every other JSON run's of this case."""
    where = f"{case.name} {label}"
    if result.returncode not in (0, 1):
        return [f"{where}: baa-lint exited {result.returncode}: {result.stderr.strip()[-500:]}"]
    try:
        data = json.loads(result.stdout)
        actual, suppressed = run.json_findings(result.stdout)
    except (ValueError, KeyError, TypeError) as exc:
        return [f"{where}: unreadable JSON output ({exc}): {result.stdout[:200]!r}"]
    problems = _capped(run.describe_difference(where, actual, case.expected))
    if suppressed != case.suppressed:
        problems.append(f"{where}: {suppressed} suppressed findings, expected {case.suppressed}")
    findings = canonical(data.get("findings"))
    if case.reference is None:
        case.reference, case.reference_label = findings, label
    elif findings != case.reference:
        problems.append(
            f"{where}: findings differ from those of {case.reference_label} (same keys, other "
            "messages, evidence or order)"
            if not problems
            else f"{where}: findings differ from those of {case.reference_label}"
        )
    return problems


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= PROBLEMS_PER_RUN:
        return problems
    return [*problems[:PROBLEMS_PER_RUN], f"... and {len(problems) - PROBLEMS_PER_RUN} more"]


def run_case(case: Case, tools: Tools, args: argparse.Namespace) -> None:
    """Prime the caches, then ``case.runs`` rounds over its variants and floors (rotating)."""
    plan = run.Plan(
        corpus=case.corpus,
        base=tools.base,
        options=tools.options,
        jobs=None,
        hook=tools.hook,
        precommit_file=case.corpus / str(case.manifest["precommit_file"]),
        work=tools.work,
        warm_cache=Path(tempfile.mkdtemp(prefix=f"{case.name}-warm-", dir=tools.work)),
    )
    steps: dict[str, Callable[[], list[str] | None]] = {}
    for variant in case.variants:
        steps[variant] = functools.partial(baa_lint_command, case, variant, tools, plan)
    for floor in case.floors:
        steps[floor] = functools.partial(floor_command, floor, case.corpus, tools.treesitter)
    try:
        _prime(case, plan, tools, args)
        names = list(steps)
        for round_number in range(case.runs):
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                _step(case, name, steps[name], plan, args, round_number=round_number)
    finally:
        plan.restore()
    if args.checkov and case.name in ("dense", "generated"):
        checkov, info = run.run_checkov(plan, args)
        case.floor_info["checkov"] = info
        if checkov is not None:
            case.raw["checkov"].append(checkov)
            case.commands["checkov"] = shlex.join(plan.commands.get("checkov", []))


def _prime(case: Case, plan: run.Plan, tools: Tools, args: argparse.Namespace) -> None:
    primers = []
    if "warm" in case.variants:
        primers.append(("warm", baa_lint_command(case, "warm", tools, plan)))
    if "pre-commit" in case.variants:
        primers.append(("pre-commit", plan.precommit()))
    for label, command in primers:
        print(f"  {case.name}: priming the {label} cache ...", flush=True)
        primed = measure_in(command, case, args)
        if label == "warm":
            case.problems += check_json_run(case, "warm priming run", primed)
        elif primed.returncode not in (0, 1):
            case.problems.append(f"{case.name} {label} priming run exited {primed.returncode}")


def measure_in(command: list[str], case: Case, args: argparse.Namespace) -> Measurement:
    return run.measure(command, case.corpus, timeout=args.timeout)


def _step(
    case: Case,
    name: str,
    make: Callable[[], list[str] | None],
    plan: run.Plan,
    args: argparse.Namespace,
    *,
    round_number: int,
) -> None:
    if name == "pre-commit":
        plan.touch()
    command = make()
    if command is None:
        case.floor_info.setdefault(name, {"status": "not measured: no tree-sitter"})
        return
    case.commands[name] = shlex.join(command)
    result = measure_in(command, case, args)
    case.raw[name].append(result)
    print(
        f"  {case.name} run {round_number + 1}/{case.runs} {name:<12} {result.seconds:8.3f} s "
        f"{result.peak_mb:7.0f} MB  (exit {result.returncode})",
        flush=True,
    )
    if name in JSON_VARIANTS:
        case.problems += check_json_run(case, name, result)
    elif name == "pre-commit":
        case.problems += _capped(
            run.check_run("pre-commit", result, case.expected, case.suppressed, plan)
        )
    else:
        info = _last_json_line(result.stdout)
        case.floor_info[name] = {"status": "measured", **info}
        if result.returncode != 0:
            case.problems.append(f"{case.name} {name} failed: {result.stderr.strip()[-500:]}")
        elif info.get("failures") or info.get("syntax_errors"):
            # The floor did not parse everything: its time would flatter baa-lint.
            case.floor_info[name]["status"] = "measured, with parse failures"
    if name == "cold-cache":
        shutil.rmtree(command[command.index("--cache-dir") + 1], ignore_errors=True)
    if name == "pre-commit":
        # Put the file back, so that the next warm run finds the tree it was primed on (on
        # the big file, the edit left behind made every later warm run a cold one).
        plan.restore()


# ----------------------------------------------------------------------------------------
# Verdicts
# ----------------------------------------------------------------------------------------


@dataclass
class Row:
    case: str
    measure: str
    value: float | None
    unit: str
    floor: str = ""
    floor_value: float | None = None
    ratio: float | None = None
    target: str = ""
    limit: float | None = None
    better: str = "lower"  # the ratio (or the value, without a floor) must be at most the limit
    status: str = ""

    def judge(self, quick: bool) -> Row:
        judged = self.ratio if self.floor else self.value
        if self.status:
            return self
        if quick or (judged is not None and self.limit is None):
            self.status = "-"  # --quick judges findings only; "reported" rows have no target
        elif judged is None:
            self.status = "NOT MEASURED"
        elif self.better == "lower":
            self.status = "PASS" if judged <= self.limit else "FAIL"
        else:
            self.status = "PASS" if judged >= self.limit else "FAIL"
        return self


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def rows_for(case: Case, cases: dict[str, Case]) -> list[Row]:
    name = case.name
    together = [case, *(cases[f"{name}-{s}x"] for s in SCALES if f"{name}-{s}x" in cases)]
    rows = [
        Row(
            name,
            "findings = expected.json, same in every run"
            + (f" (also at {', '.join(c.name for c in together[1:])})" if together[1:] else ""),
            float(sum(case.expected.values())),
            "findings",
            status="PASS" if not any(c.problems for c in together) else "FAIL",
        )
    ]
    cold, j1 = case.median("cold-j2"), case.median("cold-j1")
    if name == "dense":
        ts, read = case.median("tree-sitter"), case.median("read")
        naive, checkov = case.median("python-hcl2"), case.median("checkov")
        warm = case.median("warm")
        rows += [
            Row(name, "cold --no-cache --jobs 2", cold, "s", "tree-sitter parse", ts,
                _ratio(cold, ts), "<= 3x", 3.0),
            Row(name, "python-hcl2 parse (vs cold)", naive, "s", "baa-lint cold", cold,
                _ratio(naive, cold), ">= 10x", 10.0, "higher"),
            Row(name, "checkov, one check (vs cold)", checkov, "s", "baa-lint cold", cold,
                _ratio(checkov, cold), "reported"),
            Row(name, "--jobs 2 speed-up over --jobs 1", j1, "s", "--jobs 2", cold,
                _ratio(j1, cold), ">= 1.8x", 1.8, "higher"),
            Row(name, "warm (primed cache)", warm, "s", "read every file", read,
                _ratio(warm, read), "<= 4x", 4.0),
            Row(name, "cold, fresh --cache-dir", case.median("cold-cache"), "s",
                "cold --no-cache", cold, _ratio(case.median("cold-cache"), cold), "reported"),
            Row(name, "one-file pre-commit", case.median("pre-commit"), "s", target="<= 1 s",
                limit=1.0),
            Row(name, "peak MB, every variant", case.peak(*BAA_LINT_VARIANTS), "MB",
                target="<= 300 MB", limit=300.0),
        ]  # fmt: skip
        for scale_name, label in (("dense", "1x"), *((f"dense-{s}x", f"{s}x") for s in SCALES)):
            scaled = cases.get(scale_name)
            rows.append(
                Row(name, f"peak MB at {label}, cold --jobs 1",
                    scaled.peak("cold-j1") if scaled else None, "MB",
                    target="<= 300 MB", limit=300.0)
            )  # fmt: skip
    elif name == "bigfile":
        ts = case.median("tree-sitter")
        rows += [
            Row(name, "cold --no-cache --jobs 2", cold, "s", "tree-sitter parse", ts,
                _ratio(cold, ts), "<= 3x", 3.0),
            Row(name, "peak MB, every variant", case.peak(*BAA_LINT_VARIANTS), "MB",
                target="<= 300 MB", limit=300.0),
        ]  # fmt: skip
    elif name == "foreach":
        rows += [
            Row(name, "cold --no-cache --jobs 2 (10,000 instances)", cold, "s",
                target="<= 3 s", limit=3.0),
            Row(name, "peak MB, every variant", case.peak(*BAA_LINT_VARIANTS), "MB",
                target="<= 300 MB", limit=300.0),
        ]  # fmt: skip
    elif name == "generated":
        cached, naive, checkov = (
            case.median("cold-cache"),
            case.median("python-hcl2"),
            case.median("checkov"),
        )
        rows += [
            Row(name, "checkov, one check (vs cold)", checkov, "s", "baa-lint cold", cached,
                _ratio(checkov, cached), ">= 100x", 100.0, "higher"),
            Row(name, "python-hcl2 parse (vs cold)", naive, "s", "baa-lint cold", cached,
                _ratio(naive, cached), ">= 10x", 10.0, "higher"),
            Row(name, "warm (primed cache)", case.median("warm"), "s", target="<= 1 s", limit=1.0),
            Row(name, "one-file pre-commit", case.median("pre-commit"), "s", target="<= 1 s",
                limit=1.0),
            Row(name, "peak MB, every variant", case.peak(*BAA_LINT_VARIANTS), "MB",
                target="<= 300 MB", limit=300.0),
        ]  # fmt: skip
    return rows


def _shown(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if unit in ("findings",):
        return f"{value:,.0f}"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:,.3f} {unit}".strip() if value < 100 else f"{value:,.1f} {unit}".strip()


def format_rows(rows: list[Row]) -> str:
    header = ("case", "measure", "value", "floor", "floor value", "ratio", "target", "status")
    table = [header]
    for row in rows:
        table.append(
            (
                row.case,
                row.measure,
                _shown(row.value, row.unit),
                row.floor or "-",
                _shown(row.floor_value, "s"),
                "-" if row.ratio is None else f"{row.ratio:.2f}x",
                row.target or "-",
                row.status,
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def case_summary(case: Case) -> dict[str, Any]:
    variants = {}
    for name, results in case.raw.items():
        variants[name] = run.variant_summary(results, case.commands.get(name, ""))
    return {
        "corpus": str(case.corpus),
        "stats": case.stats(),
        "parameters": case.manifest.get("parameters"),
        "precommit_file": case.manifest.get("precommit_file"),
        "variants": variants,
        "floors": case.floor_info,
        "findings_match": not case.problems,
        "problems": case.problems,
    }


# ----------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------


def main(args: argparse.Namespace) -> int:
    cases = prepare(args)
    base = run.baa_lint_command()
    options = run.detect_options(base)
    missing = {"--no-cache", "--cache-dir", "--jobs"} - options
    if missing:
        raise SystemExit(f"this baa-lint lacks {', '.join(sorted(missing))}: the cases need them")
    hook = run.read_hook()
    print(f"baa-lint: {shlex.join(base)}; options found: {', '.join(sorted(options))}")
    print(f"{run.byte_compile_linter()}\npre-commit hook: {hook.source}")
    treesitter, where = (None, "not needed")
    if any("tree-sitter" in c.floors for c in cases):
        treesitter, where = treesitter_python()
        print(f"tree-sitter floor: {treesitter or 'NOT MEASURED'} ({where})", flush=True)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="baa-lint-bench-") as work_name:
        tools = Tools(base, options, hook, treesitter, Path(work_name))
        for case in cases:
            print(f"{case.name}: {', '.join((*case.variants, *case.floors))}", flush=True)
            run_case(case, tools, args)

    by_name = {c.name: c for c in cases}
    rows = [
        row.judge(args.quick)
        for case in cases
        if case.name in KINDS  # the scaled dense corpora have their rows in dense's
        for row in rows_for(case, by_name)
    ]
    print()
    mode = "quick (findings only, no timing verdicts)" if args.quick else "full"
    print(
        f"baa-lint benchmark, {mode}: {os.cpu_count()} CPUs, "
        f"median of {args.runs if not args.quick else 1} run(s)"
    )
    print(format_rows(rows))
    problems = [p for c in cases for p in c.problems]
    result = {
        "quick": args.quick,
        "corpus_kind": args.corpus_kind,
        "machine": run.machine(load_before),
        "baa_lint": {"command": base, "options": sorted(options)},
        "pre_commit_hook": hook.source,
        "tree_sitter": where,
        "runs": args.runs,
        "cases": {c.name: case_summary(c) for c in cases},
        "rows": [row.__dict__ for row in rows],
        "findings_match": not problems,
        "problems": problems,
    }
    args.output.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"\nresults written to {args.output}")
    if problems:
        print("\nFINDINGS CHECK FAILED:", file=sys.stderr)
        for case in cases:
            for problem in case.problems[:10]:
                print(f"  {problem}", file=sys.stderr)
            if len(case.problems) > 10:
                print(f"  ... and {len(case.problems) - 10} more", file=sys.stderr)
        return 1
    print("findings check: OK (every case, every run, equal to its expected.json)")
    return 0
