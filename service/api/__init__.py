"""The HTTP layer: one router per resource, the request-scoped database dependency (deps),
the mapping of domain errors to statuses and the one JSON error body (errors), request
context middleware and orjson responses."""
