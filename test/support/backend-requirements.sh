#!/usr/bin/env bash
# Builds a virtualenv with the real Skeldir backend's requirements (the corpus in
# ../shared/corpus), for the tests that rebuild the real repository through R5.
# Usage: test/support/backend-requirements.sh VENV_DIR BACKEND_DIR
#
# Two of celery's own dependencies (click-didyoumean, click-repl: celery's command line
# only) are not on this machine's package index, so celery goes in with --no-deps and its
# runtime dependencies are named here. psycopg[binary]: SQLAlchemy 2.1 maps postgresql://
# to psycopg 3; greenlet: SQLAlchemy's asyncio support.
set -euo pipefail
venv="$1"
backend="$2"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip install --quiet --retries 0 --disable-pip-version-check)
grep -viE '^[[:space:]]*celery([<>=!~[:space:]]|$)' "$backend/requirements.txt" > "$venv/requirements-without-celery.txt"
"${pip[@]}" -r "$venv/requirements-without-celery.txt" 'psycopg[binary]' greenlet \
  kombu billiard vine click click-plugins python-dateutil tzdata tzlocal amqp
"${pip[@]}" --no-deps "$(grep -iE '^[[:space:]]*celery([<>=!~[:space:]]|$)' "$backend/requirements.txt" | head -n 1 | tr -d '[:space:]')"
