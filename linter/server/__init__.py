"""`baa-lint server`: a Language Server that shows baa-lint's findings in editors.

It lints the open documents' current text (unsaved buffers included, through
``lint(sources=...)``) in their repository, and publishes the findings located in each open
document as diagnostics, with a quick fix that inserts a suppression. It is a top-level
consumer of the pipeline, like the command line; pygls is imported only when it starts, so
linting from the command line never pays for it.
"""

from __future__ import annotations

import importlib.util

DEPENDENCIES = ("pygls", "lsprotocol")


def missing_dependency() -> str | None:
    """The first library the server needs that is not installed, if any."""
    return next((name for name in DEPENDENCIES if importlib.util.find_spec(name) is None), None)


def serve() -> None:
    """Speak the Language Server Protocol over standard input and output until the client
    says exit."""
    from linter.server.app import create_server

    create_server().start_io()
