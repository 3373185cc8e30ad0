"""Rules over one configuration: product x route x retention, as the coverage matrix sees it."""

from __future__ import annotations

from collections.abc import Iterator

from linter.core.findings import Evidence, Severity
from linter.core.model import SENSITIVE, Fact, show_fact
from linter.normalize.configurations import (
    Configuration,
    effective_retention,
    expected_covered_models,
    matrix_row,
    route,
)
from linter.rules.base import Context, Hit, Rule, evidence, hit_at, setting


def _org(cfg: Configuration) -> str:
    if cfg.org.implicit:
        return "its Claude Platform on AWS organization (none is declared)"
    return f"organization '{cfg.org.shown_name}'"


def _subject(cfg: Configuration) -> str:
    if cfg.kind in ("workspace", "agent"):
        return f"{cfg.kind} '{cfg.shown_name}'"
    if cfg.kind == "product":
        return f"product '{cfg.shown_name}'"
    return _org(cfg)


def _retention_evidence(cfg: Configuration, ctx: Context) -> tuple[Evidence, ...]:
    """Where the effective retention was decided: the product, the workspace, or the org."""
    retention = effective_retention(cfg, ctx.policy)
    declared = cfg.data_retention
    if cfg.product.v in ctx.policy.standard_retention_products:
        name = ctx.policy.product_name(cfg.product.v)
        return evidence(retention, f"{name} always runs with standard retention")
    if declared.known and declared.v != "inherit":
        return setting(declared, _subject(cfg), "data_retention")
    org_zdr = cfg.org.zero_data_retention
    state = "sets" if org_zdr.explicit else "defaults to"
    owner = _subject(cfg) if cfg.kind != "organization" else "it"
    return evidence(
        org_zdr,
        f"{_org(cfg)} {state} zero_data_retention: {show_fact(org_zdr)} (inherited by {owner})",
    )


def _phi_evidence(cfg: Configuration) -> tuple[Evidence, ...]:
    return setting(cfg.phi, _subject(cfg), "phi")


def _uses_anthropic(cfg: Configuration, ctx: Context) -> bool:
    return not ctx.policy.is_third_party(cfg.org.platform.v)


def _is(cfg: Configuration, product: str) -> bool:
    return cfg.product.v == product


def phi_with_covered_model_impossible(cfg: Configuration, ctx: Context) -> bool:
    """True when the product is BAA-eligible somewhere, but never with Covered Models (Claude Code).

    Then PHI plus a Covered Model is one finding (BAA010), reported instead of BAA001/BAA004.
    """
    product = cfg.product.v
    return (
        cfg.phi.v
        and _uses_anthropic(cfg, ctx)
        and ctx.policy.eligible_somewhere(product)
        and not ctx.policy.eligible_with_covered_models_somewhere(product)
        and bool(expected_covered_models(cfg, ctx.policy))
    )


# --- BAA001 -----------------------------------------------------------------------------------


def check_covered_model_on_zdr(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    retention = effective_retention(cfg, ctx.policy)
    if retention.v != "zdr" or phi_with_covered_model_impossible(cfg, ctx):
        return
    fix = (
        "Expect this model only from a workspace with standard retention, or pick a model that "
        "is not a Covered Model. A standard-retention workspace carved out of a ZDR "
        "organization is outside the BAA: keep PHI out of it."
    )
    if cfg.kind == "agent":
        fix = (
            "Give the agent a model that is not a Covered Model, or run it from an organization "
            "with standard retention. An agent runs in the workspace of the provider's API key: "
            "if that is a standard-retention workspace carved out of this ZDR organization, "
            "suppress this finding with that reason, and keep PHI out of the agent (the "
            "carve-out is outside the BAA)."
        )
    for model in expected_covered_models(cfg, ctx.policy):
        yield hit_at(
            model,
            f"{cfg.label} runs with zero data retention but expects Covered Model "
            f"'{show_fact(model)}'; Covered Models need standard retention, so its requests "
            "will fail",
            evidence=_retention_evidence(cfg, ctx),
            fix=fix,
        )


BAA001 = Rule(
    "BAA001",
    "covered-model-on-zdr",
    Severity.ERROR,
    "A configuration with zero data retention expects a Covered Model",
    """\
Covered Models (for example Claude Fable 5) need standard 30-day retention on every platform
that offers them, as part of Anthropic's safety work. An organization or workspace with zero
data retention (ZDR) cannot reach them: every request to a Covered Model returns an error. A
workspace that "expects" a Covered Model while its effective retention is ZDR will fail in
production.

Effective retention is the workspace's `data_retention` unless it is `inherit`; otherwise it is
ZDR when the organization has `zero_data_retention: true`, and standard retention otherwise.

How to fix it:
- use a model that is not a Covered Model in this workspace, or
- move the Covered-Model workload to a workspace with `data_retention: standard`. On a ZDR API
  organization such a carved-out workspace is *not* covered by the BAA, so it must not carry
  PHI (see BAA006).

Claude Code tagged for PHI that expects a Covered Model is reported as BAA010 instead.
""",
    "configuration",
    check_covered_model_on_zdr,
)


# --- BAA002 -----------------------------------------------------------------------------------


def check_cowork_phi(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    product = cfg.product.v
    if not cfg.phi.v or ctx.policy.eligible_somewhere(product):
        return
    name = ctx.policy.product_name(product)
    yield hit_at(
        cfg.phi,
        f"{name} is tagged for PHI on {_org(cfg)}, but {name} is not an Eligible Service under "
        "the BAA in any configuration",
        evidence=_phi_evidence(cfg),
        fix="Keep PHI out of Cowork (set phi: false). For PHI, use Chat on a HIPAA-ready "
        "Enterprise plan or the HIPAA-ready API.",
    )


BAA002 = Rule(
    "BAA002",
    "cowork-phi",
    Severity.ERROR,
    "Cowork is tagged for PHI",
    """\
Cowork is not an Eligible Service under Anthropic's BAA in any configuration: not with standard
retention, not with zero data retention, and whatever model it uses. Protected health
information (PHI) must never be submitted through it.

Cowork can still use Covered Models outside the BAA, without PHI.

How to fix it: set `phi: false` for Cowork and keep PHI work in an eligible configuration: Chat
on a HIPAA-ready Claude Enterprise plan, or the HIPAA-ready API.
""",
    "configuration",
    check_cowork_phi,
)


# --- BAA004 -----------------------------------------------------------------------------------


def check_claude_code_phi_without_zdr(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    if not (_is(cfg, "claude-code") and cfg.phi.v and _uses_anthropic(cfg, ctx)):
        return
    if route(cfg, ctx.policy) == "hipaa-ready-api" or phi_with_covered_model_impossible(cfg, ctx):
        return  # BAA005 / BAA010 report these
    retention = effective_retention(cfg, ctx.policy)
    row = matrix_row(cfg, ctx.policy)
    if retention.v != "standard" or (row is not None and row.eligible):
        return
    yield hit_at(
        cfg.phi,
        f"Claude Code carries PHI on standard retention in {cfg.label}; Claude Code is an "
        "Eligible Service only with zero data retention",
        evidence=(*_phi_evidence(cfg), *_retention_evidence(cfg, ctx)),
        fix="Enable zero data retention for this Claude Code configuration (data_retention: zdr, "
        "or ZDR on the organization), or stop sending PHI through it. ZDR blocks Covered "
        "Models, so Claude Code with PHI must use other models.",
    )


BAA004 = Rule(
    "BAA004",
    "claude-code-phi-without-zdr",
    Severity.ERROR,
    "Claude Code carries PHI on standard retention",
    """\
Claude Code is covered by Anthropic's BAA only with zero data retention (ZDR), through a Claude
Enterprise plan or a 1P API organization. With standard retention it is not an Eligible Service,
so PHI sent through it is outside the BAA.

How to fix it: enable ZDR for the workspace or organization that runs Claude Code (a qualified
account is needed), or stop sending PHI through it. Remember that ZDR blocks Covered Models.

Claude Code on a HIPAA-ready API organization is reported as BAA005, and Claude Code with PHI
that expects a Covered Model as BAA010.
""",
    "configuration",
    check_claude_code_phi_without_zdr,
)


# --- BAA005 -----------------------------------------------------------------------------------


def check_claude_code_on_hipaa_api(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    if not _is(cfg, "claude-code") or route(cfg, ctx.policy) != "hipaa-ready-api":
        return
    phi = cfg.phi.v
    message = (
        f"Claude Code is used through HIPAA-ready API {_org(cfg)}, where it is not an "
        "Eligible Service under the BAA"
    )
    if phi:
        message += ", and it is tagged for PHI"
    yield hit_at(
        cfg.product,
        message,
        evidence=(
            *setting(cfg.org.hipaa_ready, _org(cfg), "hipaa_ready"),
            *(_phi_evidence(cfg) if phi else ()),
        ),
        fix="Run Claude Code from a separate API organization with zero data retention (HIPAA "
        "readiness and ZDR cannot share one organization), and keep PHI out of Claude Code here.",
        severity=Severity.ERROR if phi else None,
    )


BAA005 = Rule(
    "BAA005",
    "claude-code-on-hipaa-api",
    Severity.WARNING,
    "Claude Code is used through a HIPAA-ready API organization",
    """\
A HIPAA-ready API organization is the way to use the API, and Covered Models, under the BAA, but
Claude Code is not an Eligible Service there. Claude Code is covered only with zero data
retention, and ZDR cannot be enabled on a HIPAA-ready organization.

The finding is a warning; it is an error when the Claude Code configuration is tagged for PHI.

How to fix it: if Claude Code must handle PHI, run it from a separate 1P API organization (a
different organization ID) with ZDR enabled. Otherwise keep PHI out of Claude Code on this
organization.
""",
    "configuration",
    check_claude_code_on_hipaa_api,
)


# --- BAA006 -----------------------------------------------------------------------------------


def check_phi_on_ineligible_api(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    if not (_is(cfg, "api") and cfg.phi.v and _uses_anthropic(cfg, ctx)):
        return
    if route(cfg, ctx.policy) != "regular-api":
        return
    retention = effective_retention(cfg, ctx.policy)
    row = matrix_row(cfg, ctx.policy)
    if retention.v != "standard" or (row is not None and row.eligible):
        return
    carved_out = cfg.org.zero_data_retention.v and cfg.data_retention.v == "standard"
    if carved_out:
        message = (
            f"{cfg.label} carries PHI on a standard-retention workspace carved out of ZDR "
            f"{_org(cfg)}; such a workspace is not covered by the BAA"
        )
    else:
        message = (
            f"{cfg.label} carries PHI through a regular API organization with standard "
            "retention, which is not an Eligible Service under the BAA"
        )
    org_zdr = setting(cfg.org.zero_data_retention, _org(cfg), "zero_data_retention")
    yield hit_at(
        cfg.phi,
        message,
        evidence=(
            *_phi_evidence(cfg),
            *setting(cfg.org.hipaa_ready, _org(cfg), "hipaa_ready"),
            *(org_zdr if carved_out else ()),
            *_retention_evidence(cfg, ctx),
        ),
        fix="Send PHI through a HIPAA-ready API organization (standard retention, Covered Models "
        "allowed), or through a ZDR workspace of a regular organization (no Covered Models).",
    )


BAA006 = Rule(
    "BAA006",
    "phi-on-ineligible-api",
    Severity.ERROR,
    "API with PHI on a regular organization with standard retention",
    """\
A 1P API organization without HIPAA readiness is an Eligible Service only with zero data
retention. With standard retention, its API traffic is outside the BAA, and PHI must not go
through it.

This includes a workspace that opts back into standard retention inside a ZDR organization
(Workspace > Manage > Privacy Controls) to reach Covered Models: that workspace is not covered by
the BAA, even though the rest of the organization is.

How to fix it: use a HIPAA-ready API organization for API work with PHI (it runs with standard
retention and can reach Covered Models), or keep PHI in ZDR workspaces of the regular
organization (which cannot reach Covered Models).
""",
    "configuration",
    check_phi_on_ineligible_api,
)


# --- BAA007 -----------------------------------------------------------------------------------


def check_phi_without_baa(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    if not cfg.phi.v or not _uses_anthropic(cfg, ctx) or cfg.org.baa_signed.v:
        return
    yield hit_at(
        cfg.phi,
        f"{cfg.label} carries PHI, but {_org(cfg)} has no signed BAA",
        evidence=(*_phi_evidence(cfg), *setting(cfg.org.baa_signed, _org(cfg), "baa_signed")),
        fix="Sign Anthropic's BAA for this organization and declare baa_signed: true, or keep "
        "PHI out of it.",
    )


BAA007 = Rule(
    "BAA007",
    "phi-without-baa",
    Severity.ERROR,
    "PHI on an organization without a signed BAA",
    """\
Coverage under Anthropic's BAA always needs two things: a signed BAA, and access through a
HIPAA-ready configuration (or, for Claude Code and the regular API, zero data retention). Without
a signed BAA no configuration is an Eligible Service, so PHI must not be sent at all.

How to fix it: sign the BAA for the organization and record it with `baa_signed: true`, or
remove PHI from it.
""",
    "configuration",
    check_phi_without_baa,
)


# --- BAA008 -----------------------------------------------------------------------------------


def check_chat_phi_not_hipaa_ready(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    if not (_is(cfg, "chat") and cfg.phi.v and _uses_anthropic(cfg, ctx)):
        return
    row = matrix_row(cfg, ctx.policy)
    if route(cfg, ctx.policy) != "claude-enterprise" or (row is not None and row.eligible):
        return
    yield hit_at(
        cfg.phi,
        f"Chat carries PHI on Enterprise {_org(cfg)}, which is not HIPAA-ready",
        evidence=(*_phi_evidence(cfg), *setting(cfg.org.hipaa_ready, _org(cfg), "hipaa_ready")),
        fix="Activate HIPAA readiness on the Enterprise plan (then declare hipaa_ready: true) "
        "before sending PHI through Chat.",
    )


BAA008 = Rule(
    "BAA008",
    "chat-phi-not-hipaa-ready",
    Severity.ERROR,
    "Chat with PHI on an Enterprise plan that is not HIPAA-ready",
    """\
Chat is an Eligible Service under the BAA only on a HIPAA-ready Claude Enterprise plan. There it
runs with standard retention and can use Covered Models with no other change. On an Enterprise
plan without HIPAA readiness, PHI in Chat is outside the BAA.

How to fix it: activate HIPAA readiness on the Enterprise plan and declare `hipaa_ready: true`,
or keep PHI out of Chat.
""",
    "configuration",
    check_chat_phi_not_hipaa_ready,
)


# --- BAA009 -----------------------------------------------------------------------------------


def _platform_evidence(cfg: Configuration) -> tuple[Evidence, ...]:
    if cfg.org.implicit:  # the workspace's resource type says where it runs
        platform = cfg.org.platform.v
        return (
            Evidence(
                cfg.location,
                f"{cfg.address} is a workspace on {platform} by its resource type, and no "
                f"organization with platform: {platform} is declared",
            ),
        )
    return setting(cfg.org.platform, _org(cfg), "platform")


def check_phi_on_third_party_cloud(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    platform = cfg.org.platform.v
    if not cfg.phi.v or not ctx.policy.is_third_party(platform):
        return
    name = ctx.policy.routes.get(platform, platform).split(" (")[0]
    yield hit_at(
        cfg.phi,
        f"{cfg.label} carries PHI through {name}; Anthropic's BAA does not apply to services "
        "bought through a third-party cloud",
        evidence=(*_phi_evidence(cfg), *_platform_evidence(cfg)),
        fix="Confirm PHI coverage with your cloud provider (and your Anthropic account team), "
        "or move PHI workloads to an Anthropic HIPAA-ready configuration.",
    )


BAA009 = Rule(
    "BAA009",
    "phi-on-third-party-cloud",
    Severity.WARNING,
    "PHI through Bedrock, Vertex AI, Foundry or Claude Platform on AWS, outside Anthropic's BAA",
    """\
Anthropic's BAA does not apply to Claude bought through a third-party cloud platform (Amazon
Bedrock, Google Cloud Vertex AI, Microsoft Foundry). Claude Platform on AWS counts as one too:
Anthropic runs it, but it is bought and billed through AWS Marketplace. Whether PHI may go
there depends on the agreement with that cloud provider, which baa-lint cannot see; hence a
warning, not an error.

How to fix it: confirm coverage with the cloud provider and your Anthropic account team, record
the decision in a suppression with a reason, or move the PHI workload to an Anthropic
HIPAA-ready configuration.
""",
    "configuration",
    check_phi_on_third_party_cloud,
)


# --- BAA010 -----------------------------------------------------------------------------------


def check_claude_code_phi_covered_model(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    if not phi_with_covered_model_impossible(cfg, ctx):
        return
    for model in expected_covered_models(cfg, ctx.policy):
        yield hit_at(
            model,
            f"Claude Code is tagged for PHI and expects Covered Model '{show_fact(model)}' in "
            f"{cfg.label}; no configuration gives BAA-covered access to Covered Models in "
            "Claude Code",
            evidence=(*_phi_evidence(cfg), *_retention_evidence(cfg, ctx)),
            fix="Split the work: Claude Code with PHI needs zero data retention, which blocks "
            "Covered Models. Use Covered Models in Claude Code only without PHI, in a separate "
            "standard-retention configuration.",
        )


BAA010 = Rule(
    "BAA010",
    "claude-code-phi-covered-model",
    Severity.ERROR,
    "Claude Code tagged for PHI expects a Covered Model",
    """\
No configuration gives BAA-covered access to Covered Models in Claude Code. Claude Code is an
Eligible Service only with zero data retention, and zero data retention blocks Covered Models.
A Claude Code configuration that both carries PHI and expects a Covered Model therefore breaks
one rule or the other whatever its retention: with ZDR the model fails (BAA001), with standard
retention the PHI is outside the BAA (BAA004). This rule reports that conflict once, instead of
BAA001 or BAA004.

How to fix it: split the work. Keep Claude Code with PHI on ZDR with models that are not Covered
Models, and use Covered Models in Claude Code only without PHI.
""",
    "configuration",
    check_claude_code_phi_covered_model,
)


# --- BAA011 / BAA012 ---------------------------------------------------------------------------


def _approved(cfg: Configuration, entry_id: str, ctx: Context) -> bool:
    programs = cfg.org.limited_access_programs.v
    for program in programs:
        entry = ctx.policy.catalogue.lookup(program.v)
        if entry is not None and entry.id == entry_id:
            return True
    return False


def _known_models(cfg: Configuration) -> list[Fact[str]]:
    return [m for m in cfg.models.v if m.known]


def check_limited_access_model(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    for model in _known_models(cfg):
        entry = ctx.policy.catalogue.lookup(model.v)
        if entry is None or not entry.limited or _approved(cfg, entry.id, ctx):
            continue
        approved = SENSITIVE if model.sensitive else entry.id
        yield hit_at(
            model,
            f"'{show_fact(model)}' is a limited-access model, and {_org(cfg)} is not listed as "
            "approved for its limited access program",
            evidence=setting(cfg.org.limited_access_programs, _org(cfg), "limited_access_programs"),
            fix=f"If the organization is an approved partner, add '{approved}' to its "
            "limited_access_programs; otherwise expect a generally available model.",
        )


BAA011 = Rule(
    "BAA011",
    "limited-access-model",
    Severity.WARNING,
    "A limited-access Covered Model is expected by an organization not approved for it",
    """\
Some Covered Models are available only to approved partners under limited access programs. A
workspace or product that expects such a model on an organization that is not in the program
will not be able to use it.

How to fix it: if the organization is approved, list the model in the organization's
`limited_access_programs`; otherwise expect a generally available model.
""",
    "configuration",
    check_limited_access_model,
)


def check_unknown_model(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    for model in _known_models(cfg):
        if ctx.policy.catalogue.lookup(model.v) is not None:
            continue
        # A did-you-mean would tell how close a sensitive value is to a model id.
        suggestion = None if model.sensitive else ctx.policy.catalogue.suggest(model.v)
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        yield hit_at(
            model,
            f"unknown model id '{show_fact(model)}'{hint}",
            fix="Correct the model id. If it is a new model, add it to the catalogue in the "
            "baa-lint config (models.covered or models.known) so its coverage is checked.",
        )


BAA012 = Rule(
    "BAA012",
    "unknown-model",
    Severity.WARNING,
    "A model id is not in the model catalogue",
    """\
baa-lint can only tell whether a model is a Covered Model when it knows the model. An id that is
not in the catalogue is usually a typo, which would also hide real findings (a misspelled
Covered Model on a ZDR workspace is not recognised as one).

An id matches a catalogue entry exactly or as a dated or suffixed snapshot
(`claude-fable-5-20261001`); Bedrock (`anthropic.<id>-v1:0`) and Vertex AI (`<id>@<date>`)
spellings are understood.

How to fix it: correct the id, or add the model to the catalogue in the baa-lint configuration
(`models.covered`, `models.known`, `models.limited`).
""",
    "configuration",
    check_unknown_model,
)


# --- BAA016 / BAA017 ---------------------------------------------------------------------------


def check_enterprise_staged_rollout(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    if route(cfg, ctx.policy) not in ctx.policy.staged_rollout_routes:
        return
    if effective_retention(cfg, ctx.policy).v != "standard":
        return  # BAA001 already says the model cannot be reached at all
    for model in expected_covered_models(cfg, ctx.policy):
        yield hit_at(
            model,
            f"Covered Model '{show_fact(model)}' rolls out in stages on seat-based Enterprise "
            f"plans; it may not be available to {_org(cfg)} yet",
            fix="No configuration change is needed: the model appears when the rollout "
            "reaches the organization. Plan for it not being there on day one.",
        )


BAA016 = Rule(
    "BAA016",
    "enterprise-staged-rollout",
    Severity.INFO,
    "A Covered Model is expected on a seat-based Enterprise plan",
    """\
Access to newly released Covered Models rolls out in stages on subscription and seat-based
Enterprise plans, so a model may not appear for an organization right away. No configuration
change is needed; this note only warns that a workflow depending on the model may have to wait.
""",
    "configuration",
    check_enterprise_staged_rollout,
)


def check_retention_not_applicable(cfg: Configuration, ctx: Context) -> Iterator[Hit]:
    product = cfg.product.v
    declared = cfg.data_retention
    if product not in ctx.policy.standard_retention_products or not declared.explicit:
        return
    if declared.v != "zdr":
        return
    yield hit_at(
        declared,
        f"{ctx.policy.product_name(product)} always runs with standard retention; "
        "data_retention: zdr has no effect here",
        fix="Remove data_retention (or set it to standard) so the declaration says what "
        "actually happens.",
    )


BAA017 = Rule(
    "BAA017",
    "retention-not-applicable",
    Severity.WARNING,
    "ZDR declared for Chat or Cowork, which run with standard retention",
    """\
Chat and Cowork always run with standard retention. Declaring zero data retention for them does
not change that, and a reader of the declaration would wrongly believe that Chat data is not
retained. baa-lint evaluates such a product with standard retention.

How to fix it: remove `data_retention` from the product, or set it to `standard`.
""",
    "configuration",
    check_retention_not_applicable,
)
