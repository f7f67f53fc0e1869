#!/usr/bin/env bash
# Run the storage and policy tests (pytest -m postgres) against a real PostgreSQL server.
#
# Installs PostgreSQL from Debian's packages when it is missing, starts a throw-away cluster
# on localhost on a free port as the postgres user, and sets the database up as README's
# "PostgreSQL" section tells a DBA to: the app's login role assistant_app (no superuser) owns
# neither the database nor its schema, may create tables there, migrates them, and then
# deploy/postgres/audit-owner.sql hands the audit log to assistant_audit. The tests run as
# assistant_app (ASSISTANT_TEST_DB_URL); ASSISTANT_TEST_ADMIN_DB_URL (postgres) lets them wipe
# and set up the schema the same way per test. The cluster is stopped and removed again (also
# on failure).
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

ADMIN_URL="postgresql://postgres@127.0.0.1:$PORT/assistant_test"
APP_URL="postgresql+psycopg://assistant_app@127.0.0.1:$PORT/assistant_test"
export PATH="$BIN:$PATH"  # this server's psql
psql -X -q -v ON_ERROR_STOP=1 "$ADMIN_URL" <<'SQL'
CREATE ROLE assistant_app LOGIN;
GRANT USAGE, CREATE ON SCHEMA public TO assistant_app;
SQL
.venv/bin/python -c 'import sys; from assistant.storage import make_engine, migrate; migrate(make_engine(sys.argv[1]))' "$APP_URL"
psql -X -q -v app_role=assistant_app -f deploy/postgres/audit-owner.sql "$ADMIN_URL"

export ASSISTANT_TEST_DB_URL="$APP_URL"
export ASSISTANT_TEST_ADMIN_DB_URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/assistant_test"
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT, tests as assistant_app"
.venv/bin/pytest -q -m postgres -p no:cacheprovider "$@"
