-- Re-applies a revision's GRANT. %s: privileges from a fixed list; %s: TABLE or SEQUENCE; %I.%I: the relation; %I: the role.
GRANT %s ON %s %I.%I TO %I
