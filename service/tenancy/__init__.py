"""Tenancy: the signatory councils, their API keys, the limits on each key and its usage.

Plain domain code: it imports neither FastAPI nor Starlette. The HTTP side (the middleware
that identifies the caller, answers CORS preflights and enforces limits; the usage endpoint)
lives in ``service.api``.
"""
