#!/usr/bin/env bash
# Run the storage and policy tests (pytest -m postgres) against a real PostgreSQL server.
#
# Installs PostgreSQL from Debian's packages when it is missing, starts a throw-away cluster
# on localhost on a free port as the postgres user, creates a database, runs the tests with
# ASSISTANT_TEST_DB_URL pointing at it, and stops and removes the cluster again (also on failure).
# Runs as root (CI and developer machines); needs the project's .venv (make install).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

PORT=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
WORK=$(mktemp -d /tmp/assistant-pg.XXXXXX)
chown postgres:postgres "$WORK"
as_pg() { (cd /tmp && runuser -u postgres -- "$@"); }

cleanup() {
    as_pg "$BIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

as_pg "$BIN/initdb" -D "$WORK/data" -A trust -U postgres --no-sync >/dev/null
as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $WORK -c fsync=off" start >/dev/null
as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres assistant_test

export ASSISTANT_TEST_DB_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/assistant_test"
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT"
.venv/bin/pytest -q -m postgres -p no:cacheprovider "$@"
