"""Writing prepared areas: one type replaced in one transaction (readers see the old areas or
the new, never neither), subdivided for fast point lookups, with parents derived."""

from __future__ import annotations

from loaders.core.guards import DEFAULT_LIMITS, ReplaceLimits, check_replacement
from loaders.ingest.areas.boundaries import BoundarySource, PreparedAreas
from service.db.types import Connection
from service.spatial.hierarchy import parent_type_of

# Its parts go with it (ON DELETE CASCADE).
_DELETE_SET = "DELETE FROM areas WHERE type = $1 AND set_name = $2"

_COUNT_SET = "SELECT count(*) FROM areas WHERE type = $1 AND set_name = $2"

_INSERT_AREAS = """
INSERT INTO areas (type, set_name, code, name, data_version_id, geom)
SELECT $1, $2, new.code, new.name, $3, ST_Multi(ST_GeomFromWKB(new.wkb, 27700))
FROM unnest($4::text[], $5::text[], $6::bytea[]) AS new (code, name, wkb)
"""

# Pieces of at most this many vertices: small enough that the exact test is quick, few enough
# that the index stays small (MapIt and Nominatim use a few hundred).
SUBDIVIDE_MAX_VERTICES = 128

_SUBDIVIDE = """
INSERT INTO area_parts (area_id, geom)
SELECT a.id, piece.geom
FROM areas a
CROSS JOIN LATERAL ST_Subdivide(a.geom, $2) AS sub (geom)
CROSS JOIN LATERAL ST_Dump(sub.geom) AS piece
WHERE a.type = $1 AND a.set_name = $3
"""

_RECORD_TYPE = """
INSERT INTO area_types (type, parent_type, area_count, source, data_version_id)
VALUES ($1, $2, (SELECT count(*) FROM areas WHERE type = $1), $3, $4)
ON CONFLICT (type) DO UPDATE SET parent_type = excluded.parent_type,
    area_count = excluded.area_count, source = excluded.source,
    data_version_id = excluded.data_version_id, loaded_at = now()
"""

# The parent is the area of the parent type covering a point inside the child (on its
# surface, away from its edges, so boundaries digitised slightly differently do not matter);
# the lowest code wins if two cover it.
_DERIVE_PARENTS = """
WITH inside AS (
    SELECT id, ST_PointOnSurface(geom) AS point FROM areas WHERE type = $1
), found AS (
    SELECT inside.id, (
        SELECT p.code FROM area_parts part JOIN areas p ON p.id = part.area_id
        WHERE p.type = $2::text AND ST_Covers(part.geom, inside.point)
        ORDER BY p.code LIMIT 1
    ) AS parent_code
    FROM inside
)
UPDATE areas a
SET parent_code = found.parent_code,
    parent_type = CASE WHEN found.parent_code IS NULL THEN NULL ELSE $2::text END
FROM found WHERE a.id = found.id
"""


async def replace_areas(
    conn: Connection,
    source: BoundarySource,
    prepared: PreparedAreas,
    *,
    version_id: int,
    declared_parent: str | None,
    limits: ReplaceLimits = DEFAULT_LIMITS,
) -> int:
    """Replace the areas of the source's type in its data set in one transaction: readers see
    the old areas or the new, never a mixture; other types and other sets are untouched.
    Refused (nothing changed) if it would empty or shrink the set too far. Returns the number
    of parts."""
    area_type, set_name = source.area_type, source.set_name
    async with conn.transaction():
        before = int(await conn.fetchval(_COUNT_SET, area_type, set_name))
        check_replacement(f"{area_type} areas of set {set_name!r}", before, len(prepared), limits)
        await conn.execute(_DELETE_SET, area_type, set_name)
        await conn.execute(_INSERT_AREAS, area_type, set_name, version_id, *prepared.rows())
        subdivided = await conn.execute(_SUBDIVIDE, area_type, SUBDIVIDE_MAX_VERTICES, set_name)
        await conn.execute(_RECORD_TYPE, area_type, declared_parent, str(source.path), version_id)
        # Fresh statistics, so that deriving parents (and every reader) uses the index.
        await conn.execute("ANALYZE areas")
        await conn.execute("ANALYZE area_parts")
        await derive_parents(conn, area_type)
    # The replaced rows are dead now: clear them from the index at once, not when autovacuum
    # gets round to it, so lookups do not step over them.
    await conn.execute("VACUUM (ANALYZE) areas, area_parts")
    return _row_count(subdivided)


async def derive_parents(conn: Connection, loaded_type: str) -> None:
    """Derive again the parents of the loaded type's areas and of every type whose parents
    are of the loaded type (loading wards gives parishes their wards)."""
    rows = await conn.fetch("SELECT type, parent_type FROM area_types")
    declared = {row["type"]: row["parent_type"] for row in rows}
    for child in declared:
        parent = parent_type_of(child, declared.keys(), declared)
        if loaded_type in (child, parent):
            await conn.execute(_DERIVE_PARENTS, child, parent)


_TYPE_SUMMARY = """
SELECT t.type, t.parent_type AS declared_parent, t.area_count,
       (SELECT count(*) FROM areas a WHERE a.type = t.type AND a.parent_code IS NOT NULL)
           AS with_parent,
       (SELECT min(a.parent_type) FROM areas a WHERE a.type = t.type) AS parent_type
FROM area_types t WHERE t.type = $1
"""


async def parent_summary(conn: Connection, area_type: str) -> tuple[str | None, int]:
    """The type the loaded type's parents are of, and how many of its areas have one."""
    row = await conn.fetchrow(_TYPE_SUMMARY, area_type)
    return (row["parent_type"], int(row["with_parent"])) if row else (None, 0)


def _row_count(status: str) -> int:
    """The row count at the end of a command status such as 'INSERT 0 42'."""
    return int(status.rsplit(" ", 1)[-1])
