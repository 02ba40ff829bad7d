"""The database, for the service and the loaders alike: the connection pool and its codecs
(``pool``), the connection type every data function takes (``types``), the numbered schema
migrations and their runner (``migrations``), and the managed local PostGIS cluster
(``localcluster``)."""
