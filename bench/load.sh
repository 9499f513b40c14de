#!/usr/bin/env bash
# Load test: gunicorn on loopback, then wrk for 60 s of mixed traffic (bench/load.lua):
# the map and its GeoJSON, lists, hub pages, the agenda, feeds and the funding dashboard.
#
#   bash bench/load.sh                                   # SQLite bench/bench.sqlite3
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/hubs_bench bash bench/load.sh
#
# Fill the database first (bench/generate.py). Needs wrk (apt-get install wrk).
# DURATION (60s), CONNECTIONS (16), WORKERS (2 × cores + 1) and PORT (8877) can be set.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-16}
WORKERS=${WORKERS:-$((2 * $(nproc) + 1))}
PORT=${PORT:-8877}
export DATABASE_URL=${DATABASE_URL:-sqlite:///$PWD/bench/bench.sqlite3}
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-load-test-only-$(date +%s)-not-a-secret-key-for-prod}
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SSL_REDIRECT=false DJANGO_HSTS_SECONDS=0
export DJANGO_STATIC_MANIFEST=false  # pages only: no collectstatic needed

command -v wrk > /dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
.venv/bin/python manage.py migrate -v0
read -r HUB_ID HUB_SLUGS < <(.venv/bin/python manage.py shell -v0 -c "
from hubs.models import Hub
hubs = list(Hub.objects.published().order_by('pk').values_list('pk', 'slug')[:500:50])
print(hubs[0][0], ' '.join(slug for _, slug in hubs))")
export HUB_ID HUB_SLUGS

.venv/bin/gunicorn config.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
  --access-logfile /dev/null --error-logfile bench/gunicorn.log &
SERVER=$!
trap 'kill $SERVER 2> /dev/null; wait $SERVER 2> /dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$PORT/healthz" > /dev/null && break
  sleep 0.2
done

echo "database: $DATABASE_URL; gunicorn: $WORKERS workers; wrk: $CONNECTIONS connections, $DURATION"
# Warm-up: every path once per worker (render caches are per process).
wrk -t1 -c"$WORKERS" -d5s -s bench/load.lua "http://127.0.0.1:$PORT" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s bench/load.lua "http://127.0.0.1:$PORT"
