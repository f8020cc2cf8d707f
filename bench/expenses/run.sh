#!/usr/bin/env bash
# Expenses benchmark: builds in Release, starts a throwaway PostgreSQL (as ./test.sh does), runs the
# benchmark on PostgreSQL (1,000,000 expenses) and on SQLite (100,000), and prints the figures.
# Usage: bench/expenses/run.sh [postgres|sqlite|both]   (default both)
set -euo pipefail
cd "$(dirname "$0")/../.."
which=${1:-both}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else echo "need root or sudo for: $*" >&2; return 1; fi; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ "$which" != sqlite ] && ! { [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ]; }; then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

dotnet build src/PayTrack/PayTrack.csproj -c Release -nologo -v quiet
dotnet build bench/expenses/PayTrack.Bench.Expenses.csproj -c Release -nologo -v quiet
APP=src/PayTrack/bin/Release/net10.0/PayTrack.dll
BENCH=bench/expenses/bin/Release/net10.0/PayTrack.Bench.Expenses.dll

if [ "$which" != sqlite ]; then
  PGBIN=$(pg_bin)
  PGDIR=$(mktemp -d /tmp/paytrack-bench-pg.XXXXXX)
  chmod 755 "$PGDIR"
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 55433)
  run_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PGDIR"; runuser -u postgres -- "$@"; else "$@"; fi; }
  stop_pg() { run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1; rm -rf "$PGDIR"; }
  trap stop_pg EXIT
  run_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  # Durable settings (fsync and synchronous commit on, as in production); a little more memory than the tiny defaults.
  run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c work_mem=16MB -c maintenance_work_mem=256MB -c max_wal_size=4GB" start >/dev/null
  run_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres paytrack_bench
  dotnet "$BENCH" --provider postgres --app "$APP" \
    --connection "Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=paytrack_bench;Maximum Pool Size=50;Command Timeout=600" "${@:2}"
fi

if [ "$which" != postgres ]; then
  DB=$(mktemp -d /tmp/paytrack-bench-sqlite.XXXXXX)
  dotnet "$BENCH" --provider sqlite --app "$APP" --connection "Data Source=$DB/paytrack.db" "${@:2}"
  rm -rf "$DB"
fi
