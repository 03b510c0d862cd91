-- Re-applies a revision's REVOKE … FROM PUBLIC (PUBLIC is a keyword, not a role to quote). %s: privileges from a fixed list; %s: TABLE or SEQUENCE; %I.%I: the relation.
REVOKE %s ON %s %I.%I FROM PUBLIC
