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
from html.parser import HTMLParser
from pathlib import Path

import pytest

from linter.output.report import html
from tests.report import golden_report

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
