"""`mailroom queue list|show|resolve`: the clerks' queue from the command line.

The same operations as the web page (`mailroom.queue`), so the queue is scriptable: `list
--json` prints the open items as a JSON array (contracts/config-and-cli.md), `resolve`
accepts with corrections (`--set field=value`, `--set lines.0.quantity=120`) or rejects.
"""

from __future__ import annotations

import getpass
import json
from typing import Any

import click

from mailroom import queue as clerks_queue
from mailroom.commands import store_session, working_runtime
from mailroom.corrections import from_assignments
from mailroom.errors import NotFound, UsageError
from mailroom.runtime import Runtime
from store import holds
from store.base import utcnow
from store.holds import HeldItem
from store.mail import Mail


def item_json(item: HeldItem) -> dict[str, Any]:
    """One held item as `queue list --json` prints it."""
    return {
        "id": item.id,
        "kind": item.kind,
        "status": item.status,
        "reasons": item.reasons,
        "message_id": item.message_id,
        "customer_id": item.customer_id,
        "mail_id": item.mail_id,
        "ref": item.ref,
        "assignee": item.assignee,
        "created_at": item.created_at.isoformat(),
        "waiting_seconds": int((utcnow() - item.created_at).total_seconds()),
    }


@click.group()
def queue() -> None:
    """The clerks' queue: what the service held for a person to decide."""


@queue.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the open items.")
def list_(as_json: bool) -> None:
    """The open items, oldest first."""
    with store_session() as session:
        items = holds.open_items(session)
        if as_json:
            click.echo(json.dumps([item_json(item) for item in items], ensure_ascii=False))
            return
        if not items:
            click.echo("the queue is empty")
        for item in items:
            click.echo(_summary(item))


@queue.command()
@click.argument("item_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="The item, its mail's fields and history.")
def show(item_id: int, as_json: bool) -> None:
    """One item: why it is held, what was extracted, and what happened to it."""
    with store_session() as session:
        item = session.get(HeldItem, item_id)
        if item is None:
            raise NotFound(f"there is no held item {item_id}; `mailroom queue list` shows them")
        mail = session.get(Mail, item.mail_id) if item.mail_id else None
        events = holds.history(session, item.id)
        if as_json:
            data = item_json(item) | {
                "detail": item.detail,
                "resolution": item.resolution,
                "parsed": mail.parsed if mail else None,
                "history": [
                    {"action": e.action, "actor": e.actor, "note": e.note, "at": e.at.isoformat()}
                    for e in events
                ],
            }
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for line in _describe(item, mail, events):
            click.echo(line)


@queue.command()
@click.argument("item_id", type=int)
@click.option("--accept", "decision", flag_value="accept", help="Accept and resume the flow.")
@click.option("--reject", "decision", flag_value="reject", help="Decide against it.")
@click.option("--discard", "decision", flag_value="discard", help="Nothing more to do.")
@click.option("--reason", default="", help="Why (required for --reject).")
@click.option("--set", "assignments", multiple=True, help="A correction: field=value.")
@click.option("--as", "clerk", default=None, help="The clerk deciding (default: your login).")
def resolve(
    item_id: int, decision: str | None, reason: str, assignments: tuple[str, ...], clerk: str | None
) -> None:
    """Decide item ITEM_ID: --accept (with --set corrections), --reject or --discard."""
    if decision is None:
        raise UsageError("say --accept, --reject or --discard")
    if assignments and decision != "accept":
        raise UsageError("--set corrections go with --accept")
    who = clerk or f"{getpass.getuser()} (command line)"
    with working_runtime() as runtime:
        corrections = _corrections(runtime, item_id, list(assignments))
        if decision == "accept":
            item = clerks_queue.accept(runtime, item_id, who, corrections, reason)
        elif decision == "reject":
            item = clerks_queue.reject(runtime, item_id, who, reason)
        else:
            item = clerks_queue.discard(runtime, item_id, who, reason)
    changed = f" with corrections to {', '.join(corrections)}" if corrections else ""
    click.echo(f"item {item.id} {item.status}{changed} by {who}")


def _corrections(runtime: Runtime, item_id: int, assignments: list[str]) -> dict[str, Any]:
    if not assignments:
        return {}
    with runtime.read() as session:
        item = session.get(HeldItem, item_id)
        if item is None:
            raise NotFound(f"there is no held item {item_id}")
        mail = session.get(Mail, item.mail_id) if item.mail_id else None
        if mail is None:
            raise UsageError(f"item {item_id} has no mail whose fields could be corrected")
        return from_assignments(mail.parsed or {}, assignments)


def _summary(item: HeldItem) -> str:
    waited = _age(int((utcnow() - item.created_at).total_seconds()))
    first = item.reasons[0]["message"] if item.reasons else ""
    more = f" (+{len(item.reasons) - 1} more)" if len(item.reasons) > 1 else ""
    who = f" [{item.assignee}]" if item.assignee else ""
    customer = item.customer_id or "-"
    return f"{item.id:>6}  {item.kind:<7} {waited:>5}  {customer:<12}{who} {first}{more}"


def _describe(item: HeldItem, mail: Mail | None, events: list[holds.HoldEvent]) -> list[str]:
    out = [
        f"item {item.id} ({item.kind}), {item.status}, held {item.created_at:%Y-%m-%d %H:%M} UTC",
        f"customer: {item.customer_id or '-'}   claimed by: {item.assignee or '-'}",
        "reasons:",
        *(f"  - {r['rule']}: {r['message']}" for r in item.reasons),
    ]
    if item.detail:
        out += ["detail:", *(f"  {line}" for line in item.detail.splitlines()[-15:])]
    if mail is not None:
        parsed = mail.parsed or {}
        out += [f"mail {mail.id}: from {mail.sender} subject {mail.subject!r} intent {mail.intent}"]
        for name in ("po_number", "order_number", "requested_date", "ship_to"):
            if parsed.get(name):
                out.append(f"  {name}: {parsed[name]}")
        for n, line in enumerate(parsed.get("lines") or []):
            price = (
                f" @ {line['unit_price']} {line.get('currency') or ''}"
                if line.get("unit_price")
                else ""
            )
            sku = line.get("sku") or "?"
            out.append(f"  line {n}: {line['quantity']} x {sku} {line['description']}{price}")
    out += [
        "history:",
        *(f"  {e.at:%Y-%m-%d %H:%M} {e.actor}: {e.action} {e.note or ''}" for e in events),
    ]
    return out


def _age(seconds: int) -> str:
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"
