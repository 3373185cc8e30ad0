"""Find the files to lint under the paths given on the command line."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from linter.config import DEFAULT_EXCLUDES, Config

YAML_SUFFIXES = (".yaml", ".yml")
TERRAFORM_SUFFIXES = (".tf", ".tf.json")
VARIABLE_SUFFIXES = (".tfvars", ".tfvars.json")


class DiscoveryError(Exception):
    """A path argument cannot be used (missing, or not a kind of file baa-lint reads)."""


# The kind of an InputFile that is not read: ``problem`` says why (a BAA900 finding).
PROBLEM = "problem"


@dataclass(frozen=True, order=True)
class InputFile:
    display: str  # the path shown in findings: relative to the working directory when inside it
    path: Path
    kind: str  # "yaml" | "terraform" | "json" | "tfvars" | "problem"
    explicit: bool = False  # named on the command line rather than found in a directory
    problem: str = ""  # for kind "problem": why this file or directory is not linted


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


def _leaves_tree(path: Path, real_root: str) -> str | None:
    """Where a symlink leads when that is outside ``real_root`` (the resolved walk root)."""
    target = os.path.realpath(path)
    try:
        inside = os.path.commonpath([target, real_root]) == real_root
    except ValueError:  # another drive (Windows)
        inside = False
    return None if inside else target


def _special_file(path: Path) -> bool:
    """A FIFO, socket or device: reading one would block forever or never end."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False  # missing (a dangling symlink) or unreadable: reading it says why


SPECIAL_FILE = "not a regular file (a FIFO, socket or device); not read"


def _directory_problem(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied: cannot list this directory; the files in it are not linted"
    reason = error.strerror or type(error).__name__
    return f"cannot list this directory ({reason}); the files in it are not linted"


def _walk(root: Path, config: Config, cwd: Path) -> list[InputFile]:
    """The input files below ``root``, and a ``problem`` item for each thing that is not read.

    Directory symlinks are not followed, so a symlink loop cannot make the walk endless. A file
    symlink that resolves outside ``root`` is not read (it would let a repository make the
    linter read, and quote, any file on the machine), nor is a FIFO, socket or device file; a
    directory that cannot be listed is reported, and the rest of the tree is still linted.
    """
    found: list[InputFile] = []
    real_root = os.path.realpath(root)

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        shown = display_path(where, cwd)
        found.append(InputFile(shown, where, PROBLEM, problem=_directory_problem(error)))

    for current, dirs, files in os.walk(root, followlinks=False, onerror=unreadable):
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
            target = _leaves_tree(path, real_root) if path.is_symlink() else None
            if target is not None:
                problem = f"symlink points outside the linted tree (to {target}); not read"
                found.append(InputFile(shown, path, PROBLEM, problem=problem))
                continue
            if _special_file(path):
                found.append(InputFile(shown, path, PROBLEM, problem=SPECIAL_FILE))
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
        if _special_file(path):
            seen[shown] = InputFile(shown, path, PROBLEM, True, SPECIAL_FILE)
            continue
        seen[shown] = InputFile(shown, path, kind, explicit=True)
    return sorted(seen.values())
