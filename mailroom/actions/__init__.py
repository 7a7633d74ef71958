"""Dramatiq actors: thin steps that load by id, call the domain code and persist.

Importing this package declares every actor (see `mailroom.jobs`).
"""

from mailroom.actions import acknowledge, failures, intake, orders, outbox, quotes, shipments

__all__ = ["acknowledge", "failures", "intake", "orders", "outbox", "quotes", "shipments"]
