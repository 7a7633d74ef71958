"""Dramatiq actors: thin steps that load by id, call the domain code and persist.

Importing this package declares every actor (see `mailroom.jobs`).
"""

from mailroom.actions import (
    acknowledge,
    aftersales,
    documents,
    failures,
    intake,
    orders,
    outbox,
    quotes,
    relations,
    shipments,
)

__all__ = [
    "acknowledge",
    "aftersales",
    "documents",
    "failures",
    "intake",
    "orders",
    "outbox",
    "quotes",
    "relations",
    "shipments",
]
