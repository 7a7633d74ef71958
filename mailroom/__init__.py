"""mailroom: an order follow-up clerk that works by email."""
