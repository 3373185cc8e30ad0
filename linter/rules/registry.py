"""The rule registry: one explicit, ordered list. Nothing registers itself on import.

Adding a rule: write its check and metadata in a rule module, then add it to ``RULES``.
"""

from __future__ import annotations

import difflib

from linter.core.rule_lookup import RuleLookup
from linter.rules.base import Rule
from linter.rules.coverage import (
    BAA001,
    BAA002,
    BAA004,
    BAA005,
    BAA006,
    BAA007,
    BAA008,
    BAA009,
    BAA010,
    BAA011,
    BAA012,
    BAA016,
    BAA017,
)
from linter.rules.declarations import (
    BAA013,
    BAA014,
    BAA015,
    BAA018,
    BAA902,
    PARSE_ERROR_RULE,
    SCHEMA_ERROR_RULE,
)
from linter.rules.organization import BAA003

RULES: tuple[Rule, ...] = (
    BAA001,
    BAA002,
    BAA003,
    BAA004,
    BAA005,
    BAA006,
    BAA007,
    BAA008,
    BAA009,
    BAA010,
    BAA011,
    BAA012,
    BAA013,
    BAA014,
    BAA015,
    BAA016,
    BAA017,
    BAA018,
    PARSE_ERROR_RULE,
    SCHEMA_ERROR_RULE,
    BAA902,
)

_BY_KEY: dict[str, Rule] = {}
for _rule in RULES:
    for _key in (_rule.code, _rule.slug):
        if _key.lower() in _BY_KEY:
            raise RuntimeError(f"duplicate rule code or slug: {_key}")
        _BY_KEY[_key.lower()] = _rule


def find_rule(code_or_slug: str) -> Rule | None:
    """Look a rule up by code (BAA001, baa001) or slug (covered-model-on-zdr)."""
    return _BY_KEY.get(code_or_slug.strip().lower())


def rule_keys() -> list[str]:
    return [k for r in RULES for k in (r.code, r.slug)]


def suggest_rule(raw: str) -> str:
    """A "; did you mean ...?" hint for a mistyped rule code or slug, or ""."""
    digits = raw.strip().upper().removeprefix("BAA")
    if digits.isdigit() and len(digits) < 3:
        padded = find_rule(f"BAA{int(digits):03d}")
        if padded is not None:
            return f"; did you mean '{padded.code}'?"
    code = raw.strip().upper()
    if code.startswith("BAA") and 5 <= len(code) <= 7:
        # A code one key away (BAA0O1, BAA0011) is a typo of the nearest code, not of the code
        # that merely shares the most characters (difflib would say BAA901); on a tie, the
        # characters shared decide, below.
        lookalike = find_rule(code[:3] + code[3:].translate(_LOOKALIKES))  # BAA0O1: O for 0
        if lookalike is not None:
            return f"; did you mean '{lookalike.code}'?"
        distance = {r.code: _edit_distance(code, r.code) for r in RULES}
        best = min(distance.values())
        nearest = [c for c, d in distance.items() if d == best]
        if best <= 2 and len(nearest) <= 3:
            return "; did you mean " + " or ".join(f"'{c}'" for c in nearest) + "?"
    match = difflib.get_close_matches(raw, rule_keys(), n=1)
    return f"; did you mean '{match[0]}'?" if match else ""


# Letters typed for the digits they look like, in the number part of a code.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "S": "5"})


def _edit_distance(a: str, b: str) -> int:
    """Edits between two short codes: insertions, deletions, substitutions and swaps of two
    neighbouring characters (BAA092 is one swap from BAA902)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


# What the registry hands to the stages below it (settings, suppressions).
LOOKUP = RuleLookup(find_rule, suggest_rule)

__all__ = ["LOOKUP", "RULES", "find_rule", "rule_keys", "suggest_rule"]
