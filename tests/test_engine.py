"""Three-valued logic: a finding only when it holds for every value of the unknowns; BAA013
(through Undecided records) when some value would make a rule fire."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from linter.core.locations import Location
from linter.core.model import Fact, Model, Organization, Unknown, Workspace
from linter.normalize.configurations import build_configurations
from linter.policy.loader import load_policy
from linter.rules.base import Context, Rule
from linter.rules.registry import RULES, find_rule
from linter.rules.runner import decide, evaluate, run_rules

POLICY = load_policy()
CTX = Context(POLICY)
HERE = Location("main.tf", 1, 1)


def loc(line: int, column: int = 3) -> Location:
    return Location("main.tf", line, column)


def unknown(expr: str, line: int) -> Fact[object]:
    return Fact(Unknown(expr, "variable has no value"), loc(line), expr.rsplit(".", maxsplit=1)[-1])


def org(**facts: Fact[object]) -> Organization:
    base = Organization(
        name="acme",
        address="anthropic_organization.acme",
        location=HERE,
        type=Fact("api", HERE, "type", explicit=False),
        platform=Fact("anthropic", HERE, "platform", explicit=False),
        baa_signed=Fact(True, loc(2), "baa_signed"),
        hipaa_ready=Fact(False, HERE, "hipaa_ready", explicit=False),
        zero_data_retention=Fact(False, HERE, "zero_data_retention", explicit=False),
        limited_access_programs=Fact((), HERE, "limited_access_programs", explicit=False),
    )
    return replace(base, **facts)  # type: ignore[arg-type]


def workspace(**facts: Fact[object]) -> Workspace:
    base = Workspace(
        name="research",
        address="anthropic_workspace.research",
        location=loc(10, 1),
        organization="acme",
        link="the only organization in the run",
        phi=Fact(False, loc(10, 1), "phi", explicit=False),
        models=Fact((), loc(10, 1), "models", explicit=False),
        products=Fact(
            (Fact("api", loc(10, 1), "products", explicit=False),),
            loc(10, 1),
            "products",
            explicit=False,
        ),
        data_retention=Fact("inherit", loc(10, 1), "data_retention", explicit=False),
        exists=Fact(True, loc(10, 1), "", explicit=False),
    )
    return replace(base, **facts)  # type: ignore[arg-type]


def models(*ids: str, line: int = 12) -> Fact[tuple[Fact[str], ...]]:
    items = tuple(Fact(i, loc(line, 14 + 20 * n), f"models[{n}]") for n, i in enumerate(ids))
    return Fact(items, loc(line, 5), "models")


def findings(model: Model) -> list[str]:
    configs = build_configurations(model)
    return sorted(f"{f.rule} {f.location.line}" for f in run_rules(model, configs, RULES, CTX))


def test_unknown_retention_that_matters_gives_baa013_not_baa001() -> None:
    ws = workspace(models=models("claude-fable-5"), data_retention=unknown("var.retention", 11))
    result = findings(Model((org(),), (ws,), ()))
    assert result == ["BAA013 11"]
    configs = build_configurations(Model((org(),), (ws,), ()))
    outcome = evaluate(configs[0], RULES[:12], CTX)
    assert [u.rules for u in outcome.undecided] == [("BAA001",)]
    assert outcome.undecided[0].unknown.expression == "var.retention"


def test_unknown_that_cannot_change_the_outcome_is_not_reported() -> None:
    # A non-covered model on ZDR is fine whatever the retention: nothing to report.
    ws = workspace(models=models("claude-haiku-4-5"), data_retention=unknown("var.retention", 11))
    assert findings(Model((org(),), (ws,), ())) == []


def test_finding_that_holds_for_every_value_is_reported() -> None:
    # PHI without a signed BAA fires whatever the (unknown) retention is.
    o = org(baa_signed=Fact(False, HERE, "baa_signed", explicit=False))
    ws = workspace(phi=Fact(True, loc(11), "phi"), data_retention=unknown("var.retention", 12))
    result = findings(Model((o,), (ws,), ()))
    assert "BAA007 11" in result
    # ... while BAA006 depends on the retention (standard: fires; zdr: eligible).
    assert "BAA013 12" in result
    assert "BAA006 11" not in result


def test_unknown_model_element_on_zdr_is_undecided() -> None:
    items = (Fact(Unknown("var.model", "variable has no value"), loc(12, 14), "models[0]"),)
    ws = workspace(models=Fact(items, loc(12, 5), "models"))
    o = org(zero_data_retention=Fact(True, loc(3), "zero_data_retention"))
    configs = build_configurations(Model((o,), (ws,), ()))
    outcome = evaluate(configs[0], [find_rule("BAA001")], CTX)  # type: ignore[list-item]
    assert not outcome.hits
    assert [(u.fact.attr, u.rules) for u in outcome.undecided] == [("models[0]", ("BAA001",))]


def test_instance_that_may_not_exist_makes_every_finding_undecided() -> None:
    exists = Fact(Unknown("var.enabled ? 1 : 0", "count cannot be resolved"), loc(9), "count")
    o = org(baa_signed=Fact(False, HERE, "baa_signed", explicit=False))
    ws = workspace(phi=Fact(True, loc(11), "phi"), exists=exists)
    result = findings(Model((o,), (ws,), ()))
    assert result == ["BAA013 9"]


def test_silent_unknowns_never_produce_baa013() -> None:
    invalid = Fact(Unknown("invalid value", "schema error", silent=True), loc(11), "data_retention")
    ws = workspace(models=models("claude-fable-5"), data_retention=invalid)
    assert findings(Model((org(),), (ws,), ())) == []


def test_severity_varying_across_worlds_keeps_the_mildest() -> None:
    # BAA005 is a warning, an error with PHI: unknown PHI keeps the warning that always holds.
    o = org(hipaa_ready=Fact(True, loc(4), "hipaa_ready"))
    products = Fact((Fact("claude-code", loc(13, 17), "products[0]"),), loc(13, 5), "products")
    ws = workspace(products=products, phi=unknown("var.phi", 11))
    configs = build_configurations(Model((o,), (ws,), ()))
    rule = find_rule("BAA005")
    assert rule is not None
    outcome = evaluate(configs[0], [rule], CTX)
    ((_, hit),) = outcome.hits.values()
    assert hit.severity is None  # the rule's default: warning


def test_decide_answers_none_only_when_worlds_disagree() -> None:
    ws = workspace(data_retention=unknown("var.retention", 11))
    (config,) = build_configurations(Model((org(),), (ws,), ()))
    assert decide(config, lambda c: c.org.name == "acme", POLICY) is True
    assert decide(config, lambda c: c.data_retention.v == "zdr", POLICY) is None


def test_a_rule_reading_an_unknown_without_a_domain_is_undecided_not_a_crash() -> None:
    """A new rule may read a fact that no schema enum or policy list enumerates: the run goes
    on, and that rule's verdict is left undecided (BAA013) instead of raising."""
    from dataclasses import dataclass

    from linter.core.findings import Severity
    from linter.rules.base import Hit, Rule

    @dataclass(frozen=True)
    class Subject:
        org: Organization
        region: Fact[str]

    def reads_region(subject: Subject, ctx: Context) -> list[Hit]:
        return [Hit(HERE, f"region {subject.region.v}")] if subject.region.v != "eu" else []

    region = unknown("var.region", 7)
    rule = Rule("BAA999", "reads-region", Severity.ERROR, "t", "t", "organization", reads_region)
    outcome = evaluate(Subject(org(), region), [rule], CTX)  # type: ignore[arg-type]
    assert outcome.hits == {}
    [blind] = outcome.undecided
    assert (blind.rules, blind.fact) == (("BAA999",), region)


# --- more worlds than MAX_WORLDS: each rule decided over the unknowns it reads ---------------


def _maybe(index: int, retention: str = "inherit") -> Workspace:
    exists = Fact(Unknown(f"var.n{index}", "count cannot be resolved"), loc(20 + index), "count")
    return workspace(
        name=f"ws{index}",
        address=f"anthropic_workspace.ws{index}",
        data_retention=Fact(retention, loc(40 + index), "data_retention"),
        exists=exists,
    )


def test_many_instances_of_unknown_existence_do_not_make_a_rule_that_cannot_fire_undecided() -> (
    None
):
    """13 workspaces that may or may not exist: 8,192 worlds, past MAX_WORLDS. BAA003 (HIPAA
    and ZDR on one organization) cannot fire when no workspace asks for ZDR, whatever exists;
    it was reported as undecided for every one of them."""
    hipaa = org(hipaa_ready=Fact(True, loc(4), "hipaa_ready"))
    spaces = tuple(_maybe(i) for i in range(13))
    assert findings(Model((hipaa,), spaces, ())) == []


def test_many_instances_of_unknown_existence_still_decide_what_they_decide() -> None:
    """One of the 13 asks for ZDR: whether BAA003 fires depends on that one existing alone."""
    hipaa = org(hipaa_ready=Fact(True, loc(4), "hipaa_ready"))
    spaces = (*(_maybe(i) for i in range(12)), _maybe(12, "zdr"))
    assert findings(Model((hipaa,), spaces, ())) == ["BAA013 32"]


def test_deciding_by_reads_agrees_with_every_world_on_every_example(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Deciding each rule over the unknowns it reads gives what enumerating every world gives:
    every example and fixture, linted both ways."""
    from linter.lint import lint
    from linter.rules import runner
    from linter.settings.config import Config

    def by_reads(subject: Any, rules: Sequence[Rule], ctx: Context) -> runner.Outcome:
        slots = runner._slots(subject, ctx.policy)
        if not slots:
            return normal(subject, rules, ctx)
        return runner._by_reads(subject, slots, rules, ctx)

    def keys(paths: list[str]) -> list[tuple[object, ...]]:
        found = lint(paths, Config(cache=False)).findings
        return sorted((f.rule, f.location, f.object, f.message) for f in found)

    normal = runner.evaluate
    root = Path(__file__).resolve().parents[1]
    directories = sorted({str(p.parent) for p in (root / "examples").rglob("*.*") if p.is_file()})
    assert len(directories) > 40
    expected = [keys([d]) for d in directories]
    monkeypatch.setattr(runner, "evaluate", by_reads)
    assert [keys([d]) for d in directories] == expected
