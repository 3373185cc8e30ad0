"""Helpers for the attack tests of issue 11: the repository is untrusted input (SPEC §9).

Every attack drives baa-lint only through its command line, in a subprocess
(``python -m linter``), with its own HOME and XDG_CACHE_HOME under ``tmp_path``, so a test never
touches the real home directory and "another user" or "another machine" is simply another
home. A repository is a ``tmp_path`` tree with a ``.git`` directory (its root, for baa-lint).
Secrets and "elsewhere" directories live beside the repository, never inside it.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import pty
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import tty
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..conftest import write_tree

# --- The cache's layout, as documented in README.md and linter/cache.py ------------------------
# The attacks forge or plant these files by path. Update these names (and nothing in the tests)
# when the cache format changes.
CACHE_DIR = ".baa-lint-cache"  # the default cache: at the repository root
USER_CACHE_DIR = "baa-lint"  # the fallback: $XDG_CACHE_HOME/baa-lint
PARSE_ENTRIES = "v1"  # where earlier versions kept parsed files: v1/<2 hex digits>/<62 more>
EVAL_MEMO = "eval-v7.marshal"  # each root module's evaluation (marshal: see read_eval_memo)
VERDICT_MEMO = "verdict-v1.marshal"  # the last run's findings, keyed by its declarations
KNOWN_VALID = "valid-v1.json"  # digests of declarations already found schema-valid
SCAN_MEMO = "scan-v2.marshal"  # what each file mentions, by path and stat signature (pruning)
GITIGNORE = ".gitignore"  # written into the cache directory
CACHEDIR_TAG = "CACHEDIR.TAG"  # written into the cache directory


def read_eval_memo(path: Path) -> Any:
    """The evaluation memo's data: a marshal document (plain data only)."""
    return marshal.loads(path.read_bytes())


def write_eval_memo(path: Path, document: Any) -> None:
    """Store the memo's data as baa-lint stores it, but without signing it (as a forger can)."""
    path.write_bytes(marshal.dumps(document))


def known_valid_digest(instance: Any, definition: str = "") -> str:
    """The digest under which valid-v1.json marks a declaration as schema-valid.

    It mirrors linter/schema.py (``_digest``): what an attacker computes to forge the
    document. Update it with that function.
    """
    from linter import __version__

    schema = json.loads(
        (Path(__file__).parents[2] / "schemas" / "declaration.schema.json").read_text("utf-8")
    )
    schema_digest = hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()
    key = [__version__, schema_digest, definition, instance]
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()


# --- Inputs ----------------------------------------------------------------------------------

# A Terraform organization with zero data retention whose workspace expects a Covered Model:
# BAA001 at 11:22 (the model). WORKSPACE_NAME is substituted by some attacks.
ZDR_TF = (
    'resource "anthropic_organization" "org" {\n'
    '  name                = "acme-tf"\n'
    '  type                = "api"\n'
    "  baa_signed          = true\n"
    "  zero_data_retention = true\n"
    "}\n"
    "\n"
    'resource "anthropic_workspace" "ws" {\n'
    "  name            = WORKSPACE_NAME\n"
    "  organization_id = anthropic_organization.org.id\n"
    '  models          = ["claude-fable-5"]\n'
    "}\n"
)


def zdr_tf(name_expression: str = '"ws"') -> str:
    """ZDR_TF with the workspace's name set to an HCL expression."""
    return ZDR_TF.replace("WORKSPACE_NAME", name_expression)


# The same violation in YAML: BAA001 at 8:14.
ZDR_YAML = (
    "apiVersion: baa-lint/v1\n"
    "kind: Organization\n"
    "name: acme\n"
    "baa_signed: true\n"
    "zero_data_retention: true\n"
    "workspaces:\n"
    "  - name: a\n"
    "    models: [claude-fable-5]\n"
)

FORMATS = ("text", "json", "sarif", "github")


# --- Running baa-lint --------------------------------------------------------------------------


@dataclass
class Run:
    args: Sequence[str]
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def findings(self) -> list[dict[str, Any]]:
        try:
            data: list[dict[str, Any]] = json.loads(self.stdout)["findings"]
        except ValueError:
            pytest.fail(f"not JSON output (exit {self.exit_code}): {self.output[-2000:]}")
        return data

    def located(self) -> list[str]:
        """'CODE path:line:col' of every finding, in output order."""
        return [f"{f['rule']} {f['path']}:{f['line']}:{f['column']}" for f in self.findings]

    def comparable(self) -> list[tuple[Any, ...]]:
        """What must not change whatever the cache holds: every finding, fully."""
        return [
            (f["rule"], f["severity"], f["path"], f["line"], f["column"], f["message"])
            for f in self.findings
        ]

    def messages(self, path: str) -> list[str]:
        return [f"{f['rule']} {f['message']}" for f in self.findings if f["path"] == path]


@dataclass
class Machine:
    """One user on one machine: a home directory (and so a user cache) of their own."""

    home: Path

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("TF_VAR_", "GITHUB_", "BAA_LINT"))
            and k not in ("NO_COLOR", "FORCE_COLOR", "CI")
        }
        env["HOME"] = str(self.home)
        env["XDG_CACHE_HOME"] = str(self.home / ".cache")
        env.update(extra or {})
        return env

    @property
    def user_cache(self) -> Path:
        return self.home / ".cache" / USER_CACHE_DIR

    def run(
        self,
        *args: str,
        cwd: Path,
        env: Mapping[str, str] | None = None,
        timeout: float = 60,
        disk_space: int | None = None,
    ) -> Run:
        """``python -m linter ARGS`` in ``cwd`` (``disk_space``: bytes any one file may grow to).

        Raises subprocess.TimeoutExpired (after killing it) when it runs past ``timeout``."""
        command = [sys.executable, "-m", "linter", *args]
        done = subprocess.run(
            command,
            cwd=cwd,
            env=self.env(env),
            capture_output=True,  # bytes: no newline translation hides a raw \r
            timeout=timeout,
            check=False,
            preexec_fn=None if disk_space is None else _full_disk(disk_space),
        )
        return Run(args, done.returncode, _text(done.stdout), _text(done.stderr))

    def run_formats(
        self, *args: str, cwd: Path, reports: Path, env: Mapping[str, str] | None = None
    ) -> tuple[Run, dict[str, str]]:
        """One ``check`` writing every format of FORMATS (text on stdout, the others to files in
        ``reports``, outside the repository); the run (with JSON findings) and each output."""
        reports.mkdir(parents=True, exist_ok=True)
        files = {name: reports / f"out.{name}" for name in FORMATS if name != "text"}
        options = [arg for name, path in files.items() for arg in ("--format", f"{name}={path}")]
        run = self.run("check", "--format", "text", *options, *args, cwd=cwd, env=env)
        outputs = {"text": run.output}
        for name, path in files.items():
            outputs[name] = path.read_text(encoding="utf-8") if path.exists() else ""
        as_json = Run(args, run.exit_code, outputs["json"], run.stderr)
        return as_json, outputs

    def run_tty(self, *args: str, cwd: Path, timeout: float = 60) -> str:
        """``python -m linter ARGS`` with stdout on a terminal (a pseudo-terminal in raw mode,
        so the bytes read are the bytes written); what reached the terminal."""
        master, slave = pty.openpty()
        tty.setraw(slave)
        env = self.env({"TERM": "xterm-256color"})
        command = [sys.executable, "-m", "linter", *args]
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(
                command, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=errors
            )
            os.close(slave)
            chunks = []
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child has closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            os.close(master)
            process.wait(timeout=timeout)
            errors.seek(0)
            stderr = errors.read()
        return _text(b"".join(chunks)) + _text(stderr)

    def check(self, *args: str, cwd: Path, env: Mapping[str, str] | None = None) -> Run:
        """``check --format json ARGS``."""
        return self.run("check", "--format", "json", *args, cwd=cwd, env=env)


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _full_disk(size: int) -> Callable[[], None]:
    """For the child: every file write past ``size`` bytes fails (EFBIG), as on a full disk."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, do not kill the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def fresh_machine(home: Path) -> Machine:
    """A machine whose home holds nothing yet."""
    machine = Machine(home)
    shutil.rmtree(home, ignore_errors=True)
    machine.user_cache.mkdir(mode=0o700, parents=True)  # as baa-lint creates it
    return machine


@pytest.fixture(scope="session")
def homes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Home directories at the same paths in every test (emptied before each)."""
    return tmp_path_factory.mktemp("homes")


@pytest.fixture
def victim(homes: Path) -> Machine:
    """The CI runner that lints the pull request."""
    return fresh_machine(homes / "victim")


@pytest.fixture
def attacker(homes: Path) -> Machine:
    """The pull request's author, on their own machine."""
    return fresh_machine(homes / "attacker")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The checked-out pull request: a git work tree (its root bounds every read)."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory elsewhere on the machine, with something in it worth keeping."""
    root = tmp_path / "elsewhere"
    root.mkdir()
    (root / "keep.txt").write_text("precious\n", encoding="utf-8")
    return root


def write(root: Path, files: Mapping[str, str]) -> None:
    write_tree(root, files)


# --- Inspecting trees --------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[str, object]]:
    """Every entry below ``root`` (symlinks not followed): its kind and content or target.

    Only for small trees of small files: it reads them all."""
    found: dict[str, tuple[str, object]] = {}
    for directory, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(directory) / name
            info = path.lstat()
            relative = path.relative_to(root).as_posix()
            if stat.S_ISLNK(info.st_mode):
                found[relative] = ("link", str(path.readlink()))
            elif stat.S_ISDIR(info.st_mode):
                found[relative] = ("dir", None)
            else:
                found[relative] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def cache_documents(name: str, *roots: Path) -> list[Path]:
    """Every cache document called ``name`` below ``roots`` (wherever the cache lives: the
    repository's cache directory or the user cache directory)."""
    return sorted(p for root in roots if root.exists() for p in root.rglob(name) if p.is_file())


def all_parse_entries(*roots: Path) -> list[Path]:
    """Every parse-cache entry below ``roots``."""
    return sorted(
        p
        for root in roots
        if root.exists()
        for entries in root.rglob(PARSE_ENTRIES)
        if entries.is_dir()
        for p in entries.glob("*/*")
        if p.is_file() and not p.name.startswith(".")
    )


def memo_output(root: dict[str, Any]) -> list[Any]:
    """A memo root's ``[decls, tables]``: kept as marshal bytes of their own (``out``), the
    declarations as ``[key, declaration]`` pairs. Update with the memo's format."""
    return marshal.loads(root["out"])  # type: ignore[no-any-return]


def set_memo_output(root: dict[str, Any], decls: list[Any], tables: Any) -> None:
    root["out"] = marshal.dumps([decls, tables])


def mistype_eval_memo(document: dict[str, Any]) -> dict[str, Any]:
    """The evaluation memo with one declaration's sort key made a list of strings."""
    for root in document["roots"].values():
        decls, tables = memo_output(root)
        decls[0][0] = ["zzz"]
        set_memo_output(root, decls, tables)
    return document
