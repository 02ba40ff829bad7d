-- One key not yet held by a process (issued since its last reload).
{{cached_key}}
WHERE k.public_id = $1
