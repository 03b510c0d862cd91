-- Drops a policy changed in place, before the revision's own CREATE POLICY makes it again. %I: the policy; %I.%I: the table.
DROP POLICY %I ON %I.%I
