"""Everything an operator runs, by capability; the arrows between folders point one way:

- ``cli/``: the ``address-lookup`` command tree, one module per command group (``db``, ``load``,
  ``serve``, ``demo``, ``status``, ``generate``, ``councils``, ``keys``, ``usage``). It reads
  options and prints outcomes; it calls everything below and nothing below calls it.
- ``ingest/``: bringing data in: ``addressbase/`` (Premium and Plus, full and change-only),
  ``plaincsv.py``, ``areas/`` (boundaries, and contacts from CSV or Modern.Gov),
  ``postcode_points.py`` and ``postcode_load.py`` (Code-Point Open and ONSPD), and ``model.py``
  (building, indexing and swapping in the address model every address loader ends with).
- ``searchindex/``: building the address search index from the address model.
- ``core/``: what every loader shares: the database connection and named load sessions,
  staging with COPY, reading sources, build-then-swap, the guards, data versions, worker
  processes that die with their loader, progress and rejects reports.
- ``generate/``: the realistic fictional AddressBase generator for demos, tests and benchmarks.

The schema migrations and the managed local PostGIS live in ``service.db``, which the service
and the loaders both use; the service never imports the loaders.
"""
