"""Property tests: damaged copies of every example never break a lint run.

Each generated input is one example directory copied into ``damaged/`` with one of its files
mutated (byte flips, truncation, line shuffles, random insertions), next to an untouched tree
``clean/``. The command line must exit 0 or 1 (never 2, never a traceback), print valid JSON,
finish within a time bound, and report exactly the same findings for ``clean/`` as when
``clean/`` is linted alone: damage to one file never costs a finding elsewhere.

The number of examples is small so that the suite stays fast; CI runs these like any test
(``-m properties`` selects them). The fuzz harnesses in fuzz/ go much further.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ZDR_TF, lint_json, write_bytes

pytestmark = pytest.mark.properties

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CLEAN_EXAMPLE = EXAMPLES / "quickstart"  # renamed, it is the untouched tree
SUFFIXES = (".yaml", ".yml", ".tf", ".tf.json", ".tfvars", ".json")


def _lintable(path: Path) -> bool:
    return path.is_file() and path.name.endswith(SUFFIXES)


# (example directory, file inside it): every lintable file of every example.
TARGETS = sorted((path.parent, path) for path in EXAMPLES.rglob("*") if _lintable(path))
YAML_TARGETS = [t for t in TARGETS if t[1].suffix in (".yaml", ".yml")]
TERRAFORM_TARGETS = [t for t in TARGETS if t[1].suffix not in (".yaml", ".yml")]

TOKENS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b"${",
    b"%{",
    b"<<EOT\n",
    b"&a ",
    b"*a",
    b"<<: *a\n",
    b"\x00",
    b"\xff\xfe",
    b"\r\n",
    b"\t",
    b"- ",
    b": ",
    b" = ",
    b"#",
    b"local.x",
    b"var.y",
    b"module.m.o",
    b"9" * 50,
]


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after one to four random edits."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "shuffle", "insert", "token", "delete"]))
        pos = draw(st.integers(0, len(out)))
        if kind == "flip" and out:
            index = min(pos, len(out) - 1)
            out[index] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del out[pos:]
        elif kind == "shuffle":
            lines = bytes(out).split(b"\n")
            order = draw(st.permutations(range(len(lines))))
            out = bytearray(b"\n".join(lines[i] for i in order))
        elif kind == "insert":
            out[pos:pos] = draw(st.binary(min_size=1, max_size=12))
        elif kind == "token":
            out[pos:pos] = draw(st.sampled_from(TOKENS))
        else:
            del out[pos : pos + draw(st.integers(1, 40))]
    return bytes(out)


@st.composite
def damaged_examples(draw: st.DrawFn, targets: list[tuple[Path, Path]]) -> tuple[Path, Path, bytes]:
    directory, target = draw(st.sampled_from(targets))
    return directory, target, draw(mutations(target.read_bytes()))


@contextmanager
def _in_new_directory() -> Iterator[Path]:
    previous = Path.cwd()
    with tempfile.TemporaryDirectory() as name:
        os.chdir(name)
        try:
            yield Path(name)
        finally:
            os.chdir(previous)


def _clean_tree(root: Path) -> None:
    """The quickstart with its organizations renamed (names are unique within a run, and a
    damaged copy of the quickstart itself may be linted next to it), and a Terraform module."""
    for path in CLEAN_EXAMPLE.iterdir():
        text = path.read_text(encoding="utf-8").replace("meridian-", "clean-tree-")
        write_bytes(root, {f"clean/quickstart/{path.name}": text})
    tf = ZDR_TF.replace("acme-tf", "clean-terraform-org")
    write_bytes(root, {"clean/terraform/main.tf": tf})


def _lint(*paths: str) -> Any:
    run = lint_json("--no-cache", "--jobs", "1", *paths)
    assert run.exit_code in (0, 1), run.stderr
    assert run.stderr == ""
    return run


_BASELINE: list[dict[str, Any]] = []


def clean_findings() -> list[dict[str, Any]]:
    """The findings of ``clean/`` linted alone (computed once)."""
    if not _BASELINE:
        with _in_new_directory() as root:
            _clean_tree(root)
            _BASELINE.extend(_lint("clean").findings)
        assert len(_BASELINE) >= 5  # the quickstart's findings and the Terraform one
    return _BASELINE


def check_damaged(directory: Path, target: Path, data: bytes) -> None:
    expected = clean_findings()
    with _in_new_directory() as root:
        _clean_tree(root)
        copy = root / "damaged" / directory.name
        shutil.copytree(directory, copy)
        (copy / target.relative_to(directory)).write_bytes(data)
        run = _lint("clean", "damaged")
        payload = json.loads(run.stdout)
        assert set(payload) >= {"version", "findings", "summary"}
        clean = [f for f in payload["findings"] if f["path"].startswith("clean/")]
        assert clean == expected


SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(damaged_examples(YAML_TARGETS))
def test_damaged_yaml_examples(case: tuple[Path, Path, bytes]) -> None:
    check_damaged(*case)


@SETTINGS
@given(damaged_examples(TERRAFORM_TARGETS))
def test_damaged_terraform_examples(case: tuple[Path, Path, bytes]) -> None:
    check_damaged(*case)


def test_every_example_kind_is_a_target() -> None:
    suffixes = {path.suffix for _, path in TARGETS}
    assert {".yaml", ".tf", ".tfvars", ".json"} <= suffixes
    assert len(YAML_TARGETS) >= 20
