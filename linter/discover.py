"""Find the files to lint under the paths given on the command line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from linter.config import DEFAULT_EXCLUDES, Config

YAML_SUFFIXES = (".yaml", ".yml")
TERRAFORM_SUFFIXES = (".tf", ".tf.json")
VARIABLE_SUFFIXES = (".tfvars", ".tfvars.json")


class DiscoveryError(Exception):
    """A path argument cannot be used (missing, or not a kind of file baa-lint reads)."""


@dataclass(frozen=True, order=True)
class InputFile:
    display: str  # the path shown in findings: relative to the working directory when inside it
    path: Path
    kind: str  # "yaml" | "terraform" | "json" | "tfvars"
    explicit: bool = False  # named on the command line rather than found in a directory


def file_kind(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith(TERRAFORM_SUFFIXES):
        return "terraform"
    if lowered.endswith(VARIABLE_SUFFIXES):
        return "tfvars"
    if lowered.endswith(YAML_SUFFIXES):
        return "yaml"
    if lowered.endswith(".json"):
        return "json"
    return None


def display_path(path: Path, cwd: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(cwd).as_posix()
    except ValueError:
        return absolute.as_posix()


def _walk(root: Path, config: Config, cwd: Path) -> list[InputFile]:
    found: list[InputFile] = []
    # Directory symlinks are not followed, so a symlink loop cannot make the walk endless.
    for current, dirs, files in os.walk(root, followlinks=False, onerror=None):
        base = Path(current)
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in DEFAULT_EXCLUDES and not config.is_excluded(display_path(base / d, cwd))
        )
        for name in sorted(files):
            kind = file_kind(name)
            if kind is None:
                continue
            path = base / name
            shown = display_path(path, cwd)
            if config.is_excluded(shown):
                continue
            found.append(InputFile(shown, path, kind))
    return found


def discover(paths: list[str], config: Config, cwd: Path | None = None) -> list[InputFile]:
    """Every input file under ``paths``, sorted and without duplicates."""
    cwd = Path(os.path.abspath(cwd or Path.cwd()))
    seen: dict[str, InputFile] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise DiscoveryError(f"{raw}: no such file or directory")
        if path.is_dir():
            for item in _walk(path, config, cwd):
                seen.setdefault(item.display, item)
            continue
        kind = file_kind(path.name)
        if kind is None:
            raise DiscoveryError(
                f"{raw}: not a file baa-lint reads (YAML, .tf, .tf.json, .tfvars or plan JSON)"
            )
        shown = display_path(path, cwd)
        seen[shown] = InputFile(shown, path, kind, explicit=True)
    return sorted(seen.values())
