#!/usr/bin/env bash
# PayTrack's one test command: installs what the tests need when missing, starts a throwaway
# PostgreSQL on a free loopback port, runs every test on SQLite and on PostgreSQL, stops the
# server, and ends with one line "N passed, N failed". Exit code is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

log() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else echo "need root or sudo for: $*" >&2; return 1; fi; }

# --- prerequisites ----------------------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
need_apt=()
[ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || need_apt+=(postgresql)
if [ -d tests/PayTrack.BrowserTests ] && ! command -v chromium >/dev/null; then need_apt+=(chromium); fi
command -v npm >/dev/null || need_apt+=(nodejs npm)   # the build restores the UI's npm packages
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null || { echo "apt-get install failed" >&2; exit 1; }
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet on PATH)" >&2; exit 1; }
PGBIN=$(pg_bin)

# --- build once -------------------------------------------------------------------------------
log "building"
dotnet build PayTrack.slnx -c Release -nologo -v quiet 2>&1 | tail -n 25
[ "${PIPESTATUS[0]}" = 0 ] || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

# --- throwaway PostgreSQL ---------------------------------------------------------------------
PGDIR=$(mktemp -d /tmp/paytrack-pg.XXXXXX)
chmod 755 "$PGDIR"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 55432)
run_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PGDIR"; runuser -u postgres -- "$@"; else "$@"; fi; }
stop_pg() { run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PGDIR"; }
trap stop_pg EXIT
log "starting PostgreSQL on 127.0.0.1:$PGPORT"
run_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null || { echo "initdb failed"; echo "0 passed, 1 failed"; exit 1; }
# fsync off: a throwaway test cluster trades durability for speed; benchmarks use their own settings.
run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
  -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
  || { cat "$PGDIR/server.log"; echo "0 passed, 1 failed"; exit 1; }

# --- tests ------------------------------------------------------------------------------------
passed=0; failed=0; status=0
run_suite() { # name, extra env...
  local name=$1; shift
  log "tests on $name"
  local out="$PGDIR/$name.log"
  # -m:1: one test project at a time; the browser tests time out when they share 2 cores with the HTTP suite.
  env "$@" dotnet test PayTrack.slnx -c Release --no-build -nologo -m:1 --logger "console;verbosity=minimal" 2>&1 | tee "$out"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
  local p f
  p=$(grep -oE 'Passed: +[0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
  f=$(grep -oE 'Failed: +[0-9]+' "$out" | awk '{s+=$2} END {print s+0}')
  if ! grep -qE 'Passed: +[0-9]+' "$out"; then f=$((${f:-0} + 1)); status=1; fi
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}
run_suite sqlite PAYTRACK_TEST_DB=sqlite
run_suite postgres PAYTRACK_TEST_DB=postgres "PAYTRACK_TEST_PG=Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres;Maximum Pool Size=50"

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$status" = 0 ]
