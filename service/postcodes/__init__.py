"""Postcodes, in one home: parsing, keys and display forms, the message saying why a text is
not a postcode (``parse``), and every postcode query (``queries``)."""
