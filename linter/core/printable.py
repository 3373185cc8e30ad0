"""Text from inputs made safe for a terminal or a CI log: every control character as an escape.

A name, a value or a file name in a pull request can hold a carriage return, an ANSI escape
sequence (ESC), a bell, an OSC 8 hyperlink or a bidirectional override. Written raw, they can
erase or rewrite a finding's ``path:line:col: CODE`` prefix on a terminal, hide text or forge
log lines (SPEC §9). Every formatter that writes input-derived text for a terminal or a CI log
passes it through :func:`printable` *before* adding its own styling, so the colour codes
baa-lint writes itself stay and nothing from an input can imitate them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Format characters that reorder or hide text (bidirectional embeddings, overrides and
# isolates, the marks, zero-width joiners are left alone: they do not reorder anything).
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@lru_cache(maxsize=1024)
def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _unsafe(char: str) -> bool:
    # Cc: C0, DEL and C1 controls; Zl, Zp: line and paragraph separators (they break lines);
    # Cs: lone surrogates (an undecodable file name), which no terminal encoding can write.
    return unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs") or char in _BIDI


def printable(text: str, keep: str = "") -> str:
    """``text`` with every control character shown as an escape (``\\r``, ``\\x1b``, ``\\u202e``).

    Newlines are escaped too, so one input-derived value never spans two lines of output,
    unless ``keep`` names them: a format that gives line breaks its own meaning (markdown's
    ``<br>``, whitespace in HTML) keeps them and handles them itself. Printable text, including
    non-ASCII letters, is unchanged.
    """
    if text.isprintable():  # the common case: nothing to do (spaces count as printable)
        return text
    return "".join(_escape(c) if _unsafe(c) and c not in keep else c for c in text)


# What json.dumps(ensure_ascii=False) leaves raw although a terminal may act on it: DEL, C1
# controls (U+009B is CSI), line and paragraph separators, bidirectional controls, and lone
# surrogates. C0 controls are always escaped by the encoder.
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def json_printable(text: str) -> str:
    """JSON text (from json.dumps) with every character a terminal could act on written as a
    ``\\uXXXX`` escape: the same JSON value, safe to print. Outside strings JSON is ASCII, so
    every match is inside a string, where the escape means the same character."""
    if text.isascii() and "\x7f" not in text:  # most reports: two scans in C, no regex
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
