-- A repeatable definition (see service/db/migrations): applied by `address-lookup db migrate`
-- whenever this text changes. Its caller is areas_for_points in service/spatial/areas.py.
--
-- The areas containing each point (British National Grid), one per type and data set: the
-- lowest code wins where areas of one type in one set meet, so a point on a shared boundary has
-- one answer per set, and each set's area where two councils' sets meet. Candidates come
-- from the GiST index on area_parts; the exact ST_Covers test runs on those small pieces only.
--
-- It is a function so that it can carry its own planner setting. As a plain statement
-- PostgreSQL plans it afresh on every call (for a known point its custom plans look a little
-- cheaper than the generic plan), and planning costs more than running it: with the generic
-- plan a lookup takes half the time, and one service process answers ~40% more lookups a second.
CREATE OR REPLACE FUNCTION areas_at_points(xs float8[], ys float8[], wanted_types text[])
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
        SELECT DISTINCT ON (area.type, area.set_name) area.id
        FROM area_parts part
        JOIN areas area ON area.id = part.area_id
        WHERE ST_Covers(part.geom, ST_SetSRID(ST_MakePoint(q.x, q.y), 27700))
          AND (wanted_types IS NULL OR area.type = ANY (wanted_types))
        ORDER BY area.type, area.set_name, area.code
    ) hit
    JOIN area_answers v ON v.id = hit.id;
END
$$;
