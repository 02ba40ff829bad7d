-- OS Places results: one row per address and dataset asked ($1: 'DPA', 'LPI' or both), so
-- paging and totals count records as OS does. {where} picks the addresses (a postcode, a
-- box, a radius, a polygon, UPRNs; from code, values as parameters from $4), {fq} the OS
-- filters, {order} their order. $2 limit, $3 offset.
SELECT a.uprn, a.udprn, a.parent_uprn, a.usrn, a.logical_status, a.lpi_logical_status,
       a.blpu_state, a.postal_address, a.classification_code, a.custodian_code, a.country,
       a.rpc, a.x, a.y, a.lat, a.lon, a.postcode, a.organisation_name, a.department_name,
       a.sub_building_name, a.building_name, a.building_number, a.dependent_thoroughfare,
       a.thoroughfare, a.double_dependent_locality, a.dependent_locality, a.post_town,
       a.po_box_number, a.delivery_point_suffix, a.welsh_dependent_thoroughfare,
       a.welsh_thoroughfare, a.welsh_double_dependent_locality, a.welsh_dependent_locality,
       a.welsh_post_town, a.lpi_key, a.sao_start_number, a.sao_start_suffix, a.sao_end_number,
       a.sao_end_suffix, a.sao_text, a.pao_start_number, a.pao_start_suffix, a.pao_end_number,
       a.pao_end_suffix, a.pao_text, a.street_description, a.locality, a.town_name,
       a.administrative_area, a.area_name, a.lpi_organisation, a.legal_name, a.dpa_address,
       a.lpi_address, a.last_update_date, a.entry_date,
       s.state AS street_state, s.street_classification,
       k.kind, count(*) OVER () AS total
FROM addresses a
CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS k(kind, kind_order)
LEFT JOIN abp_street s ON s.usrn = a.usrn
WHERE {where}
  AND ((k.kind = 'DPA' AND a.dpa_address IS NOT NULL) OR (k.kind = 'LPI' AND a.lpi_address IS NOT NULL))
  {fq}
ORDER BY {order}, k.kind_order
LIMIT $2 OFFSET $3
