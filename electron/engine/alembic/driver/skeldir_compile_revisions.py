"""Compiles revision files the way Alembic's import of them would, without running them.

Usage: python skeldir_compile_revisions.py LIST_FILE
LIST_FILE holds a JSON array of file paths (relative to the working folder or absolute);
a list file, not argv, because a few hundred paths exceed the Windows command-line limit.
Prints one '@@skeldir ' JSON line per file that does not compile, then '@@skeldir-done N'.
"""
import json
import sys

MARK = "@@skeldir "


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        files = json.load(handle)
    for name in files:
        try:
            with open(name, "rb") as source:
                # compile() of the bytes honours a coding cookie and a BOM, as an import does.
                compile(source.read(), name, "exec", dont_inherit=True)
        except SyntaxError as error:  # IndentationError and TabError are SyntaxErrors too
            print(MARK + json.dumps({"file": name, "line": error.lineno, "message": error.msg, "text": (error.text or "").strip()}))
        except (OSError, ValueError) as error:  # unreadable file, or a null byte in the source
            print(MARK + json.dumps({"file": name, "line": None, "message": str(error), "text": ""}))
    print("@@skeldir-done %d" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
