"""Fuzz the YAML front end and everything after it: declarations, the model, the rules.

``parse_yaml`` must never raise (problems are findings), and the declarations it returns must
go through normalization and the rules without an exception. The configuration-file reader
(``parse_yaml_mapping``) may raise only YamlError. Run:
``python fuzz/fuzz_yaml.py fuzz/corpus/yaml -max_total_time=600`` (see fuzz/README.md).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import decode, main

from linter.inputs.yaml import YamlError, parse_yaml, parse_yaml_mapping
from linter.normalize.builder import build_model
from linter.normalize.configurations import build_configurations
from linter.policy.loader import load_policy
from linter.rules.base import Context
from linter.rules.registry import RULES
from linter.rules.runner import run_rules

_CONTEXT = Context(load_policy())


def test_one_input(data: bytes) -> None:
    text = decode(data, "fuzz.yaml")
    parsed = parse_yaml(text, "fuzz.yaml")
    for finding in parsed.findings:
        if "\n" in finding.message:
            raise AssertionError(f"not a one-line message: {finding.message!r}")
    model, _ = build_model(list(parsed.declarations))
    run_rules(model, build_configurations(model), RULES, _CONTEXT)
    with contextlib.suppress(YamlError):
        parse_yaml_mapping(text, ".baa-lint.yaml")


if __name__ == "__main__":
    main(test_one_input)
