"""The pipeline: ``lint(paths, config) -> Result``. No printing, no exiting.

Data flows one way, one stage (one folder) each: discover (inputs) -> parse with positions
(inputs, terraform) -> validate and normalize (normalize) -> configurations -> rules -> findings
-> suppressions and baseline (filters) -> Result. Formatters (output) read the Result.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from linter.core.cache import ParseCache
from linter.core.files import SourceError, read_text
from linter.core.findings import (
    PARSE_ERROR,
    Finding,
    SuppressedFinding,
    parse_error,
    sort_findings,
)
from linter.core.locations import Location
from linter.core.parsed import ParsedFile
from linter.filters import baseline
from linter.filters.changed import focus
from linter.filters.suppressions import apply_suppressions, parse_directives
from linter.inputs.cloudformation import MARKER as CLOUDFORMATION_MARKER
from linter.inputs.cloudformation import (
    mentions_workspace,
    parse_cloudformation_json,
    parse_cloudformation_yaml,
)
from linter.inputs.discover import PROBLEM, InputFile, discover, linted_directories, repository_root
from linter.inputs.yaml import MARKER, parse_yaml
from linter.normalize.builder import build_model
from linter.normalize.configurations import build_configurations
from linter.normalize.schema import KnownValid
from linter.policy.loader import load_policy
from linter.result import Result
from linter.rules.base import Context, Rule, SuppressionProblem
from linter.rules.posture import posture
from linter.rules.registry import LOOKUP, RULES
from linter.rules.runner import run_rules, run_scope
from linter.settings.config import Config
from linter.settings.config_file import LoadedConfig
from linter.settings.config_file import load_config as _load_config
from linter.terraform.options import TerraformOptions


def selected_rules(config: Config) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if config.rule_enabled_anywhere(r.code))


# --- loading -----------------------------------------------------------------------------------


_MARKERS = (MARKER.encode(), CLOUDFORMATION_MARKER.encode())


def _may_hold_declarations(item: InputFile) -> bool:
    """Whether an unreadable file might hold declarations (then its failure is reported)."""
    try:
        with item.path.open("rb") as handle:
            head = handle.read(1 << 20)
        return any(marker in head for marker in _MARKERS)
    except OSError:
        return True  # cannot look inside: report it rather than skip it silently


def _read(item: InputFile, config: Config, report: bool) -> str | ParsedFile:
    """The file's text, or (when ``report`` or it may hold declarations) why it cannot be read."""
    try:
        return read_text(item.path, item.display, config.max_file_size)
    except SourceError as exc:
        if report or _may_hold_declarations(item):
            return ParsedFile(item.display, "", findings=(parse_error(exc.message, exc.location),))
        return ParsedFile(item.display, "")


def _together(first: ParsedFile, second: ParsedFile) -> ParsedFile:
    """One file read by two YAML front ends (declarations and a CloudFormation template)."""
    reported = {f.location for f in first.findings if f.rule == PARSE_ERROR.code}
    more = tuple(
        f for f in second.findings if f.rule != PARSE_ERROR.code or f.location not in reported
    )
    return ParsedFile(
        first.path,
        first.text,
        first.declarations + second.declarations,
        first.findings + more,
        first.blocks + second.blocks,
        first.comment_style,
    )


def _read_yaml(item: InputFile, config: Config, tag_keys: Mapping[str, str]) -> ParsedFile:
    text = _read(item, config, report=False)
    if isinstance(text, ParsedFile):
        return text
    declarations = parse_yaml(text, item.display)
    if not mentions_workspace(text):
        return declarations
    return _together(declarations, parse_cloudformation_yaml(text, item.display, tag_keys))


def _read_json(item: InputFile, config: Config, options: TerraformOptions) -> ParsedFile | None:
    """A plan file, a CloudFormation template (CDK output), or nothing baa-lint reads."""
    from linter.terraform.plan import read_plan

    text = _read(item, config, report=item.explicit)
    if isinstance(text, ParsedFile):
        return text if text.findings else None
    plan = read_plan(text, item.display, options)
    if plan is not None:
        return plan
    if not mentions_workspace(text):
        return None
    template = parse_cloudformation_json(text, item.display, _tag_keys(options))
    return template if template.declarations or template.findings else None


def _read_template(item: InputFile, config: Config, tag_keys: Mapping[str, str]) -> ParsedFile:
    """A ``*.template`` file: a CloudFormation template in JSON or YAML."""
    text = _read(item, config, report=item.explicit)
    if isinstance(text, ParsedFile):
        return text
    if text.lstrip().startswith("{"):
        return parse_cloudformation_json(text, item.display, tag_keys)
    return parse_cloudformation_yaml(text, item.display, tag_keys)


def _tag_keys(options: TerraformOptions) -> dict[str, str]:
    """The tag names that carry each workspace fact (the same for Terraform and CloudFormation)."""
    return dataclasses.asdict(options.tag_keys)


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

    run = run or RunContext.open(files, config)
    parsed = [
        ParsedFile(item.display, "", findings=(parse_error(item.problem, Location(item.display)),))
        for item in files
        if item.kind == PROBLEM
    ]
    options = config.terraform_options()
    tag_keys = _tag_keys(options)
    parsed += [_read_yaml(item, config, tag_keys) for item in files if item.kind == "yaml"]
    parsed += [_read_template(item, config, tag_keys) for item in files if item.kind == "template"]
    parsed += load_terraform(files, options, run.cwd, run.cache, run.repo_root, progress=progress)
    json_files = (_read_json(item, config, options) for item in files if item.kind == "json")
    parsed += [item for item in json_files if item is not None]
    return parsed


# --- after the rules ---------------------------------------------------------------------------


def _suppress(
    findings: list[Finding],
    parsed: list[ParsedFile],
    rules: tuple[Rule, ...],
    config: Config,
    ctx: Context,
) -> tuple[list[Finding], list[SuppressedFinding]]:
    problems: list[SuppressionProblem] = []
    directives = []
    for item in parsed:
        governing = config.for_path(item.path)
        if not governing.inline_suppressions:
            continue
        for directive in parse_directives(item, LOOKUP, problems):
            directive.rules = [
                r for r in directive.rules if r.code not in governing.non_suppressible
            ]
            directives.append(directive)
    outcome = apply_suppressions(
        sort_findings(findings), directives, {r.code for r in rules}, config.effective_today
    )
    active = list(outcome.active)
    problems.extend(outcome.problems)
    for finding in run_scope("suppression", problems, rules, ctx):
        if config.rule_enabled_for(finding.rule, finding.location.path):
            active.append(finding)
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

    known = KnownValid(run.cache.read_strings(KNOWN_VALID))
    model, schema_findings = build_model([d for p in parsed for d in p.declarations], known)
    if known.added:
        run.cache.write_document(KNOWN_VALID, sorted(known.digests))
    run.cache.trim()
    configurations = build_configurations(model)
    findings = [f for p in parsed for f in p.findings]
    findings += schema_findings
    ctx = Context(policy)
    findings += run_rules(model, configurations, rules, ctx)
    findings = [f for f in findings if config.rule_enabled_for(f.rule, f.location.path)]

    active, suppressed = _suppress(findings, parsed, rules, config, ctx)
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
        registered_rules=RULES,
        posture_of=functools.partial(posture, tuple(configurations), policy),
    )


def focus_on_changed(result: Result, changed: Sequence[str]) -> Result:
    """The result restricted to the findings that the changed files can affect."""
    findings, suppressed = focus(result.findings, result.suppressed, changed)
    return replace(result, findings=findings, suppressed=suppressed)


def load_config(
    paths: Sequence[str],
    overrides: Mapping[str, Any],
    explicit: str | None = None,
    cwd: Path | None = None,
) -> LoadedConfig:
    """The effective configuration for linting ``paths``: defaults < file < ``overrides``."""
    return _load_config(paths, overrides, explicit, cwd, rules=LOOKUP)
