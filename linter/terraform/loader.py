"""Load Terraform for a lint run: parse modules on demand, evaluate, and build declarations."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from linter.config import Config
from linter.discover import InputFile, display_path
from linter.findings import Finding, parse_error
from linter.nodes import Declaration
from linter.parsers import ParsedFile
from linter.source import SourceError, read_text
from linter.terraform.ast import File
from linter.terraform.declarations import declarations
from linter.terraform.evaluator import EvalOptions, evaluate_tree
from linter.terraform.hcl import HclSyntaxError, parse_hcl
from linter.terraform.tfjson import parse_tf_json
from linter.terraform.tfvars import parse_tfvars

TERRAFORM_SUFFIXES = (".tf", ".tf.json")


@dataclass
class FileLoader:
    """Reads and parses Terraform files for the evaluator, once each, keeping every problem."""

    config: Config
    cwd: Path
    parsed: dict[Path, ParsedFile] = field(default_factory=dict)
    files: dict[Path, File | None] = field(default_factory=dict)

    def _display(self, path: Path) -> str:
        return display_path(path, self.cwd)

    def _parse(self, path: Path) -> File | None:
        real = Path(os.path.abspath(path))
        if real in self.files:
            return self.files[real]
        shown = self._display(real)
        file: File | None = None
        text = ""
        findings: tuple[Finding, ...] = ()
        try:
            text = read_text(real, shown, self.config.max_file_size)
            if shown.endswith((".tfvars", ".tfvars.json")):
                file = parse_tfvars(text, shown)
            elif shown.endswith(".json"):
                file = parse_tf_json(text, shown)
            else:
                file = parse_hcl(text, shown)
        except SourceError as exc:
            findings = (parse_error(exc.message, exc.location),)
        except HclSyntaxError as exc:
            findings = (parse_error(exc.message, exc.location),)
        self.files[real] = file
        blocks = file.spans if file is not None else ()
        self.parsed[real] = ParsedFile(shown, text, (), findings, blocks, "hcl")
        return file

    def module_files(self, directory: Path) -> list[File] | None:
        try:
            paths = sorted(directory.iterdir())
        except OSError:
            return None
        files = []
        for path in paths:
            if path.name.lower().endswith(TERRAFORM_SUFFIXES) and path.is_file():
                parsed = self._parse(path)
                if parsed is not None:
                    files.append(parsed)
        return files

    def tfvars(self, path: Path) -> File | None:
        return self._parse(path) if path.is_file() else None

    def exists(self, path: Path) -> bool:
        return path.exists()


def repository_root(paths: Sequence[Path], cwd: Path) -> Path:
    """The nearest enclosing git work tree of the linted paths, else their common directory."""
    absolute = [Path(os.path.abspath(p)) for p in paths] or [cwd]
    common = Path(os.path.commonpath([str(p if p.is_dir() else p.parent) for p in absolute]))
    for candidate in (common, *common.parents):
        if (candidate / ".git").exists():
            return candidate
    return common


def _attach(parsed: list[ParsedFile], decls: list[Declaration]) -> list[ParsedFile]:
    """Each file with the declarations that live in it."""
    by_path: dict[str, list[Declaration]] = {}
    for decl in decls:
        by_path.setdefault(decl.path, []).append(decl)
    result = []
    for item in parsed:
        mine = tuple(by_path.pop(item.path, []))
        result.append(
            ParsedFile(item.path, item.text, mine, item.findings, item.blocks, item.comment_style)
        )
    for path, rest in sorted(by_path.items()):
        result.append(ParsedFile(path, "", tuple(rest)))
    return result


def load_terraform(files: Sequence[InputFile], config: Config, cwd: Path) -> list[ParsedFile]:
    """Evaluate every Terraform module directory among ``files``; files with their declarations."""
    terraform = [f for f in files if f.kind == "terraform"]
    if not terraform:
        return []
    directories = sorted({Path(os.path.abspath(f.path)).parent for f in terraform})
    loader = FileLoader(config, cwd)
    options = EvalOptions(
        repo_root=repository_root([f.path for f in files], cwd),
        var_files=tuple(Path(v) for v in config.var_files),
        variables=tuple(config.variables.items()),
        env=dict(os.environ),
    )
    result = evaluate_tree(directories, loader, options)
    diagnostics: dict[str, list[Finding]] = {}
    for diagnostic in result.diagnostics:
        diagnostics.setdefault(diagnostic.location.path, []).append(
            parse_error(diagnostic.message, diagnostic.location)
        )
    parsed = []
    for item in loader.parsed.values():
        extra = tuple(diagnostics.pop(item.path, []))
        parsed.append(
            ParsedFile(item.path, item.text, (), item.findings + extra, item.blocks, "hcl")
        )
    for path, found in sorted(diagnostics.items()):
        parsed.append(ParsedFile(path, "", (), tuple(found)))
    return _attach(parsed, declarations(list(result.instances), config.tag_keys))
