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
from pathlib import Path

import pytest

from .conftest import (
    CACHE_DIR,
    CACHEDIR_TAG,
    EVAL_MEMO,
    GITIGNORE,
    KNOWN_VALID,
    PARSE_ENTRIES,
    SCAN_MEMO,
    ZDR_YAML,
    Machine,
    Run,
    all_parse_entries,
    cache_documents,
    known_valid_digest,
    mistype_eval_memo,
    parse_entries,
    read_eval_memo,
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


def test_forged_parse_cache_entry_hides_a_violation(
    tmp_path: Path, repo: Path, attacker: Machine, victim: Machine
) -> None:
    """The attacker parses the violating file and an empty one on their machine (into a cache
    directory of their choosing), then commits the empty tree under the violating file's key."""
    scratch = tmp_path / "attacker-checkout"
    (scratch / ".git").mkdir(parents=True)
    write(scratch, {"infra/main.tf": zdr_tf(), "infra/empty.tf": "# nothing here\n"})
    cache = tmp_path / "attacker-cache"
    assert attacker.check(".", "--cache-dir", str(cache), cwd=scratch).located() == [BAA001]
    entries = parse_entries(cache)
    [violating] = [key for key, text in entries.items() if "acme-tf" in text]
    [empty] = [key for key, text in entries.items() if "acme-tf" not in text]

    write(repo, {"infra/main.tf": zdr_tf()})
    forged = repo / CACHE_DIR / PARSE_ENTRIES / violating
    forged.parent.mkdir(parents=True)
    forged.write_text(entries[empty], encoding="utf-8")

    run = victim.check(".", cwd=repo)
    assert run.located() == [BAA001], f"forged parse entry hid the violation: {run.located()}"
    assert run.exit_code == 1
    assert_same_as_without_cache(run, victim, repo)


def test_forged_evaluation_memo_hides_a_violation(
    repo: Path, attacker: Machine, victim: Machine
) -> None:
    """The attacker evaluates the repository (at the path CI checks it out to) into the
    repository's cache directory, empties the root's declarations in the memo and commits it."""
    write(repo, {"infra/main.tf": zdr_tf()})
    committed = repo / CACHE_DIR
    assert attacker.check(".", "--cache-dir", str(committed), cwd=repo).located() == [BAA001]
    memo = committed / EVAL_MEMO
    document = read_eval_memo(memo)
    for root in document["roots"].values():
        root["decls"] = []
    write_eval_memo(memo, document)

    run = victim.check(".", cwd=repo)
    assert run.located() == [BAA001], f"forged evaluation memo hid the violation: {run.located()}"
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


def test_cache_trimming_follows_a_symlinked_shard(
    repo: Path, outside: Path, victim: Machine
) -> None:
    """A `v1/zz` shard linked to a directory elsewhere, and a cache over its size limit (one
    sparse file): trimming deletes the oldest "entries", which are the files elsewhere."""
    write(repo, {"infra/main.tf": zdr_tf()})
    os.utime(outside / "keep.txt", (1_000_000_000, 1_000_000_000))  # older than any entry
    shards = repo / CACHE_DIR / PARSE_ENTRIES
    shards.mkdir(parents=True)
    (shards / "zz").symlink_to(outside, target_is_directory=True)
    big = shards / "00" / ("0" * 62)
    big.parent.mkdir()
    with big.open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: no disk used
    before = snapshot(outside)

    run = victim.check(".", cwd=repo)

    gone = sorted(set(before) - set(snapshot(outside)))
    assert snapshot(outside) == before, f"cache trimming deleted files outside: {gone}"
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
    document = json.loads(memo.read_text(encoding="utf-8"))
    memo.write_text(json.dumps(dict.fromkeys(document, 5)), encoding="utf-8")
    _assert_heals(repo, victim)


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param('{"error": ["x", 1e999, 1]}', id="float-line"),
        pytest.param("[" * 100_000, id="deep"),
    ],
)
def test_parse_entry_of_the_wrong_type(repo: Path, victim: Machine, entry: str) -> None:
    _warm(repo, victim)
    roots = _cache_roots(repo, victim)
    entries = all_parse_entries(*roots)
    assert entries, "no parse entries in the cache: update the names in conftest.py"
    for path in entries:
        path.write_text(entry, encoding="utf-8")
    for memo in cache_documents(EVAL_MEMO, *roots):
        memo.unlink()  # so that the run reads the parse entries
    clean = victim.check(".", "--no-cache", cwd=repo)
    run = victim.check(".", cwd=repo)
    assert run.comparable() == clean.comparable(), (
        f"a bad parse entry dropped a module silently: {run.located()} instead of {clean.located()}"
    )
    assert run.exit_code == clean.exit_code
    for memo in cache_documents(EVAL_MEMO, *roots):
        memo.unlink()
    again = victim.check(".", cwd=repo)
    assert again.comparable() == clean.comparable(), "the bad parse entry was never replaced"


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
