-- The addresses being served: their data version (OS Places' epoch) and when it was loaded.
SELECT id, finished_at FROM data_versions
WHERE dataset = 'addresses' AND status = 'live' ORDER BY id DESC LIMIT 1
