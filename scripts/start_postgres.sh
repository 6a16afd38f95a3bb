#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the store tests and print its address on stdout:
#   postgresql://qms@/qms_test?host=DIR&port=PORT   (a unix socket in DIR; no TCP port is opened)
# Debian's `postgresql` package is installed if it is absent (apt-get as root, or through sudo).
# As root, the server runs as the `postgres` user that the package creates (PostgreSQL refuses root).
# Stop it with: scripts/start_postgres.sh --stop
set -euo pipefail
PORT=${QMS_PG_PORT:-54329}
DIR=${QMS_PG_DIR:-/tmp/qms-pg-$PORT}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN=$(find_bin)
if [ "${1:-}" = "--stop" ]; then
    [ -n "$BIN" ] && [ -d "$DIR/data" ] || exit 0
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null || true
    else "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null || true; fi
    exit 0
fi
if [ -z "$BIN" ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo -n"; else
        echo "start_postgres: PostgreSQL is not installed and this user cannot install it" >&2; exit 1; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
    BIN=$(find_bin)
fi
if [ "$(id -u)" = 0 ]; then RUN=(runuser -u postgres --); else RUN=(); fi
if [ -d "$DIR/data" ]; then "${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true; fi
rm -rf "$DIR"
mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
"${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -A trust -U qms -E UTF8 --no-locale --no-sync >/dev/null
"${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-k $DIR -p $PORT -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
"${RUN[@]}" "$BIN/createdb" -h "$DIR" -p "$PORT" -U qms qms_test
echo "postgresql://qms@/qms_test?host=$DIR&port=$PORT"
