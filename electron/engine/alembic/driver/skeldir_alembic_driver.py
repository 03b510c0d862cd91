"""Runs a planned sequence of Alembic upgrades in one Python process.

Skeldir Rebuild starts this once per R4 run, so a two-step plan costs one
interpreter start. It calls Alembic's command API step by step and reports each
step, and each revision Alembic runs, on stdout as a line starting with
"@@skeldir " followed by JSON; Alembic's own log ("Running upgrade A -> B,
message") goes where the project's logging configuration sends it, as usual.
The revisions are reported on stdout with the steps because two pipes keep no
order between them: read from the log, a step's first revision could arrive
before the step itself.

Usage: python skeldir_alembic_driver.py <alembic.ini> <mode> <target> [<target> ...]
  The alembic.ini may be missing when the pyproject.toml beside it has [tool.alembic].
  mode: "upgrade" runs the steps; "sql" prints each step's SQL (offline mode, no
  database access). A target of the form FROM:TO is passed to Alembic as is.

The database URL comes from DATABASE_URL in the environment (read by env.py);
it is never an argument.
"""
import inspect
import io
import json
import logging
import os
import re
import sys
import traceback

MARK = "@@skeldir "


# The reader cuts lines at 64 KB (a child that never ends a line must not grow its buffer),
# and one step's offline SQL can be hundreds of KB: it goes out in pieces, each line at most
# 4000 characters of SQL, 48 KB even if json.dumps escapes every one as a surrogate pair.
SQL_PIECE_CHARS = 4000


def emit(event, **fields):
    fields["event"] = event
    sys.stdout.write(MARK + json.dumps(fields) + "\n")
    sys.stdout.flush()


def emit_sql(index, target, sql):
    """A step's SQL as "step-sql" events whose pieces, joined in order, are the whole."""
    for start in range(0, max(len(sql), 1), SQL_PIECE_CHARS):
        emit("step-sql", index=index, target=target, sql=sql[start:start + SQL_PIECE_CHARS])


class RunningRevision(logging.Filter):
    """Reports each revision Alembic announces, and remembers the last, to name it when a step fails.

    A filter on Alembic's migration logger, not a handler: env.py's fileConfig() empties the
    handlers of that logger (a child of the configured "alembic" one) but keeps its filters.
    It lets every record through.
    """

    def __init__(self):
        super().__init__()
        self.last = None

    def filter(self, record):
        message = record.getMessage()
        if message.startswith("Running upgrade"):
            self.last = message
            emit("revision", line=message)
        return True


def accepts_toml_file(Config):
    """Whether this Alembic's Config takes toml_file= (1.16+); 1.13-1.15 raise TypeError on it."""
    return "toml_file" in inspect.signature(Config.__init__).parameters


def has_tool_alembic(toml_path):
    """Whether pyproject.toml holds a [tool.alembic] table, as the engine decides it (alembic-configuration.ts):
    a file without one is not configuration, and Alembic need not parse it (tomllib refuses a BOM, for one)."""
    try:
        with open(toml_path, encoding="utf-8-sig", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*alembic\s*\]", text, re.MULTILINE) is not None


def project_config(Config, ini_path, buffer):
    """The project's configuration as the alembic command finds it: alembic.ini, and the
    [tool.alembic] table of the pyproject.toml beside it (Alembic 1.16+), or that table alone."""
    toml_path = os.path.join(os.path.dirname(os.path.abspath(ini_path)), "pyproject.toml")
    options = {"output_buffer": buffer} if buffer is not None else {}
    if has_tool_alembic(toml_path) and accepts_toml_file(Config):
        options["toml_file"] = toml_path
    return Config(ini_path if os.path.isfile(ini_path) else None, **options)


def database_error(error):
    """Walks the exception chain to the DB-API error and returns its SQLSTATE and primary message."""
    seen = set()
    current = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        orig = getattr(current, "orig", None)
        for candidate in (current, orig):
            # psycopg2 names it pgcode, psycopg 3 sqlstate: without the latter a full disk
            # (53100) under psycopg 3 read as a lost connection.
            code = getattr(candidate, "pgcode", None) or getattr(candidate, "sqlstate", None)
            if code:
                diag = getattr(candidate, "diag", None)
                primary = getattr(diag, "message_primary", None) if diag is not None else None
                return code, primary or str(candidate).strip().splitlines()[0], type(candidate).__name__
        current = current.__cause__ or current.__context__
    return None, None, None


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    ini_path, mode, targets = argv[1], argv[2], argv[3:]
    try:
        from alembic import command
        from alembic.config import Config
    except ImportError as error:
        emit("driver-failed", errorType="ImportError", message=str(error))
        return 3

    tracker = RunningRevision()
    migration_log = logging.getLogger("alembic.runtime.migration")
    migration_log.addFilter(tracker)
    # A project whose env.py configures no logging (pyproject.toml holds none) still has its
    # revisions reported; env.py's fileConfig(), where there is one, sets the level it wants.
    migration_log.setLevel(logging.INFO)
    emit("plan", steps=targets, mode=mode)
    for index, target in enumerate(targets):
        emit("step-start", index=index, target=target)
        buffer = io.StringIO() if mode == "sql" else None
        config = project_config(Config, ini_path, buffer)
        tracker.last = None
        try:
            command.upgrade(config, target, sql=(mode == "sql"))
        except BaseException as error:  # KeyboardInterrupt too: report, then stop
            sqlstate, primary, db_type = database_error(error)
            if buffer is not None:
                # The revisions before the failing one are known: VERIFY still reads them.
                emit_sql(index, target, buffer.getvalue())
            emit(
                "step-failed",
                index=index,
                target=target,
                errorType=db_type or type(error).__name__,
                sqlstate=sqlstate,
                # str() of a SQLAlchemy error holds the whole statement: kept short, like the text.
                message=(primary or str(error).strip())[:4000],
                text="".join(traceback.format_exception_only(type(error), error)).strip()[-4000:],
                running=tracker.last,
            )
            return 1
        if buffer is not None:
            emit_sql(index, target, buffer.getvalue())
        emit("step-done", index=index, target=target)
    emit("done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
