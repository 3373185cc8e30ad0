"""The HTML report in a real browser: headless Chromium loads it, screenshots it and prints it.

Skipped when Chromium is not installed (Debian: ``apt-get install -y chromium``); CI installs it.
``BAA_LINT_CHROMIUM`` names another binary.
Every browser run is bounded by ``TIMEOUT`` seconds and killed with its whole process group, so a
hung browser cannot hang the suite.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from linter.output.report import build_report, html
from tests.report import golden_report, lint_here, working_directory, write_tree

TIMEOUT = 60
# Another browser binary (e.g. on macOS) can be named in BAA_LINT_CHROMIUM.
CHROMIUM = Path(os.environ.get("BAA_LINT_CHROMIUM", "/usr/bin/chromium"))

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is not installed (apt-get install -y chromium); CI installs it",
)

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium(args: list[str], profile: Path) -> str:
    """Run headless Chromium with a throw-away profile; return its stdout."""
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args]
    env = {**os.environ, "HOME": str(profile)}  # crash dumps and caches stay in the profile
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group: renderers die with it on timeout
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"chromium did not finish within {TIMEOUT} s: {' '.join(args)}")
    assert process.returncode == 0, f"chromium failed ({process.returncode}): {err[-2000:]}"
    return out


class TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    page = root / "report.html"
    page.write_text(html.render(golden_report(root / "tree")), encoding="utf-8")
    return page


def profile(tmp_path: Path) -> Path:
    path = tmp_path / "profile"
    path.mkdir()
    return path


def test_dom_shows_the_numbers_names_findings_and_justification(
    rendered: Path, tmp_path: Path
) -> None:
    dom = chromium(["--dump-dom", rendered.as_uri()], profile(tmp_path))
    parsed = TextOf()
    parsed.feed(dom)
    text = parsed.text
    assert "Headline risk: 1 configuration carries PHI but is not BAA-eligible." in text
    assert "10 configurations" in text
    assert "6 BAA-eligible" in text
    assert "1 eligibility unknown" in text
    assert "Organization acme-research" in text
    assert (
        "workspace 'frontier-evals' of organization 'acme-research' carries PHI on a "
        "standard-retention workspace carved out of ZDR organization 'acme-research'"
    ) in text
    assert "retiring in Q1; tracked in COMP-142" in text
    assert "? unknown (depends on unresolved values)" in text
    # The hostile workspace name is text in the browser's DOM, never an element.
    assert "notes <script>alert(1)<script> & R|D" in text
    assert "script" not in parsed.tags


def test_screenshot_renders(rendered: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(
        [f"--screenshot={shot}", "--window-size=1280,2000", rendered.as_uri()], profile(tmp_path)
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 50_000  # a blank page is a few kilobytes


def test_prints_to_pdf(rendered: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    chromium(
        [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", rendered.as_uri()], profile(tmp_path)
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(data) > 20_000
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= 2


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_printed_pdf_keeps_the_evidence(rendered: Path, tmp_path: Path) -> None:
    # Evidence sits in <details>: on paper it must be there, not collapsed away.
    pdf = tmp_path / "report.pdf"
    closed = tmp_path / "closed.html"
    closed.write_text(
        rendered.read_text(encoding="utf-8").replace("<details open>", "<details>"),
        encoding="utf-8",
    )
    chromium(
        [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", closed.as_uri()], profile(tmp_path)
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "sets zero_data_retention: true" in flat
    assert "is defined here, without a value baa-lint can resolve" in flat


# -- Pagination: a long report, printed ----------------------------------------------------------
#
# Where a page breaks is decided by the browser, so it is measured on the printed PDF. Markers
# in the page find each row and heading in pdftotext's output (one text block per page, pages
# separated by form feeds): every cell of a table body row gets ``q<row>`` at its start and end,
# every header cell ``t<table>``, every heading ``k<n>`` at its end (numbers in base 36, two
# digits, so a marker fits the narrowest column without wrapping). A row is whole when all its
# markers are on one page; a heading stays with what follows when its marker is never on a
# page's last line; a table that goes on over a page break shows its header row again.

ROW_MARK = re.compile(r"(?<![\w-])q([0-9a-z]{2})(?![\w-])")
HEADING_MARK = re.compile(r"(?<![\w-])k[0-9a-z]{2}(?![\w-])")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_TABLE = re.compile(r"<table[^>]*>.*?</table>", re.S)
_SECTION = re.compile(r"<(thead|tbody)>.*?</\1>", re.S)
_ROW = re.compile(r"<tr[^>]*>.*?</tr>", re.S)
_CELL = re.compile(r"(<t[hd][^>]*>)(.*?)(</t[hd]>)", re.S)
_HEADING = re.compile(r"(<h[1-4][^>]*>)(.*?)(</h[1-4]>)", re.S)


@dataclass
class Marks:
    table_of_row: dict[int, int] = field(default_factory=dict)
    markers_of_row: dict[int, int] = field(default_factory=dict)
    tables: int = 0


def long_tree() -> dict[str, str]:
    """Ten organizations of nine workspaces, with findings on most: dozens of A4 pages."""
    files = {}
    for org in range(10):
        workspaces = []
        for ws in range(9):
            extra = [f"o{org}w{ws}-model-{k}" for k in range(ws % 4)]
            models = ", ".join(["claude-haiku-4-5", *extra])
            phi = "true" if ws % 2 == 0 else "false"
            workspaces.append(
                f"  - name: org{org}-ws-{ws}\n    phi: {phi}\n    models: [{models}]\n"
            )
        files[f"infra/org{org}.yaml"] = (
            f"apiVersion: baa-lint/v1\nkind: Organization\nname: organization-{org}\n"
            f"baa_signed: {'true' if org % 3 else 'false'}\n"
            f"hipaa_ready: {'true' if org % 2 == 0 else 'false'}\nworkspaces:\n"
            + "".join(workspaces)
        )
    return files


def base36(number: int) -> str:
    assert number < 36 * 36, "more rows than two base-36 digits can number"
    return _DIGITS[number // 36] + _DIGITS[number % 36]


def with_markers(page: str) -> tuple[str, Marks]:
    """The page with row, header and heading markers, and where each row's markers belong."""
    marks = Marks()

    def mark_table(table: re.Match[str]) -> str:
        number = marks.tables
        marks.tables += 1

        def mark_section(section: re.Match[str]) -> str:
            if section[1] == "thead":
                mark = f"t{base36(number)}"
                return _CELL.sub(lambda c: f"{c[1]}{mark} {c[2]}{c[3]}", section[0])
            return _ROW.sub(mark_row, section[0])

        def mark_row(row: re.Match[str]) -> str:
            index = len(marks.table_of_row)
            marks.table_of_row[index] = number
            marks.markers_of_row[index] = 0

            def mark_cell(cell: re.Match[str]) -> str:
                marks.markers_of_row[index] += 2
                mark = f"q{base36(index)}"
                return f"{cell[1]}{mark} {cell[2]} {mark}{cell[3]}"

            return _CELL.sub(mark_cell, row[0])

        return _SECTION.sub(mark_section, table[0])

    marked = _TABLE.sub(mark_table, page)
    headings = iter(range(100_000))
    marked = _HEADING.sub(lambda h: f"{h[1]}{h[2]} k{base36(next(headings))}{h[3]}", marked)
    return marked, marks


Printed = tuple[list[str], Marks]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The long report, marked, printed to PDF, as one text per page."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) missing")
    root = tmp_path_factory.mktemp("long")
    write_tree(root / "tree", long_tree())
    with working_directory(root / "tree"):
        result = lint_here(["infra"])
    page, marks = with_markers(html.render(build_report(result, ["infra"], "<VERSION>")))
    source = root / "long.html"
    source.write_text(page, encoding="utf-8")
    pdf = root / "long.pdf"
    (root / "profile").mkdir()
    chromium([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", source.as_uri()], root / "profile")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 10  # long enough to put page breaks everywhere
    return pages, marks


def pages_of_rows(pages: list[str]) -> dict[int, list[int]]:
    """Each row's markers, as the page number of every one found."""
    found: dict[int, list[int]] = {}
    for number, page in enumerate(pages):
        for match in ROW_MARK.finditer(page):
            found.setdefault(int(match[1], 36), []).append(number)
    return found


def test_printed_table_rows_are_never_split(printed: Printed) -> None:
    pages, marks = printed
    found = pages_of_rows(pages)
    # Every marker of every row is found (none lost to a wrapped or clipped cell) ...
    assert {row: len(on) for row, on in found.items()} == marks.markers_of_row
    # ... and on one page.
    split = {row: sorted(set(on)) for row, on in found.items() if len(set(on)) > 1}
    assert not split, f"table rows split across pages (row: pages): {split}"


def test_printed_headings_are_never_the_last_line_of_a_page(printed: Printed) -> None:
    pages, _ = printed
    stranded = []
    for number, page in enumerate(pages):
        last = [line for line in page.splitlines() if line.strip()][-1]
        if HEADING_MARK.search(last):
            stranded.append((number + 1, last.strip()))
    assert not stranded, f"headings left at the foot of a page (page, line): {stranded}"


def test_printed_tables_repeat_their_header_row_on_each_page(printed: Printed) -> None:
    pages, marks = printed
    first_page = {row: min(on) for row, on in pages_of_rows(pages).items()}
    continued = 0
    for row, page in first_page.items():
        table = marks.table_of_row[row]
        previous = row - 1
        if marks.table_of_row.get(previous) != table or first_page[previous] == page:
            continue  # not the first row of a table's continuation on a new page
        continued += 1
        head = pages[page][: ROW_MARK.search(pages[page]).start()]  # type: ignore[union-attr]
        assert re.search(rf"(?<![\w-])t{base36(table)}(?![\w-])", head), (table, page)
    assert continued, "no table went on over a page break: make the report longer"
