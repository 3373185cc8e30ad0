"""The last defence for sensitive values: mask their raw text wherever it still appears.

Redaction is structural first: a sensitive value is marked where it enters (linter.core.model
``Origin``), the mark travels with the value, and every place that prints a value or a note
prints :data:`~linter.core.model.SENSITIVE` for a marked one. Identities are the exception:
an object's address, a ``for_each`` key inside it, a map key in an attribute path are plain
strings, not values, and a message may quote one. So the pipeline also masks, in everything
it hands to the outputs, the raw text of every sensitive value it knows of (SPEC §9).

Only texts of :data:`MIN_LENGTH` characters or more are masked, and only where they stand
alone (not inside a longer word): a sensitive ``"prod"`` must not turn "products" into
"(sensitive)ucts". Words of the language itself (``true``, ``standard``, product and platform
names, catalogue model ids) are never masked: they are public, and the messages are made of
them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from linter.core.findings import Evidence, Finding
from linter.core.model import SENSITIVE
from linter.core.posture import PostureRow

MIN_LENGTH = 4


class Redactor:
    """Masks the raw text of a set of sensitive values."""

    def __init__(self, secrets: Iterable[str], vocabulary: Iterable[str] = ()) -> None:
        public = set(vocabulary)
        texts = {s for s in secrets if len(s) >= MIN_LENGTH and s not in public}
        self.active = bool(texts)
        # Longest first, so a name built from a secret is masked whole, not around it.
        alternatives = "|".join(re.escape(t) for t in sorted(texts, key=lambda t: (-len(t), t)))
        self._pattern = re.compile(f"(?<![0-9A-Za-z])(?:{alternatives})(?![0-9A-Za-z])")

    def text(self, text: str) -> str:
        if not self.active or not text:
            return text
        return self._pattern.sub(SENSITIVE, text)

    def finding(self, finding: Finding) -> Finding:
        if not self.active:
            return finding
        masked = replace(
            finding,
            message=self.text(finding.message),
            object=self.text(finding.object),
            attribute=self.text(finding.attribute),
            evidence=tuple(Evidence(e.location, self.text(e.fact)) for e in finding.evidence),
            fix=self.text(finding.fix),
        )
        return finding if masked == finding else masked

    def row(self, row: PostureRow) -> PostureRow:
        if not self.active:
            return row
        return replace(
            row,
            organization=self.text(row.organization),
            name=self.text(row.name),
            address=self.text(row.address),
            product=self.text(row.product),
            route=self.text(row.route),
            retention=self.text(row.retention),
            phi=self.text(row.phi),
            models=tuple(self.text(m) for m in row.models),
            link=self.text(row.link),
        )


NO_SECRETS = Redactor(())
