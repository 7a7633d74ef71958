"""The command line's commands, one module per area; `mailroom/cli.py` registers them."""
