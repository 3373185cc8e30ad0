"""`python -m linter` is `baa-lint`."""

from linter.cli import main

main()
