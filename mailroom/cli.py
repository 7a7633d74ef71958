"""The `mailroom` command: one group, one module per command under `mailroom/commands/`.

Expected failures (`MailroomError`) print one line naming what was wrong and exit with the
error's code (1 for a reported failure, 2 for usage or configuration); never a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from mailroom.errors import MailroomError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MailroomError as exc:
            click.echo(f"mailroom: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group)
@click.version_option(package_name="mailroom")
def main() -> None:
    """mailroom: an order follow-up clerk that works by email."""


def _register() -> None:
    # Each command lives in its own module; adding one is one line here.
    from mailroom.commands import run

    for command in (run.run, run.worker, run.demo):
        main.add_command(command)
    from mailroom.commands import catalog, parse

    main.add_command(parse.parse)
    main.add_command(catalog.catalog)
    from mailroom.commands import clerks, queue, web

    main.add_command(clerks.clerks)
    main.add_command(queue.queue)
    main.add_command(web.web)
    from mailroom.commands import quotes

    main.add_command(quotes.quotes)
    from mailroom.commands import orders

    main.add_command(orders.orders)
    from mailroom.commands import documents

    main.add_command(documents.documents)
    from mailroom.commands import tickets

    main.add_command(tickets.tickets)
    from mailroom.commands import customers

    main.add_command(customers.customers)
    from mailroom.commands import shipments

    main.add_command(shipments.shipments)


_register()
