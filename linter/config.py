"""The effective configuration of a run: defaults < config file < command line."""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

from linter.findings import Severity
from linter.policy import ModelEntry
from linter.source import DEFAULT_MAX_FILE_SIZE

DEFAULT_EXCLUDES = (".terraform", ".git", "node_modules", ".baa-lint-cache")


@dataclass(frozen=True)
class TagKeys:
    """Tag names that carry compliance facts on Terraform workspaces."""

    phi: str = "phi"
    models: str = "models"
    products: str = "products"
    data_retention: str = "data_retention"


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
    tag_keys: TagKeys = TagKeys()
    extra_models: tuple[ModelEntry, ...] = ()
    var_files: tuple[str, ...] = ()
    variables: dict[str, str] = field(default_factory=dict)
    inline_suppressions: bool = True
    non_suppressible: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    today: dt.date | None = None
    baseline: str | None = None  # report only findings not recorded in this baseline file
    # Parse only Terraform directories whose text can lead to a recognised resource (see
    # linter.terraform.prune). Off only to prove that pruning never changes a finding.
    prune: bool = True
    jobs: int = 0  # 0: one per CPU
    cache: bool = True
    cache_dir: str | None = None

    def rule_enabled(self, code: str) -> bool:
        if self.select and code not in self.select:
            return False
        return code not in self.ignore

    def rule_enabled_for(self, code: str, path: str) -> bool:
        if not self.rule_enabled(code):
            return False
        return not any(code in p.rules and p.matches(path) for p in self.per_path_ignores)

    def is_excluded(self, path: str) -> bool:
        """Whether a path matches a configured exclude."""
        return any(pattern.matches(path) for pattern in self.exclude)

    @property
    def effective_today(self) -> dt.date:
        return self.today or dt.date.today()
