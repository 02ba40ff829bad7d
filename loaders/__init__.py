"""Address Lookup: everything an operator runs (the CLI, the managed database, the loaders)."""
