"""The effective configuration of a run: defaults < config file < command line."""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, field

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
class PathIgnore:
    pattern: str  # a glob relative to the config file's directory (or the working directory)
    rules: tuple[str, ...]  # rule codes

    def matches(self, path: str) -> bool:
        return fnmatch.fnmatch(path, self.pattern) or fnmatch.fnmatch(path, self.pattern + "/*")


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()  # rule codes; empty means every rule
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    severity: dict[str, Severity] = field(default_factory=dict)
    per_path_ignores: tuple[PathIgnore, ...] = ()
    exclude: tuple[str, ...] = ()
    tag_keys: TagKeys = TagKeys()
    extra_models: tuple[ModelEntry, ...] = ()
    var_files: tuple[str, ...] = ()
    variables: dict[str, str] = field(default_factory=dict)
    inline_suppressions: bool = True
    non_suppressible: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    today: dt.date | None = None
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

    def is_excluded(self, relative: str) -> bool:
        """Whether a path (posix, relative to the lint root) matches a configured exclude."""
        parts = relative.split("/")
        for pattern in self.exclude:
            if fnmatch.fnmatch(relative, pattern) or any(
                fnmatch.fnmatch(p, pattern) for p in parts
            ):
                return True
        return False

    @property
    def effective_today(self) -> dt.date:
        return self.today or dt.date.today()
