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
from linter.core.model import SENSITIVE, Origin, Unknown
from linter.terraform.eval.operations import EvalError, short_text, taint, with_origin
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
        """The highest-precedence value, before type conversion.

        Sensitivity is marked here, where the value enters: every value of a ``sensitive =
        true`` variable, and anything read from the environment (it may be a secret whatever
        the variable says), gets an origin whose printed note does not quote it.
        """
        secret = declared_sensitive(decl)
        for var_name, text in reversed(self._sources.variables):
            if var_name == name:
                return self._from_text(name, text, spec, COMMAND_LINE, "--var", secret=secret)
        for assignment in reversed(self._assignments()):
            if assignment.attr.name == name:
                return self._from_file(name, assignment, secret)
        env_text = self._sources.env.get(f"TF_VAR_{name}")
        if env_text is not None:
            label = f"TF_VAR_{name}"
            return self._from_text(name, env_text, spec, ENVIRONMENT, label, secret=True)
        default = decl.body.attribute("default")
        if default is None:
            return None
        val = self._constant(default.value, f"var.{name}", secret)
        return with_origin(val, default_origin(name, default.loc, val, secret))

    def _constant(self, expr: Expr, what: str, secret: bool) -> Val:
        try:
            return self._evaluate(expr)
        except EvalError as exc:
            # The message may quote the text it could not evaluate: not a secret's.
            detail = "an invalid sensitive value (not shown)" if secret else exc.message
            return Val(Unknown(what, f"cannot be evaluated: {detail}"), expr.loc)
        except RecursionError:
            return Val(Unknown(what, "cannot be evaluated: nested too deeply"), expr.loc)

    def _from_file(self, name: str, assignment: _Assignment, secret: bool) -> Val:
        val = self._constant(assignment.attr.value, f"var.{name}", secret)
        label = f"({assignment.label})"
        return with_origin(val, _assigned(name, assignment.attr.loc, val, label, secret))

    def _from_text(
        self, name: str, text: str, spec: TypeSpec, loc: Location, label: str, *, secret: bool
    ) -> Val:
        """A -var or TF_VAR_ value: a raw string for primitive types, else an HCL expression."""
        if spec.kind == "any" or spec.primitive:
            try:
                val = Val(raw_for_type(text, spec, secret), loc)
            except EvalError as exc:
                reason = f"cannot be evaluated: invalid value for var.{name}: {exc.message}"
                val = Val(Unknown(f"var.{name}", reason), loc)
        else:
            val = self._parse_expression(name, text, loc, secret)
        return with_origin(val, _assigned(name, loc, val, f"({label})", secret))

    def _parse_expression(self, name: str, text: str, loc: Location, secret: bool) -> Val:
        from linter.terraform.syntax.hcl import HclSyntaxError, parse_hcl

        try:
            parsed = parse_hcl(f"v = {text}\n", loc.path)
        except HclSyntaxError as exc:
            # A syntax error quotes the text it could not read: not a secret's.
            detail = "not a valid expression" if secret else str(exc)
            reason = f"cannot be evaluated: invalid value for var.{name}: {detail}"
            return Val(Unknown(f"var.{name}", reason), loc)
        attr = parsed.body.attribute("v")
        if attr is None or len(parsed.body.attributes) != 1 or parsed.body.blocks:
            reason = f"cannot be evaluated: invalid value for var.{name}"
            return Val(Unknown(f"var.{name}", reason), loc)
        val = self._constant(attr.value, f"var.{name}", secret)
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


def declared_sensitive(decl: Block) -> bool:
    """Whether a variable block says ``sensitive = true``."""
    attr = decl.body.attribute("sensitive")
    value = getattr(attr.value, "value", None) if attr is not None else None
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _sensitive_origin(location: Location, note: str, redacted: str, secret: bool) -> Origin:
    return Origin(location, note, redacted=redacted if secret else None)


def _assigned(name: str, location: Location, val: Val, label: str, secret: bool) -> Origin:
    """The origin of a value assigned in a tfvars file, with --var or TF_VAR_."""
    note = f"var.{name} = {short_text(val)} {label}"
    return _sensitive_origin(location, note, f"var.{name} = {SENSITIVE} {label}", secret)


def default_origin(name: str, location: Location, val: Val, secret: bool) -> Origin:
    """The origin of a variable's default (root or child module)."""
    note = f"var.{name} default {short_text(val)}"
    return _sensitive_origin(location, note, f"var.{name} default {SENSITIVE}", secret)


def mark_sensitive(name: str, decl: Block, val: Val) -> Val:
    """A value passed to a module's ``sensitive = true`` variable: sensitive inside it."""
    if not declared_sensitive(decl):
        return val
    note = f"var.{name} is declared sensitive"
    return taint(val, (Origin(decl.loc, note, redacted=note),))


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
