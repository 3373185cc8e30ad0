"""`baa-lint schema` prints the path of a shipped schema that an editor can validate with."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

import jsonschema
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from linter.cli import cli
from linter.core.shipped import SCHEMA_FILES

DECLARATION = """\
# yaml-language-server: $schema={path}
apiVersion: baa-lint/v1
kind: Organization
name: acme-clinical
baa_signed: true
workspaces:
  - name: summaries
    phi: true
    models: [claude-haiku-4-5]
"""


def schema_command(*args: str) -> Path:
    result = CliRunner().invoke(cli, ["schema", *args])
    assert result.exit_code == 0, result.output
    path = Path(result.output.rstrip("\n"))
    assert result.output == f"{path}\n"
    return path


def test_default_is_the_declaration_schema_by_absolute_path() -> None:
    path = schema_command()
    assert path.is_absolute() and path.is_file()
    assert path.name == "declaration.schema.json"


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_each_schema_is_json_whose_id_ends_in_its_file_name(name: str) -> None:
    path = schema_command(name)
    assert path.name == SCHEMA_FILES[name]
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert PurePosixPath(urlparse(schema["$id"]).path).name == path.name


def test_every_shipped_schema_has_a_name() -> None:
    shipped = {p.name for p in schema_command().parent.glob("*.schema.json")}
    assert shipped == set(SCHEMA_FILES.values())


def test_unknown_schema_name_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["schema", "declarations"])
    assert result.exit_code == 2
    assert "'declarations' is not one of" in result.output


def test_a_declaration_pointing_at_the_path_validates_against_it(tmp_path: Path) -> None:
    path = schema_command()
    text = DECLARATION.format(path=path)
    schema_ref = text.splitlines()[0].split("$schema=", 1)[1]
    schema = json.loads(Path(schema_ref).read_text(encoding="utf-8"))
    document = YAML(typ="safe").load(text)
    jsonschema.Draft202012Validator(schema).validate(document)
    broken = {**document, "zero_data_retention": "yes"}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(broken))
