-- Row count and an order-independent checksum of a table's rows. %I: schema; %I: table.
SELECT count(*)::bigint AS row_count, coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS checksum FROM %I.%I t
