-- Every statement of one request sees the same snapshot, so an answer never mixes the data
-- before and after a load (on a replica too: repeatable read is allowed on a hot standby).
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY
