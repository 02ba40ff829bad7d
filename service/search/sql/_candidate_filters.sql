-- The request's filters ($4..$11), each NULL when not asked for, for {{candidate_filters}}.
  AND ($4::text IS NULL OR postcode_key = $4)
  AND ($5::text IS NULL OR classification_code LIKE $5)
  AND ($6::smallint IS NULL OR logical_status = $6)
  AND ($7::integer IS NULL OR custodian_code = $7)
  AND ($8::float8 IS NULL OR x BETWEEN $8 AND $10)
  AND ($9::float8 IS NULL OR y BETWEEN $9 AND $11)
