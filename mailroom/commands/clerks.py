"""`mailroom clerks add|list`: the accounts that sign in to the clerks' web page."""

from __future__ import annotations

import sys

import click

from mailroom.commands import store_session
from mailroom.errors import UsageError
from store import clerks as accounts


@click.group()
def clerks() -> None:
    """Clerks' accounts for `mailroom web`."""


@clerks.command()
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (one line)."
)
@click.option("--language", type=click.Choice(["en", "zh"]), default="en", show_default=True)
def add(name: str, password_stdin: bool, language: str) -> None:
    """Create clerk NAME (or give an existing one a new password, ending their sessions)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < accounts.MIN_PASSWORD:
        raise UsageError(f"a password needs at least {accounts.MIN_PASSWORD} characters")
    with store_session() as session:
        clerk = accounts.add_clerk(session, name, password, language)
        click.echo(f"clerk {clerk.name} can sign in")


@clerks.command("list")
def list_() -> None:
    """The clerks' accounts."""
    with store_session() as session:
        for clerk in accounts.all_clerks(session):
            state = "" if clerk.active else " (disabled)"
            click.echo(f"{clerk.name}  {clerk.language}{state}")
