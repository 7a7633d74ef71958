"""The clerks' web page: sign-in, the queue, items, mail, customers, orders and health."""
