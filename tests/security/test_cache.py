"""Attacks through the cache (issue 11, items 1, 2, 8 and 9).

A pull request controls every file in the repository, a committed `.baa-lint-cache/` included.
A cache that this user did not write on this machine must change nothing: the findings are
those of `--no-cache`. No cache operation follows a symlink out of the cache directory, change
detection cannot be fooled by a copy that keeps size and mtime, and a cache document of the
wrong shape is discarded, never a crash.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import (
    CACHE_DIR,
    CACHEDIR_TAG,
    EVAL_MEMO,
    GITIGNORE,
    KNOWN_VALID,
    PARSE_ENTRIES,
    SCAN_MEMO,
    VERDICT_MEMO,
    ZDR_YAML,
    Machine,
    Run,
    all_parse_entries,
    cache_documents,
    known_valid_digest,
    memo_output,
    mistype_eval_memo,
    read_eval_memo,
    set_memo_output,
    snapshot,
    write,
    write_eval_memo,
    zdr_tf,
)

BAA001 = "BAA001 infra/main.tf:11:22"


def assert_same_as_without_cache(run: Run, victim: Machine, repo: Path) -> None:
    """The victim's run (with whatever cache the repository holds) equals --no-cache."""
    clean = victim.run(*run.args, "--no-cache", cwd=repo)
    assert run.comparable() == clean.comparable(), (
        f"the committed cache changed the findings: {run.located()} instead of {clean.located()}"
    )
    assert run.exit_code == clean.exit_code


# --- 1. A committed cache is trusted ----------------------------------------------------------


def test_planted_parse_entries_change_nothing_and_are_deleted(
    tmp_path: Path, repo: Path, victim: Machine
) -> None:
    """Earlier versions kept one parsed tree per file (v1/<shard>/<entry>) and a memo of an
    older format: a repository that commits such files (an empty tree under every plausible
    name) changes nothing, and the run deletes them."""
    write(repo, {"infra/main.tf": zdr_tf()})
    shard = repo / CACHE_DIR / PARSE_ENTRIES / "ab"
    shard.mkdir(parents=True)
    empty_tree = '{"ok": {"File": ["infra/main.tf", {"Body": [[], []]}, []]}}'
    for name in ("c" * 62, "d" * 62):
        (shard / name).write_text(empty_tree, encoding="utf-8")
    (repo / CACHE_DIR / "eval-v3.json").write_text('{"roots": {}}', encoding="utf-8")

    run = victim.check(".", cwd=repo)

    assert run.located() == [BAA001], f"a planted parse entry hid the violation: {run.located()}"
    assert run.exit_code == 1
    assert_same_as_without_cache(run, victim, repo)
    assert not (repo / CACHE_DIR / PARSE_ENTRIES).exists(), "the old entries were kept"
    assert not (repo / CACHE_DIR / "eval-v3.json").exists(), "the old memo was kept"


def test_no_syntax_tree_is_cached(repo: Path, victim: Machine) -> None:
    """A warm run needs no tree (the evaluation memo stands in for every unchanged root), and
    re-parsing a changed file costs what decoding its tree did: nothing per file is written."""
    write(repo, {"infra/main.tf": zdr_tf()})
    for _ in range(2):
        assert victim.check(".", cwd=repo).located() == [BAA001]
    roots = _cache_roots(repo, victim)
    assert all_parse_entries(*roots) == []
    assert cache_documents(EVAL_MEMO, *roots), "no evaluation memo: update conftest.py's names"


def _without_declarations(document: Any) -> None:
    for root in document["roots"].values():
        set_memo_output(root, [], memo_output(root)[1])


def _without_findings(document: Any) -> None:
    assert document["findings"], f"no finding in {VERDICT_MEMO}: update conftest.py's names"
    document["findings"] = []


@pytest.mark.parametrize(
    ("name", "forge"),
    [(EVAL_MEMO, _without_declarations), (VERDICT_MEMO, _without_findings)],
    ids=["evaluation-memo", "verdict"],
)
def test_forged_cache_document_hides_a_violation(
    repo: Path, attacker: Machine, victim: Machine, name: str, forge: Callable[[Any], None]
) -> None:
    """The attacker evaluates the repository (at the path CI checks it out to) into the
    repository's cache directory, empties the root's declarations in the memo, or the findings
    of the verdict, and commits it. The verdict's key is no secret (it is made of the
    declarations, the configuration and baa-lint's version); the signature is."""
    write(repo, {"infra/main.tf": zdr_tf()})
    committed = repo / CACHE_DIR
    assert attacker.check(".", "--cache-dir", str(committed), cwd=repo).located() == [BAA001]
    document = read_eval_memo(committed / name)
    forge(document)
    write_eval_memo(committed / name, document)

    run = victim.check(".", cwd=repo)
    assert run.located() == [BAA001], f"forged {name} hid the violation: {run.located()}"
    assert run.exit_code == 1
    assert_same_as_without_cache(run, victim, repo)


def test_forged_known_valid_document_hides_a_schema_error(repo: Path, victim: Machine) -> None:
    """valid-v1.json lists the digest of an invalid declaration: validation is skipped."""
    declaration = (
        "apiVersion: baa-lint/v1\nkind: Organization\nname: acme\nbaa_signed: yes\n"
        "hipaa_ready: true\n"
    )
    write(repo, {"orgs.yaml": declaration})
    instance = {
        "apiVersion": "baa-lint/v1",
        "kind": "Organization",
        "name": "acme",
        "baa_signed": "yes",
        "hipaa_ready": True,
    }
    (repo / CACHE_DIR).mkdir()
    forged = json.dumps([known_valid_digest(instance)])
    (repo / CACHE_DIR / KNOWN_VALID).write_text(forged, encoding="utf-8")

    run = victim.check(".", cwd=repo)
    assert run.located() == ["BAA901 orgs.yaml:4:13"], (
        f"forged {KNOWN_VALID} hid the schema error: {run.located()}"
    )
    assert run.exit_code == 1
    assert_same_as_without_cache(run, victim, repo)


# --- 2. Symlinks in the cache reach outside ---------------------------------------------------


def test_cache_directory_symlinked_elsewhere(repo: Path, outside: Path, victim: Machine) -> None:
    write(repo, {"infra/main.tf": zdr_tf()})
    (repo / CACHE_DIR).symlink_to(outside, target_is_directory=True)
    before = snapshot(outside)

    run = victim.check(".", cwd=repo)

    created = sorted(set(snapshot(outside)) - set(before))
    assert snapshot(outside) == before, f"the cache wrote outside the repository: {created}"
    assert run.located() == [BAA001]


def test_deleting_old_entries_follows_a_symlinked_shard(
    repo: Path, outside: Path, victim: Machine
) -> None:
    """A `v1/zz` shard (of the per-file entries earlier versions kept) linked to a directory
    elsewhere: deleting the old entries must not delete the files there."""
    write(repo, {"infra/main.tf": zdr_tf()})
    shards = repo / CACHE_DIR / PARSE_ENTRIES
    shards.mkdir(parents=True)
    (shards / "zz").symlink_to(outside, target_is_directory=True)
    (shards / "00").mkdir()
    (shards / "00" / ("0" * 62)).write_text("{}", encoding="utf-8")
    before = snapshot(outside)

    run = victim.check(".", cwd=repo)

    gone = sorted(set(before) - set(snapshot(outside)))
    assert snapshot(outside) == before, f"deleting old entries deleted files outside: {gone}"
    assert not (shards / "00").exists(), "the old entries were kept"
    assert run.located() == [BAA001]


@pytest.mark.parametrize("name", [GITIGNORE, CACHEDIR_TAG])
def test_dangling_symlink_in_the_cache_creates_a_file_outside(
    repo: Path, outside: Path, victim: Machine, name: str
) -> None:
    write(repo, {"infra/main.tf": zdr_tf()})
    (repo / CACHE_DIR).mkdir()
    (repo / CACHE_DIR / name).symlink_to(outside / "planted")
    before = snapshot(outside)

    run = victim.check(".", cwd=repo)

    created = sorted(set(snapshot(outside)) - set(before))
    assert snapshot(outside) == before, f"{name} link made baa-lint create {created} outside"
    assert run.located() == [BAA001]


# --- 8. Change detection that a copy can fool -------------------------------------------------


def test_content_swapped_at_equal_size_and_mtime(repo: Path, victim: Machine) -> None:
    """What `cp -p`, rsync or tar do: new content, same size, the old mtime."""
    violating = zdr_tf()
    benign = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n'
    benign += "#" * (len(violating) - len(benign) - 1) + "\n"
    assert len(benign.encode()) == len(violating.encode())
    write(repo, {"infra/main.tf": benign})
    assert victim.check(".", cwd=repo).located() == []  # warm the cache

    main = repo / "infra" / "main.tf"
    old = main.stat()
    main.write_text(violating, encoding="utf-8")
    os.utime(main, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert main.stat().st_size == old.st_size

    run = victim.check(".", cwd=repo)
    assert run.located() == [BAA001], "the swapped-in violation was pruned by a stale scan entry"
    assert run.exit_code == 1


# --- 9. Wrongly typed cache documents crash every run -----------------------------------------


def _cache_roots(repo: Path, victim: Machine) -> tuple[Path, Path]:
    return repo / CACHE_DIR, victim.user_cache


def _corrupt_documents(repo: Path, victim: Machine, name: str, text: str) -> None:
    documents = cache_documents(name, *_cache_roots(repo, victim))
    assert documents, f"no {name} in the cache: update the names in tests/security/conftest.py"
    for path in documents:
        path.write_text(text, encoding="utf-8")


def _assert_heals(repo: Path, victim: Machine) -> None:
    """This run, and the next, report what --no-cache reports."""
    clean = victim.check(".", "--no-cache", cwd=repo)
    for attempt in ("first", "second"):
        run = victim.check(".", cwd=repo)
        assert run.exit_code == clean.exit_code, (
            f"{attempt} run after the bad cache document: exit {run.exit_code}: "
            f"{run.stderr.strip()[:300]}"
        )
        assert run.comparable() == clean.comparable(), f"{attempt} run lost findings"


TREE = {"infra/main.tf": zdr_tf(), "orgs.yaml": ZDR_YAML}


def _warm(repo: Path, victim: Machine) -> None:
    write(repo, TREE)
    assert victim.check(".", cwd=repo).exit_code == 1


def test_known_valid_document_of_the_wrong_type(repo: Path, victim: Machine) -> None:
    _warm(repo, victim)
    _corrupt_documents(repo, victim, KNOWN_VALID, '[["x"],{"a":1}]')
    _assert_heals(repo, victim)


def test_evaluation_memo_with_a_wrongly_typed_key(repo: Path, victim: Machine) -> None:
    _warm(repo, victim)
    [memo] = cache_documents(EVAL_MEMO, *_cache_roots(repo, victim))
    document = mistype_eval_memo(read_eval_memo(memo))
    write_eval_memo(memo, document)
    _assert_heals(repo, victim)


def test_scan_memo_of_the_wrong_type(repo: Path, victim: Machine) -> None:
    _warm(repo, victim)
    [memo] = cache_documents(SCAN_MEMO, *_cache_roots(repo, victim))
    write_eval_memo(memo, dict.fromkeys(read_eval_memo(memo), 5))
    _assert_heals(repo, victim)


# --- 12. A full disk leaves orphan temporary files ---------------------------------------------


def test_full_disk_leaves_no_temporary_files(tmp_path: Path, repo: Path, victim: Machine) -> None:
    """Every write past 200 bytes fails (RLIMIT_FSIZE), as on a full disk."""
    write(repo, {"infra/main.tf": zdr_tf(), "orgs.yaml": ZDR_YAML})
    victim.run("check", "--no-cache", ".", cwd=repo)  # the cache directory and its key, in full

    run = victim.run("check", "-q", ".", cwd=repo, disk_space=200)

    assert run.exit_code == 1
    assert "infra/main.tf:11:22: BAA001" in run.stdout
    debris = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob(".tmp*") if p.is_file())
    debris += sorted(str(p) for p in victim.home.rglob(".tmp*") if p.is_file())
    assert not debris, f"a failed cache write left: {debris}"
