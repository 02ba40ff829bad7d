"""An OS Places API compatible face on the same data: the same requests and the same JSON, so
an existing OS Places integration switches by changing its base URL."""
