#!/usr/bin/env python3
"""Print Alembic's own view of a migration graph as JSON (no database needed).

Usage: python alembic_dump.py path/to/alembic.ini

Loads the project with alembic.config.Config and
alembic.script.ScriptDirectory.from_config, exactly as the alembic CLI does
(relative script_location / version_locations are resolved from the ini's
folder, which is also where the CLI is meant to be run from; a pyproject.toml
there is read too, and the ini need not exist), and prints:

{
  "revisions": [            # sorted by id
    {"id": str,
     "downRevisions": [str],  # as declared, declared order
     "dependsOn": [str],      # as declared, declared order
     "branchLabels": [str],   # the revision's own labels (not inherited), sorted
     "labels": [str],         # every label that applies (own and inherited), sorted
     "message": str,          # Alembic's doc: first paragraph of the docstring
     "path": str}             # relative to the ini's folder, forward slashes
  ],
  "heads": [str],           # sorted
  "bases": [str]            # sorted
}

Errors (bad ini, cycles, missing revisions...) go to stderr with exit code 1.
"""
from __future__ import annotations

import json
import os
import sys
from typing import Any, Iterable


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _relative(path: str, base: str) -> str:
    return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")


def dump(ini_path: str) -> dict[str, Any]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    ini_path = os.path.abspath(ini_path)
    base = os.path.dirname(ini_path)
    toml_path = os.path.join(base, "pyproject.toml")
    if not os.path.isfile(ini_path) and not os.path.isfile(toml_path):
        raise FileNotFoundError(f"no such file: {ini_path}")

    previous_cwd = os.getcwd()
    os.chdir(base)
    try:
        config = Config(ini_path, toml_file=toml_path if os.path.isfile(toml_path) else None)
        script = ScriptDirectory.from_config(config)
        scripts: Iterable[Any] = list(script.walk_revisions("base", "heads"))
        revisions = []
        for sc in sorted(scripts, key=lambda s: s.revision):
            revisions.append(
                {
                    "id": sc.revision,
                    "downRevisions": _as_list(sc.down_revision),
                    "dependsOn": _as_list(sc.dependencies),
                    "branchLabels": sorted(sc._orig_branch_labels),
                    "labels": sorted(sc.branch_labels),
                    "message": sc.doc,
                    "path": _relative(sc.path, base),
                }
            )
        heads = sorted(script.get_heads())
        bases = sorted(script.get_bases())
    finally:
        os.chdir(previous_cwd)

    return {"revisions": revisions, "heads": heads, "bases": bases}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: alembic_dump.py <path to alembic.ini>", file=sys.stderr)
        return 2
    try:
        result = dump(argv[1])
    except Exception as exc:  # noqa: BLE001 - report any Alembic failure
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
