"""Find, read and validate the configuration file, and merge it: defaults < file < command line.

The file is ``.baa-lint.yaml`` (or ``.yml``) or the ``[tool.baa-lint]`` table of
``pyproject.toml``, the nearest one up the tree from the linted paths; ``--config`` names one.
Every problem is one line with file:line:col and, for a misspelled name, a did-you-mean.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from linter.core.cache import ParseCache
from linter.core.findings import Severity
from linter.core.locations import Location
from linter.core.rule_lookup import RuleLookup
from linter.core.tree import MapEntry, MapNode, Node, ScalarNode, SeqNode, to_plain
from linter.inputs.yaml import YamlError, parse_yaml_mapping
from linter.normalize.schema import KnownValid, problems
from linter.policy.data import ModelEntry
from linter.settings.config import Config, PathIgnore, PathPattern
from linter.terraform.options import TagKeys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

YAML_NAMES = (".baa-lint.yaml", ".baa-lint.yml")
TOML_TABLE = "tool.baa-lint"


class ConfigError(Exception):
    """A configuration problem: one line, starting with file:line:col."""


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    path: Path | None  # the configuration file used, if any
    sources: dict[str, str] = field(default_factory=dict)  # setting -> where its value came from


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[tool\.baa-lint[\].]", text, flags=re.M) is not None


def find_config_file(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start``."""
    directory = Path(os.path.abspath(start))
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        for name in YAML_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _common_start(paths: Sequence[str], cwd: Path) -> Path:
    if not paths:
        return cwd
    absolute = [os.path.abspath(cwd / p) for p in paths]
    return Path(os.path.commonpath(absolute))


# --- reading -----------------------------------------------------------------------------------


def _toml_node(value: Any, location: Location) -> Node:
    if isinstance(value, dict):
        entries = tuple(
            MapEntry(str(k), location, _toml_node(v, location)) for k, v in value.items()
        )
        return MapNode(location, entries=entries)
    if isinstance(value, list):
        return SeqNode(location, items=tuple(_toml_node(v, location) for v in value))
    scalar = value if isinstance(value, (str, int, float, bool)) else str(value)
    return ScalarNode(location, value=scalar, text=str(value))


def _key_line(lines: list[str], start: int, key: str) -> int:
    """The line (1-based) where a key of the [tool.baa-lint] table is written, or ``start``."""
    pattern = re.compile(rf"""^\s*(\[tool\.baa-lint\.)?["']?{re.escape(key)}["']?\s*(=|\])""")
    for index in range(start - 1, len(lines)):
        if pattern.match(lines[index]):
            return index + 1
    return start


def _read_toml(path: Path, shown: str) -> MapNode:
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        message = str(exc).split(" (at line")[0]
        raise ConfigError(f"{shown}:{line}:{column}: invalid TOML: {message}") from None
    table = data.get("tool", {}).get("baa-lint", {})
    lines = text.splitlines()
    header = next(
        (i + 1 for i, line in enumerate(lines) if line.strip().startswith(f"[{TOML_TABLE}")), 1
    )
    entries = []
    for key, value in table.items():
        location = Location(shown, _key_line(lines, header, str(key)), 1)
        entries.append(MapEntry(str(key), location, _toml_node(value, location)))
    return MapNode(Location(shown, header, 1), entries=tuple(entries))


def read_config_file(path: Path, cwd: Path) -> MapNode:
    shown = (
        os.path.relpath(path, cwd) if Path(os.path.abspath(path)).is_relative_to(cwd) else str(path)
    )
    try:
        if path.name == "pyproject.toml" or path.suffix == ".toml":
            return _read_toml(path, shown)
        return parse_yaml_mapping(path.read_text(encoding="utf-8"), shown)
    except YamlError as exc:
        raise ConfigError(f"{exc.location}: invalid configuration: {exc.message}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown}: cannot read the configuration file: {exc}") from None


# --- validating and converting ----------------------------------------------------------------


def _fail(location: Location, message: str) -> ConfigError:
    return ConfigError(f"{location}: {message}")


def _rule_codes(node: Node | None, key: str, lookup: RuleLookup) -> tuple[str, ...]:
    if not isinstance(node, SeqNode):
        return ()
    codes = []
    for item in node.items:
        raw = item.value if isinstance(item, ScalarNode) else None
        rule = lookup.find(str(raw)) if raw is not None else None
        if rule is None:
            raise _fail(item.location, f"{key}: unknown rule '{raw}'{lookup.suggest(str(raw))}")
        codes.append(rule.code)
    return tuple(dict.fromkeys(codes))


_KNOWN_VALID_CONFIGS = "valid-configs-v1.json"


def _known_valid_configs() -> KnownValid:
    """Configurations already found valid, remembered in the user cache directory (the
    configuration decides where the project's cache is, so it is read before that)."""
    return KnownValid(ParseCache.of_user().read_strings(_KNOWN_VALID_CONFIGS))


def _remember(known: KnownValid) -> None:
    if known.added:
        ParseCache.of_user().write_document(_KNOWN_VALID_CONFIGS, sorted(known.digests)[-256:])


def _validate(root: MapNode, remember: bool = True) -> None:
    known = _known_valid_configs() if remember else None
    found = problems(root, "config.schema.json", known=known)
    if known is not None:
        _remember(known)
    if found:
        message, location, _ = found[0]
        message = message.replace("the declaration", "the configuration")
        raise _fail(location, f"invalid configuration: {message}")


def _strings(node: Node | None) -> list[str]:
    plain = to_plain(node) if node is not None else None
    return [str(v) for v in plain] if isinstance(plain, list) else []


def _file_settings(
    root: MapNode, base: str, lookup: RuleLookup
) -> tuple[dict[str, Any], dict[str, Location]]:
    """Config keyword arguments from the file, and where each was set."""
    values: dict[str, Any] = {}
    where: dict[str, Location] = {}
    for entry in root.entries:
        key, node = entry.key, entry.value
        where[key] = entry.key_location
        if key in ("select", "ignore", "non-suppressible"):
            values[key.replace("-", "_")] = _rule_codes(node, key, lookup)
        elif key == "fail-on":
            values["fail_on"] = Severity(to_plain(node))
        elif key == "severity" and isinstance(node, MapNode):
            values["severity"] = _severities(node, lookup)
        elif key == "per-path-ignores" and isinstance(node, MapNode):
            values["per_path_ignores"] = tuple(
                PathIgnore(PathPattern(e.key, base), _rule_codes(e.value, key, lookup))
                for e in node.entries
            )
        elif key == "exclude":
            values["exclude"] = tuple(PathPattern(p, base) for p in _strings(node))
        elif key == "tag-keys" and isinstance(node, MapNode):
            values["tag_keys"] = TagKeys(**{e.key: str(to_plain(e.value)) for e in node.entries})
        elif key == "models" and isinstance(node, MapNode):
            values["extra_models"] = _models(node)
        elif key == "var-files":
            values["var_files"] = _existing_var_files(node, base)
            values["var_files_from_config_file"] = True
        elif key == "inline-suppressions":
            values["inline_suppressions"] = bool(to_plain(node))
        elif key == "max-file-size":
            values["max_file_size"] = int(to_plain(node))  # type: ignore[call-overload]
        elif key == "output-format":
            values["output_format"] = str(to_plain(node))
    return values, where


def _existing_var_files(node: Node | None, base: str) -> tuple[str, ...]:
    """The configuration's var-files, relative to its directory; one that does not exist is an
    error at its entry (Terraform rejects a missing -var-file; it is never silently ignored)."""
    found = []
    items = node.items if isinstance(node, SeqNode) else ()
    for item, name in zip(items, _strings(node), strict=False):
        path = Path(base) / name
        if not path.is_file():
            raise _fail(item.location, f"var-files: {name}: no such file")
        found.append(str(path))
    return tuple(found)


def _severities(node: MapNode, lookup: RuleLookup) -> dict[str, Severity]:
    result = {}
    for entry in node.entries:
        rule = lookup.find(entry.key)
        if rule is None:
            raise _fail(
                entry.key_location,
                f"severity: unknown rule '{entry.key}'{lookup.suggest(entry.key)}",
            )
        result[rule.code] = Severity(to_plain(entry.value))
    return result


def _models(node: MapNode) -> tuple[ModelEntry, ...]:
    kinds = {"covered": (True, False), "limited": (True, True), "known": (False, False)}
    entries = []
    for entry in node.entries:
        covered, limited = kinds[entry.key]
        for model_id in _strings(entry.value):
            entries.append(ModelEntry(model_id.lower(), covered, limited, origin="config"))
    return tuple(entries)


# --- merging -----------------------------------------------------------------------------------

_SETTING_NAMES = {
    "select": "select",
    "ignore": "ignore",
    "fail_on": "fail-on",
    "severity": "severity",
    "per_path_ignores": "per-path-ignores",
    "exclude": "exclude",
    "tag_keys": "tag-keys",
    "extra_models": "models",
    "var_files": "var-files",
    "non_suppressible": "non-suppressible",
    "inline_suppressions": "inline-suppressions",
    "max_file_size": "max-file-size",
    "output_format": "output-format",
}


def load_config(
    paths: Sequence[str],
    overrides: Mapping[str, Any],
    explicit: str | None = None,
    cwd: Path | None = None,
    *,
    rules: RuleLookup,
) -> LoadedConfig:
    """The effective configuration: defaults < configuration file < command line.

    ``rules`` names the rules that select, ignore and severity settings may name.
    """
    cwd = Path(os.path.abspath(cwd or Path.cwd()))
    if explicit is not None:
        path: Path | None = Path(explicit)
        if not path.is_file():  # type: ignore[union-attr]
            raise ConfigError(f"{explicit}: no such configuration file")
    else:
        path = find_config_file(_common_start(paths, cwd))
    sources = dict.fromkeys(_SETTING_NAMES.values(), "default")
    values: dict[str, Any] = {}
    if path is not None:
        values, where = _read_settings(path, cwd, rules, overrides.get("cache") is not False)
        for key, location in where.items():
            sources[key] = f"{location.path}:{location.line}"
    for key in _override(values, overrides):
        sources[_SETTING_NAMES.get(key, key)] = "command line"
    known = {f.name for f in fields(Config)}
    unknown = set(values) - known
    if unknown:  # a programming error: the CLI passed a setting Config does not have
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    config = replace(Config(), **values)
    if explicit is None:
        config = replace(config, subtrees=_subtrees(paths, path, overrides, cwd, rules))
    return LoadedConfig(config, path, sources)


def _override(values: dict[str, Any], overrides: Mapping[str, Any]) -> list[str]:
    """Set the command line's settings over a file's; the names of those it set."""
    given = [key for key, value in overrides.items() if value is not None]
    for key in given:
        values[key] = overrides[key]
    if "var_files" in given:  # the user's own files: they replace the file's, from anywhere
        values["var_files_from_config_file"] = False
    return given


def _read_settings(
    path: Path, cwd: Path, lookup: RuleLookup, remember: bool = True
) -> tuple[dict[str, Any], dict[str, Location]]:
    root = read_config_file(path, cwd)
    _validate(root, remember)
    return _file_settings(root, str(Path(os.path.abspath(path)).parent), lookup)


def _subtrees(
    paths: Sequence[str],
    primary: Path | None,
    overrides: Mapping[str, Any],
    cwd: Path,
    lookup: RuleLookup,
) -> tuple[tuple[str, Config], ...]:
    """The configurations nearest to linted paths that are not the primary one, deepest first.

    Each governs the files below its own directory; command-line flags still win over it.
    """
    found: dict[str, Config] = {}
    primary_key = os.path.abspath(primary) if primary is not None else None
    for raw in paths:
        nearest = find_config_file(cwd / raw)
        if nearest is None or os.path.abspath(nearest) == primary_key:
            continue
        directory = str(Path(os.path.abspath(nearest)).parent)
        if directory in found:
            continue
        values, _ = _read_settings(nearest, cwd, lookup, overrides.get("cache") is not False)
        _override(values, overrides)
        found[directory] = replace(Config(), **values)
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


def describe(loaded: LoadedConfig) -> list[tuple[str, str, str]]:
    """(setting, effective value, source) rows for `baa-lint config --show`."""
    config = loaded.config
    shown = {
        "select": ", ".join(config.select) or "(all rules)",
        "ignore": ", ".join(config.ignore) or "-",
        "fail-on": config.fail_on.value,
        "severity": ", ".join(f"{k}={v.value}" for k, v in config.severity.items()) or "-",
        "per-path-ignores": "; ".join(
            f"{p.where.pattern}: {','.join(p.rules)}" for p in config.per_path_ignores
        )
        or "-",
        "exclude": ", ".join(p.pattern for p in config.exclude) or "-",
        "tag-keys": ", ".join(f"{k}={v}" for k, v in vars(config.tag_keys).items()),
        "models": ", ".join(
            f"{m.id} ({'limited' if m.limited else 'covered' if m.covered else 'known'})"
            for m in config.extra_models
        )
        or "-",
        "var-files": ", ".join(config.var_files) or "-",
        "non-suppressible": ", ".join(config.non_suppressible) or "-",
        "inline-suppressions": "true" if config.inline_suppressions else "false",
        "max-file-size": str(config.max_file_size),
        "output-format": config.output_format or "(full on a terminal, else standard)",
    }
    return [(name, shown[name], loaded.sources.get(name, "default")) for name in shown]
