"""The policy data: valid against its schema, and exactly the article's coverage table."""

from __future__ import annotations

import jsonschema
import pytest

from linter.core.shipped import load_schema
from linter.policy.data import ModelEntry, normalize_model_id
from linter.policy.loader import load_policy, raw_policy_data

POLICY = load_policy()


@pytest.mark.parametrize("name", ["coverage.yaml", "models.yaml"])
def test_policy_data_is_valid(name: str) -> None:
    jsonschema.Draft202012Validator(load_schema("policy.schema.json")).validate(
        raw_policy_data()[name]
    )


def test_policy_data_is_dated_and_sourced() -> None:
    assert POLICY.as_of == "2026-11-24"
    assert POLICY.source_title == "Covered Models under a Business Associate Agreement (BAA)"


def test_the_matrix_has_the_nine_rows_of_the_article() -> None:
    rows = {(r.product, r.route, r.retention, r.eligible, r.covered) for r in POLICY.rows}
    assert rows == {
        ("chat", "claude-enterprise", "standard", True, True),
        ("claude-code", "claude-enterprise", "zdr", True, False),
        ("claude-code", "claude-enterprise", "standard", False, True),
        ("claude-code", "api-org", "zdr", True, False),
        ("claude-code", "api-org", "standard", False, True),
        ("cowork", "claude-enterprise", "standard", False, True),
        ("api", "hipaa-ready-api", "standard", True, True),
        ("api", "regular-api", "zdr", True, False),
        ("api", "regular-api", "standard", False, True),
    }


@pytest.mark.parametrize(
    ("product", "route", "retention", "hipaa", "expected"),
    [
        ("chat", "claude-enterprise", "standard", True, True),
        ("chat", "claude-enterprise", "standard", False, None),  # not a HIPAA-ready plan
        ("claude-code", "hipaa-ready-api", "zdr", True, True),  # the api-org group
        ("claude-code", "regular-api", "standard", False, False),
        ("api", "hipaa-ready-api", "zdr", True, None),  # not a configuration the table has
        ("cowork", "claude-enterprise", "standard", True, False),
    ],
)
def test_row_lookup(
    product: str, route: str, retention: str, hipaa: bool, expected: bool | None
) -> None:
    row = POLICY.row(product, route, retention, hipaa)
    assert (row.eligible if row else None) == expected


def test_derived_facts() -> None:
    assert not POLICY.eligible_somewhere("cowork")
    assert POLICY.eligible_somewhere("claude-code")
    assert not POLICY.eligible_with_covered_models_somewhere("claude-code")
    assert POLICY.eligible_with_covered_models_somewhere("api")


@pytest.mark.parametrize(
    ("model_id", "entry"),
    [
        ("claude-fable-5", "claude-fable-5"),
        ("claude-fable-5-20261001", "claude-fable-5"),
        ("anthropic.claude-fable-5-20261001-v1:0", "claude-fable-5"),
        ("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"),
        ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),
        ("claude-opus-4-1-20250805", "claude-opus-4-1"),  # the longest entry wins
        ("claude-opus-4-20250514", "claude-opus-4"),
        ("Claude-Fable-5", "claude-fable-5"),
        ("claude-fable", None),
        ("claude-fable-50", None),
    ],
)
def test_catalogue_lookup(model_id: str, entry: str | None) -> None:
    found = POLICY.catalogue.lookup(model_id)
    assert (found.id if found else None) == entry


def test_catalogue_answers_are_remembered_per_catalogue() -> None:
    """Lookups and did-you-means are remembered (rules ask the same for every configuration),
    and an extended catalogue answers from its own entries, not from what another remembered."""
    catalogue = POLICY.catalogue
    first = (catalogue.lookup("claude-fable-5-20261001"), catalogue.suggest("claude-fabel-5"))
    again = (catalogue.lookup("claude-fable-5-20261001"), catalogue.suggest("claude-fabel-5"))
    assert first == again and first[1] == "claude-fable-5"
    assert catalogue.lookup("claude-private-1") is None
    extra = ModelEntry("claude-private-1", covered=True, limited=False, origin="config")
    extended = catalogue.extended([extra])
    assert extended.lookup("claude-private-1") == extra
    assert extended.suggest("claude-privat-1") == "claude-private-1"
    assert catalogue.lookup("claude-private-1") is None


def test_covered_and_limited_models() -> None:
    fable = POLICY.catalogue.lookup("claude-fable-5")
    mythos = POLICY.catalogue.lookup("claude-mythos-preview")
    assert fable is not None and fable.covered and not fable.limited
    assert mythos is not None and mythos.covered and mythos.limited
    assert normalize_model_id(" us.anthropic.claude-haiku-4-5-v2:0 ") == "claude-haiku-4-5"
