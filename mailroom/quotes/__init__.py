"""Quotes: from a request for quote to a priced quote, a reminder, and an accepted order."""
