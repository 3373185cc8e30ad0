"""The library entry point: ``lint(paths, config) -> Result``. No printing, no exiting.

Data flows one way: discover -> parse (with positions) -> validate and normalize -> model ->
configurations -> rules -> findings -> suppressions -> baseline -> Result.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from linter import baseline
from linter.cache import ParseCache
from linter.config import Config
from linter.configurations import Configuration, build_configurations
from linter.discover import PROBLEM, InputFile, discover, linted_directories, repository_root
from linter.engine import run_rules
from linter.findings import Finding, Severity, SuppressedFinding, parse_error, sort_findings
from linter.model import Model
from linter.normalize import build_model
from linter.parsers import ParsedFile
from linter.parsers.yaml import MARKER, parse_yaml
from linter.policy import Policy, load_policy
from linter.rules import RULES, Rule, find_rule
from linter.rules.base import Context, SuppressionProblem
from linter.rules.declarations import BAA902
from linter.schema import KnownValid
from linter.source import Location, SourceError, read_text
from linter.suppressions import apply_suppressions, parse_directives


@dataclass(frozen=True)
class Result:
    findings: tuple[Finding, ...]
    suppressed: tuple[SuppressedFinding, ...]
    configurations: tuple[Configuration, ...]
    model: Model
    files: tuple[str, ...]
    rules: tuple[Rule, ...]
    policy: Policy
    baselined: int = 0
    stale_baseline: tuple[baseline.Entry, ...] = field(default_factory=tuple)

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts


def exit_code(result: Result, fail_on: Severity) -> int:
    """0 when nothing is at or above ``fail_on``, else 1 (2 is for usage and internal errors)."""
    return 1 if any(f.severity >= fail_on for f in result.findings) else 0


def selected_rules(config: Config) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if config.rule_enabled_anywhere(r.code))


# --- loading -----------------------------------------------------------------------------------


def _may_hold_declarations(item: InputFile) -> bool:
    """Whether an unreadable YAML file might be a declaration (then its failure is reported)."""
    try:
        with item.path.open("rb") as handle:
            return MARKER.encode() in handle.read(1 << 20)
    except OSError:
        return True  # cannot look inside: report it rather than skip it silently


def _read_yaml(item: InputFile, config: Config) -> ParsedFile:
    try:
        text = read_text(item.path, item.display, config.max_file_size)
    except SourceError as exc:
        if _may_hold_declarations(item):
            return ParsedFile(item.display, "", findings=(parse_error(exc.message, exc.location),))
        return ParsedFile(item.display, "")
    return parse_yaml(text, item.display)


Progress = Callable[[int, int], None]  # (files parsed so far, files to parse)
KNOWN_VALID = "valid-v1.json"  # digests of declarations known to be valid (see KnownValid)


@dataclass(frozen=True)
class RunContext:
    """What one run shares across its stages: where it works and its cache."""

    cwd: Path
    repo_root: Path
    cache: ParseCache

    @classmethod
    def open(cls, files: Sequence[InputFile], config: Config) -> RunContext:
        cwd = Path(os.path.abspath(Path.cwd()))
        repo_root = repository_root(linted_directories(files), cwd)
        return cls(cwd, repo_root, ParseCache.open(config.cache_dir, repo_root, config.cache))


def load(
    files: Sequence[InputFile],
    config: Config,
    run: RunContext | None = None,
    progress: Progress | None = None,
) -> list[ParsedFile]:
    """Parse every input into declarations (and parse findings), YAML and Terraform alike."""
    from linter.terraform.loader import load_terraform
    from linter.terraform.plan import load_plans

    run = run or RunContext.open(files, config)
    parsed = [
        ParsedFile(item.display, "", findings=(parse_error(item.problem, Location(item.display)),))
        for item in files
        if item.kind == PROBLEM
    ]
    parsed += [_read_yaml(item, config) for item in files if item.kind == "yaml"]
    parsed += load_terraform(files, config, run.cwd, run.cache, run.repo_root, progress=progress)
    parsed += load_plans([f for f in files if f.kind == "json"], config)
    return parsed


# --- after the rules ---------------------------------------------------------------------------


def _suppress(
    findings: list[Finding], parsed: list[ParsedFile], rules: tuple[Rule, ...], config: Config
) -> tuple[list[Finding], list[SuppressedFinding]]:
    problems: list[SuppressionProblem] = []
    directives = []
    for item in parsed:
        governing = config.for_path(item.path)
        if not governing.inline_suppressions:
            continue
        for directive in parse_directives(item, find_rule, problems):
            directive.rules = [
                r for r in directive.rules if r.code not in governing.non_suppressible
            ]
            directives.append(directive)
    outcome = apply_suppressions(
        sort_findings(findings), directives, {r.code for r in rules}, config.effective_today
    )
    active = list(outcome.active)
    if config.rule_enabled_anywhere(BAA902.code) and BAA902.check is not None:
        problems.extend(outcome.problems)
        for hit in BAA902.check(problems, Context(load_policy())):
            if config.rule_enabled_for(BAA902.code, hit.location.path):
                active.append(
                    Finding(
                        BAA902.code,
                        BAA902.slug,
                        BAA902.severity,
                        hit.message,
                        hit.location,
                        fix=hit.fix,
                    )
                )
    return active, outcome.suppressed


def _with_severity(findings: list[Finding], config: Config) -> list[Finding]:
    result = []
    for finding in findings:
        overrides = config.for_path(finding.location.path).severity
        severity = overrides.get(finding.rule, finding.severity)
        result.append(
            replace(finding, severity=severity) if severity != finding.severity else finding
        )
    return result


def lint(
    paths: Sequence[str | Path], config: Config | None = None, progress: Progress | None = None
) -> Result:
    """Lint files and directories; return every finding, sorted, with the model behind them.

    ``progress`` is called as files are parsed (the slow part of a cold run), for a progress
    indicator; the library itself never prints.
    """
    config = config or Config()
    policy = load_policy().with_models(config.extra_models)
    rules = selected_rules(config)
    files = discover([str(p) for p in paths], config)
    run = RunContext.open(files, config)
    parsed = load(files, config, run, progress)

    stored = run.cache.read_document(KNOWN_VALID)
    known = KnownValid(set(stored) if isinstance(stored, list) else set())
    model, schema_findings = build_model([d for p in parsed for d in p.declarations], known)
    if known.added:
        run.cache.write_document(KNOWN_VALID, sorted(known.digests))
    run.cache.trim()
    configurations = build_configurations(model)
    findings = [f for p in parsed for f in p.findings]
    findings += schema_findings
    findings += run_rules(model, configurations, rules, Context(policy))
    findings = [f for f in findings if config.rule_enabled_for(f.rule, f.location.path)]

    active, suppressed = _suppress(findings, parsed, rules, config)
    active = _with_severity(active, config)
    baselined = 0
    stale: tuple[baseline.Entry, ...] = ()
    if config.baseline:
        outcome = baseline.apply(active, baseline.read(config.baseline), config.baseline)
        active, baselined, stale = outcome.new, outcome.baselined, tuple(outcome.stale)

    return Result(
        findings=tuple(sort_findings(active)),
        suppressed=tuple(sorted(suppressed, key=lambda s: s.finding.sort_key)),
        configurations=tuple(configurations),
        model=model,
        files=tuple(sorted({p.path for p in parsed})),
        rules=rules,
        policy=policy,
        baselined=baselined,
        stale_baseline=stale,
    )
