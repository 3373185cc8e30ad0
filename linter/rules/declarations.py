"""Rules about the declarations themselves: unresolved values, conflicts, unlinked workspaces,
workspaces that declare nothing checkable."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from linter.core.findings import PARSE_ERROR, SCHEMA_ERROR, UNRESOLVED_VALUE, Evidence, Severity
from linter.core.model import Agent, Model, Unlinked, Workspace, show_fact
from linter.rules.base import Context, Hit, Rule, SuppressionProblem, Undecided, evidence


def check_unresolved_value(items: Iterable[Undecided], ctx: Context) -> Iterator[Hit]:
    for item in items:
        rules = ", ".join(item.rules)
        yield Hit(
            item.fact.location,
            f"cannot resolve {item.fact.attr or 'a value'} of {item.owner} "
            f"(`{item.unknown.expression}`: {item.unknown.reason}); depending on its value, "
            f"{rules} could fire",
            attr=item.fact.attr,
            evidence=evidence(item.fact, f"unresolved: {item.unknown.expression}")[1:],
            fix=item.unknown.fix
            or "Give the value a default, a tfvars entry or --var so baa-lint can check it, or "
            "suppress this finding with a reason when the value is decided elsewhere.",
            object=item.address,
        )


BAA013 = Rule(
    UNRESOLVED_VALUE.code,
    UNRESOLVED_VALUE.slug,
    UNRESOLVED_VALUE.severity,
    "A compliance-relevant Terraform value cannot be resolved",
    """\
baa-lint evaluates Terraform the way Terraform would: variables with defaults, tfvars files,
`--var`, locals, functions, `count`/`for_each` and local modules. Some values are still unknown
before apply: data sources, outputs of remote modules, attributes of other resources, variables
without a value. baa-lint never guesses them.

A finding is reported only when it holds for every possible value of the unknowns. When some
value would make a rule fire, this warning names the unresolved expression and the rules at
stake, so nothing is silently skipped.

CloudFormation templates are read the same way: a parameter's `Default`, `Mappings` and
`Conditions` are evaluated, a parameter without a `Default` takes each of its `AllowedValues`,
and pseudo parameters, `!GetAtt`, imports and dynamic references are unknown.

How to fix it: give the variable a default or a tfvars value, pass `--var name=value` or
`--var-file` (in a template: give the parameter a `Default`), or declare the fact directly (a
literal tag). If the value is decided elsewhere and reviewed, suppress the warning with a
reason.
""",
    "unresolved",
    check_unresolved_value,
)


def check_conflicting_declaration(model: Model, ctx: Context) -> Iterator[Hit]:
    for conflict in model.conflicts:
        details = []
        items: list[Evidence] = []
        for key, here, there in conflict.differences:
            details.append(f"{key} is {show_fact(here)} vs {show_fact(there)}")
            items.extend(evidence(there, f"{key}: {show_fact(there)} (this declaration)"))
            items.extend(evidence(here, f"{key}: {show_fact(here)} (first declaration)"))
        yield Hit(
            conflict.location,
            f"{conflict.kind} '{conflict.name}' is declared twice with different values: "
            + "; ".join(details),
            evidence=tuple(items),
            fix="Keep one declaration of it, or make both say the same thing.",
            object=conflict.address,
        )


BAA014 = Rule(
    "BAA014",
    "conflicting-declaration",
    Severity.ERROR,
    "An organization or workspace is declared twice with different values",
    """\
The same organization (by name) or workspace (by organization and name) may be declared in
several places: in YAML and in Terraform, or inline and as a standalone Workspace document.
Declarations that agree are merged. When two of them set the same fact to different values,
baa-lint cannot know which one is true, and any check would be a guess.

How to fix it: keep a single source of truth for each fact, or make both declarations agree.
""",
    "model",
    check_conflicting_declaration,
)


_FACT_NAMES = "phi, models, products or data_retention"


def _reported_unlinked(model: Model) -> Iterator[Unlinked]:
    for item in model.unlinked:
        if not item.schema_error:  # BAA901 already reports the missing or invalid reference
            yield item


def check_unlinked_workspace(model: Model, ctx: Context) -> Iterator[Hit]:
    for item in _reported_unlinked(model):
        ws = item.workspace
        if not isinstance(ws, Workspace) or not ws.carries_fact:
            continue  # BAA018: nothing about it could be checked even if it were linked
        yield Hit(
            item.anchor,
            f"workspace '{ws.shown_name}' cannot be linked to a declared organization "
            f"({item.reason}), so its coverage is not checked",
            attr=item.attr,
            fix="Declare the organization (YAML or anthropic_organization), reference it with "
            "organization/organization_id, or use provider = anthropic.<alias> with a matching "
            "provider_alias.",
            object=ws.address,
        )


BAA015 = Rule(
    "BAA015",
    "unlinked-workspace",
    Severity.WARNING,
    "A workspace that carries a compliance fact cannot be linked to a declared organization",
    """\
Whether a workspace's configuration is covered depends on its organization: HIPAA readiness,
zero data retention, the signed BAA, the platform. A workspace is linked to its organization, in
this order, by an `organization`/`organization_id` reference (to an organization, or to a
`data "anthropic_organization"` that stands for the organization behind its provider), by
`provider = anthropic.<alias>` matched to an organization's `provider_alias`, or, when exactly
one organization is declared in its root module or the run, to that one. A YAML Workspace
document names its organization.

A workspace that declares a compliance fact (PHI, models, products, retention) but cannot be
linked is not checked, which is why this is reported. A workspace that declares no fact at all
is BAA018 instead: there is nothing to check about it either way.

How to fix it: declare the organization in the same run (in YAML: no Terraform provider has an
organization resource), add a reference, or give the organization a `provider_alias` that
matches the workspace's provider.
""",
    "model",
    check_unlinked_workspace,
)


def _undeclared_hit(ws: Workspace, message: str) -> Hit:
    if ws.scope:  # a Terraform workspace
        fix = (
            "Declare its facts: tags on the workspace resource (phi, models, products, "
            "data_retention; tag names are configurable), or, where the provider has no tags, "
            "an entry of the same name under its organization's `workspaces` in YAML."
        )
    else:
        fix = "Declare its facts in this entry (phi, models, products, data_retention)."
    return Hit(ws.location, message, fix=fix, object=ws.address)


def _linked_label(model: Model, ws: Workspace) -> str:
    """How a linked workspace is named in a message (names that came from secrets hidden)."""
    org = next((o for o in model.organizations if o.name == ws.organization), None)
    if org is not None and org.implicit:  # no organization declared: the platform is all
        return f"Claude Platform on AWS workspace '{ws.shown_name}'"
    shown = org.shown_name if org is not None else str(ws.organization)
    return f"workspace '{ws.shown_name}' of organization '{shown}'"


def check_undeclared_workspace(model: Model, ctx: Context) -> Iterator[Hit]:
    for ws in model.workspaces:
        if not ws.carries_fact:
            yield _undeclared_hit(
                ws,
                f"{_linked_label(model, ws)} declares no compliance fact ({_FACT_NAMES}), so "
                "nothing about it can be checked",
            )
    for item in _reported_unlinked(model):
        subject = item.workspace
        if isinstance(subject, Agent):
            yield Hit(
                item.anchor,
                f"agent '{subject.name}' cannot be linked to a declared organization "
                f"({item.reason}), so its model cannot be checked against a route and retention",
                attr=item.attr,
                fix="Declare the organization behind the agent's provider in YAML (with "
                "provider_alias when the provider block has an alias).",
                object=subject.address,
            )
        elif not subject.carries_fact:
            yield _undeclared_hit(
                subject,
                f"workspace '{subject.shown_name}' declares no compliance fact ({_FACT_NAMES}) and "
                f"cannot be linked to a declared organization ({item.reason}), so nothing "
                "about it can be checked",
            )


BAA018 = Rule(
    "BAA018",
    "undeclared-workspace",
    Severity.INFO,
    "A workspace declares no compliance fact, so nothing about it can be checked",
    """\
Some Terraform providers have nowhere to put a compliance fact: the jianyuan/anthropic
provider's workspace has only a `name`, and an ippontech/anthropic workspace without `tags`
says nothing either. Such a workspace is listed so that it is not mistaken for one that was
checked and passed: baa-lint does not know whether it carries PHI, which models it expects or
which retention it runs with.

An agent (anthropic_agent) whose organization is not declared is reported here too: its model
is known, but not the route and retention it runs with.

This is a note, not a failure. How to act on it: declare the workspace's facts, in `tags` on
the resource (`phi = "true"`, `models = "claude-haiku-4-5"`) or, where the provider has no
tags, in YAML under the organization's `workspaces` with the same name (the two are one
object). Declare the organization itself in YAML: no provider defines an organization
resource.
""",
    "model",
    check_undeclared_workspace,
)


PARSE_ERROR_RULE = Rule(
    PARSE_ERROR.code,
    PARSE_ERROR.slug,
    PARSE_ERROR.severity,
    "A file cannot be parsed",
    """\
A file that should hold declarations (Terraform, or YAML that mentions `baa-lint/`) cannot be
read or parsed: a syntax error, an encoding problem, a binary file, a file over the size limit,
or a file that cannot be opened. Its declarations are not checked, so the problem is reported
rather than skipped. YAML files that never mention `baa-lint/` (Helm templates, CI workflows)
are not reported.

How to fix it: correct the syntax at the reported line and column, save the file as UTF-8, or
exclude the file in the configuration.
""",
    "engine",
    suppressible=False,
)

SCHEMA_ERROR_RULE = Rule(
    SCHEMA_ERROR.code,
    SCHEMA_ERROR.slug,
    SCHEMA_ERROR.severity,
    "A declaration breaks the schema",
    """\
Declarations are validated against `schemas/declaration.schema.json`: unknown keys, wrong types,
unknown enum values and missing names are reported at the offending key or value, with a
did-you-mean when a valid spelling is close. The invalid value is treated as unknown, so other
findings in the declaration are still reported.

YAML 1.2 reads `yes`, `no`, `on` and `off` as strings, not booleans: write `true` or `false`.

Add `# yaml-language-server: $schema=<path>/declaration.schema.json` to a YAML file to get the
same validation in an editor.
""",
    "engine",
)


def check_suppression_problems(items: Iterable[SuppressionProblem], ctx: Context) -> Iterator[Hit]:
    for item in items:
        yield Hit(item.location, item.message, fix=item.fix, object="", autofix=item.autofix)


BAA902 = Rule(
    "BAA902",
    "suppression-problem",
    Severity.WARNING,
    "A suppression without a reason, for an unknown rule, unused, or expired",
    """\
Inline suppressions are audit records: `# baa-lint: ignore[BAA001] reason`. This rule reports a
suppression that has no reason, names an unknown rule, no longer suppresses anything, or has
passed its `until=YYYY-MM-DD` date (an expired suppression stops suppressing).

How to fix it: add the reason, correct the code, delete the unused suppression, or fix the
finding and remove the expired one.
""",
    "suppression",
    check_suppression_problems,
    suppressible=False,
)
