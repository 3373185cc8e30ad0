"""Which Terraform directories can matter, decided from their text, before parsing anything.

A directory matters when one of its files mentions a recognised resource type, or when it calls
(as a local module, directly or through other modules) a directory that does. Everything else,
the AWS, GCP and Kubernetes modules that make up most of a monorepo, is never parsed, unless an
evaluation actually reads one of its outputs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from linter.terraform.modules import is_inside, norm_key

RECOGNISED = re.compile(r"\banthropic_(?:organization|workspace)\b")
# A local module source in HCL (source = "./x") or JSON syntax ("source": "../x").
LOCAL_SOURCE = re.compile(r"""["']?\bsource["']?\s*[=:]\s*"(\.{1,2}/[^"\n]*)\"""")
TERRAFORM_SUFFIXES = (".tf", ".tf.json")
SCAN_LIMIT = 50 * 1024 * 1024  # a file larger than this is read by the parser, which reports it


@dataclass
class Relevance:
    """The outcome of the scan: which directories matter and why."""

    mentions: set[str] = field(default_factory=set)  # directories naming a recognised type
    # Directories calling a local module outside the repository: it is never read, so it might
    # hold anything; the evaluator must see the call to report it.
    escapes: set[str] = field(default_factory=set)
    relevant: set[str] = field(default_factory=set)  # those plus their (transitive) callers
    calls: dict[str, set[str]] = field(default_factory=dict)  # directory -> local callees

    def matters(self, directory: Path) -> bool:
        return norm_key(directory) in self.relevant


def _module_texts(directory: Path) -> Iterable[str]:
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return
    for path in entries:
        if not path.name.lower().endswith(TERRAFORM_SUFFIXES):
            continue
        try:
            if path.stat().st_size > SCAN_LIMIT:
                yield "anthropic_workspace"  # cannot tell cheaply: let the parser look
                continue
            yield path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            yield "anthropic_workspace"  # unreadable: keep it, so the loader reports it


def scan(directories: Iterable[Path], repo_root: Path) -> Relevance:
    """Read (not parse) the given directories and the local modules they call."""
    result = Relevance()
    todo = [Path(os.path.abspath(d)) for d in directories]
    seen: set[str] = set()
    while todo:
        directory = todo.pop()
        key = norm_key(directory)
        if key in seen:
            continue
        seen.add(key)
        callees = result.calls.setdefault(key, set())
        for text in _module_texts(directory):
            if RECOGNISED.search(text):
                result.mentions.add(key)
            for source in LOCAL_SOURCE.findall(text):
                target = Path(os.path.normpath(directory / source))
                if is_inside(target, repo_root):
                    callees.add(norm_key(target))
                    todo.append(target)
                else:
                    result.escapes.add(key)
    result.relevant = _callers_of(result.mentions | result.escapes, result.calls)
    return result


def _callers_of(targets: set[str], calls: dict[str, set[str]]) -> set[str]:
    """``targets`` and every directory that reaches one of them through local calls."""
    callers: dict[str, set[str]] = {}
    for caller, callees in calls.items():
        for callee in callees:
            callers.setdefault(callee, set()).add(caller)
    found = set(targets)
    todo = list(targets)
    while todo:
        for caller in callers.get(todo.pop(), ()):
            if caller not in found:
                found.add(caller)
                todo.append(caller)
    return found
