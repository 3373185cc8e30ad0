"""No network, no execution: a full lint over inputs full of URLs, remote module sources and
things that would run code elsewhere, with sockets blocked and every attempt to connect, resolve
a name, start a process or run a command recorded by an audit hook."""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import lint_json, write_bytes

# Audit events that mean a network connection, a name lookup, or running a program.
FORBIDDEN_EVENTS = (
    "socket.",
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.startfile",
    "pty.spawn",
    "urllib.Request",
    "http.client.connect",
    "ftplib.connect",
    "smtplib.connect",
    "webbrowser.open",
    "ctypes.dlopen",
)
_RECORDING: list[list[str]] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _RECORDING and event.startswith(FORBIDDEN_EVENTS):
        _RECORDING[-1].append(f"{event} {args!r}"[:200])


sys.addaudithook(_audit)  # audit hooks cannot be removed; it records only inside _recording()


class BlockedSocket:
    attempts = 0

    def __init__(self, *args: object, **kwargs: object) -> None:
        BlockedSocket.attempts += 1
        raise OSError("network access is blocked in this test")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Sockets raise; returns the list of forbidden audit events seen while the test runs."""
    BlockedSocket.attempts = 0

    def blocked(*args: object, **kwargs: object) -> Any:
        BlockedSocket.attempts += 1
        raise OSError("network access is blocked in this test")

    monkeypatch.setattr(socket, "socket", BlockedSocket)
    monkeypatch.setattr(socket, "create_connection", blocked)
    monkeypatch.setattr(socket, "getaddrinfo", blocked)
    monkeypatch.setattr(socket, "gethostbyname", blocked)
    events: list[str] = []
    _RECORDING.append(events)
    yield events
    _RECORDING.pop()


ORG = (
    'resource "anthropic_organization" "org" {\n'
    '  name       = "acme"\n'
    '  type       = "api"\n'
    "  baa_signed = true\n"
    "}\n"
)
REMOTE_TF = ORG + (
    'module "git" {\n  source = "git::https://example.com/modules.git//ws?ref=v1"\n}\n'
    'module "github" {\n  source = "github.com/example/terraform-modules//ws"\n}\n'
    'module "registry" {\n  source  = "example/workspace/anthropic"\n  version = "~> 1.0"\n}\n'
    'module "s3" {\n  source = "s3::https://s3.amazonaws.com/bucket/ws.zip"\n}\n'
    'module "http" {\n  source = "https://example.com/ws.zip"\n}\n'
    'data "http" "policy" {\n  url = "https://example.com/policy.json"\n}\n'
    'data "external" "run" {\n  program = ["sh", "-c", "touch pwned-external"]\n}\n'
    'resource "null_resource" "exec" {\n'
    '  provisioner "local-exec" {\n    command = "touch pwned-local-exec"\n  }\n}\n'
    "locals {\n"
    "  fetched  = jsondecode(data.http.policy.response_body)\n"
    '  read     = file("/etc/passwd")\n'
    '  rendered = templatefile("${path.module}/x.tpl", { cmd = "$(touch pwned-template)" })\n'
    "}\n"
    'resource "anthropic_workspace" "ws" {\n'
    '  name            = "ws"\n'
    "  organization_id = anthropic_organization.org.id\n"
    "  phi             = true\n"
    "  models          = module.git.models\n"
    "  data_retention  = local.fetched.retention\n"
    "  tags            = { products = module.registry.products, note = local.read }\n"
    "}\n"
)
REMOTE_YAML = (
    "# yaml-language-server: $schema=https://example.com/schema.json\n"
    "apiVersion: baa-lint/v1\n"
    "kind: Organization\n"
    "name: remote-yaml\n"
    "baa_signed: true\n"
    "workspaces:\n"
    "  - name: url\n"
    "    models: [https://example.com/model]\n"
)
EXECUTABLE_YAML = (
    "apiVersion: baa-lint/v1\n"
    "kind: Organization\n"
    "name: !!python/object/apply:os.system ['touch pwned-yaml']\n"
    "baa_signed: !!python/name:os.system\n"
    "workspaces: !!python/object/new:subprocess.Popen [['touch', 'pwned-popen']]\n"
)


def test_full_lint_with_sockets_blocked(in_tmp: Path, offline: list[str]) -> None:
    write_bytes(
        in_tmp,
        {
            "infra/main.tf": REMOTE_TF,
            "infra/terraform.tfvars": 'endpoint = "https://example.com/api"\n',
            "org.yaml": REMOTE_YAML,
        },
    )
    run = lint_json("--jobs", "1", ".")
    assert run.exit_code == 1
    assert [m.split(";")[0] for m in run.messages("infra/main.tf")] == [
        # Never fetched: said at the call whose source names an Anthropic module (issue 12).
        "BAA013 13:3 remote module 'example/workspace/anthropic', not read: the workspaces it "
        "may declare are not checked",
        "BAA013 42:21 cannot resolve models of workspace 'ws' of organization 'acme' "
        "(`module.git.models`: output of remote module)",
        "BAA013 43:21 cannot resolve data_retention of workspace 'ws' of organization 'acme' "
        "(`data.http.policy.response_body`: data source attribute, known only after apply)",
        "BAA013 44:34 cannot resolve tags.products of workspace 'ws' of organization 'acme' "
        "(`module.registry.products`: output of remote module)",
    ]
    assert run.keys("org.yaml") == ["BAA012 8:14"]  # an unknown model id, nothing more
    assert BlockedSocket.attempts == 0
    assert offline == []


def test_nothing_in_an_input_is_executed(in_tmp: Path, offline: list[str]) -> None:
    write_bytes(in_tmp, {"infra/main.tf": REMOTE_TF, "exec.yaml": EXECUTABLE_YAML})
    run = lint_json("--jobs", "1", ".")
    assert run.exit_code == 1
    assert offline == []
    assert sorted(p.name for p in in_tmp.iterdir() if p.name.startswith("pwned")) == []
    # The tags are just tags: the values are checked as the strings and lists they look like.
    assert run.messages("exec.yaml") == [
        "BAA901 3:7 'name' must be a string, not a list",
        "BAA901 4:13 'baa_signed' must be a boolean (true or false), not string ''",
        "BAA901 5:51 'workspaces[0]' must be a mapping, not a list",
    ]


def test_the_audit_hook_sees_what_it_should(offline: list[str]) -> None:
    """The detector itself works: a blocked connection attempt is seen twice over."""
    with pytest.raises(OSError, match="blocked"):
        socket.socket()
    assert BlockedSocket.attempts == 1
    with pytest.raises(OSError, match="blocked"):
        socket.getaddrinfo("example.com", 443)
    sys.audit("socket.connect", None, ("203.0.113.1", 443))
    assert offline == ["socket.connect (None, ('203.0.113.1', 443))"]
