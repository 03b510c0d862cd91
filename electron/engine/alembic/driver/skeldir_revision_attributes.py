"""Reads the attributes of a few revision files the way Alembic does.

Skeldir Rebuild reads revision files without Python; when one writes an attribute as an
expression it cannot work out (a call, an environment lookup...), it starts this once
for all such files. It builds Alembic's ScriptDirectory from the project's configuration
(so prepend_sys_path and a package script_location apply, as they do for Alembic) and
loads just the files named, with Alembic's own Script loader.

Usage: python skeldir_revision_attributes.py <alembic.ini> <pyproject.toml or -> <section> <file> [<file> ...]
Run from the folder Alembic runs in. Prints one line per file:
  @@skeldir {"file": ..., "revision": ..., "down_revision": [...] | null, "branch_labels": [...],
             "depends_on": [...] | null}   or   {"file": ..., "error": "Type: message"}
No database is touched: env.py is not run.
"""
import inspect
import json
import os
import sys

MARK = "@@skeldir "


def as_list(value):
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError("lists %r, which is not a string" % (item,))
    return items


def accepts_toml_file(Config):
    """Whether this Alembic's Config takes toml_file= (1.16+); 1.13-1.15 raise TypeError on it."""
    return "toml_file" in inspect.signature(Config.__init__).parameters


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    ini, toml, section, files = argv[1], argv[2], argv[3], argv[4:]
    from alembic.config import Config
    from alembic.script import Script, ScriptDirectory

    options = {"toml_file": None if toml == "-" else toml} if accepts_toml_file(Config) else {}
    config = Config(file_=ini, ini_section=section, **options)
    script_dir = ScriptDirectory.from_config(config)
    for path in files:
        out = {"file": path}
        try:
            script = Script._from_path(script_dir, os.path.abspath(path))
            if script is None:
                raise ValueError("Alembic does not read this file as a revision")
            module = script.module
            out["revision"] = script.revision
            out["down_revision"] = as_list(getattr(module, "down_revision", None))
            out["branch_labels"] = as_list(getattr(module, "branch_labels", None)) or []
            out["depends_on"] = as_list(getattr(module, "depends_on", None))
            if not isinstance(out["revision"], str):
                raise TypeError("revision is %r, not a string" % (out["revision"],))
        except BaseException as exc:  # noqa: BLE001 - each file's failure is reported on its own
            out = {"file": path, "error": "%s: %s" % (type(exc).__name__, exc)}
        sys.stdout.write(MARK + json.dumps(out) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
