"""The YAML front end: positions, documents, and bounded handling of hostile YAML."""

from __future__ import annotations

from linter.core.files import decode_text
from linter.core.locations import Location
from linter.core.tree import MapNode, ScalarNode, SeqNode
from linter.inputs.yaml import parse_yaml

ORG = """\
# comment line
apiVersion: baa-lint/v1
kind: Organization
name: acme
zero_data_retention: true
workspaces:
  - name: research
    models: [claude-fable-5, claude-haiku-4-5]
"""


def test_every_key_and_value_has_its_line_and_column() -> None:
    parsed = parse_yaml(ORG, "org.yaml")
    (decl,) = parsed.declarations
    assert decl.kind == "Organization"
    assert decl.root.location == Location("org.yaml", 2, 1)
    entry = decl.root.entry("zero_data_retention")
    assert entry is not None
    assert entry.key_location == Location("org.yaml", 5, 1)
    assert entry.value.location == Location("org.yaml", 5, 22)
    assert isinstance(entry.value, ScalarNode) and entry.value.value is True
    workspaces = decl.root.get("workspaces")
    assert isinstance(workspaces, SeqNode)
    first = workspaces.items[0]
    assert isinstance(first, MapNode) and first.location == Location("org.yaml", 7, 5)
    models = first.get("models")
    assert isinstance(models, SeqNode)
    assert [m.location.column for m in models.items] == [14, 30]


def test_only_baa_lint_documents_are_declarations() -> None:
    text = "apiVersion: v1\nkind: ConfigMap\n---\n" + ORG + "---\nkind: Workspace\n"
    parsed = parse_yaml(text, "multi.yaml")
    assert [d.kind for d in parsed.declarations] == ["Organization"]
    assert parsed.findings == ()


def test_a_file_that_never_mentions_baa_lint_is_not_parsed() -> None:
    parsed = parse_yaml("{{ broken: [helm\n", "chart.yaml")
    assert parsed.declarations == () and parsed.findings == ()


def test_yaml_12_scalars() -> None:
    text = "apiVersion: baa-lint/v1\na: yes\nb: True\nc: ~\nd: 0o17\ne: 1_000\nf: 2026-12-31\ng: .inf\n"
    root = parse_yaml(text, "s.yaml").declarations[0].root
    values = {e.key: e.value.value for e in root.entries if isinstance(e.value, ScalarNode)}
    assert values["a"] == "yes"  # YAML 1.2: a string
    assert values["b"] is True
    assert values["c"] is None
    assert values["d"] == 15
    assert values["e"] == 1000
    assert values["f"] == "2026-12-31"
    assert values["g"] == float("inf")


def test_duplicate_keys_are_reported_and_the_last_value_wins() -> None:
    parsed = parse_yaml("apiVersion: baa-lint/v1\nphi: false\nphi: true\n", "d.yaml")
    (finding,) = parsed.findings
    assert finding.rule == "BAA901"
    assert finding.location == Location("d.yaml", 3, 1)
    assert "duplicate key 'phi' (first set at line 2)" in finding.message
    node = parsed.declarations[0].root.get("phi")
    assert isinstance(node, ScalarNode) and node.value is True


def test_merge_keys_fill_missing_keys_located_at_the_merge_key() -> None:
    """SPEC §7 (rewritten for issue 12): what a merge key brings in belongs to the mapping that
    uses it, located at its `<<`; where it was written (the anchor) is the first evidence."""
    text = (
        "apiVersion: baa-lint/v1\n"
        "defaults: &d {phi: true, data_retention: zdr}\n"
        "workspaces:\n"
        "  - <<: *d\n"
        "    name: a\n"
        "    phi: false\n"
    )
    root = parse_yaml(text, "m.yaml").declarations[0].root
    ws = root.get("workspaces")
    assert isinstance(ws, SeqNode)
    item = ws.items[0]
    assert isinstance(item, MapNode)
    assert item.keys() == ["name", "phi", "data_retention"]
    phi = item.get("phi")
    retention = item.get("data_retention")
    assert isinstance(phi, ScalarNode) and phi.value is False
    assert retention is not None and retention.location == Location("m.yaml", 4, 5)
    assert retention.chain[0].location == Location("m.yaml", 2, 42)


def test_alias_bomb_is_bounded() -> None:
    lines = ["apiVersion: baa-lint/v1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    parsed = parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
    (finding,) = parsed.findings
    assert finding.rule == "BAA900"
    assert "aliases or merge keys" in finding.message


def test_deep_nesting_is_a_finding_not_a_crash() -> None:
    parsed = parse_yaml(
        "apiVersion: baa-lint/v1\nx: " + "[" * 3000 + "]" * 3000 + "\n", "deep.yaml"
    )
    assert [f.rule for f in parsed.findings] == ["BAA900"]


def test_syntax_error_keeps_earlier_documents() -> None:
    text = ORG + "---\napiVersion: baa-lint/v1\nkind: [\n"
    parsed = parse_yaml(text, "e.yaml")
    assert [d.kind for d in parsed.declarations] == ["Organization"]
    (finding,) = parsed.findings
    assert finding.rule == "BAA900" and finding.location.line == 12


def test_crlf_and_bom_keep_positions() -> None:
    raw = ("\ufeff" + ORG.replace("\n", "\r\n")).encode("utf-8")
    parsed = parse_yaml(decode_text(raw, "w.yaml"), "w.yaml")
    entry = parsed.declarations[0].root.entry("zero_data_retention")
    assert entry is not None and entry.value.location == Location("w.yaml", 5, 22)


def test_blocks_cover_mappings_and_collection_values() -> None:
    parsed = parse_yaml(ORG, "org.yaml")
    spans = {(s.start_line, s.end_line) for s in parsed.blocks}
    assert (2, 8) in spans  # the document
    assert (6, 8) in spans  # workspaces:
    assert (7, 8) in spans  # - name: research
