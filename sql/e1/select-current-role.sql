-- Whether the login role can do what bootstrap needs (create roles and databases).
SELECT current_user AS role, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user
