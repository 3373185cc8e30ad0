"""linted_directories: the absolute directory of every linted file, however its path is
spelt (it takes the absolute path of each directory, not of each file)."""

from __future__ import annotations

import os
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import given

from linter.inputs.discover import PROBLEM, InputFile, linted_directories

_PARTS = st.sampled_from(["a", "b", ".", "..", "", "x.tf", "main.tf", "dir"])
_PATHS = st.lists(_PARTS, min_size=1, max_size=5).map("/".join) | st.lists(
    _PARTS, min_size=1, max_size=5
).map(lambda parts: "/" + "/".join(parts))


@given(st.lists(_PATHS, min_size=1, max_size=6))
def test_the_directory_of_each_absolute_path(paths: list[str]) -> None:
    files = [InputFile(path, path, PROBLEM, problem="p") for path in paths]
    expected = sorted({os.path.dirname(os.path.abspath(path)) for path in paths})  # noqa: PTH120
    assert linted_directories(files) == [Path(d) for d in expected]
