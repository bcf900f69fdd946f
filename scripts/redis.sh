#!/usr/bin/env bash
# A throw-away Redis server on 127.0.0.1 for the tests (no persistence).
#   eval "$(scripts/redis.sh start)"   # sets REDIS_DIR and REDIS_URL
#   scripts/redis.sh stop "$REDIS_DIR"
set -euo pipefail

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/chapterhouse-redis.XXXXXX)
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null
    for _ in $(seq 50); do
      redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    echo "REDIS_DIR=$dir; REDIS_URL=redis://127.0.0.1:$port/0"
    ;;
  stop)
    if [ -f "$2/redis.pid" ]; then
      pid=$(cat "$2/redis.pid")
      kill "$pid" 2>/dev/null || true
      # Wait for it to exit: it writes its log and removes its pidfile while shutting down.
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$2" 2>/dev/null || true
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
