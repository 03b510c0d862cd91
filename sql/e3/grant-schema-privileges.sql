-- %s: privileges from the profile's fixed list (USAGE, CREATE); %I: schema; %I: role.
GRANT %s ON SCHEMA %I TO %I
