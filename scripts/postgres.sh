#!/usr/bin/env bash
# A throw-away PostgreSQL server on 127.0.0.1 for the tests.
#   eval "$(scripts/postgres.sh start)"   # sets PG_DIR and PG_URL
#   scripts/postgres.sh stop "$PG_DIR"
# With a folder, the server keeps its data there between runs (the benchmark reuses its data set):
#   eval "$(scripts/postgres.sh start /path/to/folder)"; scripts/postgres.sh stop /path/to/folder --keep
set -euo pipefail
bin=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    if [ -n "${2:-}" ]; then mkdir -p "$2"; dir=$(cd "$2" && pwd); else dir=$(mktemp -d /tmp/chapterhouse-pg.XXXXXX); fi
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    fresh=false
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
      fresh=true
    fi
    as_postgres "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/log" \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    if $fresh; then as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres chapterhouse_test; fi
    echo "PG_DIR=$dir; PG_URL=postgresql+psycopg://postgres@127.0.0.1:$port/chapterhouse_test"
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$2/data" -m fast stop >/dev/null || true
    if [ "${3:-}" != "--keep" ]; then rm -rf "$2"; fi
    ;;
  *) echo "usage: $0 start [DIR] | stop DIR [--keep]" >&2; exit 2 ;;
esac
