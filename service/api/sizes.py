"""How big a request may be: the body cap and the lengths of its items, in one place.

The body cap is sized from the largest legitimate request: 100 match addresses of at most
200 characters, every character written as a JSON ``\\uXXXX`` escape (6 bytes), is 120,000
bytes; with the JSON around them that fits in 128 KiB. A 100-point bulk areas request or 100
postcodes are far smaller, and an OS Places polygon of 1 km² needs no more than a few
thousand vertices."""

from __future__ import annotations

MAX_BULK_ITEMS = 100
MAX_TEXT_CHARS = 200  # a free-text address: search, typeahead, one match item
MAX_POSTCODE_CHARS = 16
MAX_BODY_BYTES = 128 * 1024
