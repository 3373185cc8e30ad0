#!/usr/bin/env python3
"""Build the corpora where nothing can be pruned: every Terraform directory declares Anthropic
resources, so baa-lint must parse and evaluate all of it.

    python bench/dense.py --kind dense [--out bench/dense] [--copies N] [--source S]
    python bench/dense.py --kind bigfile [--out bench/bigfile] [--workspaces 20000]
    python bench/dense.py --kind foreach [--out bench/foreach] [--instances 10000]

- ``dense``: the Terraform files of the public repositories pinned in ``bench/dense.json``
  (copied at build time from local bare git mirrors, never committed), plus one small
  ``anthropic.tf`` in EVERY directory that has ``.tf`` files. Without the mirrors (CI, a fresh
  machine) the AWS/GCP monorepo of ``bench/generate.py`` stands in, again with an
  ``anthropic.tf`` in every directory. ``--copies N`` puts N copies side by side (``c1/`` ...
  ``cN/``; from the generator: N times its scale), for the memory-at-scale measurement.
- ``bigfile``: one ``.tf`` file of 20,000 ``anthropic_workspace`` resources (about 5 MB) and an
  organization of each kind.
- ``foreach``: one root whose ``for_each`` over a 10,000-entry map makes 10,000 workspaces.

The expected findings are computed here from the workspace profiles of ``generate.py`` as the
declarations are written, never by running baa-lint, and written to ``expected.json``.

Where baa-lint cannot know a directory's callers, the planted findings would depend on them
(a module called from three roots reports its findings three times, under each root's name). So
each directory is classified first: one that some Terraform file in the corpus names as a local
module source (``source = "../x"``; over-approximated on purpose, from the text) gets a *clean*
declaration, true whatever instantiates it; every other directory is a root module and gets the
planted violations of ``generate.py``'s first layout (organizations and workspaces with facts
as attributes or tags, suppressions, a commented-out workspace).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import posixpath
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 (bench/ is not a package)
from generate import (  # noqa: E402
    CLEAN,
    PROFILES,
    TEAM_NAMES,
    VIOLATIONS,
    WORKSPACE_NAMES,
    Corpus,
    Doc,
    ProfilePicker,
    UnitBuilder,
    _expect_profile,
    _org_block,
    _workspace_attrs,
)

DENSE_VERSION = 1
PINS = HERE / "dense.json"
MIRRORS_ENV = "BAA_LINT_BENCH_MIRRORS"
DEFAULT_MIRRORS = Path("/work/.mirror")
KINDS = ("dense", "bigfile", "foreach")
ANTHROPIC_FILE = "anthropic.tf"
BIGFILE_WORKSPACES = 20_000
FOREACH_INSTANCES = 10_000
# Module directories get an organization of one of these kinds and only clean workspaces.
MODULE_KINDS = ("hipaa", "zdr", "regular", "no-baa")
# A local module source in HCL (source = "../x") or JSON ("source": "./x"), anywhere in a file.
LOCAL_SOURCE = re.compile(rb'\bsource"?\s*[=:]\s*"(\.\.?(?:/[^"]*)?)"')
TOP_FILES = {
    "README.md": "# Benchmark corpus\n\nBuilt by bench/dense.py for the baa-lint benchmark.\n",
    # Isolates the corpus from configuration files further up the tree.
    ".baa-lint.yaml": "# baa-lint configuration for the benchmark corpus\nfail-on: warning\n",
}


class MirrorError(Exception):
    """A pinned repository cannot be read from the mirrors."""


@dataclass
class Tree:
    """One corpus being built: copied files (bytes) and generated ones (the Corpus)."""

    corpus: Corpus = field(default_factory=Corpus)
    copied: dict[str, bytes] = field(default_factory=dict)
    source: str = ""
    module_dirs: int = 0
    root_dirs: int = 0
    notes: list[str] = field(default_factory=list)

    def add_copied(self, path: str, data: bytes) -> None:
        if path in self.copied or path in self.corpus.files:
            raise AssertionError(f"written twice: {path}")
        self.copied[path] = data

    def all_files(self) -> dict[str, bytes]:
        files = dict(self.copied)
        for path, text in self.corpus.files.items():
            if path in files:
                raise AssertionError(f"written twice: {path}")
            files[path] = text.encode("utf-8")
        return files


# ----------------------------------------------------------------------------------------
# The pinned repositories
# ----------------------------------------------------------------------------------------


def load_pins() -> dict[str, object]:
    data: dict[str, object] = json.loads(PINS.read_text(encoding="utf-8"))
    return data


def mirrors_dir(explicit: Path | None = None) -> Path:
    if explicit is not None:
        return explicit
    return Path(os.environ.get(MIRRORS_ENV) or DEFAULT_MIRRORS)


def mirror_of(mirrors: Path, repo: str) -> Path | None:
    """The bare git directory of ``repo`` (owner/name) under ``mirrors``, if there is one."""
    owner, name = repo.split("/", 1)
    for candidate in (
        mirrors / f"{owner}+{name}" / "repo",
        mirrors / f"{owner}+{name}.git",
        mirrors / f"{owner}+{name}",
        mirrors / owner / f"{name}.git",
    ):
        if (candidate / "objects").is_dir():
            return candidate
    return None


def _git(git_dir: Path, *args: str, stdin: bytes | None = None) -> bytes:
    completed = subprocess.run(
        ["git", "--git-dir", str(git_dir), *args],
        input=stdin,
        capture_output=True,
        check=False,
    )
    if completed.returncode != 0:
        error = completed.stderr.decode("utf-8", "replace").strip()[-300:]
        raise MirrorError(f"{git_dir}: git {' '.join(args[:2])} failed: {error}")
    return completed.stdout


def repository_files(git_dir: Path, commit: str, extensions: tuple[str, ...]) -> dict[str, bytes]:
    """The regular files of ``commit`` whose names end with one of ``extensions``.

    Symbolic links and submodules are left out (a link could lead anywhere); a listed file
    whose content the mirror lacks is an error, since the corpus would not be the pinned one.
    """
    wanted: list[tuple[str, str]] = []
    for record in _git(git_dir, "ls-tree", "-r", "-z", commit).split(b"\0"):
        if not record:
            continue
        meta, raw_path = record.split(b"\t", 1)
        mode, kind, sha = meta.split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind == b"blob" and mode in (b"100644", b"100755") and path.endswith(extensions):
            wanted.append((path, sha.decode("ascii")))
    batch = _git(
        git_dir, "cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in wanted).encode()
    )
    files: dict[str, bytes] = {}
    position = 0
    for path, sha in wanted:
        end = batch.index(b"\n", position)
        header = batch[position:end].split()
        if len(header) < 3 or header[1] != b"blob":
            raise MirrorError(f"{git_dir}: {path} ({sha}) is missing from the mirror")
        size = int(header[2])
        files[path] = batch[end + 1 : end + 1 + size]
        position = end + 1 + size + 1
    return files


def mirrored_sources(mirrors: Path) -> tuple[dict[str, bytes], list[str]]:
    """Every pinned repository's Terraform files, each under its own directory."""
    pins = load_pins()
    extensions = tuple(str(e) for e in pins["extensions"])  # type: ignore[attr-defined]
    files: dict[str, bytes] = {}
    described = []
    for pin in pins["repositories"]:  # type: ignore[attr-defined]
        git_dir = mirror_of(mirrors, pin["repo"])
        if git_dir is None:
            raise MirrorError(f"no mirror of {pin['repo']} under {mirrors}")
        found = repository_files(git_dir, pin["commit"], extensions)
        for path, data in found.items():
            files[f"{pin['dir']}/{path}"] = data
        described.append(f"{pin['repo']}@{pin['commit'][:12]} ({len(found)} files)")
    return files, described


# ----------------------------------------------------------------------------------------
# Directories: which are module sources, which are roots
# ----------------------------------------------------------------------------------------


def terraform_dirs(paths: Iterable[str]) -> list[str]:
    return sorted({posixpath.dirname(p) for p in paths if p.endswith((".tf", ".tf.json"))})


def called_dirs(files: dict[str, bytes]) -> set[str]:
    """Directories that some Terraform file names as a local module source (over-approximated:
    any ``source`` attribute with a relative path, in any block, resolved from its file)."""
    called: set[str] = set()
    for path, data in files.items():
        if not path.endswith((".tf", ".tf.json")):
            continue
        base = posixpath.dirname(path)
        for match in LOCAL_SOURCE.finditer(data):
            target = match.group(1).decode("utf-8", "replace")
            called.add(posixpath.normpath(posixpath.join(base, target)))
    return called


def module_declaration(tree: Tree, number: int, team: str, directory: str) -> None:
    """An organization and clean workspaces: nothing to report, however the module is called."""
    corpus = tree.corpus
    kind = MODULE_KINDS[number % len(MODULE_KINDS)]
    doc = Doc()
    doc.add("# Anthropic declarations of this module: every root that calls it instantiates them.")
    doc.add()
    address = "module_org"
    _org_block(doc, kind, address, f"{team}-{kind}-module-{number:02d}")
    doc.add()
    clean = CLEAN[kind]
    for ws_number in range(1 + number % 2):
        profile_name = clean[(number + ws_number) % len(clean)]
        _workspace_attrs(
            doc,
            f"module_ws_{ws_number + 1}",
            f"{team}-module-{number:02d}-{ws_number + 1}",
            profile_name,
            org_ref=f"anthropic_organization.{address}.id",
            provider=None,
            style="attrs" if number % 2 == 0 else "tags",
        )
        corpus.workspaces += 1
        corpus.anthropic_blocks += 1
        corpus.anthropic_instances += 1
    corpus.organizations += 1
    corpus.anthropic_blocks += 1
    corpus.anthropic_instances += 1
    corpus.add(f"{directory}/{ANTHROPIC_FILE}", doc.text())
    corpus.anthropic_dirs.add(directory)


def plant_everywhere(
    tree: Tree, files: dict[str, bytes], directories: list[str], seed: int, tag: str
) -> None:
    """One anthropic.tf in each of ``directories``: clean in module sources, planted elsewhere."""
    called = called_dirs(files)
    builder = UnitBuilder(
        tree.corpus,
        random.Random(f"{seed}:dense:units"),
        ProfilePicker(random.Random(f"{seed}:dense:profiles")),
    )
    roots = 0  # of this call: each copy plants exactly what the first one does
    for number, directory in enumerate(directories):
        if f"{directory}/{ANTHROPIC_FILE}" in files:
            raise AssertionError(f"{directory} already has an {ANTHROPIC_FILE}")
        team = f"{tag}{TEAM_NAMES[number % len(TEAM_NAMES)]}"
        if directory in called:
            module_declaration(tree, number, team, directory)
            tree.module_dirs += 1
        else:
            builder.mixed_root(number, roots, team, directory)
            roots += 1
    tree.root_dirs += roots


def build_dense(copies: int, seed: int, source: str, mirrors: Path, generator_scale: float) -> Tree:
    tree = Tree()
    real: dict[str, bytes] | None = None
    if source in ("auto", "mirrors"):
        try:
            real, described = mirrored_sources(mirrors)
            tree.source = "mirrors: " + ", ".join(described)
        except MirrorError as exc:
            if source == "mirrors":
                raise
            tree.notes.append(f"pinned repositories unavailable ({exc}); generator used")
    if real is not None:
        for name, text in TOP_FILES.items():
            tree.corpus.add(name, text)
        directories = terraform_dirs(real)
        for copy in range(1, copies + 1):
            prefix = f"c{copy}/"
            copied = {prefix + p: data for p, data in real.items()}
            for path, data in sorted(copied.items()):
                tree.add_copied(path, data)
            plant_everywhere(tree, copied, [prefix + d for d in directories], seed, f"c{copy}-")
    else:
        # Copies of a generated tree would repeat its organization names and provider aliases;
        # a larger scale gives the same growth with names that stay unique.
        scale = generator_scale * copies
        generated = generate.build(scale, seed)
        tree.source = f"generator: bench/generate.py at scale {scale:g}, seed {seed}"
        tree.corpus = generated
        files = {p: t.encode("utf-8") for p, t in generated.files.items()}
        declared = set(generated.anthropic_dirs)
        directories = [d for d in terraform_dirs(files) if d not in declared]
        generated.precommit_candidates.clear()  # this corpus's own roots come first below
        plant_everywhere(tree, files, directories, seed, "dense-")
    tree.corpus.expected.sort()
    return tree


# ----------------------------------------------------------------------------------------
# One big file, one big for_each
# ----------------------------------------------------------------------------------------

BIG_KINDS = ("hipaa", "zdr", "regular", "no-baa", "hipaa-zdr")


def build_bigfile(workspaces: int) -> Tree:
    """One main.tf: an organization of each kind and ``workspaces`` workspaces spread over
    them, each kind's clean profiles in turn, and a violation every tenth workspace."""
    tree = Tree(source=f"generated: {workspaces} workspaces in one file")
    corpus = tree.corpus
    for name, text in TOP_FILES.items():
        corpus.add(name, text)
    path = "workspaces/main.tf"
    doc = Doc()
    doc.add("# Every workspace of the platform, one block each (generated from the inventory).")
    doc.add()
    for kind in BIG_KINDS:
        address = kind.replace("-", "_")
        line = _org_block(doc, kind, address, f"bigfile-{kind}")
        doc.add()
        corpus.organizations += 1
        corpus.anthropic_blocks += 1
        corpus.anthropic_instances += 1
        if kind == "hipaa-zdr":
            corpus.expect("BAA003", path, line, f"anthropic_organization.{address}", "hipaa-zdr")
    clean = {kind: itertools.cycle(CLEAN[kind]) for kind in BIG_KINDS}
    violations = {kind: itertools.cycle(VIOLATIONS[kind] or CLEAN[kind]) for kind in BIG_KINDS}
    for number in range(workspaces):
        kind = BIG_KINDS[number % len(BIG_KINDS)]
        # One workspace in ten plants a violation (none on hipaa-zdr: its organization is one).
        planted = number // len(BIG_KINDS) % 10 == 9
        profile_name = next(violations[kind] if planted else clean[kind])
        team = TEAM_NAMES[number % len(TEAM_NAMES)]
        purpose = WORKSPACE_NAMES[number % len(WORKSPACE_NAMES)]
        doc.add(f"# item {number:05d}")
        address = f"ws_{number:05d}"
        lines = _workspace_attrs(
            doc,
            address,
            f"{team}-{purpose}-{number:05d}",
            profile_name,
            org_ref=f"anthropic_organization.{kind.replace('-', '_')}.id",
            provider=None,
            style="attrs" if number % 2 == 0 else "tags",
        )
        corpus.workspaces += 1
        corpus.anthropic_blocks += 1
        corpus.anthropic_instances += 1
        _expect_profile(corpus, profile_name, lines, path, f"anthropic_workspace.{address}")
    corpus.add(path, doc.text())
    corpus.add("workspaces/versions.tf", _versions())
    corpus.anthropic_dirs.add("workspaces")
    corpus.precommit_candidates.append(path)
    corpus.expected.sort()
    return tree


# One profile in five is a violation (BAA001, BAA006, BAA012, BAA010): the rest are clean.
FOREACH_PROFILES = (
    "zdr-phi-haiku", "zdr-carveout-clean", "zdr-code-phi-haiku", "zdr-phi-haiku", "zdr-fable",
    "zdr-carveout-clean", "zdr-phi-haiku", "zdr-code-phi-haiku", "zdr-carveout-clean",
    "zdr-carveout-phi", "zdr-phi-haiku", "zdr-carveout-clean", "zdr-code-phi-haiku",
    "zdr-phi-haiku", "zdr-typo", "zdr-carveout-clean", "zdr-phi-haiku", "zdr-code-phi-haiku",
    "zdr-carveout-clean", "zdr-code-phi-fable",
)  # fmt: skip


def _hcl_strings(items: Iterable[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def build_foreach(instances: int) -> Tree:
    """One root: ``for_each`` over a map of ``instances`` entries built by a ``for``
    expression, each entry one of FOREACH_PROFILES (by index) on a ZDR organization."""
    tree = Tree(source=f"generated: for_each over {instances} entries")
    corpus = tree.corpus
    for name, text in TOP_FILES.items():
        corpus.add(name, text)
    path = "workspaces/main.tf"
    doc = Doc()
    doc.add("# One workspace per inventory entry: a for_each over a computed map.")
    _org_block(doc, "zdr", "platform", "foreach-platform")
    doc.add()
    doc.add("locals {")
    doc.add("  profiles = [")
    for name in FOREACH_PROFILES:
        profile = PROFILES[name]
        doc.add(
            f"    {{ phi = {generate._bool(profile.phi)}, models = {_hcl_strings(profile.models)}, "
            f"products = {_hcl_strings(profile.products)}, "
            f'data_retention = "{profile.retention}" }},'
        )
    doc.add("  ]")
    doc.add("  workspaces = {")
    doc.add(
        f'    for i in range({instances}) : format("ws-%05d", i) => '
        "local.profiles[i % length(local.profiles)]"
    )
    doc.add("  }")
    doc.add("}")
    doc.add()
    doc.add('resource "anthropic_workspace" "this" {')
    doc.add("  for_each        = local.workspaces")
    doc.add('  name            = "foreach-${each.key}"')
    doc.add("  organization_id = anthropic_organization.platform.id")
    lines = {
        "phi": doc.add("  phi             = each.value.phi"),
        "models": doc.add("  models          = each.value.models"),
        "products": doc.add("  products        = each.value.products"),
        "data_retention": doc.add("  data_retention  = each.value.data_retention"),
    }
    doc.add("}")
    corpus.add(path, doc.text())
    corpus.add("workspaces/versions.tf", _versions())
    corpus.organizations += 1
    corpus.anthropic_blocks += 2
    corpus.anthropic_instances += 1 + instances
    corpus.workspaces += instances
    for number in range(instances):
        profile_name = FOREACH_PROFILES[number % len(FOREACH_PROFILES)]
        obj = f'anthropic_workspace.this["ws-{number:05d}"]'
        _expect_profile(corpus, profile_name, lines, path, obj)
    corpus.anthropic_dirs.add("workspaces")
    corpus.precommit_candidates.append(path)
    corpus.expected.sort()
    return tree


def _versions() -> str:
    return (
        "terraform {\n"
        "  required_providers {\n"
        "    anthropic = {\n"
        '      source  = "anthropics/anthropic"\n'
        '      version = "~> 0.4"\n'
        "    }\n"
        "  }\n"
        "}\n"
    )


# ----------------------------------------------------------------------------------------
# Writing and reuse
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What to build; equal requests (and builder code) give byte-identical trees."""

    kind: str
    copies: int = 1
    seed: int = generate.DEFAULT_SEED
    source: str = "auto"  # dense: auto | mirrors | generator
    generator_scale: float = 1.0  # dense from the generator, per copy
    workspaces: int = BIGFILE_WORKSPACES  # bigfile
    instances: int = FOREACH_INSTANCES  # foreach

    def parameters(self) -> dict[str, object]:
        if self.kind == "dense":
            return {
                "kind": self.kind,
                "copies": self.copies,
                "seed": self.seed,
                "source": self.source,
                "generator_scale": self.generator_scale,
            }
        if self.kind == "bigfile":
            return {"kind": self.kind, "workspaces": self.workspaces}
        return {"kind": self.kind, "instances": self.instances}


def build(request: Request, mirrors: Path | None = None) -> Tree:
    if request.kind == "dense":
        return build_dense(
            request.copies,
            request.seed,
            request.source,
            mirrors_dir(mirrors),
            request.generator_scale,
        )
    if request.kind == "bigfile":
        return build_bigfile(request.workspaces)
    if request.kind == "foreach":
        return build_foreach(request.instances)
    raise ValueError(f"unknown corpus kind {request.kind!r} (one of {', '.join(KINDS)})")


def builder_digest() -> str:
    """A digest of the builders' code and pins: a change means a new corpus."""
    digest = hashlib.sha256()
    for name in ("dense.py", "dense.json", "generate.py", "infra.py"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def tree_stats(tree: Tree, files: dict[str, bytes]) -> dict[str, object]:
    corpus = tree.corpus
    tf = {p: d for p, d in files.items() if p.endswith(".tf")}
    by_rule: dict[str, int] = {}
    for item in corpus.expected:
        by_rule[item.rule] = by_rule.get(item.rule, 0) + 1
    sizes = sorted(len(d) for d in tf.values())
    return {
        "source": tree.source,
        "files": len(files),
        "all_bytes": sum(len(d) for d in files.values()),
        "tf_files": len(tf),
        "tf_bytes": sum(sizes),
        "largest_tf_bytes": sizes[-3:][::-1],
        "tf_directories": len(terraform_dirs(files)),
        "tfvars_files": sum(1 for p in files if p.endswith((".tfvars", ".tfvars.json"))),
        "anthropic_directories": len(corpus.anthropic_dirs),
        "root_directories_planted": tree.root_dirs,
        "module_directories_clean": tree.module_dirs,
        "anthropic_resource_blocks": corpus.anthropic_blocks,
        "anthropic_resource_instances": corpus.anthropic_instances,
        "organizations": corpus.organizations,
        "workspaces": corpus.workspaces,
        "expected_findings": len(corpus.expected),
        "expected_by_rule": dict(sorted(by_rule.items())),
        "expected_suppressed": corpus.suppressed,
    }


def precommit_file(tree: Tree) -> str:
    """The first planted file whose directory has an expected finding (run.py checks them)."""
    directories = {posixpath.dirname(e.path) for e in tree.corpus.expected}
    for candidate in tree.corpus.precommit_candidates:
        if posixpath.dirname(candidate) in directories:
            return candidate
    raise AssertionError("no planted file with expected findings")


def write(out: Path, request: Request, mirrors: Path | None = None) -> dict[str, object]:
    """Build the corpus into ``out`` (replacing it); return its manifest."""
    tree = build(request, mirrors)
    files = tree.all_files()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for relative, data in sorted(files.items()):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    corpus = tree.corpus
    expected = {
        "dense_version": DENSE_VERSION,
        **request.parameters(),
        "source": tree.source,
        "suppressed": corpus.suppressed,
        "findings": [
            {"rule": e.rule, "path": e.path, "line": e.line, "object": e.object, "why": e.why}
            for e in corpus.expected
        ],
    }
    (out / generate.EXPECTED_NAME).write_text(json.dumps(expected, indent=1) + "\n", "utf-8")
    manifest: dict[str, object] = {
        "dense_version": DENSE_VERSION,
        "builder_digest": builder_digest(),
        "parameters": request.parameters(),
        "precommit_file": precommit_file(tree),
        "notes": tree.notes,
        "stats": tree_stats(tree, files),
    }
    manifest["digest"] = generate.tree_digest(out)
    (out / generate.MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
    return manifest


def ensure(
    out: Path, request: Request, mirrors: Path | None = None, *, verify: bool = True
) -> dict[str, object]:
    """Reuse the corpus at ``out`` when it was built from this request by this code."""
    manifest = generate.load_manifest(out)
    if (
        manifest is not None
        and manifest.get("dense_version") == DENSE_VERSION
        and manifest.get("builder_digest") == builder_digest()
        and manifest.get("parameters") == request.parameters()
        and (request.source == "generator" or not _mirrors_appeared(manifest, mirrors))
        and (not verify or manifest.get("digest") == generate.tree_digest(out))
    ):
        return manifest
    return write(out, request, mirrors)


def _mirrors_appeared(manifest: dict[str, object], mirrors: Path | None) -> bool:
    """A dense corpus built from the generator for want of mirrors is rebuilt once they exist."""
    parameters, stats = manifest.get("parameters"), manifest.get("stats")
    if not isinstance(parameters, dict) or not isinstance(stats, dict):
        return False
    if parameters.get("kind") != "dense" or not str(stats.get("source")).startswith("generator"):
        return False
    root = mirrors_dir(mirrors)
    pins: list[dict[str, str]] = load_pins()["repositories"]  # type: ignore[assignment]
    return all(mirror_of(root, pin["repo"]) is not None for pin in pins)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kind", choices=KINDS, default="dense")
    parser.add_argument("--out", type=Path, default=None, help="default: bench/KIND")
    parser.add_argument("--copies", type=int, default=1, help="dense: copies side by side")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--source", choices=("auto", "mirrors", "generator"), default="auto")
    parser.add_argument(
        "--mirrors", type=Path, default=None, help=f"bare git mirrors (default: ${MIRRORS_ENV})"
    )
    parser.add_argument("--generator-scale", type=float, default=1.0)
    parser.add_argument("--workspaces", type=int, default=BIGFILE_WORKSPACES)
    parser.add_argument("--instances", type=int, default=FOREACH_INSTANCES)
    args = parser.parse_args(argv)
    request = Request(
        kind=args.kind,
        copies=args.copies,
        seed=args.seed,
        source=args.source,
        generator_scale=args.generator_scale,
        workspaces=args.workspaces,
        instances=args.instances,
    )
    manifest = write(args.out or HERE / args.kind, request, args.mirrors)
    print(json.dumps(manifest, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
