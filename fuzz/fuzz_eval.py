"""Fuzz the Terraform evaluator: variables, locals, functions, count/for_each, modules.

An input is up to three files separated by a line ``#---``: the root module's ``main.tf``, the
``main.tf`` of every directory right below the root (so of any module called as ``./x``), and
the root's ``terraform.tfvars``. Files that do not parse are left out, as the linter does.
Evaluation must finish without an exception and without the evaluator's "internal error"
safety nets firing (those hide bugs, so here they count as crashes); the instances must then
become declarations, a model and findings without an exception. Run:
``python fuzz/fuzz_eval.py fuzz/corpus/eval -max_total_time=600`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import decode, main

from linter.normalize.builder import build_model
from linter.normalize.configurations import build_configurations
from linter.policy.loader import load_policy
from linter.rules.base import Context
from linter.rules.registry import RULES
from linter.rules.runner import run_rules
from linter.terraform.emit import declarations
from linter.terraform.eval import graph as evaluator
from linter.terraform.eval.graph import EvalOptions, evaluate_tree
from linter.terraform.options import TagKeys
from linter.terraform.syntax.ast import File
from linter.terraform.syntax.hcl import HclSyntaxError, parse_hcl
from linter.terraform.syntax.tfvars import parse_tfvars

ROOT = Path("/fuzz")
SEPARATOR = "\n#---\n"
_CONTEXT = Context(load_policy())


class InternalError(Exception):
    """The evaluator caught an exception that only a bug can raise."""


def _raise_internal(expr: object, exc: Exception) -> object:
    raise InternalError(f"{type(exc).__name__}: {exc}") from exc


class MemoryLoader:
    """The root directory holds the first file; each directory right below it holds the second
    (deeper directories do not exist, as on a real disk, where module paths end)."""

    def __init__(self, root: File | None, module: File | None, tfvars: File | None) -> None:
        self.root, self.module, self.vars = root, module, tfvars

    def module_files(self, directory: Path) -> list[File] | None:
        if ROOT not in (directory, directory.parent):
            return None
        file = self.root if directory == ROOT else self.module
        return [file] if file is not None else []

    def tfvars(self, path: Path) -> File | None:
        return self.vars if path == ROOT / "terraform.tfvars" else None

    def exists(self, path: Path) -> bool:
        return path in (ROOT, ROOT / "terraform.tfvars") or path.parent == ROOT


def _parse(text: str | None, name: str, tfvars: bool = False) -> File | None:
    if text is None:
        return None
    try:
        return parse_tfvars(text, name) if tfvars else parse_hcl(text, name)
    except HclSyntaxError:
        return None


def test_one_input(data: bytes) -> None:
    original = evaluator._internal_error
    evaluator._internal_error = _raise_internal  # type: ignore[assignment]
    try:
        _evaluate(data)
    finally:
        evaluator._internal_error = original  # type: ignore[assignment]


def _evaluate(data: bytes) -> None:
    parts: list[str | None] = list(decode(data, "main.tf").split(SEPARATOR, 2))
    parts += [None] * (3 - len(parts))
    loader = MemoryLoader(
        _parse(parts[0], "main.tf"),
        _parse(parts[1], "modules/m/main.tf"),
        _parse(parts[2], "terraform.tfvars", tfvars=True),
    )
    options = EvalOptions(repo_root=ROOT, env={"TF_VAR_fuzz": "x"})
    result = evaluate_tree([ROOT], loader, options)
    for diagnostic in result.diagnostics:
        if diagnostic.message.startswith("cannot evaluate"):
            raise InternalError(diagnostic.message)
    decls = declarations(list(result.instances), TagKeys())
    model, _ = build_model(decls)
    run_rules(model, build_configurations(model), RULES, _CONTEXT)


if __name__ == "__main__":
    main(test_one_input)
