"""Logistics: carriers, shipments and their tracking, and what the customer is told of them."""
