-- Replaces a foreign key that stands with another ON DELETE action or name by the one the profile
-- names, in one statement, so the table is never without it. %I: the table; %I: the constraint
-- as it stands; then as in add-foreign-key.sql.
ALTER TABLE public.%I DROP CONSTRAINT %I, ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES public.%I (%I) ON DELETE %s
