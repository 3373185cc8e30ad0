"""The README stays true: its two commands, its rule table, and the CI script."""

from __future__ import annotations

import os
import re
from pathlib import Path

from linter.rules.registry import RULES

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def fenced_commands(text: str) -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", text, flags=re.S)


def rule_table() -> str:
    lines = ["| code | name | severity | summary |", "|---|---|---|---|"]
    lines += [f"| {r.code} | {r.slug} | {r.severity.value} | {r.summary} |" for r in RULES]
    return "\n".join(lines)


def test_readme_opens_with_the_install_and_test_commands() -> None:
    text = README.read_text()
    install, test = fenced_commands(text)[:2]
    assert text.index(install) < 200
    assert "pip install ." in install and install.endswith("baa-lint examples/quickstart")
    assert "pip install '.[dev]'" in test and test.endswith("python -m pytest")
    assert (ROOT / "examples" / "quickstart").is_dir()


def test_ci_runs_the_readme_test_command() -> None:
    test_command = fenced_commands(README.read_text())[1]
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


def test_rule_table_is_generated_from_the_rule_metadata() -> None:
    text = README.read_text()
    block = re.search(r"<!-- rules:start -->\n(.*?)\n<!-- rules:end -->", text, flags=re.S)
    assert block is not None
    if os.environ.get("UPDATE_README"):
        README.write_text(text.replace(block.group(1), rule_table()))
        return
    assert block.group(1) == rule_table()
