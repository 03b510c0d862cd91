-- Whether Alembic's bookkeeping table exists.
SELECT to_regclass('public.alembic_version') IS NOT NULL AS present
