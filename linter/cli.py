"""The command line: parse options, call the library, format, exit. Nothing else lives here."""

from __future__ import annotations

import difflib
import gc
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
import click.shell_completion

from linter.core.collector import RUN_THRESHOLDS
from linter.core.shipped import SCHEMA_FILES
from linter.core.version import __version__

F = TypeVar("F", bound=Callable[..., Any])

SEVERITIES = ("error", "warning", "info")


class UsageProblem(click.UsageError):
    """A bad option value: one line on stderr, exit 2."""


class DefaultGroup(click.Group):
    """`baa-lint PATH...` means `baa-lint check PATH...`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            _refuse_mistyped_command(args[0], list(self.commands))
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _refuse_mistyped_command(word: str, commands: list[str]) -> None:
    """`baa-lint chek .` is a typo of `check`, not a path that does not exist."""
    if word.startswith("-") or Path(word).exists() or any(c in word for c in "/.\\"):
        return
    match = difflib.get_close_matches(word, commands, n=1, cutoff=0.7)
    if match:
        _fail(f"no such command '{word}'; did you mean '{match[0]}'?")


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="baa-lint")
def cli() -> None:
    """Lint Anthropic organization and workspace declarations (Terraform, YAML) against the
    BAA coverage rules.

    \b
    baa-lint ./infra                 lint a directory (same as `baa-lint check ./infra`)
    baa-lint show ./infra            list the configurations found
    baa-lint explain BAA001          why a rule exists and how to fix its findings
    """


# --- shared plumbing ---------------------------------------------------------------------------


def complete_rules(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """Rule codes and slugs for shell completion (the part after the last comma)."""
    from click.shell_completion import CompletionItem

    from linter.rules.registry import RULES

    head, _, tail = incomplete.rpartition(",")
    prefix = f"{head}," if head else ""
    items = []
    for rule in RULES:
        for key in (rule.code, rule.slug):
            if key.lower().startswith(tail.lower()):
                items.append(CompletionItem(prefix + key, help=rule.summary))
    return items


def complete_output_formats(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """The text styles --output-format takes, for shell completion."""
    from click.shell_completion import CompletionItem

    from linter.output.formats.options import OUTPUT_FORMATS

    return [CompletionItem(style) for style in OUTPUT_FORMATS if style.startswith(incomplete)]


def _split_codes(values: Sequence[str], option: str) -> tuple[str, ...]:
    from linter.rules.registry import find_rule, suggest_rule

    codes: list[str] = []
    for value in values:
        for raw in (v.strip() for v in value.split(",")):
            if not raw:
                continue
            rule = find_rule(raw)
            if rule is None:
                raise UsageProblem(f"{option}: unknown rule '{raw}'{suggest_rule(raw)}")
            codes.append(rule.code)
    return tuple(dict.fromkeys(codes))


def _existing_var_files(paths: Sequence[str]) -> tuple[str, ...]:
    """Terraform rejects a -var-file that does not exist; so does baa-lint (never ignored)."""
    for path in paths:
        if not Path(path).is_file():
            raise UsageProblem(f"--var-file {path}: no such file")
    return tuple(paths)


def _variables(values: Sequence[str]) -> dict[str, str] | None:
    if not values:
        return None
    parsed = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise UsageProblem(f"--var: expected NAME=VALUE, got '{value}'")
        parsed[name.strip()] = text
    return parsed


def color_wanted(flag: bool | None, environ: Mapping[str, str], tty: bool) -> bool:
    """Whether to color stdout: --color/--no-color, else a non-empty NO_COLOR forbids it, else
    a non-empty FORCE_COLOR forces it (as ruff reads both), else only on a terminal."""
    if flag is not None:
        return flag
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return tty


def _color(flag: bool | None, output: str | None) -> bool:
    """A report written to a file is never colored; stdout as color_wanted() decides."""
    if output:
        return False
    return color_wanted(flag, os.environ, sys.stdout.isatty())


def _fail(message: str) -> NoReturn:
    from linter.core.printable import printable

    # Messages quote paths and values from the inputs: one line, no raw control characters.
    click.echo(f"baa-lint: error: {printable(message)}", err=True)
    sys.exit(2)


def _run(debug: bool, action: Callable[[], int]) -> NoReturn:
    """Run a command; expected problems and crashes become one line on stderr and exit 2."""
    from linter.filters.baseline import BaselineError
    from linter.inputs.discover import DiscoveryError
    from linter.settings.config_file import ConfigError

    try:
        code = action()
    except (DiscoveryError, UsageProblem, ConfigError, BaselineError) as exc:
        if debug:
            traceback.print_exc()
        _fail(str(exc))
    except Exception as exc:  # the one place that turns crashes into a clean exit 2
        if debug:
            traceback.print_exc()
        detail = str(exc).splitlines()[0] if str(exc) else ""
        _fail(f"internal error: {type(exc).__name__}: {detail} (run with --debug for details)")
    sys.exit(code)


def _emit(pieces: str | Iterable[str], output: str | None, color: bool = False) -> None:
    """Write a report (its text, or its pieces as they are made) to its file or to stdout;
    ``color``: keep its styling even on a pipe (click would strip it there)."""
    if isinstance(pieces, str):
        pieces = [pieces]
    if output:
        from linter.core.files import write_atomic

        try:
            write_atomic(output, pieces)
        except OSError as exc:
            raise UsageProblem(
                f"{output}: cannot write the report: {exc.strerror or exc}"
            ) from None
    else:
        for chunk in _chunks(pieces):
            click.echo(chunk, nl=False, color=color)


_CHUNK = 1 << 16  # characters per write to stdout (click flushes each one)


def _chunks(pieces: Iterable[str]) -> Iterator[str]:
    """The pieces joined into writes of about _CHUNK characters."""
    pending: list[str] = []
    size = 0
    for piece in pieces:
        pending.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            yield "".join(pending)
            pending, size = [], 0
    if pending:
        yield "".join(pending)


def lint_options(func: F) -> F:
    """Options shared by every command that lints: rule selection, config, Terraform inputs."""
    options = [
        click.option(
            "--select",
            multiple=True,
            metavar="CODES",
            shell_complete=complete_rules,
            help="Only these rules (codes or slugs, comma-separated).",
        ),
        click.option(
            "--ignore",
            multiple=True,
            metavar="CODES",
            shell_complete=complete_rules,
            help="Skip these rules (codes or slugs, comma-separated).",
        ),
        click.option(
            "--config",
            "config_file",
            type=click.Path(dir_okay=False),
            help="Use this configuration file instead of the nearest one up the tree.",
        ),
        click.option(
            "--var-file",
            "var_files",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="Terraform variables file for root modules (repeatable).",
        ),
        click.option(
            "--var",
            "variables",
            multiple=True,
            metavar="NAME=VALUE",
            help="Terraform variable for root modules (repeatable).",
        ),
        click.option(
            "--no-inline-suppressions",
            is_flag=True,
            help="Ignore `# baa-lint: ignore[...]` comments (CI runs that must see everything).",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=0),
            default=None,
            help="Parse and evaluate Terraform in this many processes (default: one per "
            "processor, at most 4; 1: no worker processes, the least memory).",
        ),
        click.option("--no-cache", is_flag=True, help="Do not read or write the cache."),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False),
            help="Where to keep the cache (default: .baa-lint-cache/ in the repository).",
        ),
        click.option("--debug", is_flag=True, help="Show tracebacks for internal errors."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _load(
    paths: Sequence[str],
    options: dict[str, Any],
    fail_on: str | None = None,
    output_format: str | None = None,
) -> Any:
    """The effective configuration for this run (defaults < config file < these options)."""
    from linter.core.findings import Severity
    from linter.lint import load_config

    overrides: dict[str, Any] = {
        "select": _split_codes(options["select"], "--select") or None,
        "ignore": _split_codes(options["ignore"], "--ignore") or None,
        "fail_on": Severity(fail_on) if fail_on else None,
        "output_format": output_format,
        "var_files": _existing_var_files(options["var_files"]) or None,
        "variables": _variables(options["variables"]),
        "inline_suppressions": False if options["no_inline_suppressions"] else None,
        "jobs": options["jobs"],
        "cache": False if options["no_cache"] else None,
        "cache_dir": options["cache_dir"],
    }
    return load_config(list(paths), overrides, options["config_file"])


# --- commands ----------------------------------------------------------------------------------


def _output_specs(values: Sequence[str], output: str | None) -> list[tuple[str, str | None]]:
    """(format, file or None for stdout) for each --format NAME[=FILE].

    Without --format: text, or GitHub annotations when running in GitHub Actions. --output is
    the file of the one format that names none.
    """
    from linter.output.formats import FORMAT_NAMES

    if not values:
        values = ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text",)
    specs: list[tuple[str, str | None]] = []
    for value in values:
        name, sep, target = value.partition("=")
        name = name.strip().lower()
        if name not in FORMAT_NAMES:
            match = difflib.get_close_matches(name, FORMAT_NAMES, n=1)
            hint = f"; did you mean '{match[0]}'?" if match else ""
            choices = ", ".join(FORMAT_NAMES)
            raise UsageProblem(f"--format: unknown format '{name}'{hint} (one of {choices})")
        if sep and not target:
            raise UsageProblem(f"--format {name}=: missing file name")
        specs.append((name, target or None))
    to_stdout = [name for name, target in specs if target is None]
    if len(to_stdout) > 1:
        raise UsageProblem(
            f"--format: only one format can go to {'--output' if output else 'stdout'} "
            f"({', '.join(to_stdout)}); write the others to files with NAME=FILE"
        )
    if output and not to_stdout:
        raise UsageProblem(
            f"--output {output}: every --format names its own file, so nothing would be written "
            "there; drop --output or a format's =FILE"
        )
    resolved = [(name, target or output) for name, target in specs]
    _refuse_shared_files(resolved)
    return resolved


def _refuse_shared_files(specs: Sequence[tuple[str, str | None]]) -> None:
    """Two formats written to one file would leave only the last: refuse it."""
    seen: dict[str, str] = {}
    for name, target in specs:
        if target is None:
            continue
        key = os.path.abspath(target)
        if key in seen:
            raise UsageProblem(
                f"--format: {seen[key]} and {name} both write to {target}; give each its own file"
            )
        seen[key] = name


def _output_format(value: str | None, specs: Sequence[tuple[str, str | None]]) -> str | None:
    """--output-format, checked: a known style, and a text output in this run for it to shape."""
    from linter.output.formats import FORMAT_NAMES
    from linter.output.formats.options import OUTPUT_FORMATS

    if value is None:
        return None
    style = value.strip().lower()
    if style not in OUTPUT_FORMATS:
        choices = ", ".join(OUTPUT_FORMATS)
        if style in FORMAT_NAMES:
            raise UsageProblem(
                f"--output-format {value}: it sets how text shows each finding ({choices}); "
                f"for {style} output use --format {style}"
            )
        match = difflib.get_close_matches(style, OUTPUT_FORMATS, n=1)
        hint = f"; did you mean '{match[0]}'?" if match else ""
        raise UsageProblem(f"--output-format: unknown style '{value}'{hint} (one of {choices})")
    if not any(name == "text" for name, _ in specs):
        raise UsageProblem(
            f"--output-format {style}: it shapes the text format, and this run writes no text "
            "(add --format text)"
        )
    return style


def _text_style(configured: str | None, quiet: bool, target: str | None) -> str:
    """The text format's style: the configured one, else concise under --quiet (its one-line
    findings), else full on a terminal and standard elsewhere (files, pipes, CI logs keep the
    layout scripts already read)."""
    from linter.output.formats.options import CONCISE, FULL, STANDARD

    if configured is not None:
        return configured
    if quiet:
        return CONCISE
    return FULL if target is None and sys.stdout.isatty() else STANDARD


STDIN = "-"


def _with_stdin(
    paths: Sequence[str], stdin_filename: str | None, pre_commit: bool
) -> tuple[list[str], dict[Path, str] | None]:
    """The paths to lint, with ``-`` standing for standard input, and its text (as ruff does,
    ``--stdin-filename`` alone reads standard input too)."""
    reads_stdin = STDIN in paths or (stdin_filename is not None and not paths)
    if not reads_stdin:
        if stdin_filename is not None:
            raise UsageProblem(
                "--stdin-filename: pass `-` among the paths for the text read from standard input"
            )
        return list(paths), None
    if pre_commit:
        raise UsageProblem("--pre-commit takes the changed files, not `-` (standard input)")
    if list(paths).count(STDIN) > 1:
        raise UsageProblem("`-` (standard input) can be given only once")
    text = _read_stdin(stdin_filename or "stdin")
    if stdin_filename is None:
        from linter.inputs.discover import stdin_name

        stdin_filename = stdin_name(text)
    targets = [stdin_filename if p == STDIN else p for p in paths] or [stdin_filename]
    return targets, {Path(os.path.abspath(stdin_filename)): text}


def _read_stdin(shown: str) -> str:
    """Standard input as the text of a file: the same decoding as a file on disk."""
    from linter.core.files import SourceError, decode_text

    if sys.stdin is None:
        raise UsageProblem("`-`: there is no standard input to read")
    data = sys.stdin.buffer.read()
    try:
        return decode_text(data, shown)
    except SourceError as exc:
        raise UsageProblem(f"{exc.location}: {exc.message}") from None


def _append_step_summary(text: str) -> None:
    """GitHub shows $GITHUB_STEP_SUMMARY on the run page; the file belongs to GitHub: append."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(text)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="NAME[=FILE]",
    help="Output format: text, json, sarif, github, junit, gitlab, markdown. Repeat it to write "
    "several reports from one scan: --format text --format sarif=results.sarif "
    "[default: text; github in GitHub Actions].",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the report to a file (atomically) instead of stdout.",
)
@lint_options
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default=None,
    help="Exit 1 when a finding is at or above this severity [default: warning].",
)
@click.option(
    "--pre-commit",
    "pre_commit",
    is_flag=True,
    help="PATHS are changed files (as a pre-commit hook passes them): lint the repository and "
    "report the findings in their Terraform directories, or whose evidence runs through them.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="Read the file from standard input (the path `-`) and lint it as if it were PATH, "
    "as editors do with an unsaved buffer.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    help="Report only findings that are not in this baseline file.",
)
@click.option(
    "--write-baseline",
    "write_baseline",
    type=click.Path(dir_okay=False),
    help="Record the current findings in this baseline file (written atomically) and exit 0.",
)
@click.option(
    "--output-format",
    "output_format",
    metavar="full|standard|concise",
    shell_complete=complete_output_formats,
    help="How the text format shows each finding: full (its source line with the offending "
    "value marked, the evidence and the fix), standard (the evidence and the fix) or concise "
    "(one line) [default: full on a terminal, else standard; concise with --quiet].",
)
@click.option(
    "--fix",
    "fix",
    is_flag=True,
    help="Apply the safe fixes (renamed key typos, removed unused suppressions), then report "
    "what remains.",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="With --fix or --diff: apply the unsafe fixes too (those that change a compliance "
    "fact baa-lint could not read, such as hipaa_ready: yes).",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Print what --fix (or --add-suppression) would change as a unified diff; write "
    "nothing. Exits 1 when there is something to change.",
)
@click.option(
    "--add-suppression",
    "add_suppression",
    metavar="REASON",
    help='Suppress every current finding with "# baa-lint: ignore[CODE] REASON" above it.',
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No summary line (and, unless --output-format says otherwise, one line per finding).",
)
@click.option("--statistics", is_flag=True, help="Count findings per rule.")
@click.option(
    "--color/--no-color",
    default=None,
    help="Color the text output on stdout, even through a pipe; --no-color never [default: "
    "when stdout is a terminal; NO_COLOR forbids, FORCE_COLOR forces].",
)
def check(
    paths: tuple[str, ...],
    formats: tuple[str, ...],
    output: str | None,
    debug: bool,
    fail_on: str | None,
    pre_commit: bool,
    exit_zero: bool,
    stdin_filename: str | None,
    baseline_file: str | None,
    write_baseline: str | None,
    output_format: str | None,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    add_suppression: str | None,
    quiet: bool,
    statistics: bool,
    color: bool | None,
    **options: Any,
) -> None:
    """Lint PATHS (files or directories; default: the current directory)."""

    def action() -> int:
        from linter.output.formats import FormatOptions, piece_formatters
        from linter.result import exit_code

        fixing = _fix_mode(fix, unsafe_fixes, diff, add_suppression, formats, output, options)
        if fixing and write_baseline:
            raise UsageProblem(f"--write-baseline cannot be combined with --{fixing}")
        specs = _output_specs(formats, output)
        style = _output_format(output_format, specs)
        targets, sources = _with_stdin(paths, stdin_filename, pre_commit)
        targets = targets or ["."]
        if pre_commit:
            from linter.inputs.discover import repository_root

            if not paths:
                return 0  # nothing changed, nothing to say
            cwd = Path(os.path.abspath(Path.cwd()))
            targets = [str(repository_root([cwd], cwd))]
        config = _load(targets, options, fail_on, style).config
        if baseline_file and not write_baseline:
            config = replace(config, baseline=baseline_file)
        run_lint = _linter(targets, config, specs, quiet, paths if pre_commit else None, sources)
        result = run_lint()
        if not result.files and not pre_commit and not quiet:
            # As ruff does: a run that read nothing says so, rather than a silent green.
            click.echo("baa-lint: warning: no files to lint", err=True)
        write_failed = False
        if fixing:
            outcome = _run_fixes(
                result, config, run_lint, unsafe_fixes, diff, add_suppression, quiet
            )
            if isinstance(outcome, int):
                return 0 if exit_zero else outcome
            result, write_failed = outcome
        if write_baseline:
            _write_baseline(result, write_baseline)
            return 0
        for name, target in specs:
            colored = _color(color, target)
            format_options = FormatOptions(
                color=colored,
                quiet=quiet,
                statistics=statistics,
                fail_on=config.fail_on,
                output_format=_text_style(config.output_format, quiet, target),
            )
            _emit(piece_formatters()[name](result, format_options), target, colored)
            if name == "github":
                from linter.output.formats.github import step_summary

                _append_step_summary(step_summary(result))
        if write_failed:
            return 2
        return 0 if exit_zero else exit_code(result, config.fail_on)

    _run(debug, action)


def _linter(
    targets: list[str],
    config: Any,
    specs: list[tuple[str, str | None]],
    quiet: bool,
    changed: Sequence[str] | None,
    sources: Mapping[Path, str] | None = None,
) -> Callable[[], Any]:
    """Lint ``targets`` (again, after fixing), with a progress line on a terminal; ``changed``:
    the files a pre-commit run reports on; ``sources``: texts that stand for files (stdin)."""

    def run_lint() -> Any:
        from linter.lint import focus_on_changed, lint
        from linter.output.progress import ProgressLine

        # This process is one run (a command, not the editor server): the collector keeps the
        # run's thresholds (linter.core.collector) after lint() returns too, or writing the
        # report (tens of thousands of new objects) would set off full collections over
        # everything the run built.
        gc.set_threshold(*RUN_THRESHOLDS)

        progress = None
        if ProgressLine.wanted(sys.stderr, [name for name, _ in specs], quiet):
            progress = ProgressLine()
        try:
            result = lint(targets, config, progress, sources=sources)
        finally:
            if progress is not None:
                progress.clear()
        if changed is not None:
            result = focus_on_changed(result, [p for p in changed if not config.is_excluded(p)])
        return result

    return run_lint


def _write_baseline(result: Any, path: str) -> None:
    from linter.core.files import write_atomic
    from linter.filters import baseline

    try:
        write_atomic(path, baseline.render(result.findings, path))
    except OSError as exc:
        raise UsageProblem(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None
    count = len(result.findings)
    click.echo(f"Wrote {count} finding{'s' * (count != 1)} to the baseline {path}.")


def _fix_mode(
    fix: bool,
    unsafe: bool,
    diff: bool,
    reason: str | None,
    formats: Sequence[str],
    output: str | None,
    options: dict[str, Any],
) -> str:
    """The fix option in use ("fix", "diff", "add-suppression" or ""), after refusing the
    combinations that cannot mean anything."""
    from linter.filters.suppressions import reason_problem

    if reason is not None:
        if fix:
            raise UsageProblem("--add-suppression cannot be combined with --fix")
        problem = reason_problem(reason)
        if problem is not None:
            raise UsageProblem(f"--add-suppression: {problem}")
        if options["no_inline_suppressions"]:
            raise UsageProblem(
                "--add-suppression cannot be combined with --no-inline-suppressions "
                "(the directives it writes would not be read)"
            )
    if unsafe and not (fix or diff):
        raise UsageProblem("--unsafe-fixes works with --fix or --diff")
    if unsafe and reason is not None:
        raise UsageProblem("--unsafe-fixes cannot be combined with --add-suppression")
    if diff and (formats or output):
        what = "--output" if output else "--format"
        raise UsageProblem(f"--diff prints only the diff; drop {what}")
    if diff:
        return "diff"
    if reason is not None:
        return "add-suppression"
    return "fix" if fix else ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _run_fixes(
    result: Any,
    config: Any,
    run_lint: Callable[[], Any],
    unsafe: bool,
    diff: bool,
    reason: str | None,
    quiet: bool,
) -> int | tuple[Any, bool]:
    """Apply (or, with --diff, show) the fixes or suppressions: the result after them and
    whether a file could not be written, or the exit code of a --diff run. Summaries go to
    stderr, so a report on stdout stays what its format says."""
    from linter.core.printable import printable
    from linter.fixes.loop import files_of, plan_fixes, plan_suppressions, write

    files = files_of(result, config)
    if reason is not None:
        run = plan_suppressions(result, config, files, reason)
    else:
        run = plan_fixes(result, files, unsafe=unsafe)
    for problem in run.plan.problems:
        click.echo(f"baa-lint: warning: {printable(problem)}", err=True)
    if diff:
        click.echo("".join(change.diff() for change in run.plan.changes), nl=False)
        if not quiet:
            click.echo(_fix_summary(run, reason is not None), err=True)
        return 1 if run.plan.changes else 0
    run, failures = write(run, files)
    for failure in failures:
        click.echo(f"baa-lint: error: {printable(failure)}", err=True)
    after = run_lint() if run.plan.changes else result
    if not quiet:
        click.echo(_fix_summary(run, reason is not None, remaining=len(after.findings)), err=True)
    return after, bool(failures)


def _fix_summary(run: Any, suppressing: bool, remaining: int | None = None) -> str:
    """One line for what a fix run did (or, without ``remaining``, would do)."""
    done = remaining is not None
    if suppressing:
        verb = "Suppressed" if done else "Would suppress"
        text = f"{verb} {_plural(run.fixed, 'finding')}"
        if run.fixed:
            files = len(run.plan.changes) - len(run.unwritten)
            text += f" with {_plural(run.made, 'directive')} in {_plural(files, 'file')}"
    else:
        text = f"{'Fixed' if done else 'Would fix'} {_plural(run.fixed, 'finding')}"
    text += f" ({remaining} remaining)." if done else "."
    if run.unsafe:
        text += f" {run.unsafe} more fixable with --unsafe-fixes."
    if run.not_applied:
        text += (
            f" {_plural(run.not_applied, 'finding')} not changed: the edit overlaps another or "
            "the text at its position differs from what was linted."
        )
    for why, count in sorted(run.skipped.items()):
        text += f" {_plural(count, 'finding')} not suppressed: {why}."
    return text


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@lint_options
def show(paths: tuple[str, ...], fmt: str, debug: bool, **options: Any) -> None:
    """List the configurations (org x workspace/product x product) found in PATHS."""

    def action() -> int:
        from linter.lint import lint
        from linter.output.show import render_json, render_text

        result = lint(list(paths) or ["."], _load(paths, options).config)
        rows = list(result.posture)
        unlinked = sorted(
            result.model.unlinked, key=lambda u: (u.workspace.location, u.workspace.address)
        )
        render = render_json if fmt == "json" else render_text
        click.echo(render(rows, unlinked), nl=False)
        return 0

    _run(debug, action)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "html", "json"]),
    default="markdown",
    show_default=True,
    help="Report format: markdown (GitHub-flavoured), html (one printable file) or json.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the report to a file (atomically) instead of stdout.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    help="Leave out findings recorded in this baseline file (the report counts them).",
)
@click.option(
    "--generated-at",
    metavar="TEXT",
    help="A date or time to print in the header (left out by default: reports are reproducible).",
)
@lint_options
def report(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    baseline_file: str | None,
    generated_at: str | None,
    debug: bool,
    **options: Any,
) -> None:
    """Write the compliance posture report for PATHS: which configurations are BAA-eligible,
    which can reach Covered Models, and the findings behind them. Exits 0 (a report is not a
    gate); 2 on a usage or configuration error."""

    def action() -> int:
        from linter.lint import lint
        from linter.output.report import render_report

        config = _load(paths, options).config
        if baseline_file:
            config = replace(config, baseline=baseline_file)
        targets = list(paths) or ["."]
        result = lint(targets, config)
        _emit(render_report(result, fmt, targets, __version__, generated_at), output)
        return 0

    _run(debug, action)


@cli.command("config")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--show",
    "show_config",
    is_flag=True,
    help="Print the effective configuration and where each value came from (the default).",
)
@lint_options
def config_command(paths: tuple[str, ...], show_config: bool, debug: bool, **options: Any) -> None:
    """Show the effective configuration for PATHS (default: the current directory)."""

    def action() -> int:
        from linter.output.tables import table
        from linter.settings.config_file import describe

        loaded = _load(paths, options)
        where = str(loaded.path) if loaded.path else "none found (built-in defaults)"
        click.echo(f"Configuration file: {where}\n")
        click.echo(table(("setting", "value", "source"), describe(loaded)), nl=False)
        return 0

    _run(debug, action)


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def rules(fmt: str) -> None:
    """List every rule: code, slug, default severity and summary."""
    from linter.output.listings import rules_json, rules_text
    from linter.rules.registry import RULES

    click.echo(rules_json(RULES) if fmt == "json" else rules_text(RULES), nl=False)


@cli.command()
@click.argument("rule", shell_complete=complete_rules)
def explain(rule: str) -> None:
    """Explain a rule (by code or slug): the policy behind it and how to fix its findings."""
    from linter.output.listings import explanation
    from linter.rules.registry import find_rule, suggest_rule

    found = find_rule(rule)
    if found is None:
        _fail(f"unknown rule '{rule}'{suggest_rule(rule)} (see `baa-lint rules`)")
    click.echo(explanation(found), nl=False)


@cli.command()
@click.argument(
    "name",
    required=False,
    default="declaration",
    type=click.Choice(list(SCHEMA_FILES)),
)
def schema(name: str) -> None:
    """Print the path of a shipped JSON Schema (default: the declaration schema), for an
    editor: # yaml-language-server: $schema=<that path>."""
    from linter.core.shipped import NotOnDiskError, schema_path

    try:
        path = schema_path(SCHEMA_FILES[name])
    except NotOnDiskError as exc:
        _fail(str(exc))
    click.echo(str(path))


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def matrix(fmt: str) -> None:
    """Print the BAA coverage matrix baa-lint enforces (policy data)."""
    from linter.output.listings import matrix_json, matrix_text
    from linter.policy.loader import load_policy

    policy = load_policy()
    click.echo(matrix_json(policy) if fmt == "json" else matrix_text(policy), nl=False)


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script: eval "$(baa-lint completion bash)"."""
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None
    click.echo(completer(cli, {}, "baa-lint", "_BAA_LINT_COMPLETE").source())


@cli.command()
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default).")
def server(stdio: bool) -> None:
    """Run the Language Server (over stdio) that shows findings in your editor as you type."""
    from linter.server import missing_dependency, serve

    missing = missing_dependency()
    if missing is not None:  # pygls is a dependency: only a broken install lacks it
        _fail(f"the language server needs {missing}, which is not installed (reinstall baa-lint)")
    serve()


def main() -> None:
    try:
        cli(prog_name="baa-lint")
    finally:
        # The process ends here. Python's last full collection at exit would traverse all
        # that the run built (a fifth of a warm run on a large repository) to find nothing;
        # frozen objects are exempt from it, and are still freed as the interpreter ends.
        gc.freeze()


if __name__ == "__main__":
    main()
