"""Inline suppressions: scope (line, next code line, block), codes and slugs, audit problems."""

from __future__ import annotations

from typing import Any

ZDR_ORG = "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nzero_data_retention: true\n"


def keys(result: Any) -> tuple[list[str], list[str]]:
    active = [f"{f.rule} {f.location.line}" for f in result.findings]
    suppressed = [f"{s.finding.rule} {s.finding.location.line}" for s in result.suppressed]
    return active, suppressed


def test_directive_skips_comment_lines_to_the_next_line_of_code(run: Any) -> None:
    text = ZDR_ORG + (
        "workspaces:\n"
        "  - name: a\n"
        "    # baa-lint: ignore[BAA001] pinned model, see MIG-1\n"
        "    # (the migration plan is in the wiki)\n"
        "\n"
        "    models: [claude-fable-5]\n"
    )
    assert keys(run({"o.yaml": text})) == ([], ["BAA001 10"])


def test_trailing_directive_covers_only_its_own_line(run: Any) -> None:
    text = ZDR_ORG + (
        "workspaces:\n"
        "  - name: a\n"
        "    phi: false  # baa-lint: ignore[BAA012] not this line\n"
        "    models: [claude-fabel-5]\n"
    )
    active, suppressed = keys(run({"o.yaml": text}))
    assert active == ["BAA902 7", "BAA012 8"]
    assert suppressed == []


def test_trailing_directive_on_a_block_opening_line_covers_the_block(run: Any) -> None:
    text = ZDR_ORG + (
        "workspaces:\n"
        "  - name: a  # baa-lint: ignore[BAA012] whole workspace\n"
        "    models: [claude-fabel-5]\n"
    )
    assert keys(run({"o.yaml": text})) == ([], ["BAA012 7"])


def test_block_directive_covers_a_whole_workspace_but_not_its_neighbour(run: Any) -> None:
    text = ZDR_ORG + (
        "workspaces:\n"
        "  # baa-lint: ignore[BAA001,unknown-model] legacy workspace, deleted in Q1\n"
        "  - name: a\n"
        "    models:\n"
        "      - claude-fable-5\n"
        "      - claude-fabel-5\n"
        "  - name: b\n"
        "    models: [claude-fable-5]\n"
    )
    assert keys(run({"o.yaml": text})) == (["BAA001 12"], ["BAA001 9", "BAA012 10"])


def test_directive_names_a_rule_by_slug_and_is_case_insensitive(run: Any) -> None:
    text = ZDR_ORG + (
        "workspaces:\n  - name: a\n    models: [claude-fable-5]  # baa-lint: ignore[Covered-Model-On-ZDR] ok\n"
    )
    assert keys(run({"o.yaml": text})) == ([], ["BAA001 7"])


def test_expiry_in_the_future_still_suppresses(run: Any) -> None:
    text = ZDR_ORG + (
        "workspaces:\n  - name: a\n    models: [claude-fable-5]  # baa-lint: ignore[BAA001] ok until=2026-11-24\n"
    )
    assert keys(run({"o.yaml": text})) == ([], ["BAA001 7"])


def test_invalid_expiry_date_is_reported(run: Any) -> None:
    text = ZDR_ORG + (
        "workspaces:\n  - name: a\n    models: [claude-fable-5]  # baa-lint: ignore[BAA001] ok until=soon\n"
    )
    result = run({"o.yaml": text})
    assert [f.message for f in result.findings if f.rule == "BAA902"] == [
        "invalid expiry date 'soon' (expected until=YYYY-MM-DD)"
    ]


def test_unused_is_not_reported_for_a_rule_that_was_not_selected(run: Any) -> None:
    text = ZDR_ORG + "# baa-lint: ignore[BAA012] typo accepted\nworkspaces: []\n"
    result = run({"o.yaml": text}, select=("BAA001", "BAA902"))
    assert result.findings == ()
    result = run({"o.yaml": text})
    assert [f.rule for f in result.findings] == ["BAA902"]


def test_inline_suppressions_can_be_switched_off(run: Any) -> None:
    text = (
        ZDR_ORG
        + "workspaces:\n  - name: a\n    models: [claude-fable-5]  # baa-lint: ignore[BAA001] ok\n"
    )
    assert keys(run({"o.yaml": text}, inline_suppressions=False)) == (["BAA001 7"], [])


def test_non_suppressible_rules_from_config(run: Any) -> None:
    text = (
        ZDR_ORG
        + "workspaces:\n  - name: a\n    models: [claude-fable-5]  # baa-lint: ignore[BAA001] ok\n"
    )
    active, suppressed = keys(run({"o.yaml": text}, non_suppressible=("BAA001",)))
    assert active == ["BAA001 7"] and suppressed == []


def test_justification_is_kept_for_audit(run: Any) -> None:
    text = (
        ZDR_ORG
        + "workspaces:\n  - name: a\n    models: [claude-fable-5]  # baa-lint: ignore[BAA001] pinned, MIG-1\n"
    )
    (item,) = run({"o.yaml": text}).suppressed
    assert item.justification == "pinned, MIG-1"
    assert (item.directive.line, item.directive.column) == (7, 31)


def test_the_first_directive_that_covers_a_finding_suppresses_it_wherever_it_is() -> None:
    """A directive above a module call covers the call's findings in the module's file too;
    with a directive in that file as well, the first of the two (in the run's order) is used,
    and the other is reported unused."""
    import datetime as dt

    from linter.core.findings import Finding, Severity
    from linter.core.locations import Location
    from linter.filters.suppressions import Directive, apply_suppressions
    from linter.rules.registry import RULES

    rule = next(r for r in RULES if r.code == "BAA001")
    finding = Finding(
        "BAA001",
        rule.slug,
        Severity.ERROR,
        "m",
        Location("modules/team/main.tf", 4, 3),
        object="module.team.anthropic_workspace.ws",
    )

    def scoped() -> Directive:
        return Directive(
            Location("main.tf", 2, 1), [rule], "call", None, {3}, [], prefixes=["module.team"]
        )

    def local() -> Directive:
        return Directive(Location("modules/team/main.tf", 3, 1), [rule], "local", None, {4}, [])

    for first, second in ((scoped(), local()), (local(), scoped())):
        outcome = apply_suppressions([finding], [first, second], {"BAA001"}, dt.date(2026, 1, 1))
        assert [s.justification for s in outcome.suppressed] == [first.reason]
        assert [p.location for p in outcome.problems] == [second.location]
