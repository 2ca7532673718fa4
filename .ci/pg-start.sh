#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the tests (Debian's
# `postgresql` package): `.ci/pg-start.sh` prints "DIR URL", where URL names
# a superuser the tests use to make one database each;
# `.ci/pg-start.sh stop DIR` stops it and removes DIR. initdb refuses to run
# as root, so as root the cluster runs as the `postgres` user.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL's server is not installed (apt-get install postgresql)" >&2; exit 1; }
as_owner() {
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
if [ "${1:-}" = stop ]; then
    as_owner "'$bin/pg_ctl' -D '$2/data' -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$2"
    exit 0
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/taizhang-pg.XXXXXX")
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner "'$bin/initdb' -D '$dir/data' -U tz_admin --auth=trust -E UTF8 --locale=C.UTF-8" >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
# TLS on, with a self-signed certificate (the app encrypts whenever the
# server offers it); the application's role `tz_app` (no superuser) signs in
# with a password over SCRAM, everyone else is trusted on loopback.
as_owner "cd '$dir/data' && openssl req -new -x509 -days 2 -nodes -subj /CN=127.0.0.1 -newkey rsa:2048 -keyout server.key -out server.crt >/dev/null 2>&1 && chmod 600 server.key"
as_owner "printf 'host all tz_app 127.0.0.1/32 scram-sha-256\n' | cat - '$dir/data/pg_hba.conf' > '$dir/data/hba.new' && mv '$dir/data/hba.new' '$dir/data/pg_hba.conf'"
# fsync off: a throwaway cluster for tests, never a ledger.
as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-k '$dir' -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c ssl=on\" start" >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
echo "$dir postgres://tz_admin@127.0.0.1:$port/postgres"
