"""The evaluation memo's encoding of declarations: what is decoded is what was encoded.

The memo stores declarations as plain data with tables of paths, locations, origins and chains
(linter.terraform.memo.codec), through marshal. A declaration read back must be the one
written, field for field (a dataclass's repr shows every field, the ones that do not take part
in equality included), and what is not well formed is a CodecError, never a crash.
"""

from __future__ import annotations

import marshal
import math
from pathlib import Path

import pytest

from linter.core.locations import Location, Span
from linter.core.model import ABSENT, Fact, Origin, Unknown
from linter.core.tree import (
    Declaration,
    MapEntry,
    MapNode,
    OrgLink,
    ScalarNode,
    SeqNode,
    UnknownNode,
)
from linter.inputs.discover import discover
from linter.lint import load
from linter.settings.config import Config
from linter.terraform.memo.codec import CodecError, Decoder, Encoder
from tests.conftest import working_directory

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def round_trip(declarations: list[Declaration]) -> list[Declaration]:
    """Encode with one encoder (one root's tables), store and load with marshal, decode."""
    encoder = Encoder()
    encoded = [encoder.declaration(d) for d in declarations]
    stored = marshal.loads(marshal.dumps((encoder.tables(), encoded)))
    decoder = Decoder(stored[0])
    return [decoder.declaration(item) for item in stored[1]]


def _example_declarations() -> list[Declaration]:
    with working_directory(EXAMPLES):
        config = Config(cache=False)
        files = discover(["."], config)
        parsed = load(files, config)
    return [d for p in parsed for d in p.declarations if d.source == "terraform"]


def test_every_example_declaration_reads_back_the_same() -> None:
    declarations = _example_declarations()
    assert len(declarations) > 20, "the examples hold fewer Terraform declarations than expected"
    assert [repr(d) for d in round_trip(declarations)] == [repr(d) for d in declarations]


def _unusual() -> Declaration:
    """Every kind of node and fact, shared locations and origins, odd scalars and options."""
    here = Location("main.tf", 3, 5)
    secret = Origin(Location("vars.tf", 1, 1), 'var.key = "s3cr3t"', "var.key (sensitive)")
    plain = Origin(Location("vars.tf", 2, 1), "var.env")
    unknown = Unknown(
        "var.x",
        "a variable without a value",
        silent=True,
        options=(ABSENT, ("a", "b"), {"k": 1.5, "n": None}, True, 3),
        fix="set var.x",
    )
    entries = (
        MapEntry("kind", here, ScalarNode(here, "", (), "Workspace", "Workspace")),
        MapEntry("name", here, ScalarNode(here, "name", (secret, plain), "s3cr3t", "x")),
        MapEntry("ratio", here, ScalarNode(here, "tags.ratio", (plain,), math.inf, "inf")),
        MapEntry(
            "models", here, SeqNode(here, "", (plain,), (UnknownNode(here, "m", (), unknown),))
        ),
        MapEntry(
            "nested", here, MapNode(here, "", (), (MapEntry("deep", here, ScalarNode(here)),))
        ),
    )
    reference = Fact("acme", Location("main.tf", 9, 3), "organization_id", True, (plain,))
    return Declaration(
        MapNode(Location("main.tf", 1, 1), "", (), entries),
        "main.tf",
        Span("main.tf", 1, 12),
        "terraform",
        'anthropic_workspace.ws["a"]',
        OrgLink(reference, "alias", None, "data.anthropic_organization.this"),
        Fact(unknown, here, "for_each", False, (secret,), Unknown("e", "r")),
        None,
        "/repo/root",
        "aws-claude-platform",
    )


def test_unusual_values_read_back_the_same() -> None:
    declaration = _unusual()
    [decoded] = round_trip([declaration])
    assert repr(decoded) == repr(declaration)
    option = decoded.exists.value.options[0] if decoded.exists else None
    assert option is ABSENT  # the one ABSENT, not a copy


def test_equal_locations_and_origins_decode_to_one_object() -> None:
    first, second = round_trip([_unusual(), _unusual()])
    assert first.root.entries[0].key_location is second.root.entries[1].key_location
    assert first.root.entries[1].value.chain[0] is second.root.entries[1].value.chain[0]


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda tables, decl: (tables, ("x", *decl[1:])),
        lambda tables, decl: (tables, (decl[0], 10_000, *decl[2:])),
        lambda tables, decl: ((tables[0], [0, 1], *tables[2:]), decl),
        lambda tables, decl: ((tables[0], tables[1][:3], *tables[2:]), decl),
        lambda tables, decl: ((tables[0], tables[1], [(0, 5, None)], tables[3]), decl),
        lambda tables, decl: (list(tables), decl),
        lambda tables, decl: (tables, decl[:5]),
    ],
    ids=[
        "root not a node",
        "path index out of range",
        "location table cut short",
        "location out of range",
        "origin note not text",
        "tables not a tuple",
        "declaration cut short",
    ],
)
def test_what_is_not_well_formed_is_a_codec_error(corrupt: object) -> None:
    encoder = Encoder()
    encoded = encoder.declaration(_unusual())
    tables, decl = corrupt(encoder.tables(), encoded)  # type: ignore[operator]
    with pytest.raises((CodecError, ValueError, TypeError)):
        Decoder(tables).declaration(decl)
