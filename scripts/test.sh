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
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

make --no-print-directory install PYTHON="$PYTHON" VENV="$VENV"
"$VENV/bin/pip" install --quiet -e '.[test]'
"$VENV/bin/pybabel" compile -d translations
if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; fi

# Both runs use a real Redis (tests marked `redis`); they start their own extra servers when
# they need to stop one.
eval "$(bash scripts/redis.sh start)"
PG_DIR=
cleanup() {  # stopping the throw-away servers never decides the outcome: the tests' status does
  bash scripts/redis.sh stop "$REDIS_DIR" || true
  if [ -n "$PG_DIR" ]; then bash scripts/postgres.sh stop "$PG_DIR" || true; fi
}
trap cleanup EXIT
export TEST_REDIS_URL="$REDIS_URL"

echo "== Suite on SQLite (with browser tests) =="
status=0
"$VENV/bin/pytest" "$@" || status=$?

echo "== Suite on PostgreSQL =="
eval "$(bash scripts/postgres.sh start)"
TEST_DATABASE_URL="$PG_URL" "$VENV/bin/pytest" -m "not browser" "$@" || status=$?
exit $status
