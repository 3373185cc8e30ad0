"""Values of a root module's input variables, from every source Terraform reads, in its order.

Precedence, lowest first: the ``default`` in the variable block, ``TF_VAR_name``,
``terraform.tfvars``, ``terraform.tfvars.json``, ``*.auto.tfvars`` and ``*.auto.tfvars.json``
(lexical order), then each ``--var-file`` and each ``--var`` in the order given. Files are read
only when a variable is first needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from linter.core.locations import Location
from linter.core.model import Origin, Unknown
from linter.terraform.eval.operations import EvalError, short_text, with_origin
from linter.terraform.eval.types import TypeSpec, convert, parse_type, raw_for_type
from linter.terraform.eval.values import Val
from linter.terraform.syntax.ast import Attribute, Block, Expr, File

COMMAND_LINE = Location("<command line>", 1, 1)
ENVIRONMENT = Location("<environment>", 1, 1)

EvaluateConstant = Callable[[Expr], Val]  # raises EvalError


class TfvarsLoader(Protocol):
    def tfvars(self, path: Path) -> File | None: ...


@dataclass(frozen=True)
class _Assignment:
    """One variable value from a tfvars file."""

    attr: Attribute
    label: str  # the file name, for notes


@dataclass(frozen=True)
class RootSources:
    """What the command line and environment say about variables (shared by all roots)."""

    var_files: Sequence[Path]
    variables: Sequence[tuple[str, str]]
    env: Mapping[str, str]


class RootInputs:
    """Input variable values of one root module."""

    def __init__(
        self,
        directory: Path,
        loader: TfvarsLoader,
        sources: RootSources,
        evaluate: EvaluateConstant,
    ) -> None:
        self._directory = directory
        self._loader = loader
        self._sources = sources
        self._evaluate = evaluate
        self._files: list[_Assignment] | None = None  # every tfvars assignment, lowest first

    def value(self, name: str, decl: Block) -> Val:
        """The variable's value (after conversion to its type), with where it was set."""
        spec = variable_type(decl)
        raw = self._raw_value(name, decl, spec)
        return typed_value(name, decl, raw, spec, self._evaluate)

    def _raw_value(self, name: str, decl: Block, spec: TypeSpec) -> Val | None:
        """The highest-precedence value, before type conversion."""
        for var_name, text in reversed(self._sources.variables):
            if var_name == name:
                return self._from_text(name, text, spec, COMMAND_LINE, "--var")
        for assignment in reversed(self._assignments()):
            if assignment.attr.name == name:
                return self._from_file(name, assignment)
        env_text = self._sources.env.get(f"TF_VAR_{name}")
        if env_text is not None:
            return self._from_text(name, env_text, spec, ENVIRONMENT, f"TF_VAR_{name}")
        default = decl.body.attribute("default")
        if default is None:
            return None
        val = self._constant(default.value, f"var.{name}")
        note = f"var.{name} default {short_text(val)}"
        return with_origin(val, Origin(default.loc, note))

    def _constant(self, expr: Expr, what: str) -> Val:
        try:
            return self._evaluate(expr)
        except EvalError as exc:
            return Val(Unknown(what, f"cannot be evaluated: {exc.message}"), expr.loc)
        except RecursionError:
            return Val(Unknown(what, "cannot be evaluated: nested too deeply"), expr.loc)

    def _from_file(self, name: str, assignment: _Assignment) -> Val:
        val = self._constant(assignment.attr.value, f"var.{name}")
        note = f"var.{name} = {short_text(val)} ({assignment.label})"
        return with_origin(val, Origin(assignment.attr.loc, note))

    def _from_text(self, name: str, text: str, spec: TypeSpec, loc: Location, label: str) -> Val:
        """A -var or TF_VAR_ value: a raw string for primitive types, else an HCL expression."""
        if spec.kind == "any" or spec.primitive:
            try:
                val = Val(raw_for_type(text, spec), loc)
            except EvalError as exc:
                reason = f"cannot be evaluated: invalid value for var.{name}: {exc.message}"
                val = Val(Unknown(f"var.{name}", reason), loc)
        else:
            val = self._parse_expression(name, text, loc)
        note = f"var.{name} = {short_text(val)} ({label})"
        return with_origin(val, Origin(loc, note))

    def _parse_expression(self, name: str, text: str, loc: Location) -> Val:
        from linter.terraform.syntax.hcl import HclSyntaxError, parse_hcl

        try:
            parsed = parse_hcl(f"v = {text}\n", loc.path)
        except HclSyntaxError as exc:
            reason = f"cannot be evaluated: invalid value for var.{name}: {exc}"
            return Val(Unknown(f"var.{name}", reason), loc)
        attr = parsed.body.attribute("v")
        if attr is None or len(parsed.body.attributes) != 1 or parsed.body.blocks:
            reason = f"cannot be evaluated: invalid value for var.{name}"
            return Val(Unknown(f"var.{name}", reason), loc)
        val = self._constant(attr.value, f"var.{name}")
        return Val(val.v, loc, val.chain, val.ref, val.kind)

    def _assignments(self) -> list[_Assignment]:
        if self._files is None:
            self._files = []
            for path in self._tfvars_paths():
                file = self._loader.tfvars(path)  # None: absent, or reported by the loader
                if file is not None:
                    label = Path(file.path).name or path.name
                    self._files.extend(_Assignment(a, label) for a in file.body.attributes)
        return self._files

    def _tfvars_paths(self) -> list[Path]:
        return tfvars_paths(self._directory, self._sources.var_files)


def tfvars_paths(directory: Path, var_files: Sequence[Path]) -> list[Path]:
    """The variable files a root module reads, lowest precedence first (as Terraform does)."""
    paths = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
    try:
        names = sorted(entry.name for entry in directory.iterdir())
    except OSError:
        names = []
    paths += [directory / n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    return paths + list(var_files)


def variable_type(decl: Block) -> TypeSpec:
    """The type a variable block declares (``any`` when it declares none)."""
    return parse_type(_attr_value(decl, "type"))


def typed_value(
    name: str, decl: Block, raw: Val | None, spec: TypeSpec, evaluate: EvaluateConstant
) -> Val:
    """A variable's value converted to its declared type; unknown, saying why, when it has no
    value or the value does not convert (as Terraform rejects it)."""
    if raw is None:
        return Val(Unknown(f"var.{name}", "variable has no value"), decl.loc)
    try:
        return convert(raw, spec, evaluate)
    except EvalError as exc:
        reason = f"cannot be evaluated: invalid value for var.{name}: {exc.message}"
        return Val(Unknown(f"var.{name}", reason), raw.loc, raw.chain)


def _attr_value(block: Block, name: str) -> Expr | None:
    attr = block.body.attribute(name)
    return attr.value if attr is not None else None
