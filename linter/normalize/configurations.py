"""Configurations: one per (organization, workspace or product, product), with derived values.

A configuration is what the coverage matrix talks about: a product, the route it is reached
through, and the effective data retention. Derived values are facts too, so findings can cite
where the deciding value was set.
"""

from __future__ import annotations

from dataclasses import dataclass

from linter.core.locations import Location
from linter.core.model import (
    SENSITIVE,
    Agent,
    EnterpriseProduct,
    Fact,
    Model,
    Models,
    Organization,
    Origin,
    Unknown,
    Workspace,
    shown_name,
)
from linter.policy.data import MatrixRow, Policy


@dataclass(frozen=True)
class Configuration:
    org: Organization
    kind: str  # "workspace" | "product" | "agent" | "organization"
    name: str  # workspace, product or agent name, or "" for an organization without any
    address: str  # the object address findings are reported against
    location: Location  # the declaration of that object
    link: str
    product: Fact[str]
    phi: Fact[bool]
    models: Fact[Models]
    data_retention: Fact[str]
    exists: Fact[bool]
    name_sensitive: bool = False  # the workspace's name came from a sensitive value

    @property
    def shown_name(self) -> str:
        """The name as it may be printed (see linter.core.model.shown_name)."""
        return shown_name(self.name, self.name_sensitive)

    @property
    def label(self) -> str:
        if self.org.implicit:  # no organization declared: the platform is all there is
            return f"Claude Platform on AWS workspace '{self.shown_name}'"
        org = self.org.shown_name
        if self.kind == "workspace":
            return f"workspace '{self.shown_name}' of organization '{org}'"
        if self.kind == "product":
            return f"{self.shown_name} on Enterprise organization '{org}'"
        if self.kind == "agent":
            return f"agent '{self.shown_name}' of organization '{org}'"
        return f"organization '{org}'"


def _unknown_of(*facts: Fact[object]) -> Unknown | None:
    for fact in facts:
        if isinstance(fact.value, Unknown):
            return fact.value
    return None


def effective_retention(cfg: Configuration, policy: Policy) -> Fact[str]:
    """The retention a configuration runs with (§4), as a fact located where it was decided."""
    if cfg.product.known and cfg.product.v in policy.standard_retention_products:
        note = f"{cfg.product.v} always runs with standard retention"
        redacted = f"{SENSITIVE} always runs with standard retention"
        origin = Origin(cfg.product.location, note, redacted if cfg.product.sensitive else None)
        return Fact("standard", cfg.product.location, cfg.product.attr, False, (origin,))
    declared = cfg.data_retention
    if not declared.known:
        return declared
    if declared.v != "inherit":
        return declared
    org_zdr = cfg.org.zero_data_retention
    if isinstance(org_zdr.value, Unknown):
        return Fact(org_zdr.value, org_zdr.location, org_zdr.attr, org_zdr.explicit, org_zdr.chain)
    value = "zdr" if org_zdr.v else "standard"
    return Fact(value, org_zdr.location, org_zdr.attr, org_zdr.explicit, org_zdr.chain)


def route(cfg: Configuration, policy: Policy) -> str | Unknown:
    """The access route: a third-party platform, claude-enterprise, hipaa-ready-api, regular-api."""
    org = cfg.org
    unknown = _unknown_of(org.platform)
    if unknown:
        return unknown
    if policy.is_third_party(org.platform.v):
        return org.platform.v
    unknown = _unknown_of(org.type)
    if unknown:
        return unknown
    if org.type.v == "enterprise":
        return "claude-enterprise"
    unknown = _unknown_of(org.hipaa_ready)
    if unknown:
        return unknown
    return "hipaa-ready-api" if org.hipaa_ready.v else "regular-api"


def matrix_row(cfg: Configuration, policy: Policy) -> MatrixRow | None:
    """The coverage-matrix row for a fully known configuration (None: not in the table)."""
    path = route(cfg, policy)
    retention = effective_retention(cfg, policy)
    if isinstance(path, Unknown) or not retention.known or not cfg.product.known:
        return None
    hipaa = cfg.org.hipaa_ready.get(False)
    return policy.row(cfg.product.v, path, retention.v, hipaa)


def baa_eligible(cfg: Configuration, policy: Policy) -> bool:
    """An Eligible Service under the BAA: a matrix row says so, and the BAA is signed."""
    row = matrix_row(cfg, policy)
    return bool(row and row.eligible and cfg.org.baa_signed.get(False))


def covered_model_access(cfg: Configuration, policy: Policy) -> bool:
    """Whether the configuration can reach Covered Models (standard retention is required)."""
    row = matrix_row(cfg, policy)
    if row is not None:
        return row.covered
    retention = effective_retention(cfg, policy)
    return retention.known and retention.v == "standard"


def expected_covered_models(cfg: Configuration, policy: Policy) -> list[Fact[str]]:
    if not cfg.models.known:
        return []
    found = []
    for model in cfg.models.v:
        entry = policy.catalogue.lookup(model.v) if model.known else None
        if entry is not None and entry.covered:
            found.append(model)
    return found


# --- building ------------------------------------------------------------------------------


def _product_facts(products: Fact[Models]) -> list[Fact[str]]:
    if isinstance(products.value, Unknown):
        return [Fact(products.value, products.location, products.attr, chain=products.chain)]
    return list(products.v)


def _for_workspace(org: Organization, ws: Workspace) -> list[Configuration]:
    configs = []
    for product in _product_facts(ws.products):
        configs.append(
            Configuration(
                org=org,
                kind="workspace",
                name=ws.name,
                address=ws.address,
                location=ws.location,
                link=ws.link,
                product=product,
                phi=ws.phi,
                models=ws.models,
                data_retention=ws.data_retention,
                exists=ws.exists,
                name_sensitive=ws.name_sensitive,
            )
        )
    return configs


def _for_product(org: Organization, prod: EnterpriseProduct) -> Configuration:
    return Configuration(
        org=org,
        kind="product",
        name=prod.product.get("?"),
        address=prod.address,
        location=prod.location,
        link="declared inside",
        product=prod.product,
        phi=prod.phi,
        models=prod.models,
        data_retention=prod.data_retention,
        exists=Fact(True, prod.location, "", explicit=False),
        name_sensitive=prod.product.sensitive,
    )


def _for_agent(org: Organization, agent: Agent) -> Configuration:
    """A Managed Agent: the API, on its organization's route and retention, expecting its model."""
    loc = agent.location
    return Configuration(
        org=org,
        kind="agent",
        name=agent.name,
        address=agent.address,
        location=loc,
        link=agent.link,
        product=Fact("api", loc, "", explicit=False),
        phi=Fact(False, loc, "phi", explicit=False),
        models=agent.models,
        data_retention=Fact("inherit", loc, "data_retention", explicit=False),
        exists=agent.exists,
    )


def _bare(org: Organization) -> Configuration:
    """An organization that declares no workspace or product still has one configuration."""
    default = org.type.get("api")
    product = "api" if default == "api" else "chat"
    loc = org.location
    return Configuration(
        org=org,
        kind="organization",
        name="",
        address=org.address,
        location=loc,
        link="",
        product=Fact(product, loc, "", explicit=False),
        phi=Fact(False, loc, "phi", explicit=False),
        models=Fact((), loc, "models", explicit=False),
        data_retention=Fact("inherit", loc, "data_retention", explicit=False),
        exists=Fact(True, loc, "", explicit=False),
    )


def build_configurations(model: Model) -> list[Configuration]:
    configs: list[Configuration] = []
    for org in model.organizations:
        workspaces = model.workspaces_of(org)
        products = model.products_of(org)
        agents = model.agents_of(org)
        for ws in workspaces:
            configs.extend(_for_workspace(org, ws))
        configs.extend(_for_product(org, p) for p in products)
        configs.extend(_for_agent(org, a) for a in agents)
        if not workspaces and not products and not agents:
            configs.append(_bare(org))
    return configs
