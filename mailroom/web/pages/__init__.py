"""The pages of the clerks' web interface, one module per area."""
