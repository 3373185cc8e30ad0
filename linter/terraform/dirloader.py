"""A minimal :class:`~linter.terraform.evaluator.ModuleLoader` over the file system.

For tests and tools: it parses every ``.tf``/``.tf.json`` file of a directory and names files by
their path relative to ``base`` (POSIX style). Files that cannot be read or parsed are skipped;
the lint run's own loader reports such files instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from linter.source import SourceError, read_text
from linter.terraform.ast import File


class DirectoryLoader:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.loaded: list[Path] = []  # directories whose files were parsed, in order

    def _display(self, path: Path) -> str:
        try:
            return Path(os.path.relpath(path, self.base)).as_posix()
        except ValueError:
            return path.as_posix()

    def _parse(self, path: Path) -> File | None:
        from linter.terraform.hcl import HclSyntaxError, parse_hcl

        shown = self._display(path)
        try:
            text = read_text(path, shown)
            if shown.endswith((".tfvars", ".tfvars.json")):
                from linter.terraform.tfvars import parse_tfvars

                return parse_tfvars(text, shown)
            if shown.endswith(".json"):
                from linter.terraform.tfjson import parse_tf_json

                return parse_tf_json(text, shown)
            return parse_hcl(text, shown)
        except (SourceError, HclSyntaxError):
            return None

    def module_files(self, directory: Path) -> list[File] | None:
        try:
            names = sorted(entry.name for entry in directory.iterdir())
        except OSError:
            return None
        self.loaded.append(directory)
        files = []
        for name in names:
            path = directory / name
            if name.endswith((".tf", ".tf.json")) and path.is_file():
                parsed = self._parse(path)
                if parsed is not None:
                    files.append(parsed)
        return files

    def tfvars(self, path: Path) -> File | None:
        return self._parse(path) if path.is_file() else None

    def exists(self, path: Path) -> bool:
        return path.exists()
