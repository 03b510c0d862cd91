-- Re-applies a revision's GRANT … TO PUBLIC (PUBLIC is a keyword, not a role to quote). %s: privileges from a fixed list; %s: TABLE or SEQUENCE; %I.%I: the relation.
GRANT %s ON %s %I.%I TO PUBLIC
