"""Find the files to lint under the paths given on the command line."""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from linter.core.files import is_below

# Directories never walked into: tools' state, dependencies, and our own cache.
DEFAULT_EXCLUDES = (".terraform", ".git", "node_modules", ".baa-lint-cache")


class Exclusions(Protocol):
    """What discovery needs of the settings: which paths the user excluded."""

    def is_excluded(self, path: str) -> bool: ...


YAML_SUFFIXES = (".yaml", ".yml")
TERRAFORM_SUFFIXES = (".tf", ".tf.json")
VARIABLE_SUFFIXES = (".tfvars", ".tfvars.json")
# CloudFormation templates named *.template (YAML or JSON); *.yaml and *.json are read too.
TEMPLATE_SUFFIXES = (".template",)


class DiscoveryError(Exception):
    """A path argument cannot be used (missing, or not a kind of file baa-lint reads)."""


# The kind of an InputFile that is not read: ``problem`` says why (a BAA900 finding).
PROBLEM = "problem"


# Slots, and both paths interned: a run keeps one for every file found, to its end, and the
# loaders name the same files with equal strings (display_path), which then are one object.
@dataclass(frozen=True, order=True, slots=True)
class InputFile:
    display: str  # the path shown in findings: relative to the working directory when inside it
    file: str  # where it is (a Path only when asked for: a monorepo has thousands of files)
    kind: str  # "yaml" | "terraform" | "json" | "template" | "tfvars" | "problem"
    explicit: bool = False  # named on the command line rather than found in a directory
    problem: str = ""  # for kind "problem": why this file or directory is not linted

    def __post_init__(self) -> None:
        object.__setattr__(self, "display", sys.intern(self.display))
        object.__setattr__(self, "file", sys.intern(self.file))

    @property
    def path(self) -> Path:
        return Path(self.file)


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
    if lowered.endswith(TEMPLATE_SUFFIXES):
        return "template"
    return None


def display_path(path: Path | str, cwd: Path | str) -> str:
    """``path`` relative to ``cwd`` when inside it, else absolute; with ``/`` separators.

    String operations (not Path.relative_to): a warm run shows thousands of paths."""
    absolute = os.path.abspath(path)
    base = os.fspath(cwd)
    if absolute == base:
        shown = "."
    elif absolute.startswith(base.rstrip(os.sep) + os.sep):
        shown = absolute[len(base.rstrip(os.sep)) + 1 :]
    else:
        shown = absolute
    # Interned: every file's display path is kept (its ParsedFile, its InputFile, locations).
    return sys.intern(shown if os.sep == "/" else shown.replace(os.sep, "/"))


# A Terraform block header: `resource "type" "name" {`, `locals {`...
_TERRAFORM_BLOCK = re.compile(
    r"^[ \t]*(?:resource|data|module|provider|variable|locals|output|terraform)\b[^\n]*\{",
    re.MULTILINE,
)


def stdin_name(text: str) -> str:
    """The file name that text read from standard input, without a name of its own, is linted
    as: ``stdin.json`` for JSON (a plan, a template), ``stdin.tf`` for Terraform HCL,
    otherwise ``stdin.yaml`` (declarations, CloudFormation)."""
    if text.lstrip().startswith("{"):
        return "stdin.json"
    return "stdin.tf" if _TERRAFORM_BLOCK.search(text) else "stdin.yaml"


def _leaves_tree(path: str, real_root: str) -> str | None:
    """Where a symlink leads when that is outside ``real_root`` (the resolved walk root)."""
    target = os.path.realpath(path)
    return None if is_below(target, real_root) else target


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


# What a walk saw of each directory's Terraform files (absolute, normal directory -> its
# entries with a Terraform suffix, excluded or not): the run's directory listings start from
# it (linter.terraform.listing), rather than list every directory a second time.
SeenEntries = dict[str, list[os.DirEntry[str]]]


def _walk(
    root: Path, exclusions: Exclusions, cwd: Path, seen: SeenEntries | None = None
) -> list[InputFile]:
    """The input files below ``root``, and a ``problem`` item for each thing that is not read.

    Directory symlinks are not followed, so a symlink loop cannot make the walk endless. A file
    symlink that resolves outside ``root`` is not read (it would let a repository make the
    linter read, and quote, any file on the machine), nor is a FIFO, socket or device file; a
    directory that cannot be listed is reported, and the rest of the tree is still linted.

    This runs over every file of a monorepo, so it works on strings and os.scandir entries
    (which know their type without another system call), not Path objects.
    """
    found: list[InputFile] = []
    real_root = os.path.realpath(root)
    prefix = str(cwd).rstrip(os.sep) + os.sep

    def shown(path: str) -> str:
        relative = path[len(prefix) :] if path.startswith(prefix) else path
        return relative.replace(os.sep, "/")

    stack = [os.path.abspath(root)]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            problem = _directory_problem(error)
            found.append(InputFile(shown(directory), directory, PROBLEM, problem=problem))
            continue
        if seen is not None:
            seen[directory] = [e for e in entries if e.name.lower().endswith(TERRAFORM_SUFFIXES)]
        subdirectories = []
        for entry in entries:
            item = _entry_item(entry, shown(entry.path), real_root, exclusions)
            if item == "directory":
                subdirectories.append(entry.path)
            elif isinstance(item, InputFile):
                found.append(item)
        stack.extend(reversed(subdirectories))
    return found


def _entry_item(
    entry: os.DirEntry[str], display: str, real_root: str, exclusions: Exclusions
) -> InputFile | str | None:
    """What one directory entry is: a directory to walk, an input file, a problem, or nothing."""
    try:
        if entry.is_dir(follow_symlinks=False):
            if entry.name in DEFAULT_EXCLUDES or exclusions.is_excluded(display):
                return None
            return "directory"
        kind = file_kind(entry.name)
        if kind is None or exclusions.is_excluded(display):
            return None
        path = entry.path
        if entry.is_symlink():
            if entry.is_dir():
                return None  # a directory symlink: never followed
            if kind == "tfvars":
                # Never read from the listing: the evaluator reads the variable files of a root
                # module, through the repository's reader, and reports one that leads outside.
                return InputFile(display, path, kind)
            target = _leaves_tree(path, real_root)
            if target is not None:
                problem = f"symlink points outside the linted tree (to {target}); not read"
                return InputFile(display, path, PROBLEM, problem=problem)
        if not entry.is_file() and os.path.lexists(path) and _special_file(Path(path)):
            return InputFile(display, path, PROBLEM, problem=SPECIAL_FILE)
        return InputFile(display, path, kind)
    except OSError:  # its type cannot be read: reading it says why (a BAA900 finding)
        kind = file_kind(entry.name)
        return InputFile(display, entry.path, kind) if kind is not None else None


def repository_root(paths: Sequence[Path], cwd: Path) -> Path:
    """The boundary module sources must stay inside (``paths``: the linted directories).

    The nearest enclosing git work tree of the linted paths; outside git, the nearest directory
    with a baa-lint configuration; else the common directory of the linted paths and the
    working directory (so `baa-lint envs/prod` run from the project still reaches ../modules).
    """
    directories = {os.path.abspath(p) for p in paths} or {str(cwd)}
    common = Path(os.path.commonpath(sorted(directories)))
    for candidate in (common, *common.parents):
        if (candidate / ".git").exists():
            return candidate
    for candidate in (common, *common.parents):
        if any((candidate / name).is_file() for name in (".baa-lint.yaml", ".baa-lint.yml")):
            return candidate
    return Path(os.path.commonpath([str(common), str(cwd)]))


def linted_directories(files: Sequence[InputFile]) -> list[Path]:
    """The directories of the linted files (string operations: there can be thousands)."""
    # Where a path's last part is a plain name, the directory of its absolute path is the
    # absolute path of its directory, and there are far fewer directories than files.
    named = {_directory_of(f.file) for f in files}
    return [Path(d) for d in sorted({os.path.abspath(d) for d in named})]


def _directory_of(path: str) -> str:
    head, name = os.path.split(path)
    if name in ("", ".", ".."):
        return os.path.dirname(os.path.abspath(path))  # noqa: PTH120
    return head


def discover(
    paths: list[str],
    exclusions: Exclusions,
    cwd: Path | None = None,
    buffers: Collection[Path] = (),
    *,
    entries: SeenEntries | None = None,
) -> list[InputFile]:
    """Every input file under ``paths``, sorted and without duplicates.

    ``buffers`` are files whose text the run has in memory (an editor's buffers, standard
    input): one that is not on disk yet is linted all the same, named or below a named
    directory, as if it were saved. ``entries``, when given, gets the Terraform entries of every
    directory walked (see SeenEntries).
    """
    cwd = Path(os.path.abspath(cwd or Path.cwd()))
    unsaved = [Path(os.path.abspath(b)) for b in buffers if not os.path.lexists(b)]
    seen: dict[str, InputFile] = {}
    for raw in paths:
        path = Path(raw)
        if Path(os.path.abspath(path)) in unsaved:
            _add_file(seen, raw, cwd, explicit=True)
            continue
        if not path.exists() and not path.is_symlink():
            raise DiscoveryError(f"{raw}: no such file or directory")
        if path.is_dir():
            for item in _walk(path, exclusions, cwd, entries):
                seen.setdefault(item.display, item)
            for buffer in _unsaved_below(unsaved, path, exclusions, cwd):
                _add_file(seen, buffer, cwd, explicit=False)
            continue
        _add_file(seen, raw, cwd, explicit=True)
    # By display path, which is unique here and the first field of an InputFile's order:
    # the order sorted(seen.values()) gives, without a generated __lt__ call per comparison.
    return [seen[display] for display in sorted(seen)]


def _add_file(seen: dict[str, InputFile], raw: str | Path, cwd: Path, *, explicit: bool) -> None:
    path = Path(raw)
    kind = file_kind(path.name)
    if kind is None:
        if not explicit:
            return
        raise DiscoveryError(
            f"{raw}: not a file baa-lint reads (YAML, .tf, .tf.json, .tfvars, plan JSON "
            "or a CloudFormation template)"
        )
    shown = display_path(path, cwd)
    if _special_file(path):
        seen[shown] = InputFile(shown, str(path), PROBLEM, True, SPECIAL_FILE)
        return
    seen[shown] = InputFile(shown, str(path), kind, explicit=explicit)


def _unsaved_below(
    unsaved: Sequence[Path], directory: Path, exclusions: Exclusions, cwd: Path
) -> list[Path]:
    """The unsaved buffers that a walk of ``directory`` would have found, were they saved."""
    top = Path(os.path.abspath(directory))
    found = []
    for buffer in unsaved:
        if buffer == top or not is_below(str(buffer), str(top)):
            continue
        # The walk skips excluded directories, and so does this.
        between = [p for p in buffer.parents if p != top and is_below(str(p), str(top))]
        if any(
            p.name in DEFAULT_EXCLUDES or exclusions.is_excluded(display_path(p, cwd))
            for p in between
        ):
            continue
        if not exclusions.is_excluded(display_path(buffer, cwd)):
            found.append(buffer)
    return found
