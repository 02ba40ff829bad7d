-- Areas: boundaries of any type (parish, ward, district, county, or a custom type such as
-- waste_round) and the contacts that route reports to them.
--
-- A load of one type replaces that type's rows in one transaction (delete, insert, subdivide,
-- derive parents), so readers see the old areas or the new, never a mixture; other types are
-- untouched. Point lookups never test the full polygons: they use area_parts, the polygons cut
-- into pieces of at most a few hundred vertices (ST_Subdivide, as MapIt and Nominatim do), so
-- the GiST index finds a handful of small candidates and the exact ST_Covers test is cheap.

-- One row per loaded type: what was loaded last and how its parents are found.
CREATE TABLE area_types (
    type            text COLLATE "C" PRIMARY KEY,   -- 'parish', 'ward', 'waste_round', ...
    parent_type     text COLLATE "C",               -- declared with --parent-type; NULL: the hierarchy rule
    area_count      integer NOT NULL,
    source          text NOT NULL,                  -- the file it came from
    data_version_id bigint,
    loaded_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE areas (
    id              bigserial PRIMARY KEY,
    type            text COLLATE "C" NOT NULL,
    code            text COLLATE "C" NOT NULL,      -- GSS code (E04001490) or the operator's own
    name            text NOT NULL,
    parent_type     text COLLATE "C",               -- derived at load by containment
    parent_code     text COLLATE "C",
    data_version_id bigint,
    geom            geometry(MultiPolygon, 27700) NOT NULL
);
CREATE UNIQUE INDEX areas_type_code_key ON areas (type, code);
CREATE INDEX areas_code_idx ON areas (code);

-- The pieces of each area's polygon, for point lookups.
CREATE TABLE area_parts (
    area_id bigint NOT NULL REFERENCES areas (id) ON DELETE CASCADE,
    geom    geometry(Polygon, 27700) NOT NULL
);
CREATE INDEX area_parts_geom_idx ON area_parts USING gist (geom);
CREATE INDEX area_parts_area_id_idx ON area_parts (area_id);

-- Who to send a report about an area to. Keyed by code (and optionally type), not by area
-- row, so contacts survive a reload of their boundaries and may be loaded before them.
CREATE TABLE area_contacts (
    id              bigserial PRIMARY KEY,
    area_code       text COLLATE "C" NOT NULL,
    area_type       text COLLATE "C",               -- NULL: the area with this code of any type
    name            text,
    role            text,
    email           text,
    phone           text,
    url             text,
    line            integer NOT NULL,               -- line in the source CSV; keeps its order
    data_version_id bigint
);
CREATE INDEX area_contacts_area_code_idx ON area_contacts (area_code);

-- An area as the API answers it: with its parent and its contacts (in the CSV's order).
CREATE VIEW area_answers AS
SELECT a.id, a.code, a.name, a.type, a.geom,
       p.code AS parent_code, p.name AS parent_name, p.type AS parent_type,
       c.contacts
FROM areas a
LEFT JOIN areas p ON p.type = a.parent_type AND p.code = a.parent_code
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('name', ac.name, 'role', ac.role, 'email', ac.email,
                                      'phone', ac.phone, 'url', ac.url) ORDER BY ac.line)
           AS contacts
    FROM area_contacts ac
    WHERE ac.area_code = a.code AND (ac.area_type IS NULL OR ac.area_type = a.type)
) c ON true;

-- The areas containing each point (British National Grid), one per type: the lowest code wins
-- where areas of one type meet, so a point on a shared boundary has one answer. Candidates come
-- from the GiST index on area_parts; the exact ST_Covers test runs on those small pieces only.
--
-- It is a function so that it can carry its own planner setting. As a plain statement
-- PostgreSQL plans it afresh on every call (for a known point its custom plans look a little
-- cheaper than the generic plan), and planning costs more than running it: with the generic
-- plan a lookup takes half the time, and one service process answers ~40% more lookups a second.
CREATE FUNCTION areas_at_points(xs float8[], ys float8[], wanted_types text[])
RETURNS TABLE (ord bigint, code text, name text, type text, parent_code text,
               parent_name text, parent_type text, contacts json)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT q.ord, v.code, v.name, v.type, v.parent_code, v.parent_name, v.parent_type,
           v.contacts
    FROM unnest(xs, ys) WITH ORDINALITY AS q (x, y, ord)
    CROSS JOIN LATERAL (
        SELECT DISTINCT ON (area.type) area.id
        FROM area_parts part
        JOIN areas area ON area.id = part.area_id
        WHERE ST_Covers(part.geom, ST_SetSRID(ST_MakePoint(q.x, q.y), 27700))
          AND (wanted_types IS NULL OR area.type = ANY (wanted_types))
        ORDER BY area.type, area.code
    ) hit
    JOIN area_answers v ON v.id = hit.id;
END
$$;
