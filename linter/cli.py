"""The command line: parse options, call the library, format, exit. Nothing else lives here."""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

import click

from linter import __version__

F = TypeVar("F", bound=Callable[..., Any])

SEVERITIES = ("error", "warning", "info")


class UsageProblem(click.UsageError):
    """A bad option value; click prints it and exits 2."""


class DefaultGroup(click.Group):
    """`baa-lint PATH...` means `baa-lint check PATH...`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


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


def _split_codes(values: Sequence[str], option: str) -> tuple[str, ...]:
    from linter.rules import find_rule, suggest_rule

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


def _color(option: bool | None, output: str | None) -> bool:
    if output:
        return False
    if option is not None:
        return option
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _fail(message: str) -> NoReturn:
    click.echo(f"baa-lint: error: {message}", err=True)
    sys.exit(2)


def _run(debug: bool, action: Callable[[], int]) -> NoReturn:
    """Run a command; expected problems and crashes become one line on stderr and exit 2."""
    from linter.discover import DiscoveryError

    try:
        code = action()
    except (DiscoveryError, UsageProblem) as exc:
        if debug:
            traceback.print_exc()
        _fail(str(exc))
    except click.exceptions.Exit:
        raise
    except Exception as exc:  # the one place that turns crashes into a clean exit 2
        if debug:
            traceback.print_exc()
        detail = str(exc).splitlines()[0] if str(exc) else ""
        _fail(f"internal error: {type(exc).__name__}: {detail} (run with --debug for details)")
    sys.exit(code)


def _emit(text: str, output: str | None) -> None:
    if output:
        from linter.textio import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


def lint_options(func: F) -> F:
    options = [
        click.option(
            "--select",
            multiple=True,
            metavar="CODES",
            help="Only these rules (codes or slugs, comma-separated).",
        ),
        click.option(
            "--ignore",
            multiple=True,
            metavar="CODES",
            help="Skip these rules (codes or slugs, comma-separated).",
        ),
        click.option("--debug", is_flag=True, help="Show tracebacks for internal errors."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _config(select: Sequence[str], ignore: Sequence[str], fail_on: str | None = None) -> Any:
    from linter.config import Config
    from linter.findings import Severity

    kwargs: dict[str, Any] = {
        "select": _split_codes(select, "--select"),
        "ignore": _split_codes(ignore, "--ignore"),
    }
    if fail_on:
        kwargs["fail_on"] = Severity(fail_on)
    return Config(**kwargs)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
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
    default="warning",
    show_default=True,
    help="Exit 1 when a finding is at or above this severity.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--quiet", "-q", is_flag=True, help="Only the finding lines: no evidence, fixes or summary."
)
@click.option("--statistics", is_flag=True, help="Count findings per rule.")
@click.option(
    "--color/--no-color",
    default=None,
    help="Color the text output (default: when stdout is a terminal).",
)
def check(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    debug: bool,
    fail_on: str,
    exit_zero: bool,
    quiet: bool,
    statistics: bool,
    color: bool | None,
) -> None:
    """Lint PATHS (files or directories; default: the current directory)."""

    def action() -> int:
        from linter.api import exit_code, lint
        from linter.formatters import FormatOptions, formatters

        config = _config(select, ignore, fail_on)
        result = lint(list(paths) or ["."], config)
        options = FormatOptions(color=_color(color, output), quiet=quiet, statistics=statistics)
        _emit(formatters()[fmt](result, options), output)
        return 0 if exit_zero else exit_code(result, config.fail_on)

    _run(debug, action)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
def show(paths: tuple[str, ...], fmt: str, debug: bool) -> None:
    """List the configurations (org x workspace/product x product) found in PATHS."""

    def action() -> int:
        from linter.api import lint
        from linter.formatters.show import render_json, render_text
        from linter.posture import posture

        result = lint(list(paths) or ["."], _config((), ()))
        rows = posture(result.configurations, result.policy)
        click.echo(render_json(rows) if fmt == "json" else render_text(rows), nl=False)
        return 0

    _run(debug, action)


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def rules(fmt: str) -> None:
    """List every rule: code, slug, default severity and summary."""
    from linter.rules import RULES
    from linter.textio import table

    if fmt == "json":
        data = [
            {
                "code": r.code,
                "name": r.slug,
                "severity": r.severity.value,
                "summary": r.summary,
                "suppressible": r.suppressible,
                "explanation": r.explanation,
            }
            for r in RULES
        ]
        click.echo(json.dumps(data, indent=2))
        return
    rows = [(r.code, r.slug, r.severity.value, r.summary) for r in RULES]
    click.echo(table(("code", "name", "severity", "summary"), rows), nl=False)


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain a rule (by code or slug): the policy behind it and how to fix its findings."""
    from linter.rules import find_rule, suggest_rule

    found = find_rule(rule)
    if found is None:
        _fail(f"unknown rule '{rule}'{suggest_rule(rule)} (see `baa-lint rules`)")
    header = f"{found.code} {found.slug} [{found.severity.value}]"
    click.echo(f"{header}\n\n{found.summary}.\n\n{found.explanation}", nl=False)


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def matrix(fmt: str) -> None:
    """Print the BAA coverage matrix baa-lint enforces (policy data)."""
    from linter.policy import load_policy
    from linter.textio import table

    policy = load_policy()

    def yes(value: bool) -> str:
        return "yes" if value else "no"

    if fmt == "json":
        data = {
            "as_of": policy.as_of,
            "source": policy.source_title,
            "rows": [
                {
                    "product": r.product,
                    "route": r.route,
                    "hipaa_ready": r.hipaa_ready,
                    "retention": r.retention,
                    "eligible": r.eligible,
                    "covered_models": r.covered,
                }
                for r in policy.rows
            ],
        }
        click.echo(json.dumps(data, indent=2))
        return
    rows = []
    for r in policy.rows:
        route = r.route + (" (HIPAA-ready plan)" if r.hipaa_ready else "")
        rows.append(
            (policy.product_name(r.product), route, r.retention, yes(r.eligible), yes(r.covered))
        )
    click.echo(f'Source: "{policy.source_title}" (as of {policy.as_of})\n')
    headers = ("product", "access route", "retention", "BAA-eligible", "Covered Models")
    click.echo(table(headers, rows), nl=False)
    click.echo(
        "\nEligibility also needs a signed BAA; services bought through a third-party cloud "
        f"({', '.join(policy.third_party_platforms)}) are outside Anthropic's BAA."
    )


def main() -> None:
    cli(prog_name="baa-lint")


if __name__ == "__main__":
    main()
