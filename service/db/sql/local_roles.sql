-- The managed local cluster's roles of least privilege (service.db.roles), run by its
-- superuser at every start (so it is idempotent): the loader owns the database, its schema
-- and everything in it; the service logs in and gets its privileges from migration 0010.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'address_lookup_loader') THEN
        CREATE ROLE address_lookup_loader LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'address_lookup_service') THEN
        CREATE ROLE address_lookup_service LOGIN;
    END IF;
END $$;
ALTER ROLE address_lookup_service LOGIN;
ALTER DATABASE :"database" OWNER TO address_lookup_loader;
ALTER SCHEMA public OWNER TO address_lookup_loader;

-- A cluster made before these roles existed was migrated and loaded by the superuser: hand
-- its tables, views and functions (not PostGIS's own) to the loader. Sequences and indexes
-- follow their tables.
DO $$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT c.oid::regclass AS name,
               CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND pg_get_userbyid(c.relowner) <> 'address_lookup_loader'
          AND NOT EXISTS (SELECT FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                            AND d.deptype IN ('e', 'a', 'i'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO address_lookup_loader', found.kind, found.name);
    END LOOP;
    FOR found IN
        SELECT p.oid::regprocedure AS name
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'address_lookup_loader'
          AND NOT EXISTS (SELECT FROM pg_depend d
                          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                            AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO address_lookup_loader', found.name);
    END LOOP;
END $$;
