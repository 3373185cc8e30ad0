"""A fresh parse is used as it is: without a cache nothing is encoded, and nothing freshly
encoded for the cache is decoded again in the same run."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.lint import lint
from linter.settings.config import Config
from linter.terraform.syntax import codec as astcodec
from tests.conftest import finding_keys, write_tree

TREE = {
    "orgs.yaml": "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\n"
    "baa_signed: true\nzero_data_retention: true\n",
    "infra/main.tf": 'resource "anthropic_workspace" "w" {\n  name = "w"\n'
    '  organization_id = "acme"\n  tags = { phi = "true", models = "claude-fable-5" }\n}\n',
}


def _refuse(*_: object) -> object:
    raise AssertionError("the codec was used")


def test_without_a_cache_nothing_is_encoded_or_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    expected = finding_keys(lint(["."], Config(cache=False, jobs=1)))
    assert expected  # the workspace expects a Covered Model under ZDR
    monkeypatch.setattr(astcodec, "encode", _refuse)
    monkeypatch.setattr(astcodec, "decode_value", _refuse)
    assert finding_keys(lint(["."], Config(cache=False, jobs=1))) == expected


def test_a_cold_cached_run_encodes_but_never_decodes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    expected = finding_keys(lint(["."], Config(cache=False, jobs=1)))
    monkeypatch.setattr(astcodec, "decode_value", _refuse)
    cache = str(tmp_path / "cache")
    assert finding_keys(lint(["."], Config(cache_dir=cache, jobs=1))) == expected
