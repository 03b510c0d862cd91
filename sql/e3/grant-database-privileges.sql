-- %s: privileges from the profile's fixed list (CONNECT, TEMPORARY, CREATE); %I: database; %I: role.
GRANT %s ON DATABASE %I TO %I
