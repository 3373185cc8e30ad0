"""Writes are safe: reports and baselines are written atomically (temporary file + rename), a
run that fails or is killed while writing leaves the old file intact, and baa-lint writes
nothing but those files and its caches."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli import cli

from .conftest import ZDR_TF, ZDR_YAML, write_bytes

OLD = '{"old": "report"}\n'


@pytest.fixture
def tree(in_tmp: Path) -> Path:
    write_bytes(in_tmp, {"src/org.yaml": ZDR_YAML, "src/infra/main.tf": ZDR_TF})
    (in_tmp / "out").mkdir()
    return in_tmp


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["--format", "json", "--output", "out/report"], "report"),
        (["--format", "text", "--format", "sarif=out/report"], "report"),
        (["--write-baseline", "out/report"], "baseline"),
    ],
    ids=["output", "format-file", "baseline"],
)
def test_a_failed_write_leaves_the_old_file(
    tree: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], what: str
) -> None:
    Path("out/report").write_text(OLD, encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = CliRunner().invoke(cli, ["check", "src", "--no-cache", *args])
    assert result.exit_code == 2
    assert result.stderr == (
        f"baa-lint: error: out/report: cannot write the {what}: No space left on device\n"
    )
    assert Path("out/report").read_text(encoding="utf-8") == OLD
    assert leftovers(Path("out")) == []


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "json", "--output", "out/report"],
        ["--write-baseline", "out/report"],
    ],
    ids=["output", "baseline"],
)
@pytest.mark.parametrize("moment", ["while-writing", "before-rename"])
def test_a_killed_run_never_leaves_a_half_written_file(
    tree: Path, args: list[str], moment: str
) -> None:
    """SIGKILL in the middle of the write (after half the text reached the temporary file), or
    just before the rename: the report is the old one, whole. (A killed process cannot clean
    up, so its hidden temporary file .report.*.tmp stays; the report itself is never touched.)"""
    Path("out/report").write_text(OLD, encoding="utf-8")
    driver = textwrap.dedent(
        f"""
        import os, signal, sys
        from linter.core import files  # noqa: F401  (loaded before the patches below)

        def die(*args):
            os.kill(os.getpid(), signal.SIGKILL)

        if {moment!r} == "before-rename":
            os.fsync = die
        else:
            real_fdopen = os.fdopen

            class Half:
                def __init__(self, handle):
                    self.handle = handle
                def __enter__(self):
                    return self
                def __exit__(self, *exc):
                    return False
                def write(self, text):
                    self.handle.write(text[: len(text) // 2])
                    self.handle.flush()
                    die()

            def fdopen(fd, mode="r", *a, **k):
                handle = real_fdopen(fd, mode, *a, **k)
                return Half(handle) if "w" in mode else handle  # write_atomic only

            os.fdopen = fdopen
        from linter.cli import main
        sys.argv = ["baa-lint", "check", "src", "--no-cache", *{args!r}]
        main()
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", driver], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert Path("out/report").read_text(encoding="utf-8") == OLD
    [temp] = leftovers(Path("out"))
    assert temp.startswith(".report.")


def test_reports_are_written_whole_and_keep_their_mode(tree: Path) -> None:
    Path("out/report.json").write_text(OLD, encoding="utf-8")
    Path("out/report.json").chmod(0o640)
    result = CliRunner().invoke(
        cli, ["check", "src", "--no-cache", "--format", "json", "--output", "out/report.json"]
    )
    assert result.exit_code == 1
    assert json.loads(Path("out/report.json").read_text(encoding="utf-8"))["findings"]
    assert Path("out/report.json").stat().st_mode & 0o777 == 0o640
    assert leftovers(Path("out")) == []


AUDIT_DRIVER = """
import json, os, sys

writes = []
FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
MUTATING = {
    "os.mkdir": 0, "os.rename": 1, "os.replace": 1, "os.remove": 0, "os.unlink": 0,
    "os.rmdir": 0, "os.truncate": 0, "os.symlink": 1, "os.link": 1, "os.chmod": 0,
    "os.chown": 0, "os.utime": 0, "shutil.rmtree": 0, "shutil.move": 1, "shutil.copyfile": 1,
}
active = True

def hook(event, args):
    if not active:
        return
    path = None
    if event == "open":
        target, mode, flags = args
        if isinstance(target, (str, bytes, os.PathLike)) and (
            (isinstance(mode, str) and any(c in mode for c in "wax+"))
            or (mode is None and isinstance(flags, int) and flags & FLAGS)
        ):
            path = target
    elif event in MUTATING:
        path = args[MUTATING[event]]
    if isinstance(path, (str, bytes, os.PathLike)):
        writes.append([event, os.path.abspath(os.fsdecode(path))])

sys.addaudithook(hook)
from linter.cli import main
sys.argv = ["baa-lint", *sys.argv[2:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
active = False
with open(os.environ["AUDIT_LOG"], "w") as log:
    json.dump({"code": code, "writes": writes}, log)
"""


def test_writes_nothing_but_its_outputs_and_caches(tree: Path) -> None:
    (tree / ".git").mkdir()  # the repository root, where the parse cache goes
    home = tree / "home"
    env = dict(
        os.environ,
        HOME=str(home),
        XDG_CACHE_HOME=str(home / "xdg"),
        TMPDIR=str(home / "tmp"),
        PYTHONDONTWRITEBYTECODE="1",
        AUDIT_LOG=str(home / "audit.json"),
    )
    (home / "tmp").mkdir(parents=True)
    before = {p: p.read_bytes() for p in (tree / "src").rglob("*") if p.is_file()}
    args = [
        "check",
        "src",
        "--jobs",
        "1",
        "--format",
        "text",
        "--format",
        "sarif=out/results.sarif",
        "--format",
        "json=out/report.json",
    ]
    for extra in ([], ["--write-baseline", "out/baseline.json"]):
        proc = subprocess.run(
            [sys.executable, "-c", AUDIT_DRIVER, "driver", *args, *extra],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        log = json.loads((home / "audit.json").read_text(encoding="utf-8"))
        assert log["code"] == (0 if extra else 1), proc.stderr
        allowed = (
            str(tree / "out") + "/",
            str(tree / ".baa-lint-cache"),  # the parse cache (repository root)
            str(home / "xdg"),  # the user cache (grammar tables): $XDG_CACHE_HOME/baa-lint
        )
        written = {path for _, path in log["writes"]}
        assert written, "the audit hook saw nothing: it is not working"
        assert sorted(p for p in written if not p.startswith(allowed)) == []
        outputs = {p for p in written if p.startswith(str(tree / "out"))}
        expected = {"results.sarif", "report.json"} if not extra else {"baseline.json"}
        assert {Path(p).name for p in outputs if not p.endswith(".tmp")} == expected
    after = {p: p.read_bytes() for p in (tree / "src").rglob("*") if p.is_file()}
    assert after == before  # the linted tree itself is never modified
    assert sorted(p.name for p in (tree / "out").iterdir()) == [
        "baseline.json",
        "report.json",
        "results.sarif",
    ]
