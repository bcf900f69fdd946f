#!/usr/bin/env bash
# Installs everything the tests need, starts Redis and PostgreSQL on 127.0.0.1, and runs the suite
# twice: on SQLite (with the browser tests) and on PostgreSQL. Called by `make test` and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
DEBIAN_PACKAGES=(postgresql redis-server chromium chromium-driver)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
command -v java >/dev/null || missing+=(default-jre-headless)  # the Nu Html Checker (scripts/quality.py)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

make --no-print-directory install PYTHON="$PYTHON" VENV="$VENV"
"$VENV/bin/pip" install --quiet -e '.[test]'
"$VENV/bin/pybabel" compile -d translations
if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; fi

# Both runs use a real Redis (tests marked `redis`), each its own server so that one run's flushdb never
# touches the other's; they start their own extra servers when they need to stop one.
# The two runs go side by side (each waits on Chromium, workers, Node and its database part of the time):
# SQLite (with the browser tests) prints as it goes, PostgreSQL's output follows when both are done.
# TEST_RUNS=serial runs them one after the other.
eval "$(bash scripts/redis.sh start)"
SQLITE_REDIS_DIR=$REDIS_DIR SQLITE_REDIS_URL=$REDIS_URL
eval "$(bash scripts/redis.sh start)"
PG_REDIS_DIR=$REDIS_DIR PG_REDIS_URL=$REDIS_URL
PG_DIR=
WORK=$(mktemp -d /tmp/chapterhouse-test.XXXXXX)
cleanup() {  # stopping the throw-away servers never decides the outcome: the tests' status does
  bash scripts/redis.sh stop "$SQLITE_REDIS_DIR" || true
  bash scripts/redis.sh stop "$PG_REDIS_DIR" || true
  if [ -n "$PG_DIR" ]; then bash scripts/postgres.sh stop "$PG_DIR" || true; fi
  rm -rf "$WORK" || true
}
trap cleanup EXIT
eval "$(bash scripts/postgres.sh start)"

sqlite_suite() {
  TEST_REDIS_URL="$SQLITE_REDIS_URL" "$VENV/bin/pytest" --basetemp="$WORK/sqlite" "$@"
}
postgres_suite() {
  TEST_REDIS_URL="$PG_REDIS_URL" TEST_DATABASE_URL="$PG_URL" "$VENV/bin/pytest" --basetemp="$WORK/postgresql" \
    -m "not browser" "$@"
}

# The key pages' Lighthouse scores and HTML validity on the demo data (README "Look and feel"), with the whole
# suite only (not when pytest is given arguments); its report and Lighthouse's JSON go to artifacts/quality/.
page_quality() {
  if [ $# -eq 0 ] && [ "${PAGE_QUALITY:-on}" != off ]; then
    echo "== Page quality (Lighthouse and the Nu Html Checker) =="
    "$VENV/bin/python" scripts/quality.py
  fi
}

status=0
if [ "${TEST_RUNS:-parallel}" = serial ]; then
  echo "== Suite on SQLite (with browser tests) =="
  sqlite_suite "$@" || status=$?
  echo "== Suite on PostgreSQL =="
  postgres_suite "$@" || status=$?
  page_quality "$@" || status=$?
else
  postgres_suite "$@" >"$WORK/postgresql.log" 2>&1 &
  postgres_pid=$!
  echo "== Suite on SQLite (with browser tests); the PostgreSQL suite runs alongside =="
  sqlite_suite "$@" || status=$?
  page_quality "$@" || status=$?
  pg_status=0
  wait "$postgres_pid" || pg_status=$?
  echo "== Suite on PostgreSQL =="
  cat "$WORK/postgresql.log"
  [ "$pg_status" -eq 0 ] || status=$pg_status
fi
exit $status
