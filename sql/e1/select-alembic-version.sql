-- Alembic's current revisions: zero, one, or one per applied head.
SELECT version_num FROM public.alembic_version ORDER BY version_num
