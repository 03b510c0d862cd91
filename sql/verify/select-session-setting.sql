-- The value a new session sees for a setting ($1), NULL when undefined.
SELECT current_setting($1, true) AS value
