"""Fuzz the Terraform front ends: HCL native syntax, Terraform JSON and variables files.

Every input must parse or raise HclSyntaxError with a location inside the text; nothing else
may escape. Run: ``python fuzz/fuzz_hcl.py fuzz/corpus/hcl -max_total_time=600`` (see
fuzz/README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import decode, main

from linter.core.locations import Location
from linter.terraform.syntax.hcl import HclSyntaxError, parse_hcl
from linter.terraform.syntax.tfjson import parse_tf_json
from linter.terraform.syntax.tfvars import parse_tfvars


def _check_location(location: Location, text: str) -> None:
    lines = text.count("\n") + 2  # the parser appends a newline; EOF errors point past it
    if not 1 <= location.line <= lines or location.column < 1:
        raise AssertionError(f"location {location} outside the input ({lines - 1} lines)")


def test_one_input(data: bytes) -> None:
    text = decode(data, "fuzz.tf")
    for name, parse in (
        ("fuzz.tf", parse_hcl),
        ("fuzz.tf.json", parse_tf_json),
        ("fuzz.tfvars", parse_tfvars),
    ):
        try:
            file = parse(text, name)
        except HclSyntaxError as exc:
            _check_location(exc.location, text)
            if not exc.message or "\n" in exc.message:
                raise AssertionError(f"not a one-line message: {exc.message!r}") from None
            continue
        for span in file.spans:
            if span.start_line > span.end_line:
                raise AssertionError(f"inverted span {span}")


if __name__ == "__main__":
    main(test_one_input)
