"""The wheel carries the schemas and policy data, and an installed copy finds them inside itself."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from linter.core.version import PROJECT_URL
from linter.output.formats.sarif import INFORMATION_URI

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            "-q",
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("baa_lint-*.whl")
    return built


def test_wheel_contains_schemas_policy_and_typing_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in ROOT.glob("schemas/*.json"):
        assert f"linter/schemas/{schema.name}" in names
    assert "linter/policy/coverage.yaml" in names
    assert "linter/policy/models.yaml" in names
    assert "linter/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "baa-lint = linter.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_wheel_ships_the_license_and_the_report_stylesheet(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    licenses = [n for n in names if ".dist-info/" in n and "LICENSE" in n]
    assert licenses, "the Apache-2.0 license text is not in the wheel"
    text = zipfile.ZipFile(wheel).read(licenses[0]).decode()
    assert "Apache License" in text and "Version 2.0" in text
    assert "linter/output/report/style.css" in names


def test_installed_copy_loads_its_own_schemas(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    code = (
        "import linter.core.shipped as r, linter.policy.loader as p;"
        "print(r._schemas_dir()); print(r.load_schema('declaration.schema.json')['title']);"
        "print(len(p.load_policy().rows)); print(r.schema_path('declaration.schema.json'))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    schemas_dir, title, rows, schema_path = result.stdout.splitlines()
    assert Path(schemas_dir).is_relative_to(target)
    assert title.startswith("baa-lint declaration")
    assert rows == "9"
    # What `baa-lint schema` prints for an installed copy: the file inside the installation.
    assert Path(schema_path) == target / "linter" / "schemas" / "declaration.schema.json"


def test_project_urls_are_the_one_project_url() -> None:
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    assert urls == {
        "Homepage": PROJECT_URL,
        "Documentation": f"{PROJECT_URL}#readme",
        "Issues": f"{PROJECT_URL}/issues",
        "Source": PROJECT_URL,
    }
    assert INFORMATION_URI == PROJECT_URL
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"repo: {PROJECT_URL}\n" in readme  # the pre-commit snippet
