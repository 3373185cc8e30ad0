"""The effective configuration of a run: defaults < config file < command line."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

from linter.core.files import DEFAULT_MAX_FILE_SIZE
from linter.core.findings import Severity
from linter.policy.data import ModelEntry
from linter.terraform.options import TagKeys, TerraformOptions


@dataclass(frozen=True)
class PathPattern:
    """A glob relative to ``base`` (the config file's directory, or the working directory).

    A pattern without "/" matches any path component (``*.generated.tf``, ``legacy``); one with
    "/" is anchored at ``base``. A pattern that names a directory matches everything below it.
    """

    pattern: str
    base: str = "."

    def matches(self, path: str) -> bool:
        absolute = os.path.abspath(path).replace(os.sep, "/")
        if "/" not in self.pattern.rstrip("/"):
            return any(
                fnmatch.fnmatch(part, self.pattern.rstrip("/")) for part in absolute.split("/")
            )
        anchored = os.path.abspath(Path(self.base) / self.pattern).replace(os.sep, "/")
        return fnmatch.fnmatch(absolute, anchored) or fnmatch.fnmatch(absolute, anchored + "/*")


@dataclass(frozen=True)
class PathIgnore:
    where: PathPattern
    rules: tuple[str, ...]  # rule codes

    def matches(self, path: str) -> bool:
        return self.where.matches(path)


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()  # rule codes; empty means every rule
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    severity: dict[str, Severity] = field(default_factory=dict)
    per_path_ignores: tuple[PathIgnore, ...] = ()
    exclude: tuple[PathPattern, ...] = ()
    tag_keys: TagKeys = field(default_factory=TagKeys)
    extra_models: tuple[ModelEntry, ...] = ()
    var_files: tuple[str, ...] = ()
    # Whether ``var_files`` came from a configuration file: then, like every file that comes
    # through the repository, each must resolve inside it. Named on the command line (or by a
    # library caller), they are the user's own choice and may be anywhere.
    var_files_from_config_file: bool = False
    variables: dict[str, str] = field(default_factory=dict)
    inline_suppressions: bool = True
    non_suppressible: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    today: dt.date | None = None
    baseline: str | None = None  # report only findings not recorded in this baseline file
    # Parse only Terraform directories whose text can lead to a recognised resource (see
    # linter.terraform.prune). Off only to prove that pruning never changes a finding.
    prune: bool = True
    jobs: int = 0  # 0: the default (one per processor: see terraform.loader.job_count)
    cache: bool = True
    cache_dir: str | None = None
    # How the text format shows each finding (full, standard, concise); None: the output
    # decides (full on a terminal). The command line's --output-format wins over the file.
    output_format: str | None = None

    # Configuration files nearer to some of the linted paths: (directory, its configuration),
    # deepest first. They govern the per-file settings (rule selection, severities, per-path
    # ignores, excludes, suppression policy) for the files below their directory.
    subtrees: tuple[tuple[str, Config], ...] = ()

    def for_path(self, path: str) -> Config:
        """The configuration that governs ``path``: its nearest configuration file's."""
        if not self.subtrees:
            return self
        absolute = os.path.abspath(path)
        for directory, config in self.subtrees:
            if absolute == directory or absolute.startswith(directory + os.sep):
                return config
        return self

    def rule_enabled(self, code: str) -> bool:
        if self.select and code not in self.select:
            return False
        return code not in self.ignore

    def rule_enabled_anywhere(self, code: str) -> bool:
        """Whether any configuration of the run enables the rule (it then runs, and findings
        are kept where the governing configuration enables it)."""
        return self.rule_enabled(code) or any(c.rule_enabled(code) for _, c in self.subtrees)

    def rule_enabled_for(self, code: str, path: str) -> bool:
        config = self.for_path(path)
        if not config.rule_enabled(code):
            return False
        return not any(code in p.rules and p.matches(path) for p in config.per_path_ignores)

    def is_excluded(self, path: str) -> bool:
        """Whether a path matches an exclude of the configuration that governs it."""
        return any(pattern.matches(path) for pattern in self.for_path(path).exclude)

    @property
    def effective_today(self) -> dt.date:
        return self.today or dt.date.today()

    def terraform_options(self) -> TerraformOptions:
        """The part of this configuration that Terraform evaluation reads."""
        return TerraformOptions(
            var_files=self.var_files,
            variables=self.variables,
            tag_keys=self.tag_keys,
            max_file_size=self.max_file_size,
            prune=self.prune,
            jobs=self.jobs,
        )
