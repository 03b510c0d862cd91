-- Names the lock's session (application_name) after the owner's pid, so a refused second run can say
-- which process holds the lock even when it runs on another machine. $1: the name (≤ 63 bytes).
SELECT set_config('application_name', $1, false)
