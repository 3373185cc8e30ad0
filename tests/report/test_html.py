"""The HTML report: one self-contained, well-formed, escaped and printable file."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from linter.output.report import html
from linter.output.report.model import Report
from tests.report import golden_report

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col"}


class Outline(HTMLParser):
    """Collects tags, attributes and text, and checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "style":
            return
        self.text.append(data)

    @property
    def plain(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


def outline(text: str) -> Outline:
    parser = Outline()
    parser.feed(text)
    parser.close()
    return parser


@pytest.fixture
def report(tmp_path: Path) -> Report:
    return golden_report(tmp_path)


def test_well_formed(report: Report) -> None:
    parsed = outline(html.render(report))
    assert parsed.errors == []
    assert parsed.stack == []


def test_self_contained_no_script_no_external_assets(report: Report) -> None:
    text = html.render(report)
    parsed = outline(text)
    names = {tag for tag, _ in parsed.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed"}
    assert not re.search(r"https?://", text)
    assert "@import" not in text and "url(" not in text
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert hrefs and all(h and h.startswith("#") for h in hrefs)
    ids = {attrs["id"] for _, attrs in parsed.tags if attrs.get("id")}
    assert {h[1:] for h in hrefs if h} <= ids  # every in-page link has its target


def test_user_strings_are_escaped(report: Report) -> None:
    org = report.organizations[0]
    hostile = replace(org, name='evil <script>alert("x")</script> & "co" \'q\'')
    text = html.render(replace(report, organizations=(hostile, *report.organizations[1:])))
    assert "<script>" not in text
    assert (
        "evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;co&quot; &#x27;q&#x27;"
        in text
    )
    # The golden tree's workspace name, and the ampersand in it.
    assert "notes &lt;script&gt;alert(1)&lt;script&gt; &amp; R|D" in text
    parsed = outline(text)
    assert 'evil <script>alert("x")</script> & "co"' in parsed.plain
    assert "script" not in {tag for tag, _ in parsed.tags}


def test_semantic_tables(report: Report) -> None:
    parsed = outline(html.render(report))
    tags = [tag for tag, _ in parsed.tags]
    assert tags.count("table") == tags.count("caption") == tags.count("thead")
    scopes = {attrs.get("scope") for tag, attrs in parsed.tags if tag == "th"}
    assert scopes == {"col", "row"}
    assert "Configurations of organization acme-research" in parsed.plain
    assert ("html", {"lang": "en"}) in parsed.tags


def test_status_is_written_in_words_not_only_colour(report: Report) -> None:
    text = html.render(report)
    badges = re.findall(r'<span class="badge (\w+)(?: wrap)?">([^<]*)</span>', text)
    assert badges
    for kind, label in badges:
        assert label.strip(), f"a {kind} badge without text"
    labels = {label for _, label in badges}
    assert "\u2713 ok (1 suppressed)" in labels
    assert "\u2717 findings: 1 error" in labels
    assert "\u26a0 PHI without BAA coverage" in labels
    assert "? unknown (depends on unresolved values)" in labels
    assert {"\u2713 PASS", "\u2717 FAIL"} <= labels


def test_print_rules(report: Report) -> None:
    text = html.render(report)
    style = text[text.index("<style>") : text.index("</style>")]
    print_rules = style[style.index("@media print") :]
    assert "break-inside: avoid" in print_rules and "tr," in print_rules
    assert "thead { display: table-header-group; }" in print_rules
    assert "details::details-content" in print_rules
    assert "background: none" in print_rules
    # Evidence is open by default, so it shows on screen and on paper alike.
    assert "<details>" not in text
    assert text.count("<details open>") == 3


def test_headline_and_reading_guide(report: Report) -> None:
    plain = outline(html.render(report)).plain
    assert "Headline risk: 1 configuration carries PHI but is not BAA-eligible." in plain
    assert "How to read this report" in plain
    assert report.reading_guide in plain
    assert "Covered Models under a Business Associate Agreement (BAA) (as of 2026-11-24)" in plain


def test_no_risk_says_so_calmly(report: Report) -> None:
    summary = replace(report.summary, phi_not_eligible=())
    plain = outline(html.render(replace(report, summary=summary))).plain
    assert "No configuration is known to carry PHI outside BAA coverage." in plain
    assert "Headline risk" not in plain
