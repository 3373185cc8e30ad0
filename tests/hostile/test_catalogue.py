"""The catalogue of hostile inputs (SPEC §9): one test per entry, each with its specific outcome.

Every test lints through the real command line (``--format json``, in-process) and checks the
rule, the message, the position, the exit code and a time bound. Most trees also hold a good
file with a known finding, to show that one broken file never hides the findings of the others.
"""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from linter.core.files import SourceError, read_text
from linter.inputs.discover import PROBLEM, discover
from linter.settings.config import Config
from linter.terraform.eval import graph
from linter.terraform.loader import FileLoader
from linter.terraform.syntax.ast import File
from linter.terraform.syntax.hcl import parse_hcl

from .conftest import ZDR_TF, ZDR_TF_FINDING, ZDR_YAML, ZDR_YAML_FINDING, lint_json, write_bytes

pytestmark = pytest.mark.usefixtures("in_tmp")

# A Terraform workspace, so that a .tf file is in a directory that matters (unrelated
# directories are not parsed at all, by design: see linter/terraform/prune.py).
WORKSPACE_TF = 'resource "anthropic_workspace" "w" {\n  name = "w"\n}\n'


def good_file_still_reported(run_keys: list[str]) -> None:
    assert ZDR_YAML_FINDING in run_keys


# --- malformed and truncated input -----------------------------------------------------------


def test_truncated_hcl() -> None:
    write_bytes(Path(), {"tf/main.tf": WORKSPACE_TF[:-2], "good.yaml": ZDR_YAML})
    run = lint_json(".")
    assert run.exit_code == 1
    assert run.messages("tf/main.tf") == ["BAA900 3:1 unexpected end of file; expected '}'"]
    good_file_still_reported(run.keys("good.yaml"))


def test_malformed_hcl() -> None:
    text = 'resource "anthropic_workspace" "w" {\n  name = = "w"\n}\n'
    write_bytes(Path(), {"tf/main.tf": text, "good.yaml": ZDR_YAML})
    run = lint_json(".")
    assert run.exit_code == 1
    [message] = run.messages("tf/main.tf")
    assert message.startswith("BAA900 2:10 unexpected '='")
    good_file_still_reported(run.keys("good.yaml"))


def test_truncated_yaml() -> None:
    truncated = "apiVersion: baa-lint/v1\nkind: Organization\nname: [acme\n"
    write_bytes(Path(), {"bad.yaml": truncated, "good.yaml": ZDR_YAML})
    run = lint_json(".")
    assert run.exit_code == 1
    assert run.messages("bad.yaml") == [
        "BAA900 4:1 invalid YAML: expected ',' or ']', but got '<stream end>' "
        "(in the flow sequence that starts at line 3, column 7)"
    ]
    good_file_still_reported(run.keys("good.yaml"))


def test_malformed_yaml() -> None:
    bad = "apiVersion: baa-lint/v1\nkind: Organization\n  name: acme\n"
    write_bytes(Path(), {"bad.yaml": bad, "good.yaml": ZDR_YAML})
    run = lint_json(".")
    [message] = run.messages("bad.yaml")
    assert message == "BAA900 3:7 invalid YAML: mapping values are not allowed here"
    good_file_still_reported(run.keys("good.yaml"))


def test_malformed_foreign_yaml_is_skipped() -> None:
    """Unparsable YAML that never mentions baa-lint/ (a Helm template) is not reported."""
    write_bytes(Path(), {"chart/deploy.yaml": "a: {{ .Values.x }\n  b: [", "good.yaml": ZDR_YAML})
    run = lint_json(".")
    assert run.keys("chart/deploy.yaml") == []
    assert run.keys() == [ZDR_YAML_FINDING]


# --- encodings and bytes ---------------------------------------------------------------------


def test_binary_tf() -> None:
    write_bytes(Path(), {"tf/blob.tf": b"\x7fELF\x02\x01\x00\x00binary", "good.yaml": ZDR_YAML})
    run = lint_json(".")
    assert run.exit_code == 1
    assert run.messages("tf/blob.tf") == ["BAA900 1:7 file contains NUL bytes (binary file?)"]
    good_file_still_reported(run.keys("good.yaml"))


def test_undecodable_tf_in_a_directory_without_declarations() -> None:
    """Directories that never mention an Anthropic resource are not parsed (by design), but a
    .tf file that cannot even be decoded might: it is reported, never skipped silently."""
    write_bytes(
        Path(),
        {
            "aws/blob.tf": b"\x00\x01binary",
            "aws/latin1.tf": 'variable "x" {\n  default = "caf\xe9"\n}\n'.encode("latin-1"),
            "aws/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n',
        },
    )
    run = lint_json(".")
    assert run.exit_code == 1
    assert run.keys() == ["BAA900 1:1", "BAA900 2:17"]
    assert [f["path"] for f in run.findings] == ["aws/blob.tf", "aws/latin1.tf"]


def test_nul_byte_in_tf_next_to_a_good_file() -> None:
    write_bytes(Path(), {"tf/main.tf": ZDR_TF, "tf/nul.tf": WORKSPACE_TF.replace("w", "\x00", 1)})
    run = lint_json("tf")
    assert run.messages("tf/nul.tf") == ["BAA900 1:21 file contains NUL bytes (binary file?)"]
    assert ZDR_TF_FINDING in run.keys("tf/main.tf")


def test_binary_yaml_that_may_be_a_declaration() -> None:
    data = b"apiVersion: baa-lint/v1\nkind: Organization\nname: \x00\x01\x02"
    write_bytes(Path(), {"bin.yaml": data, "good.yaml": ZDR_YAML})
    run = lint_json(".")
    assert run.messages("bin.yaml") == ["BAA900 3:7 file contains NUL bytes (binary file?)"]
    good_file_still_reported(run.keys("good.yaml"))


def test_binary_yaml_without_the_marker_is_skipped() -> None:
    write_bytes(Path(), {"image.yaml": bytes(range(256)) * 4, "good.yaml": ZDR_YAML})
    run = lint_json(".")
    assert run.keys() == [ZDR_YAML_FINDING]


def test_latin1_tf() -> None:
    text = ZDR_TF.replace('"acme-tf"', '"caf\xe9"').encode("latin-1")
    write_bytes(Path(), {"tf/main.tf": text})
    run = lint_json(".")
    assert run.exit_code == 1
    assert run.messages("tf/main.tf") == [
        "BAA900 2:29 file is not valid UTF-8 (byte 0xe9); save it as UTF-8"
    ]


def test_latin1_yaml() -> None:
    text = ZDR_YAML.replace("name: acme", "name: caf\xe9").encode("latin-1")
    write_bytes(Path(), {"org.yaml": text})
    run = lint_json(".")
    assert run.messages("org.yaml") == [
        "BAA900 3:10 file is not valid UTF-8 (byte 0xe9); save it as UTF-8"
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le", "utf-32"])
def test_utf16_with_bom(encoding: str) -> None:
    bom = {"utf-16-be": "\ufeff", "utf-16-le": "\ufeff"}.get(encoding, "")
    write_bytes(
        Path(),
        {
            "org.yaml": (bom + ZDR_YAML).encode(encoding),
            "tf/main.tf": (bom + ZDR_TF).encode(encoding),
        },
    )
    run = lint_json(".")
    assert run.keys("org.yaml") == [ZDR_YAML_FINDING]
    assert run.keys("tf/main.tf") == [ZDR_TF_FINDING]


def test_utf8_bom() -> None:
    bom = b"\xef\xbb\xbf"
    write_bytes(Path(), {"org.yaml": bom + ZDR_YAML.encode(), "tf/main.tf": bom + ZDR_TF.encode()})
    run = lint_json(".")
    assert run.keys("org.yaml") == [ZDR_YAML_FINDING]
    assert run.keys("tf/main.tf") == [ZDR_TF_FINDING]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_line_endings_keep_positions(newline: str) -> None:
    write_bytes(
        Path(),
        {
            "org.yaml": ZDR_YAML.replace("\n", newline),
            "tf/main.tf": ZDR_TF.replace("\n", newline),
        },
    )
    run = lint_json(".")
    assert run.keys("org.yaml") == [ZDR_YAML_FINDING]
    assert run.keys("tf/main.tf") == [ZDR_TF_FINDING]
    [yaml_finding, tf_finding] = run.findings
    assert [(e["line"], e["column"]) for e in yaml_finding["evidence"]] == [(5, 22)]
    assert [(e["line"], e["column"]) for e in tf_finding["evidence"]][-1] == (5, 25)


@pytest.mark.parametrize("name", ["empty.yaml", "tf/empty.tf", "empty.tf.json", "empty.tfvars"])
def test_empty_file(name: str) -> None:
    write_bytes(Path(), {name: b""})
    run = lint_json(".")
    assert run.exit_code == 0
    assert run.findings == []


def test_empty_tf_next_to_declarations() -> None:
    write_bytes(Path(), {"tf/main.tf": ZDR_TF, "tf/empty.tf": b"", "tf/blank.tf": b"\n\n  \n"})
    run = lint_json(".")
    assert run.keys() == [ZDR_TF_FINDING]


# --- size ------------------------------------------------------------------------------------


def test_file_over_the_default_size_cap() -> None:
    """Default cap 10 MB: an 11 MB .tf (a generated file, say) is BAA900 'file too large'."""
    padding = ("# " + "x" * 98 + "\n") * (11 * 1024 * 1024 // 100)
    write_bytes(Path(), {"tf/huge.tf": WORKSPACE_TF + padding, "good.yaml": ZDR_YAML})
    size = Path("tf/huge.tf").stat().st_size
    run = lint_json(".")
    assert run.messages("tf/huge.tf") == [
        f"BAA900 1:1 file too large ({size:,} bytes; the limit is 10,485,760); "
        "raise max-file-size in the config to lint it"
    ]
    good_file_still_reported(run.keys("good.yaml"))


def test_size_cap_is_configurable() -> None:
    write_bytes(
        Path(),
        {
            ".baa-lint.yaml": "max-file-size: 1024\n",
            "org.yaml": ZDR_YAML + "# " + "x" * 1000 + "\n",
            "tf/main.tf": ZDR_TF + "# " + "x" * 1000 + "\n",
            "small.yaml": ZDR_YAML.replace("acme", "small"),
        },
    )
    run = lint_json(".")
    assert [m[:38] for m in run.messages("org.yaml")] == ["BAA900 1:1 file too large (1,153 bytes"]
    assert run.messages("tf/main.tf")[0].endswith(
        "the limit is 1,024); raise max-file-size in the config to lint it"
    )
    assert run.keys("small.yaml") == [ZDR_YAML_FINDING]


def test_oversized_yaml_reported_only_when_it_mentions_baa_lint() -> None:
    write_bytes(
        Path(),
        {
            ".baa-lint.yaml": "max-file-size: 1024\n",
            "foreign.yaml": "a: " + "x" * 5000 + "\n",
            "decl.yaml": ZDR_YAML + "# " + "x" * 5000 + "\n",
        },
    )
    run = lint_json(".")
    assert run.keys("foreign.yaml") == []
    assert run.keys("decl.yaml") == ["BAA900 1:1"]


def test_oversized_plan_is_reported_and_other_json_is_not() -> None:
    """Like YAML: a JSON file too large to read is reported when it starts like a plan (it is
    never skipped in silence), and is other JSON when it does not."""
    plan = '{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": {}, '
    write_bytes(
        Path(),
        {
            ".baa-lint.yaml": "max-file-size: 1024\n",
            "plan.json": plan + '"x": "' + "x" * 5000 + '"}\n',
            "package-lock.json": '{"x": "' + "x" * 5000 + '"}\n',
        },
    )
    run = lint_json(".")
    assert [m[:30] for m in run.messages("plan.json")] == ["BAA900 1:1 file too large (5,0"]
    assert run.keys("package-lock.json") == []


# --- YAML expansion, nesting, duplicates -----------------------------------------------------


def _peak_memory(args: list[str]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        run = lint_json(*args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return run, peak


def test_yaml_alias_bomb() -> None:
    """Billion laughs: 9 aliases per level, 10 levels (3.5e9 nodes if expanded)."""
    lines = ["apiVersion: baa-lint/v1", "kind: Organization", "name: bomb", "l0: &l0 [lol, lol]"]
    for level in range(1, 11):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    write_bytes(Path(), {"bomb.yaml": "\n".join(lines) + "\n", "good.yaml": ZDR_YAML})
    run, peak = _peak_memory(["."])
    assert isinstance(run, type(lint_json("good.yaml")))
    assert run.messages("bomb.yaml") == [
        "BAA900 4:15 declaration expands to more than 20,000 values "
        "(aliases or merge keys repeated too often?)"
    ]
    good_file_still_reported(run.keys("good.yaml"))
    assert peak < 64 * 1024 * 1024


def test_yaml_merge_key_abuse() -> None:
    lines = ["apiVersion: baa-lint/v1", "kind: Organization", "name: merge", "m0: &m0 {a: 1, b: 2}"]
    for level in range(1, 40):
        refs = ", ".join([f"*m{level - 1}"] * 8)
        lines.append(f"m{level}: &m{level}\n  <<: [{refs}]\n  k{level}: 1")
    write_bytes(Path(), {"merge.yaml": "\n".join(lines) + "\n", "good.yaml": ZDR_YAML})
    run, peak = _peak_memory(["."])
    assert isinstance(run, type(lint_json("good.yaml")))
    [message] = run.messages("merge.yaml")
    assert message.endswith(
        "declaration expands to more than 20,000 values (aliases or merge keys repeated too often?)"
    )
    good_file_still_reported(run.keys("good.yaml"))
    assert peak < 64 * 1024 * 1024


HEADER = "apiVersion: baa-lint/v1\nkind: Organization\nname: deep\n"


FLOW_TOO_DEEP = "YAML nests too deeply (more than 256 levels of brackets)"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("x: " + "[" * 10_000 + "]" * 10_000, f"BAA900 4:260 {FLOW_TOO_DEEP}"),
        ("x: " + "{a: " * 10_000 + "1" + "}" * 10_000, f"BAA900 4:1028 {FLOW_TOO_DEEP}"),
        # Indentation makes 10,000 levels 50 MB: 1,500 levels (1 MB) already overflow.
        (
            "x:\n" + "".join(" " * i + "- \n" for i in range(1500)),
            "BAA900 1:1 YAML nests too deeply to parse",
        ),
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences"],
)
def test_yaml_nested_10000_deep(body: str, message: str) -> None:
    write_bytes(Path(), {"deep.yaml": HEADER + body + "\n", "good.yaml": ZDR_YAML})
    run = lint_json(".")
    assert run.exit_code == 1
    assert run.messages("deep.yaml") == [message]
    good_file_still_reported(run.keys("good.yaml"))


def test_yaml_duplicate_keys() -> None:
    text = ZDR_YAML.replace("name: acme\n", "name: acme\nname: acme2\n")
    write_bytes(Path(), {"dup.yaml": text})
    run = lint_json(".")
    assert run.exit_code == 1
    by_rule = {f["rule"]: f for f in run.findings}
    assert by_rule["BAA901"]["severity"] == "error"
    assert run.messages("dup.yaml")[0] == (
        "BAA901 4:1 duplicate key 'name' (first set at line 3); the last value is used"
    )


def test_hcl_duplicate_attributes() -> None:
    text = ZDR_TF.replace('  name            = "ws"\n', '  name = "ws"\n  name = "ws2"\n')
    write_bytes(Path(), {"tf/main.tf": text, "good.yaml": ZDR_YAML})
    run = lint_json(".")
    assert run.messages("tf/main.tf") == [
        "BAA900 10:3 attribute 'name' is set twice (first at line 9)"
    ]
    good_file_still_reported(run.keys("good.yaml"))


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "[" * 10_000 + "]" * 10_000,
            "BAA900 2:109 brackets nest too deeply (more than 100 levels)",
        ),
        (
            "(" * 10_000 + "1" + ")" * 10_000,
            "BAA900 2:109 brackets nest too deeply (more than 100 levels)",
        ),
        ("1" + " + 1" * 10_000, "BAA900 2:10 expression nests too deeply (more than 200 levels)"),
        ("a" + ".b" * 10_000, "BAA900 2:10 expression nests too deeply (more than 200 levels)"),
        (
            '"${' * 10_000 + "1" + '}"' * 10_000,
            "BAA900 2:308 brackets nest too deeply (more than 100 levels)",
        ),
    ],
    ids=["brackets", "parentheses", "operators", "attribute-access", "templates"],
)
def test_hcl_nested_10000_deep(expression: str, message: str) -> None:
    text = f'resource "anthropic_workspace" "w" {{\n  name = {expression}\n}}\n'
    write_bytes(Path(), {"tf/deep.tf": text, "tf/main.tf": ZDR_TF})
    run = lint_json(".")
    assert run.messages("tf/deep.tf") == [message]
    assert run.keys("tf/main.tf") == [ZDR_TF_FINDING]


def test_hcl_blocks_nested_10000_deep() -> None:
    text = 'resource "anthropic_workspace" "w" {\n' + "dynamic {\n" * 10_000 + "}\n" * 10_001
    write_bytes(Path(), {"tf/deep.tf": text, "tf/main.tf": ZDR_TF})
    run = lint_json(".")
    assert run.messages("tf/deep.tf") == [
        "BAA900 101:9 brackets nest too deeply (more than 100 levels)"
    ]
    assert run.keys("tf/main.tf") == [ZDR_TF_FINDING]


def deep_blocks(blocks: int, terms: int) -> str:
    """A workspace with an attribute inside ``blocks`` nested blocks, a sum of ``terms``."""
    text = 'resource "anthropic_workspace" "w" {\n  name = "w"\n'
    text += "".join(f"  b{i} {{\n" for i in range(blocks))
    text += "  v = " + " + ".join(["1"] * terms) + "\n"
    return text + "  }\n" * blocks + "}\n"


def test_hcl_deep_blocks_around_a_deep_expression() -> None:
    """Each limit alone holds (99 blocks, 198 operators), together they do not: the whole
    tree's nesting is bounded, so that no later walk over it can overflow the stack."""
    write_bytes(Path(), {"tf/deep.tf": deep_blocks(99, 199), "tf/main.tf": ZDR_TF})
    run = lint_json(".")
    assert run.messages("tf/deep.tf") == [
        "BAA900 102:7 expression nests too deeply "
        "(more than 200 levels, counting the 99 nested blocks around it)"
    ]
    assert run.keys("tf/main.tf") == [ZDR_TF_FINDING]


def test_hcl_deep_blocks_around_an_expression_within_the_limit() -> None:
    write_bytes(Path(), {"tf/deep.tf": deep_blocks(99, 101), "tf/main.tf": ZDR_TF})
    run = lint_json(".")
    # Parsed and evaluated: its workspace declares no fact, so only the BAA018 note is left.
    assert [m.split()[0] for m in run.messages("tf/deep.tf")] == ["BAA018"]
    assert run.keys("tf/main.tf") == [ZDR_TF_FINDING]


def test_loader_bug_is_reported_not_taken_for_an_absent_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An exception while loading a module's files is a bug: reported, never "no module"."""
    write_bytes(Path(), {"tf/main.tf": ZDR_TF, "mod/main.tf": WORKSPACE_TF})
    original = FileLoader.module_files

    def broken(self: FileLoader, directory: Path) -> list[File] | None:
        if directory.name == "mod":
            raise RuntimeError("injected loader bug")
        return original(self, directory)

    monkeypatch.setattr(FileLoader, "module_files", broken)
    run = lint_json(".", "--no-cache")
    assert run.exit_code == 1
    assert run.keys("tf/main.tf") == [ZDR_TF_FINDING]
    reported = [f["message"] for f in run.findings if "injected loader bug" in f["message"]]
    assert reported, run.findings


# --- instances: count and for_each multiply ------------------------------------------------

LIMIT = 100  # graph.MAX_ROOT_INSTANCES, lowered so that these trees stay small and quick
ZDR_ORG = ZDR_TF.split("\n\n")[0] + "\n"


def team_module(count: int) -> str:
    """A module of ``count`` workspaces, each expecting a Covered Model (BAA001 on ZDR)."""
    return (
        'variable "team" {\n  default = "root"\n}\n'
        f'resource "anthropic_workspace" "w" {{\n  count  = {count}\n'
        '  name   = "${var.team}-${count.index}"\n  models = ["claude-fable-5"]\n}\n'
    )


def team_call(source: str, keys: int) -> str:
    return (
        f'module "team" {{\n  for_each = toset([for i in range({keys}) : "t${{i}}"])\n'
        f'  source   = "{source}"\n  team     = each.key\n}}\n'
    )


def limit_message(what: str) -> str:
    return (
        f"instance limit reached: this root module has more than {LIMIT:,} resource and module "
        f"instances (count and for_each multiply), so {what} is not evaluated and findings "
        "about its instances are missing"
    )


@pytest.fixture
def low_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph, "MAX_ROOT_INSTANCES", LIMIT)


@pytest.mark.usefixtures("low_limit")
def test_module_instances_within_the_instance_limit_are_all_evaluated() -> None:
    main = ZDR_ORG + team_call("../ws", 5)  # 5 module instances + 50 workspaces
    write_bytes(Path(), {"infra/main.tf": main, "ws/main.tf": team_module(10)})
    run = lint_json(".", "--no-cache")
    assert run.keys("ws/main.tf") == ["BAA001 7:13"] * 50
    assert run.keys("infra/main.tf") == []


@pytest.mark.usefixtures("low_limit")
def test_module_call_past_the_instance_limit_is_reported_at_the_call() -> None:
    """20 module instances of 10 workspaces: the call is refused whole, before any of its
    instances is evaluated; the root's own workspace is still checked."""
    main = ZDR_TF + team_call("../ws", 20)
    write_bytes(Path(), {"infra/main.tf": main, "ws/main.tf": team_module(10)})
    run = lint_json(".", "--no-cache")
    assert run.exit_code == 1
    assert run.keys("infra/main.tf") == [ZDR_TF_FINDING, "BAA013 14:14"]
    assert run.messages("infra/main.tf")[1] == f"BAA013 14:14 {limit_message('module.team')}"
    assert run.keys("ws/main.tf") == []


@pytest.mark.usefixtures("low_limit")
def test_instance_limit_names_the_innermost_multiplying_call() -> None:
    """root -> platform (one instance) -> team (for_each 20) -> 10 workspaces each: the limit
    is reported at team's for_each, and platform, the call being walked, is not evaluated."""
    files = {
        "infra/main.tf": ZDR_ORG + 'module "platform" {\n  source = "../platform"\n}\n',
        "platform/main.tf": team_call("../ws", 20),
        "ws/main.tf": team_module(10),
    }
    write_bytes(Path(), files)
    run = lint_json(".", "--no-cache")
    assert run.messages("platform/main.tf") == [f"BAA013 2:14 {limit_message('module.platform')}"]
    assert run.keys("ws/main.tf") == []


@pytest.mark.usefixtures("low_limit")
def test_resource_past_the_instance_limit_is_reported_at_its_count() -> None:
    """Two blocks of 60 workspaces in one root: the first is evaluated, the second is not
    (BAA013 at its count), and nothing after the limit is expanded."""
    second = team_module(60).replace('"w"', '"v"').replace("var.team", '"v"').split("}\n", 1)[1]
    write_bytes(Path(), {"infra/main.tf": ZDR_ORG + team_module(60) + second})
    run = lint_json(".", "--no-cache")
    assert run.keys("infra/main.tf") == ["BAA001 13:13"] * 60 + ["BAA013 16:12"]
    assert run.messages("infra/main.tf")[-1] == (
        f"BAA013 16:12 {limit_message('anthropic_workspace.v')}"
    )


# --- long lines ------------------------------------------------------------------------------


def test_very_long_lines() -> None:
    """A 1 MB line in each kind of file; the findings after it keep their positions."""
    long = "x" * 1_000_000
    yaml_text = ZDR_YAML.replace("name: acme\n", f"name: acme\n# {long}\n")
    # In the workspace, whose other attributes are not facts (an organization's are: BAA901).
    tf_text = ZDR_TF.replace('"ws"\n', f'"ws"\n  description = "{long}"\n')
    write_bytes(Path(), {"org.yaml": yaml_text, "tf/main.tf": tf_text})
    run = lint_json(".")
    assert run.keys("org.yaml") == ["BAA001 9:14"]
    assert run.keys("tf/main.tf") == ["BAA001 12:22"]


def test_very_long_lines_take_little_memory() -> None:
    """A 1 MB string, a 1 MB heredoc and a 1 MB block comment: python-hcl2's own terminals
    needed about 300 MB (and 1.2 s) for these; the parser's equivalents need a few MB."""
    text = (
        ZDR_TF
        + 'locals {\n  s = "'
        + "x" * 1_000_000
        + '"\n  h = <<EOT\n'
        + ("y" * 79 + "\n") * 12_500
        + "EOT\n}\n/* "
        + "z" * 1_000_000
        + " */\n"
    )
    parse_hcl("a = 1\n", "warm-up.tf")
    tracemalloc.start()
    try:
        file = parse_hcl(text, "main.tf")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [len(a.value.value) for a in file.body.blocks[2].body.attributes] == [
        1_000_000,
        1_000_000,
    ]
    assert peak < 48 * 1024 * 1024


def test_very_long_line_of_a_huge_number() -> None:
    """A 100,000-digit number (Python refuses to convert more than 4,300 digits to int)."""
    # In the workspace, whose other attributes are not facts (an organization's are: BAA901).
    text = ZDR_TF.replace('"ws"\n', '"ws"\n  size = ' + "9" * 100_000 + "\n")
    write_bytes(Path(), {"tf/main.tf": text})
    run = lint_json(".")
    assert run.keys() == ["BAA001 12:22"]


# --- file system: symlinks, permissions, special directories ---------------------------------


def test_symlink_loop_is_walked_once() -> None:
    """A directory symlink loop: directory symlinks are never followed, so no hang, no
    finding, and each file is linted once (with its real path)."""
    write_bytes(Path(), {"a/org.yaml": ZDR_YAML})
    Path("a/loop").symlink_to("..")
    Path("a/again").symlink_to("../a")
    run = lint_json(".")
    assert run.keys() == [ZDR_YAML_FINDING]
    assert [f["path"] for f in run.findings] == ["a/org.yaml"]


def test_directory_symlinks_are_never_followed(tmp_path: Path) -> None:
    """Inside the tree or out of it, a directory symlink is not walked (so no loop, and no
    reading outside the tree through one); the directory it names is linted where it is."""
    outside = tmp_path.parent / f"{tmp_path.name}-outside-dir"
    outside.mkdir()
    (outside / "org.yaml").write_text(ZDR_YAML.replace("acme", "elsewhere-org"), encoding="utf-8")
    try:
        write_bytes(Path(), {"repo/real/org.yaml": ZDR_YAML})
        Path("repo/out").symlink_to(outside)
        Path("repo/alias").symlink_to("real")
        assert [i.display for i in discover(["repo"], Config())] == ["repo/real/org.yaml"]
        run = lint_json("repo")
        assert run.keys() == [ZDR_YAML_FINDING]
        assert "elsewhere-org" not in run.stdout
    finally:
        (outside / "org.yaml").unlink()
        outside.rmdir()


def test_file_symlink_loop_is_a_file_that_cannot_be_read() -> None:
    write_bytes(Path(), {"org.yaml": ZDR_YAML})
    Path("self.yaml").symlink_to("self.yaml")
    Path("pong.tf").symlink_to("ping.tf")
    Path("ping.tf").symlink_to("pong.tf")
    run = lint_json(".")
    assert run.messages("self.yaml") == [
        "BAA900 1:1 cannot read file: Too many levels of symbolic links"
    ]
    assert run.keys("org.yaml") == [ZDR_YAML_FINDING]


def test_symlink_to_a_file_inside_the_tree_is_read() -> None:
    write_bytes(Path(), {"real/org.yaml": ZDR_YAML})
    Path("real/alias.yaml").symlink_to("../real/org.yaml")
    run = lint_json("real")
    assert run.keys("real/alias.yaml") == [ZDR_YAML_FINDING]


def test_symlink_leaving_the_tree_is_found_and_not_read(tmp_path: Path) -> None:
    """A file symlink that resolves outside the linted path is not read (a repository must not
    make baa-lint read, and quote, arbitrary files), and that is said, never silent."""
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text(ZDR_YAML.replace("acme", "elsewhere-org"), encoding="utf-8")
    try:
        write_bytes(Path(), {"repo/good.yaml": ZDR_YAML.replace("acme", "good")})
        Path("repo/secret.yaml").symlink_to(outside)
        [good, problem] = discover(["repo"], Config())
        assert (problem.display, problem.kind) == ("repo/secret.yaml", PROBLEM)
        assert problem.problem == (
            f"symlink points outside the linted tree (to {outside}); not read"
        )
        assert good.kind == "yaml"
        run = lint_json("repo")
        assert run.keys("repo/good.yaml") == [ZDR_YAML_FINDING]
        assert "elsewhere-org" not in run.stdout  # the outside file was not read
    finally:
        outside.unlink()


def test_symlink_leaving_the_tree_is_a_finding(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside2.yaml"
    outside.write_text(ZDR_YAML, encoding="utf-8")
    try:
        Path("repo").mkdir()
        Path("repo/secret.yaml").symlink_to(outside)
        run = lint_json("repo")
        assert run.messages("repo/secret.yaml") == [
            f"BAA900 1:1 symlink points outside the linted tree (to {outside}); not read"
        ]
    finally:
        outside.unlink()


def test_tf_symlink_leaving_the_tree_is_not_evaluated(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.tf"
    outside.write_text(ZDR_TF.split("\n\n")[1].replace('"ws"', '"leak"'), encoding="utf-8")
    try:
        write_bytes(Path(), {"repo/infra/main.tf": ZDR_TF})
        Path("repo/infra/link.tf").symlink_to(outside)
        run = lint_json("repo")
        assert run.keys("repo/infra/main.tf") == [ZDR_TF_FINDING]
        assert run.messages("repo/infra/link.tf") == [
            f"BAA900 1:1 symlink points outside the linted tree (to {outside}); not read"
        ]
    finally:
        outside.unlink()


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make every read of ``denied`` fail with EACCES (tests run as root, where chmod 000
    does not stop reads, so permission errors are simulated here)."""
    real_open, real_read, real_os_open = Path.open, Path.read_bytes, os.open
    target = denied.resolve()

    def check(path: object) -> None:
        if Path(os.path.abspath(str(path))).resolve() == target:
            raise PermissionError(13, "Permission denied", str(path))

    def fake_os_open(path: object, *args: object, **kwargs: object) -> int:
        check(path)
        return real_os_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def fake_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        check(self)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    def fake_read(self: Path) -> bytes:
        check(self)
        return real_read(self)

    monkeypatch.setattr(Path, "open", fake_open)
    monkeypatch.setattr(Path, "read_bytes", fake_read)
    monkeypatch.setattr(os, "open", fake_os_open)


def test_unreadable_yaml_file(monkeypatch: pytest.MonkeyPatch) -> None:
    write_bytes(Path(), {"locked.yaml": ZDR_YAML, "good.yaml": ZDR_YAML.replace("acme", "good")})
    _deny(monkeypatch, Path("locked.yaml"))
    run = lint_json(".")
    assert run.exit_code == 1
    assert run.messages("locked.yaml") == ["BAA900 1:1 permission denied"]
    assert run.keys("good.yaml") == [ZDR_YAML_FINDING]


def test_unreadable_tf_file(monkeypatch: pytest.MonkeyPatch) -> None:
    write_bytes(Path(), {"tf/locked.tf": WORKSPACE_TF, "tf/main.tf": ZDR_TF})
    _deny(monkeypatch, Path("tf/locked.tf"))
    run = lint_json(".")
    assert run.messages("tf/locked.tf") == ["BAA900 1:1 permission denied"]
    assert ZDR_TF_FINDING in run.keys("tf/main.tf")


def test_unreadable_plan_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether it is a plan cannot be told without reading it: reported, never skipped."""
    plan = {"format_version": "1.2", "planned_values": {"root_module": {}}}
    write_bytes(Path(), {"plans/plan.json": json.dumps(plan), "good.yaml": ZDR_YAML})
    _deny(monkeypatch, Path("plans/plan.json"))
    run = lint_json(".")
    assert run.messages("plans/plan.json") == ["BAA900 1:1 permission denied"]
    assert run.keys("good.yaml") == [ZDR_YAML_FINDING]


def test_fifos_never_hang_the_run() -> None:
    """A named pipe named like an input (git cannot store one, but a working tree can hold
    one): opening it to read would wait for a writer forever. It is not read."""
    write_bytes(Path(), {"a/org.yaml": ZDR_YAML, "tf/main.tf": ZDR_TF})
    os.mkfifo("a/pipe.yaml")
    os.mkfifo("tf/pipe.tf")
    Path("a/link.yaml").symlink_to("pipe.yaml")
    items = {i.display: (i.kind, i.problem) for i in discover(["."], Config())}
    special = (PROBLEM, "not a regular file (a FIFO, socket or device); not read")
    assert items["a/pipe.yaml"] == items["a/link.yaml"] == items["tf/pipe.tf"] == special
    run = lint_json(".")  # (test_fifo_is_a_finding checks the BAA900 for the pipes)
    assert run.keys("a/org.yaml") == [ZDR_YAML_FINDING]
    assert run.keys("tf/main.tf") == [ZDR_TF_FINDING]
    explicit = lint_json("a/pipe.yaml")
    assert explicit.exit_code in (0, 1)
    with pytest.raises(SourceError, match="not a regular file"):
        read_text(Path("a/pipe.yaml"), "a/pipe.yaml")


def test_fifo_is_a_finding() -> None:
    os.mkfifo("pipe.yaml")
    run = lint_json(".")
    assert run.messages("pipe.yaml") == [
        "BAA900 1:1 not a regular file (a FIFO, socket or device); not read"
    ]


def test_file_growing_past_the_cap_while_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The size cap holds even when stat() said the file was small (it grew, or lied)."""
    write_bytes(Path(), {"org.yaml": ZDR_YAML + "#" * 2000 + "\n"})
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        status = list(real_fstat(fd))
        status[6] = 10  # st_size
        return os.stat_result(status)

    monkeypatch.setattr(os, "fstat", small_fstat)
    with pytest.raises(SourceError, match=r"file too large \(1,025 bytes; the limit is 1,024\)"):
        read_text(Path("org.yaml"), "org.yaml", 1024)


def _deny_listing(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make listing ``denied`` fail with EACCES, as for a mode 000 directory (simulated: root)."""
    real_scandir = os.scandir
    target = os.path.abspath(denied)

    def fake_scandir(path: object = ".") -> object:
        if os.path.abspath(str(path)) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", fake_scandir)


def test_unreadable_directory_is_found_and_the_rest_is_linted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_bytes(Path(), {"locked/org.yaml": ZDR_YAML, "open/org.yaml": ZDR_YAML})
    _deny_listing(monkeypatch, Path("locked"))
    items = discover(["."], Config())
    assert [(i.display, i.kind, i.problem) for i in items] == [
        (
            "locked",
            PROBLEM,
            "permission denied: cannot list this directory; the files in it are not linted",
        ),
        ("open/org.yaml", "yaml", ""),
    ]
    run = lint_json(".")
    assert run.keys("open/org.yaml") == [ZDR_YAML_FINDING]


def test_unreadable_directory_is_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    write_bytes(Path(), {"locked/org.yaml": ZDR_YAML, "open/org.yaml": ZDR_YAML})
    _deny_listing(monkeypatch, Path("locked"))
    run = lint_json(".")
    assert run.messages("locked") == [
        "BAA900 1:1 permission denied: cannot list this directory; the files in it are not linted"
    ]


def test_terraform_and_git_directories_are_never_read() -> None:
    broken = 'resource "anthropic_workspace" "hidden" {\n  name = [\n'
    write_bytes(
        Path(),
        {
            "infra/.terraform/modules/x/main.tf": broken,
            "infra/.git/objects/x.yaml": ZDR_YAML,
            ".git/config.yaml": ZDR_YAML,
            "node_modules/pkg/org.yaml": ZDR_YAML,
            "infra/main.tf": ZDR_TF,
        },
    )
    run = lint_json(".")
    assert run.keys() == [ZDR_TF_FINDING]
    assert {f["path"] for f in run.findings} == {"infra/main.tf"}


def test_path_that_does_not_exist() -> None:
    run = lint_json("no/such/dir")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == "baa-lint: error: no/such/dir: no such file or directory\n"


def test_path_that_does_not_exist_next_to_one_that_does() -> None:
    write_bytes(Path(), {"org.yaml": ZDR_YAML})
    run = lint_json("org.yaml", "missing.yaml")
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1 and "missing.yaml: no such file or directory" in run.stderr


# --- Terraform modules and references ---------------------------------------------------------

ORG_TF = (
    'resource "anthropic_organization" "org" {\n'
    '  name       = "acme"\n'
    '  type       = "api"\n'
    "  baa_signed = true\n"
    "}\n"
)


def test_module_source_escaping_the_repository() -> None:
    Path(".git").mkdir()  # the repository root is the nearest .git
    outside = 'module "outside" {\n  source = "../../.."\n}\n'
    write_bytes(Path(), {"infra/main.tf": outside + ZDR_TF})
    run = lint_json("infra")
    assert run.keys("infra/main.tf") == ["BAA900 2:3", "BAA001 14:22"]
    assert run.messages("infra/main.tf")[0] == (
        "BAA900 2:3 module source '../../..' is outside the repository; not read"
    )


def test_module_cycle() -> None:
    write_bytes(
        Path(),
        {
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\n' + ORG_TF,
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\n' + WORKSPACE_TF,
        },
    )
    run = lint_json(".")
    assert run.messages("b/main.tf") == [
        "BAA900 2:3 module cycle: a → b → a",
        "BAA018 4:1 workspace 'w' of organization 'acme' declares no compliance fact (phi, "
        "models, products or data_retention), so nothing about it can be checked",
    ]


def test_locals_cycle() -> None:
    text = ORG_TF + (
        "locals {\n  a = local.b\n  b = local.a\n}\n"
        'resource "anthropic_workspace" "w" {\n'
        '  name            = "w"\n'
        "  organization_id = anthropic_organization.org.id\n"
        "  phi             = true\n"
        "  data_retention  = local.a\n"
        "}\n"
    )
    write_bytes(Path(), {"main.tf": text})
    run = lint_json(".")
    messages = run.messages("main.tf")
    assert messages[0] == "BAA900 7:3 cycle in locals: local.a → local.b → local.a"
    assert messages[1].startswith(
        "BAA013 14:21 cannot resolve data_retention of workspace 'w' of organization 'acme' "
        "(`local.a`: cycle in locals: a → b → a)"
    )


def test_remote_module_sources_are_never_fetched() -> None:
    text = ORG_TF + (
        'module "remote" {\n  source = "git::https://example.com/m.git//ws?ref=v1"\n}\n'
        'module "registry" {\n  source  = "hashicorp/consul/aws"\n  version = "1.0.0"\n}\n'
        'resource "anthropic_workspace" "w" {\n'
        '  name            = "w"\n'
        "  organization_id = anthropic_organization.org.id\n"
        "  phi             = true\n"
        "  models          = module.remote.models\n"
        "  data_retention  = module.registry.retention\n"
        "}\n"
    )
    write_bytes(Path(), {"main.tf": text})
    run = lint_json(".")
    assert [m.split(";")[0] for m in run.messages("main.tf")] == [
        "BAA013 17:21 cannot resolve models of workspace 'w' of organization 'acme' "
        "(`module.remote.models`: output of remote module)",
        "BAA013 18:21 cannot resolve data_retention of workspace 'w' of organization 'acme' "
        "(`module.registry.retention`: output of remote module)",
    ]
