-- Re-applies a revision's REVOKE. %s: privileges from a fixed list; %s: TABLE or SEQUENCE; %I.%I: the relation; %I: the role.
REVOKE %s ON %s %I.%I FROM %I
