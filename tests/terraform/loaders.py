"""The lint run's own loader, recording which module directories the evaluator loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from linter.settings.config import Config
from linter.terraform.loader import FileLoader
from linter.terraform.syntax.ast import File


@dataclass
class RecordingLoader(FileLoader):
    loaded: list[Path] = field(default_factory=list)  # directories listed, in order

    def module_files(self, directory: Path) -> list[File] | None:
        files = super().module_files(directory)
        if files is not None:
            self.loaded.append(directory)
        return files


def DirectoryLoader(base: Path) -> RecordingLoader:  # noqa: N802 - reads like the class it makes
    """A loader naming files relative to ``base``, without a parse cache."""
    return RecordingLoader(Config(cache=False), base)
