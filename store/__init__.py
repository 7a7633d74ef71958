"""The store: typed SQLAlchemy 2 models, their migrations and the repositories that query them.

The database is the truth of the service: every mail, every job's stage, every reply and every
held item lives here; a broker message only carries an id.
"""
