"""Errors an operator can act on: the CLI prints their message as one line and exits 1."""


class CliError(Exception):
    """A failure the operator can fix; the message says what was wrong and what to do."""
