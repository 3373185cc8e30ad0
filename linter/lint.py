"""The pipeline: ``lint(paths, config) -> Result``. No printing, no exiting.

Data flows one way, one stage (one folder) each: discover (inputs) -> parse with positions
(inputs, terraform) -> validate and normalize (normalize) -> configurations -> rules -> findings
-> suppressions and baseline (filters) -> Result. Formatters (output) read the Result.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter.core.cache import ParseCache
from linter.core.collector import keep_what_exists, kept_without_collection, tuned_collector
from linter.core.files import OutsideRepositoryError, RepositoryReader, SourceError
from linter.core.findings import (
    PARSE_ERROR,
    Finding,
    SuppressedFinding,
    parse_error,
    sort_findings,
)
from linter.core.locations import Location, SourceRoot
from linter.core.model import Model
from linter.core.parsed import ParsedFile
from linter.core.posture import PostureRow
from linter.core.redact import NO_SECRETS, Redactor
from linter.core.sources import Sources
from linter.core.tree import sensitive_texts
from linter.filters import baseline
from linter.filters.changed import focus
from linter.filters.suppressions import (
    apply_suppressions,
    parse_directives,
    with_removal_fixes,
)
from linter.inputs.cloudformation import MARKER as CLOUDFORMATION_MARKER
from linter.inputs.cloudformation import (
    mentions_workspace,
    parse_cloudformation_json,
    parse_cloudformation_yaml,
)
from linter.inputs.discover import (
    PROBLEM,
    InputFile,
    SeenEntries,
    discover,
    linted_directories,
    repository_root,
)
from linter.inputs.yaml import MARKER, parse_yaml
from linter.normalize.builder import build_model
from linter.normalize.configurations import build_configurations
from linter.normalize.schema import KnownValid
from linter.policy.data import Policy
from linter.policy.domains import vocabulary
from linter.policy.loader import load_policy
from linter.result import Analysis, Result
from linter.rules.base import Context, Rule, SuppressionProblem
from linter.rules.posture import posture
from linter.rules.registry import LOOKUP, RULES
from linter.rules.runner import run_rules, run_scope
from linter.rules.verdicts import Verdict, read_verdict, verdict_key, write_verdict
from linter.settings.config import Config
from linter.settings.config_file import LoadedConfig
from linter.settings.config_file import load_config as _load_config
from linter.terraform.memo import codec as declcodec
from linter.terraform.memo import store as evalcache
from linter.terraform.memo.store import StaleMemoError, content_digest
from linter.terraform.options import TerraformOptions

if TYPE_CHECKING:
    from linter.terraform.loader import TerraformFiles


def selected_rules(config: Config) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if config.rule_enabled_anywhere(r.code))


# --- loading -----------------------------------------------------------------------------------


_MARKERS = (MARKER.encode(), CLOUDFORMATION_MARKER.encode())


def _may_hold_declarations(item: InputFile, reader: RepositoryReader) -> bool:
    """Whether a file that cannot be read as text might hold declarations (then its failure
    is reported): a YAML declaration, a CloudFormation template, or a plan."""
    from linter.terraform.plan import may_be_plan

    try:
        head = reader.read_bytes(item.path, item.display, 1 << 20, head=True)
    except SourceError:
        return True  # cannot look inside: report it rather than skip it silently
    return any(marker in head for marker in _MARKERS) or (item.kind == "json" and may_be_plan(head))


def _read(
    item: InputFile, config: Config, reader: RepositoryReader, report: bool
) -> str | ParsedFile:
    """The file's text through the confined reader, or (when ``report``, when it lies outside
    the repository, or when it may hold declarations) why it cannot be read."""
    try:
        return reader.read_text(item.path, item.display, config.max_file_size)
    except SourceError as exc:
        outside = isinstance(exc, OutsideRepositoryError)
        if report or outside or _may_hold_declarations(item, reader):
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


def _read_yaml(
    item: InputFile, config: Config, reader: RepositoryReader, tag_keys: Mapping[str, str]
) -> ParsedFile:
    text = _read(item, config, reader, report=False)
    if isinstance(text, ParsedFile):
        return text
    declarations = parse_yaml(text, item.display)
    if not mentions_workspace(text):
        return declarations
    return _together(declarations, parse_cloudformation_yaml(text, item.display, tag_keys))


def _read_json(
    item: InputFile, config: Config, reader: RepositoryReader, options: TerraformOptions
) -> ParsedFile | None:
    """A plan file, a CloudFormation template (CDK output), or nothing baa-lint reads."""
    from linter.terraform.plan import read_plan

    text = _read(item, config, reader, report=item.explicit)
    if isinstance(text, ParsedFile):
        return text if text.findings else None
    plan = read_plan(text, item.display, options)
    if plan is not None:
        return plan
    if not mentions_workspace(text):
        return None
    template = parse_cloudformation_json(text, item.display, _tag_keys(options))
    return template if template.declarations or template.findings else None


def _read_template(
    item: InputFile, config: Config, reader: RepositoryReader, tag_keys: Mapping[str, str]
) -> ParsedFile:
    """A ``*.template`` file: a CloudFormation template in JSON or YAML."""
    text = _read(item, config, reader, report=item.explicit)
    if isinstance(text, ParsedFile):
        return text
    if text.lstrip().startswith("{"):
        return parse_cloudformation_json(text, item.display, tag_keys)
    return parse_cloudformation_yaml(text, item.display, tag_keys)


def _tag_keys(options: TerraformOptions) -> dict[str, str]:
    """The tag names that carry each workspace fact (the same for Terraform and CloudFormation)."""
    return dataclasses.asdict(options.tag_keys)


Progress = Callable[[int, int], None]  # (files parsed so far, files to parse)
Buffers = Mapping[Path, str]  # texts that stand for files: unsaved editor buffers, stdin
KNOWN_VALID = "valid-v1.json"  # digests of declarations known to be valid (see KnownValid)


@dataclass(frozen=True)
class RunContext:
    """What one run shares across its stages: where it works, its cache, and the one reader of
    the files that come through the repository (confined to its root)."""

    cwd: Path
    repo_root: Path
    cache: ParseCache
    reader: RepositoryReader

    @classmethod
    def open(
        cls, files: Sequence[InputFile], config: Config, sources: Buffers | None = None
    ) -> RunContext:
        cwd = Path(os.path.abspath(Path.cwd()))
        repo_root = repository_root(linted_directories(files), cwd)
        cache = ParseCache.open(config.cache_dir, repo_root, config.cache)
        # The var-files the user named (not a configuration file's) may be anywhere.
        named = () if config.var_files_from_config_file else config.var_files
        reader = RepositoryReader(repo_root, allowed=named, buffers=sources)
        return cls(cwd, repo_root, cache, reader)


def load(
    files: Sequence[InputFile],
    config: Config,
    run: RunContext | None = None,
    progress: Progress | None = None,
) -> list[ParsedFile]:
    """Parse every input into declarations (and parse findings), YAML and Terraform alike."""
    return _load(files, config, run or RunContext.open(files, config), progress).with_declarations()


@dataclass(frozen=True)
class Loaded:
    """Every input a run read: the Terraform files' declarations apart (see TerraformFiles),
    the others' in their files. In the order the run reports them: problems, YAML,
    templates, Terraform, JSON."""

    before: list[ParsedFile]
    terraform: TerraformFiles
    after: list[ParsedFile]

    @property
    def files(self) -> list[ParsedFile]:
        """Every file, the Terraform ones without their declarations."""
        return [*self.before, *self.terraform.files, *self.after]

    def with_declarations(self) -> list[ParsedFile]:
        """Every file with its declarations (raises StaleMemoError: see TerraformFiles)."""
        return [*self.before, *self.terraform.with_declarations(), *self.after]

    def digest(self) -> str | None:
        """A digest of every declaration in the run, in order (None: not known)."""
        if self.terraform.digest is None:
            return None
        encoder = declcodec.Encoder()
        try:
            others = [
                [item.path, [encoder.declaration(d) for d in item.declarations]]
                for item in (*self.before, *self.after)
                if item.declarations
            ]
            return content_digest([self.terraform.digest, others, encoder.tables()])
        except (declcodec.CodecError, ValueError, TypeError):
            return None


def _load(
    files: Sequence[InputFile],
    config: Config,
    run: RunContext,
    progress: Progress | None,
    seen: SeenEntries | None = None,
) -> Loaded:
    from linter.terraform.loader import load_terraform

    before = [
        ParsedFile(item.display, "", findings=(parse_error(item.problem, Location(item.display)),))
        for item in files
        if item.kind == PROBLEM
    ]
    options = config.terraform_options()
    tag_keys = _tag_keys(options)
    reader = run.reader
    before += [_read_yaml(item, config, reader, tag_keys) for item in files if item.kind == "yaml"]
    before += [
        _read_template(item, config, reader, tag_keys) for item in files if item.kind == "template"
    ]
    terraform = load_terraform(
        files, options, run.cwd, run.cache, reader, progress=progress, seen=seen
    )
    json_files = (
        _read_json(item, config, reader, options) for item in files if item.kind == "json"
    )
    return Loaded(before, terraform, [item for item in json_files if item is not None])


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
    problems = with_removal_fixes(problems, parsed)
    for finding in run_scope("suppression", problems, rules, ctx):
        if config.rule_enabled_for(finding.rule, finding.location.path):
            active.append(finding)
    return active, outcome.suppressed


class _InlineComments(Mapping[str, str]):
    """The comment style of each file whose inline directives are read (JSON has none),
    decided when asked: the fix loop asks about the files that have findings, and reading
    every file's text for it would undo what the warm run saved."""

    def __init__(self, parsed: Sequence[ParsedFile], config: Config) -> None:
        self._files = {item.path: item for item in parsed}
        self._config = config

    def __getitem__(self, path: str) -> str:
        item = self._files[path]
        if not self._commentable(item):
            raise KeyError(path)
        return item.comment_style

    def _commentable(self, item: ParsedFile) -> bool:
        return bool(
            item.text
            and self._config.for_path(item.path).inline_suppressions
            and not item.path.lower().endswith(".json")
            and not item.text.lstrip().startswith("{")
        )

    def __iter__(self) -> Iterator[str]:
        return (path for path, item in self._files.items() if self._commentable(item))

    def __len__(self) -> int:
        return sum(1 for _ in self)


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
    paths: Sequence[str | Path],
    config: Config | None = None,
    progress: Progress | None = None,
    *,
    sources: Buffers | None = None,
) -> Result:
    """Lint files and directories; return every finding, sorted, with the model behind them.

    ``progress`` is called as files are parsed (the slow part of a cold run), for a progress
    indicator; the library itself never prints. ``sources`` maps files to texts to lint
    instead of what is on disk (an editor's unsaved buffers, standard input); a file that is
    not saved yet is linted too when it is named or lies below a named directory. Every read
    still goes through the repository's reader, so a buffer outside the repository is not read.
    """
    with tuned_collector():
        return _lint(paths, config or Config(), progress, sources)


def _lint(
    paths: Sequence[str | Path],
    config: Config,
    progress: Progress | None,
    sources: Buffers | None,
) -> Result:
    policy = load_policy().with_models(config.extra_models)
    rules = selected_rules(config)
    seen: SeenEntries = {}
    files = discover([str(p) for p in paths], config, buffers=list(sources or ()), entries=seen)
    run = RunContext.open(files, config, sources)
    loaded = _load(files, config, run, progress, seen)
    keep_what_exists()
    parsed = loaded.files
    key = _verdict_key(loaded, rules, config, run)
    verdict = read_verdict(run.cache, key) if key is not None else None
    if verdict is None:
        try:
            declared_files = loaded.with_declarations()
        except StaleMemoError:
            # The memo vouched for a root it cannot give back: forget it, and run without it.
            run.cache.write_document(evalcache.DOCUMENT, {})
            return _lint(paths, replace(config, cache=False), progress, sources)
        analysis, verdict = _analyse(declared_files, rules, policy, config, run.cache)
        if key is not None:
            write_verdict(run.cache, key, verdict)
        analysed: Callable[[], Analysis] = functools.partial(_same, analysis)
    else:
        again = functools.partial(_analysis_again, loaded, paths, config, sources)
        analysed = functools.cache(again)
    run.cache.drop_legacy_entries()
    ctx = Context(policy)
    redactor = _redactor(verdict.secrets, policy)
    findings = [
        redactor.finding(f)
        for p in parsed
        for f in p.findings
        if config.rule_enabled_for(f.rule, f.location.path)
    ]
    findings += verdict.findings

    active, suppressed = _suppress(findings, parsed, rules, config, ctx)
    active = _with_severity(active, config)
    baselined = 0
    stale: tuple[baseline.Entry, ...] = ()
    if config.baseline:
        outcome = baseline.apply(active, baseline.read(config.baseline), config.baseline)
        active, baselined, stale = outcome.new, outcome.baselined, tuple(outcome.stale)

    masked = functools.cache(functools.partial(_masked_analysis, analysed, redactor))
    return Result(
        findings=tuple(sort_findings(active)),
        suppressed=tuple(sorted(suppressed, key=lambda s: s.finding.sort_key)),
        configuration_count=verdict.configurations,
        analysis_of=masked,
        files=tuple(sorted({p.path for p in parsed})),
        rules=rules,
        policy=policy,
        baselined=baselined,
        stale_baseline=stale,
        registered_rules=RULES,
        sources=Sources(_Texts(parsed), redactor.text),
        repository=str(run.repo_root),
        inline_comments=_InlineComments(parsed, config),
        source_root=SourceRoot(str(run.cwd), str(run.repo_root)),
        posture_of=functools.partial(_posture, masked, policy, redactor),
    )


def _verdict_key(
    loaded: Loaded, rules: tuple[Rule, ...], config: Config, run: RunContext
) -> str | None:
    """The key of this run's verdict (linter.rules.verdicts), None without a cache."""
    if run.cache.directory is None:
        return None
    digest = loaded.digest()
    return None if digest is None else verdict_key(digest, rules, config, str(run.cwd))


def _analyse(
    parsed: list[ParsedFile],
    rules: tuple[Rule, ...],
    policy: Policy,
    config: Config,
    cache: ParseCache,
) -> tuple[Analysis, Verdict]:
    """Build the model and run the rules: the analysis, and the verdict it gives."""
    known = KnownValid(cache.read_strings(KNOWN_VALID))
    declared = [d for p in parsed for d in p.declarations]
    with kept_without_collection():  # the model lives to the run's end
        model, schema_findings = build_model(declared, known)
    if known.added:
        cache.write_document(KNOWN_VALID, sorted(known.digests))
    configurations = tuple(build_configurations(model))
    findings = schema_findings + run_rules(model, configurations, rules, Context(policy))
    secrets = sensitive_texts(declared)
    redactor = _redactor(secrets, policy)
    verdict = Verdict(
        tuple(
            redactor.finding(f)
            for f in findings
            if config.rule_enabled_for(f.rule, f.location.path)
        ),
        tuple(sorted(secrets)),
        len(configurations),
    )
    return Analysis(model, configurations), verdict


def _redactor(secrets: Iterable[str], policy: Policy) -> Redactor:
    """The last redaction pass for these sensitive texts (none: nothing to mask)."""
    found = set(secrets)
    return Redactor(found, vocabulary(policy)) if found else NO_SECRETS


def _same(analysis: Analysis) -> Analysis:
    return analysis


def _analysis_again(
    loaded: Loaded, paths: Sequence[str | Path], config: Config, sources: Buffers | None
) -> Analysis:
    """The model and configurations of a run whose verdict was remembered, built when an
    output first asks for them (``check`` only counts the configurations)."""
    try:
        declared = [d for p in loaded.with_declarations() for d in p.declarations]
    except StaleMemoError:
        again = _lint(paths, replace(config, cache=False), None, sources)
        return again.analysis_of()
    with kept_without_collection():
        model, _ = build_model(declared)
    return Analysis(model, tuple(build_configurations(model)))


def _masked_analysis(analysed: Callable[[], Analysis], redactor: Redactor) -> Analysis:
    analysis = analysed()
    return Analysis(_masked_model(analysis.model, redactor), analysis.configurations)


class _Texts(Mapping[str, str]):
    """Each file's text by path, read when an output first asks for it (a warm run vouches for
    most files without reading them, and an output shows the lines of a few)."""

    def __init__(self, parsed: Sequence[ParsedFile]) -> None:
        self._files = {item.path: item for item in parsed}

    def __getitem__(self, path: str) -> str:
        return self._files[path].text

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


# --- the last redaction pass -------------------------------------------------------------------
#
# Sensitive values are redacted where they are printed (linter.core.model: show_fact, an
# origin's shown note, shown names), which covers every value the rules quote. This pass is
# the defence in depth behind it: everything handed to the outputs (findings before
# suppressions and the baseline, so a baseline never stores a secret either; posture rows; the
# organizations' addresses) has the raw text of every sensitive value masked, for identities
# that are plain strings rather than values (an address with a for_each key) and for any
# message a future rule writes without show_fact. See linter.core.redact for what is masked.


def _posture(
    analysis: Callable[[], Analysis], policy: Policy, redactor: Redactor
) -> tuple[PostureRow, ...]:
    return tuple(redactor.row(row) for row in posture(analysis().configurations, policy))


def _masked_model(model: Model, redactor: Redactor) -> Model:
    if not redactor.active:
        return model
    orgs = tuple(replace(o, address=redactor.text(o.address)) for o in model.organizations)
    return replace(model, organizations=orgs)


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
