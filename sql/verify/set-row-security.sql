-- Re-applies a revision's row-level security setting. %I.%I: the table; %s: ENABLE, DISABLE, FORCE or NO FORCE (a fixed list).
ALTER TABLE %I.%I %s ROW LEVEL SECURITY
