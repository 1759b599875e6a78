#!/usr/bin/env bash
# Runs the suite on SQLite, then again on PostgreSQL (TEST_DATABASE_URL, default the local server).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export APP_ENV=development  # the development defaults are refused in production
PG_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}"

if command -v pg_ctlcluster >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  for _ in $(seq 1 20); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi

echo "== Tests on SQLite"
env -u TEST_DATABASE_URL $BIN/python -m pytest "$@"
sqlite_rc=$?

echo "== Tests on PostgreSQL"
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || [ -n "${TEST_DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL="$PG_URL" $BIN/python -m pytest -m "not browser" "$@"
  pg_rc=$?
else
  echo "PostgreSQL is not reachable at $PG_URL" >&2
  pg_rc=1
fi
exit $(( sqlite_rc != 0 || pg_rc != 0 ))
