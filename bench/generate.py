#!/usr/bin/env python3
"""Generate the benchmark corpus: a deterministic Terraform monorepo with planted findings.

    python bench/generate.py --out bench/corpus [--scale 1.0] [--seed 1729]

The same seed and scale always give a byte-identical tree. At scale 1.0 it holds more than
5,000 ``.tf`` files and more than 20 MB: teams with services per environment and region
(AWS or GCP root modules calling local, registry and ``git::`` modules), shared modules,
``terraform.tfvars`` and ``*.auto.tfvars``, a few very large generated files, foreign YAML
(Kubernetes manifests, workflows, Helm templates) and, in a minority of directories, a few
hundred ``anthropic_*`` resources and YAML organization declarations.

The Anthropic declarations are built from a table of workspace *profiles* (org kind + facts):
some clean, some planted violations. Each planted violation's rule code, file, line and object
is recorded as it is written, into ``expected.json`` at the corpus root, without running
baa-lint. ``manifest.json`` holds the parameters, the statistics and a digest of the tree.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import infra  # noqa: E402 (bench/ is not a package)

GENERATOR_VERSION = 1
DEFAULT_SEED = 1729
EXPECTED_NAME = "expected.json"
MANIFEST_NAME = "manifest.json"

# At scale 1.0. Teams, services and units scale linearly; large files scale in number and size.
TEAMS = 54
ANTHROPIC_UNITS = 72
LARGE_FILES = 16
LARGE_FILE_BYTES = (450_000, 1_000_000)

TEAM_NAMES = [
    "payments", "claims", "imaging", "pharmacy", "scheduling", "billing", "identity",
    "telehealth", "labs", "records", "analytics", "search", "messaging", "notifications",
    "fraud", "eligibility", "provider-directory", "member-portal", "care-management",
    "data-platform", "ml-platform", "security", "observability", "networking", "edge",
    "mobile-api", "partner-api", "risk", "quality", "pricing", "formulary", "referrals",
    "intake", "triage", "genomics", "trials", "devices", "wearables", "nutrition",
    "behavioral", "dental", "vision", "radiology", "oncology", "cardiology", "pediatrics",
    "emergency", "surgery", "rehab", "hospice", "home-care", "transport", "supply-chain",
    "facilities", "hr-systems", "finance", "legal", "procurement", "audit", "archive",
]  # fmt: skip
SERVICES = [
    "api", "worker", "ingest", "export", "gateway", "scheduler", "indexer", "reports",
    "sync", "web", "events", "etl",
]  # fmt: skip
ENVS = ["dev", "staging", "prod"]
WORKSPACE_NAMES = [
    "summaries", "triage", "coding-agents", "cohorts", "evals", "discharge", "prior-auth",
    "radiology-notes", "billing-codes", "research", "intake-forms", "care-plans", "chatbot",
    "transcripts", "translations", "audits",
]  # fmt: skip


# ----------------------------------------------------------------------------------------
# Profiles: what a workspace declares, and what it must (not) produce
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """Facts of one API workspace and the findings they produce on an org of ``org``.

    ``expect`` lists (rule, fact) pairs; the finding is reported at the line that carries
    that fact in the workspace's declaration ("org" = the organization's declaration).
    """

    org: str  # hipaa | zdr | regular | hipaa-zdr | no-baa
    phi: bool = False
    models: tuple[str, ...] = ()
    products: tuple[str, ...] = ("api",)
    retention: str = "inherit"
    expect: tuple[tuple[str, str], ...] = ()


PROFILES: dict[str, Profile] = {
    # Clean: must produce nothing.
    "hipaa-phi-fable": Profile("hipaa", phi=True, models=("claude-fable-5",)),
    "hipaa-sonnet": Profile("hipaa", models=("claude-sonnet-4-5", "claude-haiku-4-5")),
    "zdr-phi-haiku": Profile("zdr", phi=True, models=("claude-haiku-4-5",)),
    "zdr-carveout-clean": Profile("zdr", models=("claude-fable-5",), retention="standard"),
    "zdr-code-phi-haiku": Profile(
        "zdr", phi=True, models=("claude-haiku-4-5",), products=("claude-code",)
    ),
    "regular-fable": Profile("regular", models=("claude-fable-5",)),
    "regular-plain": Profile("regular", models=("claude-opus-4-5",)),
    "hipaa-zdr-plain": Profile("hipaa-zdr", models=("claude-haiku-4-5",)),
    "no-baa-plain": Profile("no-baa", models=("claude-sonnet-4-5",)),
    # Planted violations.
    "zdr-fable": Profile(
        "zdr", models=("claude-haiku-4-5", "claude-fable-5"), expect=(("BAA001", "models"),)
    ),
    "zdr-phi-fable": Profile(
        "zdr", phi=True, models=("claude-fable-5",), expect=(("BAA001", "models"),)
    ),
    "zdr-carveout-phi": Profile(
        "zdr",
        phi=True,
        models=("claude-fable-5",),
        retention="standard",
        expect=(("BAA006", "phi"),),
    ),
    "zdr-code-phi-fable": Profile(
        "zdr",
        phi=True,
        models=("claude-fable-5",),
        products=("claude-code",),
        expect=(("BAA010", "models"),),
    ),
    "hipaa-typo": Profile("hipaa", models=("claude-fabel-5",), expect=(("BAA012", "models"),)),
    "zdr-typo": Profile("zdr", models=("claude-sonet-4-5",), expect=(("BAA012", "models"),)),
    "hipaa-code": Profile("hipaa", products=("claude-code",), expect=(("BAA005", "products"),)),
    "hipaa-mythos": Profile(
        "hipaa", models=("claude-mythos-preview",), expect=(("BAA011", "models"),)
    ),
    "regular-phi": Profile(
        "regular", phi=True, models=("claude-sonnet-4-5",), expect=(("BAA006", "phi"),)
    ),
    "regular-code-phi": Profile(
        "regular",
        phi=True,
        models=("claude-sonnet-4-5",),
        products=("claude-code",),
        expect=(("BAA004", "phi"),),
    ),
    "no-baa-phi": Profile(
        "no-baa",
        phi=True,
        models=("claude-haiku-4-5",),
        expect=(("BAA006", "phi"), ("BAA007", "phi")),
    ),
}
CLEAN = {
    kind: [name for name, p in PROFILES.items() if p.org == kind and not p.expect]
    for kind in ("hipaa", "zdr", "regular", "hipaa-zdr", "no-baa")
}
VIOLATIONS = {
    kind: [name for name, p in PROFILES.items() if p.org == kind and p.expect]
    for kind in ("hipaa", "zdr", "regular", "hipaa-zdr", "no-baa")
}
ORG_FLAGS = {
    # kind: (baa_signed, hipaa_ready, zero_data_retention)
    "hipaa": (True, True, False),
    "zdr": (True, False, True),
    "regular": (True, False, False),
    "hipaa-zdr": (True, True, True),
    "no-baa": (False, False, False),
}


# ----------------------------------------------------------------------------------------
# The corpus being built
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Expected:
    path: str
    line: int
    rule: str
    object: str
    why: str = field(compare=False)


class Doc:
    """A text file built line by line, so the generator knows where each line lands."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, text: str = "") -> int:
        """Append ``text`` (one or more lines, no trailing newline); return its first line."""
        first = len(self.lines) + 1
        self.lines.extend(text.split("\n"))
        return first

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class Corpus:
    files: dict[str, str] = field(default_factory=dict)
    expected: list[Expected] = field(default_factory=list)
    suppressed: int = 0
    anthropic_blocks: int = 0
    anthropic_instances: int = 0
    organizations: int = 0
    yaml_organizations: int = 0
    workspaces: int = 0
    anthropic_dirs: set[str] = field(default_factory=set)
    precommit_candidates: list[str] = field(default_factory=list)

    def add(self, path: str, text: str) -> None:
        if path in self.files:
            raise AssertionError(f"generated twice: {path}")
        self.files[path] = text

    def expect(self, rule: str, path: str, line: int, obj: str, why: str) -> None:
        self.expected.append(Expected(path, line, rule, obj, why))


def _hcl_list(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def _yaml_list(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _bool(value: bool) -> str:
    return "true" if value else "false"


class ProfilePicker:
    """Hands out profiles: per org kind, violations cycle so that every kind is planted."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cycles: dict[str, Iterator[str]] = {
            kind: itertools.cycle(names) for kind, names in VIOLATIONS.items() if names
        }
        self.clean_cycles: dict[str, Iterator[str]] = {
            kind: itertools.cycle(names) for kind, names in CLEAN.items() if names
        }

    def workspaces(self, kind: str, count: int, violations: int) -> list[str]:
        if kind not in self.cycles:
            violations = 0  # the organization itself is the violation (BAA003)
        chosen = [next(self.cycles[kind]) for _ in range(min(violations, count))]
        chosen += [next(self.clean_cycles[kind]) for _ in range(count - len(chosen))]
        self.rng.shuffle(chosen)
        return chosen


# ----------------------------------------------------------------------------------------
# Anthropic units
# ----------------------------------------------------------------------------------------


def _org_block(
    doc: Doc,
    kind: str,
    address_name: str,
    org_name: str,
    *,
    mode: str = "resource",
    provider: str | None = None,
) -> int:
    """Write an organization block; return its first line (where BAA003 is reported)."""
    baa, hipaa, zdr = ORG_FLAGS[kind]
    line = doc.add(f'{mode} "anthropic_organization" "{address_name}" {{')
    if provider:
        doc.add(f"  provider            = anthropic.{provider}")
    doc.add(f'  name                = "{org_name}"')
    if baa:
        doc.add("  baa_signed          = true")
    if hipaa:
        doc.add("  hipaa_ready         = true")
    if zdr:
        doc.add("  zero_data_retention = true")
    doc.add("}")
    return line


def _expect_profile(
    corpus: Corpus,
    profile_name: str,
    lines: dict[str, int],
    path: str,
    obj: str,
    *,
    suppressed: bool = False,
) -> None:
    profile = PROFILES[profile_name]
    for rule, fact in profile.expect:
        if suppressed:
            corpus.suppressed += 1
            continue
        corpus.expect(rule, path, lines[fact], obj, profile_name)


def _workspace_attrs(
    doc: Doc,
    address_name: str,
    ws_name: str,
    profile_name: str,
    *,
    org_ref: str | None,
    provider: str | None,
    style: str,
    suppress: str | None = None,
) -> dict[str, int]:
    """An ``anthropic_workspace`` block with facts as attributes or as tags.

    Returns the line of each fact (and "org" -> block line). With ``suppress``, an inline
    suppression comment with a reason precedes the PHI fact.
    """
    profile = PROFILES[profile_name]
    lines: dict[str, int] = {}
    lines["org"] = doc.add(f'resource "anthropic_workspace" "{address_name}" {{')
    if provider:
        doc.add(f"  provider        = anthropic.{provider}")
    doc.add(f'  name            = "{ws_name}"')
    if org_ref:
        doc.add(f"  organization_id = {org_ref}")
    doc.add('  data_residency  = "us"')
    if style == "attrs":
        if profile.phi or suppress:
            if suppress:
                doc.add(
                    f"  # baa-lint: ignore[{suppress}] approved pilot, see CASE-{len(doc.lines)}"
                )
            lines["phi"] = doc.add(f"  phi             = {_bool(profile.phi)}")
        if profile.models:
            lines["models"] = doc.add(f"  models          = {_hcl_list(profile.models)}")
        if profile.products != ("api",):
            lines["products"] = doc.add(f"  products        = {_hcl_list(profile.products)}")
        if profile.retention != "inherit":
            lines["data_retention"] = doc.add(f'  data_retention  = "{profile.retention}"')
    else:
        doc.add("  tags = {")
        doc.add('    cost_center    = "ai-platform"')
        if profile.phi:
            lines["phi"] = doc.add('    phi            = "true"')
        if profile.models:
            lines["models"] = doc.add(f'    models         = "{",".join(profile.models)}"')
        if profile.products != ("api",):
            lines["products"] = doc.add(f'    products       = "{",".join(profile.products)}"')
        if profile.retention != "inherit":
            lines["data_retention"] = doc.add(f'    data_retention = "{profile.retention}"')
        doc.add("  }")
    doc.add("}")
    doc.add()
    return lines


class UnitBuilder:
    def __init__(self, corpus: Corpus, rng: random.Random, picker: ProfilePicker) -> None:
        self.corpus = corpus
        self.rng = rng
        self.picker = picker

    # A: organizations and workspaces as plain blocks, inside an existing AWS/GCP root -----

    def mixed_root(self, index: int, nth: int, team: str, root_dir: str) -> None:
        rng, corpus = self.rng, self.corpus
        path = f"{root_dir}/anthropic.tf"
        doc = Doc()
        doc.add("# Anthropic organizations and workspaces for this service.")
        doc.add("# Facts for the BAA review are declared on each workspace.")
        doc.add()
        kinds = rng.sample(["hipaa", "zdr", "regular"], 2)
        if nth % 4 == 0:
            kinds[1] = ["hipaa-zdr", "no-baa"][nth // 4 % 2]
        style = "attrs" if nth % 2 == 0 else "tags"
        ws_index = 0
        for org_number, kind in enumerate(kinds):
            address = f"{kind.replace('-', '_')}_{org_number}"
            org_name = f"{team}-{kind}-{index:02d}"
            mode = "data" if (index + org_number) % 4 == 3 else "resource"
            org_line = _org_block(doc, kind, address, org_name, mode=mode)
            doc.add()
            corpus.organizations += 1
            corpus.anthropic_blocks += 1
            corpus.anthropic_instances += 1
            prefix = "data." if mode == "data" else ""
            org_obj = f"{prefix}anthropic_organization.{address}"
            if kind == "hipaa-zdr":
                corpus.expect("BAA003", path, org_line, org_obj, "hipaa-zdr org")
            count = rng.randint(2, 4)
            violations = rng.randint(1, 2)
            for profile_name in self.picker.workspaces(kind, count, violations):
                ws_index += 1
                ws_name = f"{team}-{rng.choice(WORKSPACE_NAMES)}-{index:02d}-{ws_index}"
                address_ws = f"ws_{ws_index}"
                suppress = None
                if style == "attrs" and profile_name == "regular-phi" and nth % 3 == 0:
                    suppress = "BAA006"
                lines = _workspace_attrs(
                    doc,
                    address_ws,
                    ws_name,
                    profile_name,
                    org_ref=f"{prefix}anthropic_organization.{address}.id",
                    provider=None,
                    style=style,
                    suppress=suppress,
                )
                corpus.workspaces += 1
                corpus.anthropic_blocks += 1
                corpus.anthropic_instances += 1
                _expect_profile(
                    corpus,
                    profile_name,
                    lines,
                    path,
                    f"anthropic_workspace.{address_ws}",
                    suppressed=suppress is not None,
                )
        # Things that mention anthropic_ but declare nothing.
        doc.add("# Former workspace, removed in CASE-1182:")
        doc.add('# resource "anthropic_workspace" "legacy" { name = "legacy" }')
        corpus.add(path, doc.text())
        corpus.anthropic_dirs.add(root_dir)
        corpus.precommit_candidates.append(path)

    # B: one workspace module instance per team (for_each over a locals map) ---------------

    def team_modules(self, index: int, nth: int, team: str) -> None:  # noqa: PLR0915 (a linear text template)
        rng, corpus = self.rng, self.corpus
        root = f"teams/{team}/ai-workspaces-{index:02d}"
        kind = ["zdr", "hipaa", "regular"][nth % 3]
        org_name = f"{team}-platform-{index:02d}"
        keys = rng.sample(WORKSPACE_NAMES, rng.randint(3, 5))
        profiles = self.picker.workspaces(kind, len(keys), rng.randint(1, 2))
        main = Doc()
        main.add("# One workspace per team, driven by a map in locals.")
        _org_block(main, kind, "platform", org_name)
        main.add()
        main.add("locals {")
        main.add("  teams = {")
        for key, profile_name in zip(keys, profiles, strict=True):
            profile = PROFILES[profile_name]
            main.add(f'    "{key}" = {{')
            main.add(f"      phi    = {_bool(profile.phi)}")
            main.add(f"      models = {_hcl_list(profile.models)}")
            if profile.products != ("api",):
                main.add(f"      products = {_hcl_list(profile.products)}")
            if profile.retention != "inherit":
                main.add(f'      retention = "{profile.retention}"')
            main.add("    }")
        main.add("  }")
        main.add("}")
        main.add()
        main.add('module "team" {')
        main.add('  source   = "./modules/team"')
        main.add("  for_each = local.teams")
        main.add()
        main.add("  team            = each.key")
        main.add("  organization_id = anthropic_organization.platform.id")
        main.add("  phi             = each.value.phi")
        main.add("  models          = each.value.models")
        main.add('  products        = lookup(each.value, "products", ["api"])')
        main.add('  data_retention  = try(each.value.retention, "inherit")')
        main.add("}")
        corpus.add(f"{root}/main.tf", main.text())
        corpus.add(f"{root}/versions.tf", _anthropic_versions(rng))
        corpus.add(f"{root}/providers.tf", 'provider "anthropic" {}\n')
        module = Doc()
        for variable, default in (
            ("team", None),
            ("organization_id", None),
            ("phi", "false"),
            ("models", "[]"),
            ("products", '["api"]'),
            ("data_retention", '"inherit"'),
        ):
            module.add(f'variable "{variable}" {{')
            kind_text = {
                "phi": "bool",
                "models": "list(string)",
                "products": "list(string)",
            }.get(variable, "string")
            module.add(f"  type    = {kind_text}")
            if default is not None:
                module.add(f"  default = {default}")
            module.add("}")
            module.add()
        module.add('resource "anthropic_workspace" "this" {')
        module.add(f'  name            = "team-${{var.team}}-{index:02d}"')
        module.add("  organization_id = var.organization_id")
        lines = {
            "phi": module.add("  phi             = var.phi"),
            "models": module.add("  models          = var.models"),
            "products": module.add("  products        = var.products"),
            "data_retention": module.add("  data_retention  = var.data_retention"),
        }
        module.add("}")
        module_path = f"{root}/modules/team/main.tf"
        corpus.add(module_path, module.text())
        corpus.organizations += 1
        corpus.anthropic_blocks += 2
        corpus.anthropic_instances += 1 + len(keys)
        corpus.workspaces += len(keys)
        for key, profile_name in zip(keys, profiles, strict=True):
            obj = f'{root}:module.team["{key}"].anthropic_workspace.this'
            _expect_profile(corpus, profile_name, lines, module_path, obj)
        corpus.anthropic_dirs.update({root, f"{root}/modules/team"})
        corpus.precommit_candidates.append(f"{root}/main.tf")

    # C: YAML organizations with provider aliases; Terraform workspaces use the aliases ----

    def provider_aliases(self, index: int, nth: int, team: str) -> None:  # noqa: PLR0915 (a linear text template)
        rng, corpus = self.rng, self.corpus
        root = f"teams/{team}/assistants-{index:02d}"
        yaml_path = f"compliance/anthropic/{team}-{index:02d}.yaml"
        kinds = rng.sample(["hipaa", "zdr", "regular"], 2)
        doc = Doc()
        doc.add(f"# Organization posture for {team}; Terraform links workspaces by provider alias.")
        aliases = []
        org_names = []
        for number, kind in enumerate(kinds):
            alias = f"{team.replace('-', '_')}_{kind}_{index:02d}"
            name = f"{team}-{kind}-assistants-{index:02d}"
            aliases.append(alias)
            org_names.append(name)
            if number:
                doc.add("---")
            doc.add("apiVersion: baa-lint/v1")
            doc.add("kind: Organization")
            doc.add(f"name: {name}")
            baa, hipaa, zdr = ORG_FLAGS[kind]
            doc.add(f"baa_signed: {_bool(baa)}")
            if hipaa:
                doc.add("hipaa_ready: true")
            if zdr:
                doc.add("zero_data_retention: true")
            doc.add(f"provider_alias: {alias}")
            corpus.organizations += 1
            corpus.yaml_organizations += 1
        corpus.add(yaml_path, doc.text())
        main = Doc()
        for alias in aliases:
            main.add('provider "anthropic" {')
            main.add(f'  alias     = "{alias}"')
            main.add(f"  admin_key = var.{alias}_admin_key")
            main.add("}")
            main.add()
        for alias in aliases:
            main.add(f'variable "{alias}_admin_key" {{')
            main.add("  type      = string")
            main.add("  sensitive = true")
            main.add("}")
            main.add()
        ws_index = 0
        for alias, kind in zip(aliases, kinds, strict=True):
            count = rng.randint(2, 4)
            for profile_name in self.picker.workspaces(kind, count, rng.randint(1, 2)):
                ws_index += 1
                address = f"assistant_{ws_index}"
                lines = _workspace_attrs(
                    main,
                    address,
                    f"{team}-assistant-{index:02d}-{ws_index}",
                    profile_name,
                    org_ref=None,
                    provider=alias,
                    style="tags",
                )
                corpus.workspaces += 1
                corpus.anthropic_blocks += 1
                corpus.anthropic_instances += 1
                _expect_profile(
                    corpus, profile_name, lines, f"{root}/main.tf", f"anthropic_workspace.{address}"
                )
        corpus.add(f"{root}/main.tf", main.text())
        corpus.add(f"{root}/versions.tf", _anthropic_versions(rng))
        corpus.anthropic_dirs.add(root)
        corpus.precommit_candidates.append(f"{root}/main.tf")

    # D: a module per environment, values from terraform.tfvars and *.auto.tfvars ---------

    def environments(self, index: int, nth: int, team: str) -> None:  # noqa: PLR0915 (a linear text template)
        rng, corpus = self.rng, self.corpus
        base = f"teams/{team}/llm-{index:02d}"
        module_path = f"{base}/modules/org/main.tf"
        module = Doc()
        for variable, type_text in (
            ("prefix", "string"),
            ("environment", "string"),
            ("hipaa_ready", "bool"),
            ("zero_data_retention", "bool"),
        ):
            module.add(f'variable "{variable}" {{')
            module.add(f"  type = {type_text}")
            module.add("}")
            module.add()
        module.add('variable "workspaces" {')
        module.add("  type = map(object({")
        module.add("    phi            = bool")
        module.add("    models         = list(string)")
        module.add("    products       = list(string)")
        module.add("    data_retention = string")
        module.add("  }))")
        module.add("}")
        module.add()
        org_line = module.add('resource "anthropic_organization" "this" {')
        module.add('  name                = "${var.prefix}-${var.environment}"')
        module.add("  baa_signed          = true")
        module.add("  hipaa_ready         = var.hipaa_ready")
        module.add("  zero_data_retention = var.zero_data_retention")
        module.add("}")
        module.add()
        module.add('resource "anthropic_workspace" "this" {')
        module.add("  for_each        = var.workspaces")
        module.add('  name            = "${each.key}-${var.environment}"')
        module.add("  organization_id = anthropic_organization.this.id")
        lines = {
            "phi": module.add("  phi             = each.value.phi"),
            "models": module.add("  models          = each.value.models"),
            "products": module.add("  products        = each.value.products"),
            "data_retention": module.add("  data_retention  = each.value.data_retention"),
            "org": org_line,
        }
        module.add("}")
        module.add()
        module.add('output "organization_name" {')
        module.add("  value = anthropic_organization.this.name")
        module.add("}")
        corpus.add(module_path, module.text())
        corpus.add(f"{base}/modules/org/versions.tf", _anthropic_versions(rng))
        corpus.anthropic_blocks += 2
        corpus.anthropic_dirs.add(f"{base}/modules/org")
        prefix = f"{team}-llm-{index:02d}"
        for env in ENVS:
            env_dir = f"{base}/envs/{env}"
            kind = rng.choice(["hipaa", "zdr", "regular", "zdr", "hipaa"])
            if env == "staging" and nth % 3 == 0:
                kind = "hipaa-zdr"
            _baa, hipaa, zdr = ORG_FLAGS[kind]
            keys = rng.sample(WORKSPACE_NAMES, rng.randint(2, 4))
            profiles = self.picker.workspaces(kind, len(keys), rng.randint(0, 2))
            main = Doc()
            for variable, type_text in (
                ("prefix", "string"),
                ("environment", "string"),
                ("hipaa_ready", "bool"),
                ("zero_data_retention", "bool"),
            ):
                main.add(f'variable "{variable}" {{')
                main.add(f"  type = {type_text}")
                main.add("}")
                main.add()
            main.add('variable "workspaces" {')
            main.add("  type    = any")
            main.add("  default = {}")
            main.add("}")
            main.add()
            main.add('module "org" {')
            main.add('  source              = "../../modules/org"')
            main.add("  prefix              = var.prefix")
            main.add("  environment         = var.environment")
            main.add("  hipaa_ready         = var.hipaa_ready")
            main.add("  zero_data_retention = var.zero_data_retention")
            main.add("  workspaces          = var.workspaces")
            main.add("}")
            corpus.add(f"{env_dir}/main.tf", main.text())
            corpus.add(f"{env_dir}/versions.tf", _anthropic_versions(rng))
            tfvars = Doc()
            tfvars.add(f'prefix              = "{prefix}"')
            tfvars.add(f'environment         = "{env}"')
            tfvars.add(f"hipaa_ready         = {_bool(hipaa)}")
            tfvars.add("zero_data_retention = false")
            tfvars.add()
            tfvars.add("workspaces = {")
            for key, profile_name in zip(keys, profiles, strict=True):
                profile = PROFILES[profile_name]
                tfvars.add(f'  "{key}" = {{')
                tfvars.add(f"    phi            = {_bool(profile.phi)}")
                tfvars.add(f"    models         = {_hcl_list(profile.models)}")
                tfvars.add(f"    products       = {_hcl_list(profile.products)}")
                tfvars.add(f'    data_retention = "{profile.retention}"')
                tfvars.add("  }")
            tfvars.add("}")
            corpus.add(f"{env_dir}/terraform.tfvars", tfvars.text())
            # The auto file is read after terraform.tfvars and wins.
            corpus.add(
                f"{env_dir}/{env}.auto.tfvars",
                f"# {env} overrides\nzero_data_retention = {_bool(zdr)}\n",
            )
            corpus.organizations += 1
            corpus.anthropic_instances += 1 + len(keys)
            corpus.workspaces += len(keys)
            if kind == "hipaa-zdr":
                corpus.expect(
                    "BAA003",
                    module_path,
                    org_line,
                    f"{env_dir}:module.org.anthropic_organization.this",
                    "hipaa-zdr org",
                )
            for key, profile_name in zip(keys, profiles, strict=True):
                obj = f'{env_dir}:module.org.anthropic_workspace.this["{key}"]'
                _expect_profile(corpus, profile_name, lines, module_path, obj)
            corpus.anthropic_dirs.add(env_dir)
        corpus.precommit_candidates.append(f"{base}/envs/prod/main.tf")

    # E: a shared module, called with a provider mapping; the caller mentions no anthropic_ --

    def shared_module_caller(self, index: int, nth: int, team: str, shared: dict[str, int]) -> None:
        rng, corpus = self.rng, self.corpus
        root = f"teams/{team}/copilot-{index:02d}"
        kind = ["zdr", "hipaa", "regular", "zdr"][nth % 4]
        alias = f"copilot_{index:02d}"
        org_name = f"{team}-copilot-{index:02d}"
        yaml = Doc()
        yaml.add("# yaml-language-server: $schema=../../../schemas/declaration.schema.json")
        yaml.add("apiVersion: baa-lint/v1")
        yaml.add("kind: Organization")
        yaml.add(f"name: {org_name}")
        baa, hipaa, zdr = ORG_FLAGS[kind]
        yaml.add(f"baa_signed: {_bool(baa)}")
        yaml.add(f"hipaa_ready: {_bool(hipaa)}")
        yaml.add(f"zero_data_retention: {_bool(zdr)}")
        yaml.add(f"provider_alias: {alias}")
        corpus.add(f"{root}/organization.yaml", yaml.text())
        corpus.organizations += 1
        corpus.yaml_organizations += 1
        keys = rng.sample(WORKSPACE_NAMES, rng.randint(2, 4))
        profiles = self.picker.workspaces(kind, len(keys), rng.randint(1, 2))
        main = Doc()
        main.add('provider "anthropic" {')
        main.add(f'  alias = "{alias}"')
        main.add("}")
        main.add()
        main.add('module "workspaces" {')
        main.add('  source = "../../../modules/anthropic/workspace-set"')
        main.add("  providers = {")
        main.add(f"    anthropic = anthropic.{alias}")
        main.add("  }")
        main.add()
        main.add(f'  prefix = "{team}-{index:02d}"')
        main.add("  workspaces = {")
        for key, profile_name in zip(keys, profiles, strict=True):
            profile = PROFILES[profile_name]
            main.add(f'    "{key}" = {{')
            main.add(f"      phi            = {_bool(profile.phi)}")
            main.add(f"      models         = {_hcl_list(profile.models)}")
            main.add(f"      products       = {_hcl_list(profile.products)}")
            main.add(f'      data_retention = "{profile.retention}"')
            main.add("    }")
        main.add("  }")
        main.add("}")
        corpus.add(f"{root}/main.tf", main.text())
        corpus.add(f"{root}/versions.tf", _anthropic_versions(rng))
        corpus.anthropic_instances += len(keys)
        corpus.workspaces += len(keys)
        for key, profile_name in zip(keys, profiles, strict=True):
            obj = f'{root}:module.workspaces.anthropic_workspace.this["{key}"]'
            _expect_profile(corpus, profile_name, shared, SHARED_MODULE_FILE, obj)
        corpus.anthropic_dirs.add(root)
        corpus.precommit_candidates.append(f"{root}/main.tf")

    # F: YAML only: API and Enterprise organizations with their workspaces/products --------

    def yaml_only(self, index: int, nth: int, team: str) -> None:  # noqa: PLR0915 (a linear text template)
        rng, corpus = self.rng, self.corpus
        path = f"compliance/anthropic/{team}-{index:02d}-orgs.yaml"
        doc = Doc()
        doc.add("# yaml-language-server: $schema=../../schemas/declaration.schema.json")
        doc.add(f"# Organizations of {team} that are not managed by Terraform.")
        kind = ["hipaa", "zdr", "regular", "hipaa-zdr", "no-baa"][nth % 5]
        api_name = f"{team}-api-{index:02d}"
        org_line = doc.add("apiVersion: baa-lint/v1")
        doc.add("kind: Organization")
        doc.add(f"name: {api_name}")
        doc.add("type: api")
        baa, hipaa, zdr = ORG_FLAGS[kind]
        doc.add(f"baa_signed: {_bool(baa)}")
        if hipaa:
            doc.add("hipaa_ready: true")
        if zdr:
            doc.add("zero_data_retention: true")
        corpus.organizations += 1
        corpus.yaml_organizations += 1
        if kind == "hipaa-zdr":
            corpus.expect("BAA003", path, org_line, api_name, "hipaa-zdr org")
        doc.add("workspaces:")
        used: set[str] = set()
        for profile_name in self.picker.workspaces(kind, rng.randint(2, 4), rng.randint(1, 2)):
            profile = PROFILES[profile_name]
            name = rng.choice([w for w in WORKSPACE_NAMES if w not in used])
            used.add(name)
            lines: dict[str, int] = {}
            suppress = profile_name == "regular-phi" and nth % 2 == 0
            if suppress:
                doc.add("  # baa-lint: ignore[BAA006] research pilot approved, CASE-2231")
            doc.add(f"  - name: {name}")
            if profile.phi:
                lines["phi"] = doc.add("    phi: true")
            if profile.models:
                lines["models"] = doc.add(f"    models: {_yaml_list(profile.models)}")
            if profile.products != ("api",):
                lines["products"] = doc.add(f"    products: {_yaml_list(profile.products)}")
            if profile.retention != "inherit":
                lines["data_retention"] = doc.add(f"    data_retention: {profile.retention}")
            corpus.workspaces += 1
            _expect_profile(
                corpus, profile_name, lines, path, f"{api_name}/{name}", suppressed=suppress
            )
        # An Enterprise organization with products.
        ent_name = f"{team}-enterprise-{index:02d}"
        hipaa_ready = nth % 2 == 0
        doc.add("---")
        doc.add("apiVersion: baa-lint/v1")
        doc.add("kind: Organization")
        doc.add(f"name: {ent_name}")
        doc.add("type: enterprise")
        doc.add("baa_signed: true")
        doc.add(f"hipaa_ready: {_bool(hipaa_ready)}")
        doc.add("products:")
        corpus.organizations += 1
        corpus.yaml_organizations += 1
        chat_phi = rng.random() < 0.5
        doc.add("  - product: chat")
        chat_phi_line = doc.add(f"    phi: {_bool(chat_phi)}")
        chat_models = rng.choice([["claude-sonnet-4-5"], ["claude-fable-5"], []])
        if chat_models:
            chat_model_line = doc.add(f"    models: {_yaml_list(chat_models)}")
            if "claude-fable-5" in chat_models:
                corpus.expect("BAA016", path, chat_model_line, f"{ent_name}/chat", "staged")
        if chat_phi and not hipaa_ready:
            corpus.expect("BAA008", path, chat_phi_line, f"{ent_name}/chat", "chat phi")
        if nth % 3 == 0:
            doc.add("  - product: cowork")
            cowork_phi = nth % 2 == 1
            line = doc.add(f"    phi: {_bool(cowork_phi)}")
            if cowork_phi:
                corpus.expect("BAA002", path, line, f"{ent_name}/cowork", "cowork phi")
        if nth % 3 == 1:
            doc.add("  - product: claude-code")
            doc.add("    phi: true")
            doc.add("    data_retention: zdr")
            doc.add("    models: [claude-haiku-4-5]")
        if nth % 3 == 2:
            doc.add("  - product: cowork")
            line = doc.add("    data_retention: zdr")
            corpus.expect("BAA017", path, line, f"{ent_name}/cowork", "cowork zdr")
        # A third-party cloud organization.
        if nth % 2 == 1:
            cloud_name = f"{team}-bedrock-{index:02d}"
            doc.add("---")
            doc.add("apiVersion: baa-lint/v1")
            doc.add("kind: Organization")
            doc.add(f"name: {cloud_name}")
            doc.add("platform: aws-bedrock")
            doc.add("workspaces:")
            doc.add("  - name: batch-notes")
            line = doc.add("    phi: true")
            doc.add("    models: [claude-sonnet-4-5]")
            corpus.expect("BAA009", path, line, f"{cloud_name}/batch-notes", "bedrock phi")
            corpus.organizations += 1
            corpus.yaml_organizations += 1
            corpus.workspaces += 1
        corpus.add(path, doc.text())


SHARED_MODULE_DIR = "modules/anthropic/workspace-set"
SHARED_MODULE_FILE = f"{SHARED_MODULE_DIR}/main.tf"


def shared_workspace_module(corpus: Corpus, rng: random.Random) -> dict[str, int]:
    doc = Doc()
    doc.add("# Workspaces for one organization; the caller passes the provider configuration.")
    doc.add('variable "prefix" {')
    doc.add("  type = string")
    doc.add("}")
    doc.add()
    doc.add('variable "workspaces" {')
    doc.add("  type = map(object({")
    doc.add("    phi            = bool")
    doc.add("    models         = list(string)")
    doc.add("    products       = list(string)")
    doc.add("    data_retention = string")
    doc.add("  }))")
    doc.add("}")
    doc.add()
    doc.add('resource "anthropic_workspace" "this" {')
    doc.add("  for_each       = var.workspaces")
    doc.add('  name           = "${var.prefix}-${each.key}"')
    doc.add('  data_residency = "us"')
    doc.add("  tags = {")
    lines = {
        "phi": doc.add("    phi            = tostring(each.value.phi)"),
        "models": doc.add('    models         = join(",", each.value.models)'),
        "products": doc.add('    products       = join(",", each.value.products)'),
        "data_retention": doc.add("    data_retention = each.value.data_retention"),
    }
    doc.add('    team           = "${var.prefix}"')
    doc.add("  }")
    doc.add("}")
    doc.add()
    doc.add('output "ids" {')
    doc.add("  value = { for k, w in anthropic_workspace.this : k => w.id }")
    doc.add("}")
    corpus.add(SHARED_MODULE_FILE, doc.text())
    corpus.add(f"{SHARED_MODULE_DIR}/versions.tf", _anthropic_versions(rng))
    corpus.anthropic_blocks += 1
    corpus.anthropic_dirs.add(SHARED_MODULE_DIR)
    return lines


def _anthropic_versions(rng: random.Random) -> str:
    return (
        "terraform {\n"
        "  required_providers {\n"
        "    anthropic = {\n"
        '      source  = "anthropics/anthropic"\n'
        f'      version = "~> 0.{rng.randint(2, 5)}"\n'
        "    }\n"
        "  }\n"
        "}\n"
    )


# ----------------------------------------------------------------------------------------
# The monorepo
# ----------------------------------------------------------------------------------------


def _relative(target: str, start: str) -> str:
    return os.path.relpath(target, start).replace(os.sep, "/")


def build(scale: float, seed: int) -> Corpus:  # noqa: PLR0915 (a linear text template)
    if scale <= 0:
        raise ValueError("scale must be positive")
    corpus = Corpus()
    master = random.Random(f"{seed}:master")

    def rng_for(label: str) -> random.Random:
        return random.Random(f"{seed}:{label}")

    corpus.add(
        "README.md",
        "# acme-infrastructure\n\nGenerated benchmark corpus for baa-lint (bench/generate.py).\n",
    )
    # Isolates the corpus from configuration files further up the tree.
    corpus.add(
        ".baa-lint.yaml", "# baa-lint configuration for the benchmark corpus\nfail-on: warning\n"
    )

    # Shared modules.
    shared_sources: dict[str, str] = {}
    for kind in infra.MODULE_KINDS:
        cloud = infra.MODULE_KINDS[kind][0]
        directory = f"modules/{cloud}/{kind}"
        for name, text in infra.module_files(rng_for(f"shared:{kind}"), kind).items():
            corpus.add(f"{directory}/{name}", text)
        shared_sources[kind] = directory

    teams = max(1, round(TEAMS * scale))
    team_names = [
        TEAM_NAMES[i % len(TEAM_NAMES)]
        + ("" if i < len(TEAM_NAMES) else f"-{i // len(TEAM_NAMES)}")
        for i in range(teams)
    ]
    roots_by_team: dict[str, list[str]] = {}
    for team_number, team in enumerate(team_names):
        rng = rng_for(f"team:{team}")
        cloud = "aws" if team_number % 3 != 2 else "gcp"
        kinds = infra.AWS_MODULES if cloud == "aws" else infra.GCP_MODULES
        team_modules = rng.sample(kinds, rng.randint(2, min(4, len(kinds))))
        for kind in team_modules:
            for name, text in infra.module_files(rng, kind).items():
                corpus.add(f"teams/{team}/modules/{kind}/{name}", text)
        services = rng.sample(SERVICES, rng.randint(2, 4) if scale >= 0.1 else 1)
        roots: list[str] = []
        for service in services:
            envs = ENVS if rng.random() < 0.7 else ["staging", "prod"]
            for env in envs:
                regions_pool = infra.REGIONS_AWS if cloud == "aws" else infra.REGIONS_GCP
                regions = rng.sample(regions_pool, 2 if env == "prod" and rng.random() < 0.5 else 1)
                for region in regions:
                    root = f"teams/{team}/services/{service}/{env}/{region}"
                    roots.append(root)
                    calls: list[tuple[str, str]] = []
                    for kind in rng.sample(team_modules, rng.randint(1, len(team_modules))):
                        calls.append((kind, _relative(f"teams/{team}/modules/{kind}", root)))
                    for kind in rng.sample(kinds, rng.randint(0, 2)):
                        if kind not in team_modules:
                            calls.append((kind, _relative(shared_sources[kind], root)))
                    corpus.add(
                        f"{root}/main.tf",
                        infra.root_main(
                            rng, cloud, team=team, service=service, env=env, local_modules=calls
                        ),
                    )
                    corpus.add(f"{root}/variables.tf", infra.root_variables(rng))
                    corpus.add(
                        f"{root}/outputs.tf",
                        infra.outputs_file(
                            rng, [f"module.{k.replace('-', '_')}" for k, _ in calls[:3]]
                        ),
                    )
                    corpus.add(
                        f"{root}/versions.tf",
                        infra.versions_file(rng, cloud, with_backend=f"{team}/{service}/{env}"),
                    )
                    corpus.add(
                        f"{root}/providers.tf", infra.providers_file(rng, cloud, region, team, env)
                    )
                    corpus.add(f"{root}/locals.tf", infra.root_locals(rng, team, service, env))
                    corpus.add(f"{root}/data.tf", infra.root_data(rng, cloud, team))
                    for name, text in infra.root_extra_files(rng, cloud).items():
                        corpus.add(f"{root}/{name}", text)
                    corpus.add(f"{root}/terraform.tfvars", infra.tfvars(rng, env, region, cloud))
                    corpus.add(f"{root}/{env}.auto.tfvars", infra.auto_tfvars(rng, env))
        roots_by_team[team] = roots
        for number in range(rng.randint(0, 2)):
            corpus.add(
                f"teams/{team}/k8s/{team}-{number}.yaml",
                infra.k8s_manifest(rng, f"{team}-{number}"),
            )
        corpus.add(f".github/workflows/terraform-{team}.yml", infra.workflow(team))
        if team_number % 7 == 0:
            corpus.add(f"charts/{team}/templates/configmap.yaml", infra.helm_values_template(team))

    # Large generated files.
    large = max(1, round(LARGE_FILES * scale))
    # Their count scales; their size only below scale 0.1 (a tiny corpus stays tiny).
    size_factor = min(1.0, max(0.05, scale * 10))
    kinds_cycle = itertools.cycle(sorted(infra.LARGE_FILE_KINDS))
    for number in range(large):
        kind = next(kinds_cycle)
        rng = rng_for(f"large:{number}")
        low, high = LARGE_FILE_BYTES
        target = int(rng.randint(low, high) * size_factor)
        directory = f"platform/generated/{kind}-{number:02d}"
        corpus.add(f"{directory}/{kind}.tf", infra.LARGE_FILE_KINDS[kind](rng, target))
        corpus.add(
            f"{directory}/variables.tf",
            'variable "environment" {\n  type    = string\n  default = "prod"\n}\n\n'
            'variable "vpc_id" {\n  type    = string\n  default = null\n}\n\n'
            'variable "alb_zone_id" {\n  type    = string\n  default = null\n}\n',
        )
        corpus.add(f"{directory}/versions.tf", infra.versions_file(rng, "aws"))

    # Anthropic units, in a minority of directories.
    picker = ProfilePicker(rng_for("profiles"))
    builder = UnitBuilder(corpus, rng_for("anthropic"), picker)
    unit_kinds = ["mixed", "team", "aliases", "envs", "shared", "yaml"]
    units = max(len(unit_kinds), round(ANTHROPIC_UNITS * scale))
    shared_lines = shared_workspace_module(corpus, rng_for("shared-anthropic"))
    all_roots = [(team, root) for team in team_names for root in roots_by_team[team]]
    used_roots: set[str] = set()
    for index in range(units):
        kind = unit_kinds[index % len(unit_kinds)]
        nth = index // len(unit_kinds)
        team = team_names[master.randrange(len(team_names))]
        if kind == "mixed":
            free = [(t, r) for t, r in all_roots if r not in used_roots]
            team, root = free[master.randrange(len(free))]
            used_roots.add(root)
            builder.mixed_root(index, nth, team, root)
        elif kind == "team":
            builder.team_modules(index, nth, team)
        elif kind == "aliases":
            builder.provider_aliases(index, nth, team)
        elif kind == "envs":
            builder.environments(index, nth, team)
        elif kind == "shared":
            builder.shared_module_caller(index, nth, team, shared_lines)
        else:
            builder.yaml_only(index, nth, team)
    corpus.expected.sort()
    return corpus


# ----------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------


def corpus_stats(corpus: Corpus) -> dict[str, object]:
    tf = {p: t for p, t in corpus.files.items() if p.endswith(".tf")}
    directories = {str(Path(p).parent) for p in tf}
    sizes = sorted(len(t.encode()) for t in tf.values())
    by_rule: dict[str, int] = {}
    for item in corpus.expected:
        by_rule[item.rule] = by_rule.get(item.rule, 0) + 1
    return {
        "files": len(corpus.files),
        "tf_files": len(tf),
        "tf_bytes": sum(sizes),
        "all_bytes": sum(len(t.encode()) for t in corpus.files.values()),
        "largest_tf_bytes": sizes[-3:][::-1] if sizes else [],
        "tfvars_files": sum(1 for p in corpus.files if p.endswith(".tfvars")),
        "yaml_files": sum(1 for p in corpus.files if p.endswith((".yaml", ".yml"))),
        "tf_directories": len(directories),
        "anthropic_directories": len(corpus.anthropic_dirs),
        "anthropic_resource_blocks": corpus.anthropic_blocks,
        "anthropic_resource_instances": corpus.anthropic_instances,
        "organizations": corpus.organizations,
        "yaml_organizations": corpus.yaml_organizations,
        "workspaces": corpus.workspaces,
        "expected_findings": len(corpus.expected),
        "expected_by_rule": dict(sorted(by_rule.items())),
        "expected_suppressed": corpus.suppressed,
    }


# Not part of the generated tree: the runner makes the corpus a git work tree, and baa-lint
# keeps its default parse cache at the repository root.
NOT_GENERATED = {".git", ".baa-lint-cache"}


def tree_digest(root: Path) -> str:
    """sha256 over every generated file's relative path and bytes (manifest.json excluded)."""
    paths = []
    for current, dirs, files in os.walk(root):
        if Path(current) == root:
            dirs[:] = [d for d in dirs if d not in NOT_GENERATED]
        paths.extend(Path(current) / name for name in files)
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        relative = path.relative_to(root).as_posix()
        if relative == MANIFEST_NAME:
            continue
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def generate(out: Path, scale: float = 1.0, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Write the corpus into ``out`` (replacing it); return the manifest."""
    corpus = build(scale, seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for relative, text in sorted(corpus.files.items()):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    precommit = corpus.precommit_candidates[0]
    expected = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "scale": scale,
        "suppressed": corpus.suppressed,
        "findings": [
            {"rule": e.rule, "path": e.path, "line": e.line, "object": e.object, "why": e.why}
            for e in corpus.expected
        ],
    }
    (out / EXPECTED_NAME).write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "generator_digest": generator_digest(),
        "seed": seed,
        "scale": scale,
        "precommit_file": precommit,
        "stats": corpus_stats(corpus),
    }
    manifest["digest"] = tree_digest(out)
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def generator_digest() -> str:
    """A digest of the generator's own code: a changed generator means a new corpus."""
    digest = hashlib.sha256()
    for name in ("generate.py", "infra.py"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def load_manifest(out: Path) -> dict[str, object] | None:
    try:
        data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def ensure(out: Path, scale: float, seed: int, *, verify: bool = True) -> dict[str, object]:
    """Reuse the corpus at ``out`` when it was generated with these parameters, else regenerate."""
    manifest = load_manifest(out)
    if (
        manifest is not None
        and manifest.get("generator_version") == GENERATOR_VERSION
        and manifest.get("generator_digest") == generator_digest()
        and manifest.get("seed") == seed
        and manifest.get("scale") == scale
        and (not verify or manifest.get("digest") == tree_digest(out))
    ):
        return manifest
    return generate(out, scale, seed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "corpus")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.scale, args.seed)
    print(json.dumps(manifest, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
