-- Makes a foreign key the profile names. %I: the table; %I: the constraint; %I: the column;
-- %I (%I): the table and column it references; %s: the ON DELETE action (the profile's fixed list).
ALTER TABLE public.%I ADD CONSTRAINT %I FOREIGN KEY (%I) REFERENCES public.%I (%I) ON DELETE %s
