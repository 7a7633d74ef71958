"""`mailroom catalog import`: products and customers from CSV into the store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mailroom.catalog_import import import_files
from mailroom.commands import store_session
from mailroom.errors import ImportFileError


@click.group()
def catalog() -> None:
    """The catalog: our products and customers."""


@catalog.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def import_(files: tuple[str, ...]) -> None:
    """Import products and customers from CSV FILES (an upsert; a bad file stores nothing).

    Invalid rows are listed with file and line; the files holding them are not stored and
    the exit status is 1.
    """
    with store_session() as session:
        summaries, problems = import_files(session, [Path(f) for f in files])
    for line in summaries:
        click.echo(line)
    if problems:
        # Reported here rather than left to the top-level group, so the command behaves the
        # same when it is invoked on its own.
        click.echo(f"mailroom: {ImportFileError(problems)}", err=True)
        click.echo("mailroom: files with problems were not imported; fix them and retry", err=True)
        sys.exit(1)
