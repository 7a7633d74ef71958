"""Orders: check a request, decide (confirm, ask, hold), follow the order, tell the customer.

request.py  what is asked (from a mail or an accepted quote)
rules.py    the named checks        checks.py  builds their context and runs them
decide.py   the one decision        place.py   a new order from a request
outcome.py  confirm / ask / hold    changes.py corrections, changes, cancellations
status.py   status moves, status emails and status questions
overdue.py  orders past their promised date
resume.py   a clerk's accept on a held order
"""
