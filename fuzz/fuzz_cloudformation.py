"""Fuzz the CloudFormation front end and everything after it: declarations, model, rules.

``parse_cloudformation_yaml`` and ``parse_cloudformation_json`` must never raise (problems are
findings with one-line messages), and the declarations they return must go through
normalization and the rules without an exception. Run:
``python fuzz/fuzz_cloudformation.py fuzz/corpus/cloudformation -max_total_time=600``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import decode, main

from linter.core.parsed import ParsedFile
from linter.inputs.cloudformation import parse_cloudformation_json, parse_cloudformation_yaml
from linter.normalize.builder import build_model
from linter.normalize.configurations import build_configurations
from linter.policy.loader import load_policy
from linter.rules.base import Context
from linter.rules.registry import RULES
from linter.rules.runner import run_rules

_CONTEXT = Context(load_policy())
_TAG_KEYS = {key: key for key in ("phi", "models", "products", "data_retention")}


def _check(parsed: ParsedFile) -> None:
    for finding in parsed.findings:
        if "\n" in finding.message:
            raise AssertionError(f"not a one-line message: {finding.message!r}")
    model, _ = build_model(list(parsed.declarations))
    run_rules(model, build_configurations(model), RULES, _CONTEXT)


def test_one_input(data: bytes) -> None:
    text = decode(data, "fuzz.template")
    _check(parse_cloudformation_yaml(text, "fuzz.yaml", _TAG_KEYS))
    _check(parse_cloudformation_json(text, "fuzz.template.json", _TAG_KEYS))


if __name__ == "__main__":
    main(test_one_input)
