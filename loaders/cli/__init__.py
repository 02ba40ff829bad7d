"""The `address-lookup` command tree: one module per command group."""
