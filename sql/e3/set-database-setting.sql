-- %I: database; %s: setting name, each dotted part quoted with %I; %L: value. Reaches new sessions only.
ALTER DATABASE %I SET %s = %L
