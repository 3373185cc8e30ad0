"""The fix loop: each fix kind, the engine's guarantees, --fix, --diff and --add-suppression."""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linter.cli import cli
from linter.core.findings import Finding, Fix, TextEdit
from linter.filters.comments import hcl_lines, yaml_lines
from linter.fixes.engine import RepositoryFiles, SourceFile, plan
from linter.lint import lint
from tests.conftest import write_tree

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HEAD = "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--no-color", "--no-cache"])


def fixes_of(path: Path | str) -> list[Fix]:
    return [f.autofix for f in lint([str(path)]).findings if f.autofix is not None]


def outside_edit(before: str, after: str, old: str, new: str) -> tuple[str, str]:
    """The two texts with the one edited spot taken out: everything else must be equal."""
    index = before.index(old)
    assert after[:index] == before[:index]
    return before[index + len(old) :], after[index + len(new) :]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # the repository root the fixes stay inside
    return tmp_path


# --- the engine --------------------------------------------------------------------------------


def edit(line: int, col: int, end_line: int, end_col: int, text: str, original: str) -> TextEdit:
    return TextEdit("f.yaml", line, col, end_line, end_col, text, original)


def load(text: str) -> object:
    return lambda path: SourceFile.of(path, text)


def test_edits_apply_bottom_up_and_keep_crlf_line_endings() -> None:
    text = "a: yes\r\nb: no\r\n"
    fixes = [
        Fix("one", (edit(1, 4, 1, 7, "true", "yes"),)),
        Fix("two", (edit(2, 4, 2, 6, "false", "no"),)),
    ]
    planned = plan(fixes, lambda path: SourceFile.of(path, text))
    assert planned.applied == (True, True)
    assert planned.changes[0].after == "a: true\r\nb: false\r\n"


def test_an_overlapping_fix_is_left_for_the_next_run_and_an_identical_one_made_once() -> None:
    text = "abcdef\n"
    first = Fix("first", (edit(1, 2, 1, 5, "X", "bcd"),))
    overlapping = Fix("overlapping", (edit(1, 4, 1, 6, "Y", "de"),))
    planned = plan([first, overlapping, first], lambda path: SourceFile.of(path, text))
    assert planned.applied == (True, False, True)
    assert planned.changes[0].after == "aXef\n"


def test_an_edit_whose_text_changed_since_the_lint_is_never_applied() -> None:
    fix = Fix("stale", (edit(1, 1, 1, 4, "true", "yes"),))
    planned = plan([fix], lambda path: SourceFile.of(path, "nope: 1\n"))
    assert planned.applied == (False,)
    assert planned.changes == ()


def test_a_fix_is_applied_whole_or_not_at_all() -> None:
    text = "abc\n"
    taken = Fix("taken", (edit(1, 1, 1, 2, "A", "a"),))
    half = Fix("half", (edit(1, 3, 1, 4, "C", "c"), edit(1, 1, 1, 2, "Z", "a")))
    planned = plan([taken, half], lambda path: SourceFile.of(path, text))
    assert planned.applied == (True, False)
    assert planned.changes[0].after == "Abc\n"


def test_positions_past_the_end_of_a_line_are_refused() -> None:
    fix = Fix("far", (edit(1, 9, 1, 12, "x", None),))  # type: ignore[arg-type]
    assert plan([fix], lambda path: SourceFile.of(path, "short\n")).applied == (False,)


def test_the_diff_marks_a_last_line_without_newline() -> None:
    fix = Fix("last", (edit(2, 4, 2, 7, "true", "yes"),))
    (change,) = plan([fix], lambda path: SourceFile.of(path, "a: 1\nb: yes")).changes
    assert change.diff() == (
        "--- f.yaml\n+++ f.yaml\n@@ -1,2 +1,2 @@\n a: 1\n-b: yes\n"
        "\\ No newline at end of file\n+b: true\n\\ No newline at end of file\n"
    )


# --- key typos ---------------------------------------------------------------------------------


def test_a_misspelt_key_is_renamed_keeping_comments_and_layout(tree: Path) -> None:
    text = (
        "# the lab's organization\n"
        "apiVersion: baa-lint/v1\n"
        "kind: Organization\n"
        "name: acme   # the org\n"
        "provider_alais:   lab    # keep this comment\n"
        "baa_signed: true\n"
    )
    write_tree(tree, {"org.yaml": text})
    (fix,) = fixes_of("org.yaml")
    assert fix.safe
    result = run("org.yaml", "--fix")
    after = (tree / "org.yaml").read_text()
    assert outside_edit(text, after, "provider_alais", "provider_alias") == (
        text.split("provider_alais")[1],
        after.split("provider_alias")[1],
    )
    assert "provider_alias:   lab    # keep this comment\n" in after
    assert "Fixed 1 finding (0 remaining)." in result.stderr
    assert result.exit_code == 0
    again = run("org.yaml", "--fix")
    assert "Fixed 0 findings" in again.stderr
    assert (tree / "org.yaml").read_text() == after


def test_a_key_typo_with_two_close_matches_or_taken_target_gets_no_fix(tree: Path) -> None:
    write_tree(
        tree,
        {
            "a.yaml": HEAD + "workspaces:\n  - name: w\n    product: [api]\n",  # products? phi?
            "b.yaml": HEAD.replace("acme", "b") + "nmae: x\n",  # 'name' is set already
        },
    )
    findings = lint(["a.yaml", "b.yaml"]).findings
    unknown = [f for f in findings if "unknown key" in f.message]
    assert len(unknown) == 2
    assert [f.autofix for f in unknown if f.location.path == "b.yaml"] == [None]


def test_renaming_to_a_compliance_fact_is_unsafe(tree: Path) -> None:
    text = HEAD + "zero_data_retension: true\n"
    write_tree(tree, {"org.yaml": text})
    (fix,) = fixes_of("org.yaml")
    assert not fix.safe
    result = run("org.yaml", "--fix")
    assert (tree / "org.yaml").read_text() == text
    assert "Fixed 0 findings (1 remaining). 1 more fixable with --unsafe-fixes." in result.stderr
    run("org.yaml", "--fix", "--unsafe-fixes")
    assert (tree / "org.yaml").read_text() == HEAD + "zero_data_retention: true\n"


def test_a_terraform_attribute_typo_is_renamed_but_an_object_key_is_not(tree: Path) -> None:
    text = (
        'resource "anthropic_organization" "acme" {\n'
        '  name          = "acme"  # the org\n'
        '  provider_alais = "lab"\n'
        "  baa_signed    = true\n"
        '  workspaces = [{ name = "w", nmae = "x", phi = true }]\n'
        "}\n"
    )
    write_tree(tree, {"main.tf": text})
    result = run("main.tf", "--fix")
    after = (tree / "main.tf").read_text()
    assert after == text.replace("provider_alais", "provider_alias")
    assert "Fixed 1 finding" in result.stderr


def test_a_quoted_key_is_never_edited_in_the_wrong_place(tree: Path) -> None:
    text = HEAD + '"provider_alais": lab\n'
    write_tree(tree, {"org.yaml": text})
    result = run("org.yaml", "--fix")
    assert (tree / "org.yaml").read_text() == text
    assert "1 finding not changed" in result.stderr


# --- YAML 1.1 booleans -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "fixed"),
    [("yes", "true"), ("No", "false"), ("ON", "true"), ("off", "false"), ("y", "true")],
)
def test_a_yaml_11_boolean_becomes_true_or_false(tree: Path, written: str, fixed: str) -> None:
    text = HEAD + f"baa_signed: true\nhipaa_ready: {written}   # as agreed\n"
    write_tree(tree, {"org.yaml": text})
    (fix,) = fixes_of("org.yaml")
    assert not fix.safe  # a compliance fact: the user applies it
    assert fix.edits[0].replacement == fixed
    run("org.yaml", "--fix", "--unsafe-fixes")
    assert (tree / "org.yaml").read_text() == text.replace(f": {written} ", f": {fixed} ")
    assert fixes_of("org.yaml") == []


@pytest.mark.parametrize(
    "line",
    [
        "hipaa_ready: 'yes'",  # quoted: a string in YAML 1.1 as well
        'hipaa_ready: "on"',
        "hipaa_ready: yEs",  # not a YAML 1.1 spelling
        "hipaa_ready: maybe",
    ],
)
def test_no_boolean_fix_where_the_meaning_is_not_a_yaml_11_boolean(tree: Path, line: str) -> None:
    write_tree(tree, {"org.yaml": HEAD + line + "\n"})
    assert fixes_of("org.yaml") == []


def test_no_boolean_fix_for_a_string_field_or_a_merged_value(tree: Path) -> None:
    text = (
        "apiVersion: baa-lint/v1\nkind: Organization\nname: yes\nbaa_signed: true\n"
        "x-base: &base {phi: yes}\n"
        "workspaces:\n  - name: w\n    <<: *base\n"
    )
    write_tree(tree, {"org.yaml": text})
    findings = lint(["org.yaml"]).findings
    assert any("'workspaces[0].phi' must be a boolean" in f.message for f in findings)
    assert [f.autofix for f in findings if f.autofix is not None] == []


def test_a_crlf_file_with_a_bom_keeps_both(tree: Path) -> None:
    text = (HEAD + "baa_signed: true\nhipaa_ready: yes\n").replace("\n", "\r\n")
    (tree / "org.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    run("org.yaml", "--fix", "--unsafe-fixes")
    assert (tree / "org.yaml").read_bytes() == b"\xef\xbb\xbf" + text.replace(
        "yes", "true"
    ).encode()


# --- suppressions ------------------------------------------------------------------------------

SUPPRESSED = HEAD + (
    "zero_data_retention: true\n"
    "baa_signed: true\n"
    "workspaces:\n"
    "  - name: a\n"
    "    # baa-lint: ignore[BAA001] migration, MIG-1\n"
    "    models: [claude-fable-5]\n"
    "  - name: b\n"
    "    # baa-lint: ignore[BAA012] no longer needed\n"
    "    models: [claude-haiku-4-5]\n"
    "  - name: c\n"
    "    models: [claude-haiku-4-5]  # baa-lint: ignore[BAA099] typo\n"
    "  - name: d\n"
    "    # baa-lint: ignore[BAA001, BAA012] partly used\n"
    "    models: [claude-fable-5]\n"
    "  - name: e\n"
    "    # baa-lint: ignore[BAA012]\n"
    "    models: [claude-haiku-4-5]\n"
)


def test_dead_suppressions_are_removed_and_live_ones_kept(tree: Path) -> None:
    write_tree(tree, {"org.yaml": SUPPRESSED})
    before = lint(["org.yaml"])
    result = run("org.yaml", "--fix")
    after = (tree / "org.yaml").read_text()
    assert after == (
        SUPPRESSED.replace("    # baa-lint: ignore[BAA012] no longer needed\n", "")
        .replace("  # baa-lint: ignore[BAA099] typo", "")
        .replace("ignore[BAA001, BAA012]", "ignore[BAA001]")
        .replace("    # baa-lint: ignore[BAA012]\n", "")
    )
    assert "# baa-lint: ignore[BAA001] migration, MIG-1\n" in after
    fixed = sum(1 for f in before.findings if f.autofix is not None)
    assert fixed == 4  # the one without a reason goes with its directive
    assert f"Fixed {fixed} findings (0 remaining)." in result.stderr
    assert len(lint(["org.yaml"]).suppressed) == 2


def test_a_directive_without_reason_or_expired_is_left_to_the_user(tree: Path) -> None:
    text = HEAD + (
        "zero_data_retention: true\nbaa_signed: true\nworkspaces:\n"
        "  - name: a\n    # baa-lint: ignore[BAA001]\n    models: [claude-fable-5]\n"
        "  - name: b\n    # baa-lint: ignore[BAA001] waiver until=2020-01-01\n"
        "    models: [claude-fable-5]\n"
    )
    write_tree(tree, {"org.yaml": text})
    assert fixes_of("org.yaml") == []


def test_only_inputs_rules_carry_fixes() -> None:
    """Rules that judge policy facts never get a fix: only schema and suppression problems."""
    fixable = {f.rule for f in lint([str(EXAMPLES)]).findings if f.autofix is not None}
    assert fixable <= {"BAA901", "BAA902"}
    assert fixable  # the examples have both kinds


# --- --diff ------------------------------------------------------------------------------------


def test_diff_shows_what_fix_would_write_and_writes_nothing(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = "rules/BAA902-suppression-problem"
    shutil.copytree(EXAMPLES / example, tree / example)
    before = (tree / example / "organization.yaml").read_bytes()
    result = run(example, "--diff")
    assert result.exit_code == 1
    assert result.stdout == (
        f"--- {example}/organization.yaml\n"
        f"+++ {example}/organization.yaml\n"
        "@@ -10,7 +10,6 @@\n"
        "     # baa-lint: ignore[BAA001]\n"
        "     models: [claude-fable-5]\n"
        "   - name: triage\n"
        "-    # baa-lint: ignore[BAA012] no longer needed\n"
        "     models: [claude-haiku-4-5]\n"
        "   - name: research\n"
        "     # baa-lint: ignore[BAA001] waiver until the migration, MIG-12 until=2026-06-30\n"
    )
    assert result.stderr == "Would fix 1 finding.\n"
    assert (tree / example / "organization.yaml").read_bytes() == before
    run(example, "--fix")
    assert run(example, "--diff").exit_code == 0


def test_diff_with_nothing_to_fix_exits_0(tree: Path) -> None:
    write_tree(tree, {"org.yaml": HEAD + "baa_signed: true\n"})
    result = run("org.yaml", "--diff")
    assert (result.exit_code, result.stdout) == (0, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--diff", "--format", "json"], "--diff prints only the diff; drop --format"),
        (["--unsafe-fixes"], "--unsafe-fixes works with --fix or --diff"),
        (["--fix", "--add-suppression", "x"], "cannot be combined with --fix"),
        (["--add-suppression", "  "], "the reason must not be empty"),
        (["--add-suppression", "x until=soon"], "invalid expiry date 'soon'"),
        (["--fix", "--write-baseline", "b.json"], "--write-baseline cannot be combined"),
    ],
)
def test_fix_options_that_cannot_mean_anything_are_usage_errors(
    tree: Path, args: list[str], message: str
) -> None:
    write_tree(tree, {"org.yaml": HEAD})
    result = run("org.yaml", *args)
    assert result.exit_code == 2
    assert message in result.stderr


# --- --add-suppression -------------------------------------------------------------------------


def test_add_suppression_on_the_quickstart_makes_it_clean(tree: Path) -> None:
    shutil.copytree(EXAMPLES / "quickstart", tree / "quickstart")
    before = (tree / "quickstart" / "organizations.yaml").read_text()
    result = run("quickstart", "--add-suppression", "accepted by compliance, CASE-7")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("Suppressed 4 findings with 4 directives in 1 file (0 remaining).\n")
    assert "No findings (1 file, 7 configurations; 4 suppressed)." in result.stdout
    after = (tree / "quickstart" / "organizations.yaml").read_text()
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == [
        "    # baa-lint: ignore[BAA010] accepted by compliance, CASE-7",
        "    # baa-lint: ignore[BAA001] accepted by compliance, CASE-7",
        "    # baa-lint: ignore[BAA016] accepted by compliance, CASE-7",
        "    # baa-lint: ignore[BAA002] accepted by compliance, CASE-7",
    ]
    kept = [line for line in after.splitlines() if line in before.splitlines()]
    assert kept == before.splitlines()  # every comment and line survives, in order
    again = run("quickstart", "--add-suppression", "accepted by compliance, CASE-7")
    assert again.stderr.startswith("Suppressed 0 findings (0 remaining).")
    assert (tree / "quickstart" / "organizations.yaml").read_text() == after


def test_one_directive_per_line_and_same_reason_directives_extended(tree: Path) -> None:
    text = HEAD + (
        "zero_data_retention: true\nbaa_signed: true\nworkspaces:\n"
        "  - name: a\n    models: [claude-fable-5, gpt-9]\n"
        "  - name: b\n    # baa-lint: ignore[BAA012] ok, T-1\n    models: [claude-fable-5, gpt-9]\n"
        "  - name: c\n    # baa-lint: ignore[BAA012] another reason\n"
        "    models: [claude-fable-5, gpt-9]\n"
    )
    write_tree(tree, {"org.yaml": text})
    run("org.yaml", "--select", "BAA012", "--add-suppression", "ok, T-1")
    result = run("org.yaml", "--add-suppression", "ok, T-1")
    assert result.exit_code == 0, result.output
    after = (tree / "org.yaml").read_text()
    first, second, third = (after.split(f"- name: {name}")[1] for name in "abc")
    directive = "    # baa-lint: ignore[BAA012,BAA001] ok, T-1\n"
    assert first.startswith(f"\n{directive}    models: [claude-fable-5, gpt-9]\n")
    assert second.startswith(f"\n{directive}    models: [claude-fable-5, gpt-9]\n")
    assert third == (
        "\n    # baa-lint: ignore[BAA012] another reason\n"
        "    # baa-lint: ignore[BAA001] ok, T-1\n"
        "    models: [claude-fable-5, gpt-9]\n"
    )
    assert lint(["org.yaml"]).findings == ()


def test_add_suppression_in_terraform_and_not_in_json(tree: Path) -> None:
    shutil.copytree(EXAMPLES / "terraform" / "plan-json", tree / "plan")
    shutil.copytree(EXAMPLES / "terraform" / "team-modules", tree / "tm")
    result = run("plan", "tm", "--add-suppression", "accepted, T-2")
    assert "not suppressed: their file takes no comments (JSON)" in result.stderr
    remaining = lint(["plan", "tm"]).findings
    assert remaining
    assert {f.location.path.split("/")[0] for f in remaining} == {"plan"}
    assert "# baa-lint: ignore[" in "".join(p.read_text() for p in (tree / "tm").rglob("*.tf"))


# --- every example -----------------------------------------------------------------------------


def example_dirs() -> list[Path]:
    return sorted(p.parent for p in EXAMPLES.rglob("expected.txt"))


def identity(finding: Finding) -> tuple[str, str, str, str, str]:
    """A finding without its line and column (a deleted line moves the ones below it)."""
    return (finding.rule, finding.location.path, finding.object, finding.attribute, finding.message)


def value(fact: object) -> object:
    """A fact's value without locations (a list of model facts, each without its own)."""
    inner = getattr(fact, "value", fact)
    if isinstance(inner, tuple):
        return tuple(value(item) for item in inner)
    return inner


def facts(path: str) -> list[tuple[object, ...]]:
    """Every compliance fact of every configuration: what fixing must never change."""
    rows = []
    for c in lint([path]).configurations:
        org = c.org
        kept = (c.product, c.phi, c.models, c.data_retention, org.type, org.platform)
        kept += (org.baa_signed, org.hipaa_ready, org.zero_data_retention)
        rows.append((c.address, *map(value, (*kept, org.limited_access_programs))))
    return sorted(rows, key=repr)


@pytest.mark.parametrize("directory", example_dirs(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_fix_on_every_example(directory: Path, tree: Path) -> None:
    target = directory.relative_to(EXAMPLES).as_posix()
    shutil.copytree(directory, tree / target)
    args_file = directory / "args.txt"
    args = args_file.read_text().split() if args_file.exists() else []
    before = lint([target]).findings
    facts_before = facts(target)
    texts = {p: p.read_bytes() for p in (tree / target).rglob("*") if p.is_file()}

    first = run(target, *args, "--fix")
    assert first.exit_code in (0, 1), first.output
    fixed = [f for f in before if f.autofix is not None and f.autofix.safe]
    after = lint([target]).findings
    assert Counter(map(identity, after)) == Counter(map(identity, before)) - Counter(
        map(identity, fixed)
    )
    assert f"Fixed {len(fixed)} finding" in first.stderr
    assert facts(target) == facts_before

    changed = {p: p.read_bytes() for p in texts}
    second = run(target, *args, "--fix")
    assert "Fixed 0 findings" in second.stderr
    assert {p: p.read_bytes() for p in texts} == changed
    for path, text in texts.items():
        if changed[path] != text:  # every comment line of the original is still there
            comments = [line for line in text.splitlines() if line.strip().startswith(b"#")]
            kept = changed[path].splitlines()
            lost = [line for line in comments if line not in kept]
            assert all(b"baa-lint:" in line for line in lost)


# --- the data ----------------------------------------------------------------------------------


def test_a_fix_changes_no_finding_identity(tree: Path) -> None:
    write_tree(tree, {"org.yaml": HEAD + "provider_alais: x\n"})
    (finding,) = lint(["org.yaml"]).findings
    assert finding.autofix is not None
    bare = replace(finding, autofix=None)
    assert bare == finding
    assert hash(bare) == hash(finding)
    assert bare.fingerprint == finding.fingerprint


def test_the_lexers_know_which_lines_continue_a_value() -> None:
    yaml = yaml_lines("a: |\n  text\n  more\nb: 'one\n  two'\nc: 1\n")
    assert [s.continued for s in yaml] == [False, True, True, False, True, False, False]
    hcl = hcl_lines("x = <<EOT\nbody\nEOT\ny = 1 /* a\nb */\nz = 2\n")
    assert [s.continued for s in hcl] == [False, True, True, False, True, False, False]


def test_a_file_linted_by_two_paths_is_fixed_once_and_a_symlink_stays_one(tree: Path) -> None:
    write_tree(tree, {"real/org.yaml": HEAD + "provider_alais: x\n"})
    (tree / "linked").mkdir()
    (tree / "linked" / "org.yaml").symlink_to(tree / "real" / "org.yaml")
    findings = lint(["."]).findings
    assert len(findings) == 2  # the same typo, by both paths
    planned = plan([f.autofix for f in findings if f.autofix], RepositoryFiles(tree).load)
    assert (planned.applied, len(planned.changes)) == ((True, True), 1)
    result = run(".", "--fix")
    assert "Fixed 2 findings (0 remaining)." in result.stderr
    assert (tree / "linked" / "org.yaml").is_symlink()
    assert (tree / "real" / "org.yaml").read_text() == HEAD + "provider_alias: x\n"


def test_a_file_that_cannot_be_written_is_an_error(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tree, {"org.yaml": HEAD + "provider_alais: x\n"})

    def refuse(path: object, text: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("linter.fixes.engine.write_atomic", refuse)
    result = run("org.yaml", "--fix")
    assert result.exit_code == 2
    assert "org.yaml:1:1: cannot write the fixed file: Permission denied" in result.stderr
    assert "Fixed 0 findings (1 remaining)." in result.stderr
    assert (tree / "org.yaml").read_text() == HEAD + "provider_alais: x\n"


def test_the_diff_shows_control_characters_from_the_file_as_escapes() -> None:
    text = "x: \x1b[2J\nb: yes\n"
    fix = Fix("one", (edit(2, 4, 2, 7, "true", "yes"),))
    (change,) = plan([fix], lambda path: SourceFile.of("f\x1b.yaml", text)).changes
    assert "\x1b" not in change.diff()
    assert " x: \\x1b[2J\n" in change.diff()
    assert change.diff().startswith("--- f\\x1b.yaml\n")


def test_add_suppression_with_diff_shows_the_directives_and_writes_nothing(tree: Path) -> None:
    shutil.copytree(EXAMPLES / "rules" / "BAA002-cowork-phi", tree / "x")
    before = {p: p.read_bytes() for p in (tree / "x").rglob("*") if p.is_file()}
    result = run("x", "--add-suppression", "accepted, T-3", "--diff")
    assert result.exit_code == 1
    assert "+    # baa-lint: ignore[BAA002] accepted, T-3\n" in result.stdout
    assert result.stderr == "Would suppress 1 finding with 1 directive in 1 file.\n"
    assert {p: p.read_bytes() for p in before} == before
