"""Rules about the declarations themselves: unresolved values, conflicts, unlinked workspaces."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from linter.core.findings import PARSE_ERROR, SCHEMA_ERROR, Evidence, Severity
from linter.core.model import Model, show_value
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
    "BAA013",
    "unresolved-value",
    Severity.WARNING,
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
            details.append(f"{key} is {show_value(here.value)} vs {show_value(there.value)}")
            items.extend(evidence(there, f"{key}: {show_value(there.value)} (this declaration)"))
            items.extend(evidence(here, f"{key}: {show_value(here.value)} (first declaration)"))
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


def check_unlinked_workspace(model: Model, ctx: Context) -> Iterator[Hit]:
    for item in model.unlinked:
        ws = item.workspace
        yield Hit(
            item.anchor,
            f"workspace '{ws.name}' cannot be linked to a declared organization "
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
    "A workspace cannot be linked to a declared organization",
    """\
Whether a workspace's configuration is covered depends on its organization: HIPAA readiness,
zero data retention, the signed BAA, the platform. A workspace is linked to its organization, in
this order, by an `organization`/`organization_id` reference, by `provider = anthropic.<alias>`
matched to an organization's `provider_alias`, or, when exactly one organization is declared in
the run, to that one. A YAML Workspace document names its organization.

A workspace that cannot be linked is not checked, which is why this is reported.

How to fix it: declare the organization in the same run, add a reference, or give the
organization a `provider_alias` that matches the workspace's provider.
""",
    "model",
    check_unlinked_workspace,
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
        yield Hit(item.location, item.message, fix=item.fix, object="")


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
