#!/usr/bin/env bash
# `make run`: the development server with the scheduled-jobs worker beside it. Ctrl+C stops both.
set -u
BIN=${BIN:-.venv/bin}
# Links in e-mails (save and come back later, duty alerts) must point at the port this server answers on.
if [ -z "${SITE_URL:-}" ]; then
    link_host=${HOST:-127.0.0.1}
    [ "$link_host" = "0.0.0.0" ] && link_host=127.0.0.1
    export SITE_URL="http://${link_host}:${PORT:-5000}"
fi
"$BIN/flask" jobs run &
worker=$!
stop_worker() {
    kill -TERM "$worker" 2>/dev/null
    wait "$worker" 2>/dev/null
}
trap stop_worker EXIT
trap 'exit 130' INT TERM
"$BIN/flask" run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
