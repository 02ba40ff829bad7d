"""Address Lookup: the HTTP service. ``api/`` is the HTTP layer (the only code that knows
FastAPI); ``search/``, ``postcodes/``, ``addresses/``, ``spatial/`` and ``osplaces/`` are the
domain; ``db/`` is the database for the service and the loaders alike."""

__version__ = "0.1.0"
