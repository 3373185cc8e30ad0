"""The library entry point: ``lint(paths, config) -> Result``. No printing, no exiting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from linter.config import Config
from linter.configurations import Configuration, build_configurations
from linter.discover import InputFile, discover
from linter.engine import run_rules
from linter.findings import Finding, Severity, SuppressedFinding, parse_error, sort_findings
from linter.model import Model
from linter.nodes import Declaration
from linter.normalize import build_model
from linter.parsers import ParsedFile
from linter.parsers.yaml import MARKER, parse_yaml
from linter.policy import Policy, load_policy
from linter.rules import RULES, Rule, find_rule
from linter.rules.base import Context, SuppressionProblem
from linter.rules.declarations import BAA902
from linter.source import SourceError, read_text
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

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts


def exit_code(result: Result, fail_on: Severity) -> int:
    """0 when nothing is at or above ``fail_on``, else 1 (2 is for usage and internal errors)."""
    return 1 if any(f.severity >= fail_on for f in result.findings) else 0


def selected_rules(config: Config) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if config.rule_enabled(r.code))


def _read_yaml(item: InputFile, config: Config) -> ParsedFile:
    try:
        text = read_text(item.path, item.display, config.max_file_size)
    except SourceError as exc:
        if _may_hold_declarations(item):
            return ParsedFile(item.display, "", findings=(parse_error(exc.message, exc.location),))
        return ParsedFile(item.display, "")
    return parse_yaml(text, item.display)


def _may_hold_declarations(item: InputFile) -> bool:
    """Whether an unreadable YAML file might be a declaration (then its failure is reported)."""
    try:
        with item.path.open("rb") as handle:
            return MARKER.encode() in handle.read(1 << 20)
    except OSError:
        return True  # cannot look inside: report it rather than skip it silently


def load(files: Sequence[InputFile], config: Config) -> list[ParsedFile]:
    parsed: list[ParsedFile] = []
    for item in files:
        if item.kind == "yaml":
            parsed.append(_read_yaml(item, config))
    return parsed


def _with_severity(findings: list[Finding], config: Config) -> list[Finding]:
    if not config.severity:
        return findings
    return [
        replace(f, severity=config.severity[f.rule]) if f.rule in config.severity else f
        for f in findings
    ]


def lint(paths: Sequence[str | Path], config: Config | None = None) -> Result:
    """Lint files and directories; return every finding, sorted, with the model behind them."""
    config = config or Config()
    policy = load_policy().with_models(config.extra_models)
    ctx = Context(policy)
    rules = selected_rules(config)
    files = discover([str(p) for p in paths], config)
    parsed = load(files, config)

    declarations: list[Declaration] = [d for p in parsed for d in p.declarations]
    model, schema_findings = build_model(declarations)
    configurations = build_configurations(model)
    findings = [f for p in parsed for f in p.findings]
    findings += schema_findings
    findings += run_rules(model, configurations, rules, ctx)
    findings = [f for f in findings if config.rule_enabled_for(f.rule, f.location.path)]

    active, suppressed = findings, []
    if config.inline_suppressions:
        problems: list[SuppressionProblem] = []
        directives = [d for p in parsed for d in parse_directives(p, find_rule, problems)]
        for directive in directives:
            directive.rules = [r for r in directive.rules if r.code not in config.non_suppressible]
        outcome = apply_suppressions(
            sort_findings(findings),
            directives,
            {r.code for r in rules},
            config.effective_today,
        )
        active, suppressed = outcome.active, outcome.suppressed
        if config.rule_enabled(BAA902.code):
            problems.extend(outcome.problems)
            assert BAA902.check is not None
            for hit in BAA902.check(problems, ctx):
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

    return Result(
        findings=tuple(sort_findings(_with_severity(active, config))),
        suppressed=tuple(sorted(suppressed, key=lambda s: s.finding.sort_key)),
        configurations=tuple(configurations),
        model=model,
        files=tuple(f.display for f in files),
        rules=rules,
        policy=policy,
    )
