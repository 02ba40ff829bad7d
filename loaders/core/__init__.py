"""What every loader shares: connections, staging, sources, swaps, data versions, reports."""
