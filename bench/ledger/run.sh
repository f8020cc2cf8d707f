#!/usr/bin/env bash
# Ledger benchmark: builds Release, starts a throwaway PostgreSQL (durable settings: fsync on),
# measures pgbench's built-in TPC-B-like script on it for reference, then drives PayTrack's
# POST /transfers and /transfers/batch over HTTP on PostgreSQL and on SQLite.
#   bench/ledger/run.sh [seconds-per-scenario] [clients]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER=${1:-15}
CLIENTS=${2:-32}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)"; exit 1; }

dotnet build PayTrack.slnx -c Release -nologo -v quiet >/dev/null

PGDIR=$(mktemp -d /tmp/paytrack-bench-pg.XXXXXX); chmod 755 "$PGDIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PGDIR"; runuser -u postgres -- "$@"; else "$@"; fi; }
trap 'run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1; rm -rf "$PGDIR"' EXIT
run_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=512MB" start >/dev/null
echo "# machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (fsync on)"

echo "# pgbench reference: TPC-B-like, scale 10, 16 clients, ${SECONDS_PER}s"
run_pg "$PGBIN/createdb" -h "$PGDIR" -p "$PORT" pgbench
run_pg "$PGBIN/pgbench" -h "$PGDIR" -p "$PORT" -i -s 10 -q pgbench >/dev/null 2>&1
PGB=$(run_pg "$PGBIN/pgbench" -h "$PGDIR" -p "$PORT" -c 16 -j 2 -T "$SECONDS_PER" -n pgbench 2>/dev/null | tee /dev/stderr | awk '/^tps/ {print int($3)}')
echo "pgbench: $PGB tps"

CONN="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres"
OUT="$PGDIR/results.txt"
dotnet bench/ledger/bin/Release/net10.0/PayTrack.Bench.Ledger.dll --provider Postgres --connection "$CONN" --seconds "$SECONDS_PER" --clients "$CLIENTS" | tee -a "$OUT"
dotnet bench/ledger/bin/Release/net10.0/PayTrack.Bench.Ledger.dll --provider Sqlite --seconds "$SECONDS_PER" --clients "$CLIENTS" | tee -a "$OUT"
dotnet bench/ledger/bin/Release/net10.0/PayTrack.Bench.Ledger.dll --provider Sqlite --sqlite-synchronous NORMAL --seconds "$SECONDS_PER" --clients "$CLIENTS" | tee -a "$OUT"

echo
echo "# summary (pgbench TPC-B-like reference: $PGB tps on the same PostgreSQL)"
grep '^RESULT' "$OUT" | sed 's/^RESULT //' | while IFS= read -r line; do
  rate=$(echo "$line" | grep -oE '[0-9,]+ transfers/s' | tr -d ',' | awk '{print $1}')
  ratio=$(awk -v r="$rate" -v p="$PGB" 'BEGIN { if (p > 0) printf "%.2f", r / p; else print "n/a" }')
  echo "$line  (= ${ratio}× pgbench)"
done
