"""Fuzz the evaluator's built-in functions with well-formed calls and hostile arguments.

Byte mutation rarely produces a valid call like ``range(-1e308, 1.5e-320, 1.5e-320)``, so this
harness reads its input as a sequence of choices: which function, how many arguments, and each
argument from a list of edge cases (huge, tiny, negative, infinite and fractional numbers,
format verbs, regexes, nested collections, unknowns, other calls). The call is evaluated as
a workspace attribute through ``fuzz_eval``'s checks: no exception, no internal error. Run:
``python fuzz/fuzz_calls.py fuzz/corpus/calls -max_total_time=600`` (see fuzz/README.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import main
from fuzz_eval import test_one_input as evaluate

from linter.terraform.eval.functions import FUNCTIONS

NAMES = sorted(FUNCTIONS)
ARGUMENTS = (
    '""',
    '"abc"',
    '"a,b,c"',
    '"%s %d %v %q %5.2f %-10s %%"',
    '"%999999999d"',
    '"%.999999999f"',
    '"%[9]s"',
    "0",
    "-1",
    "1",
    "2.5",
    "1e308",
    "-1e308",
    "1e400",
    "1.5e-320",
    "9" * 30,
    "-9223372036854775809",
    "4096",
    "[]",
    "[1, 2, 3]",
    '["a", "b"]',
    "[[1], [2, [3]]]",
    "{}",
    '{a = 1, b = "x"}',
    "{a = {b = [1]}}",
    "null",
    "true",
    "var.unknown",
    "local.big",
    "local.s",
    '"(a+)+$"',
    '"[["',
    '"\\\\"',
    '"^.*$"',
    '"${"',
    'toset(["a", "a"])',
    "range(100000)",
    '"2026-01-01T00:00:00Z"',
    '"10.0.0.0/8"',
    '"{\\"a\\": 1}"',
    '"a: [1, 2"',
    '"Zm9v"',
    "36",
    '"0x1F"',
)
PRELUDE = 'locals {\n  big = range(1000)\n  s   = "' + "a" * 200 + '"\n}\n'


def expression(data: bytes) -> str:
    """The call that ``data`` describes (every byte string describes one)."""
    choices = iter(data)

    def pick(options: tuple[str, ...] | list[str]) -> str:
        return options[next(choices, 0) % len(options)]

    def call(depth: int) -> str:
        name = pick(NAMES)
        args = []
        for _ in range(next(choices, 0) % 5):
            nested = depth < 2 and next(choices, 0) % 6 == 0
            args.append(call(depth + 1) if nested else pick(ARGUMENTS))
        return f"{name}({', '.join(args)})"

    return call(0)


def test_one_input(data: bytes) -> None:
    expr = expression(data)
    resource = (
        f'resource "anthropic_workspace" "w" {{\n  name   = {expr}\n  models = [{expr}]\n}}\n'
    )
    source = PRELUDE + resource
    evaluate(source.encode())


if __name__ == "__main__":
    main(test_one_input)
