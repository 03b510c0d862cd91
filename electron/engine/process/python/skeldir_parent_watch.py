"""Runs a Python program (a script or -m module) that must not outlive Skeldir Rebuild.

Skeldir Rebuild starts the Alembic driver and pytest through this wrapper with a pipe on
stdin that it never writes to. When the CLI or the app goes away for any reason (Ctrl-C,
SIGTERM, SIGKILL, a crash, a closed window; on Windows too, where no signal reaches the
child), the operating system closes that pipe: this wrapper reads end-of-file, removes the
temporary folders it was given and ends the program and everything it started. The open
database transaction is rolled back by the server when the connection drops.

Usage: python skeldir_parent_watch.py [--remove-on-exit DIR]... (-m MODULE | SCRIPT) [ARGS...]
"""
import os
import runpy
import shutil
import signal
import sys
import threading


def watch(fd, folders):
    # Blocks until the parent's end of the pipe is closed: it never writes to it.
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    try:
        sys.stderr.write("skeldir: the program that started this process is gone; stopping (the open transaction is rolled back)\n")
        sys.stderr.flush()
    except Exception:
        pass
    # The whole process group on POSIX (the wrapper leads it): grandchildren go too.
    if hasattr(os, "killpg"):
        try:
            if os.getpgrp() == os.getpid():
                os.killpg(os.getpgrp(), signal.SIGKILL)
        except OSError:
            pass
    os._exit(70)


def main(argv):
    folders = []
    while len(argv) >= 2 and argv[0] == "--remove-on-exit":
        folders.append(argv[1])
        argv = argv[2:]
    if not argv:
        sys.stderr.write(__doc__)
        return 2
    # A copy of stdin: pytest points file descriptor 0 at /dev/null while it captures
    # output, which must not read as the parent going away.
    fd = os.dup(0)
    threading.Thread(target=watch, args=(fd, folders), daemon=True, name="skeldir-parent-watch").start()
    if argv[0] == "-m" and len(argv) >= 2:
        # As `python -m MODULE` does: the working folder first on sys.path.
        sys.argv = [argv[1]] + argv[2:]
        sys.path[0] = os.getcwd()
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = argv
        sys.path[0] = os.path.dirname(os.path.abspath(argv[0]))
        runpy.run_path(argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
