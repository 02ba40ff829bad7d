"""Helpers of the areas benchmark: synthetic boundaries and a lean HTTP client."""
