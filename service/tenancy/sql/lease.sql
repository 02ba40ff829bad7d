-- Hand a service process a block of a key's allowance for the current window of each period
-- asked for, atomically: $1 the key, then per period its length in seconds, the block wanted
-- and the key's limit. The window comes from the database's clock, so every process agrees on
-- it. A block never takes the total past the limit; once it is reached the grant is 0.
INSERT INTO key_allowances AS a (key_id, period_s, window_start, allowance, granted, last_grant)
SELECT $1, p.period_s,
       (floor(extract(epoch FROM clock_timestamp()) / p.period_s) * p.period_s)::bigint,
       p.allowance, least(p.block, p.allowance), least(p.block, p.allowance)
FROM unnest($2::integer[], $3::integer[], $4::integer[]) AS p (period_s, block, allowance)
ON CONFLICT (key_id, period_s) DO UPDATE SET
    granted = CASE WHEN a.window_start >= excluded.window_start
                   THEN a.granted + greatest(0, least(excluded.last_grant,
                                                      excluded.allowance - a.granted))
                   ELSE excluded.granted END,
    last_grant = CASE WHEN a.window_start >= excluded.window_start
                      THEN greatest(0, least(excluded.last_grant, excluded.allowance - a.granted))
                      ELSE excluded.granted END,
    window_start = greatest(a.window_start, excluded.window_start),
    allowance = excluded.allowance
RETURNING period_s, window_start, granted, last_grant,
          extract(epoch FROM clock_timestamp())::float8 AS db_now
