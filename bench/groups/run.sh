#!/usr/bin/env bash
# Groups benchmark: builds in Release and runs on SQLite (a temporary file) and, when PAYTRACK_BENCH_PG is set to a
# connection string of an empty database, on PostgreSQL. Prints the figures recorded in docs/performance.md.
# Usage: bench/groups/run.sh [extra args, e.g. --expenses 100000 --clients 16]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build src/PayTrack/PayTrack.csproj -c Release -nologo -v quiet
dotnet build bench/groups/PayTrack.Bench.Groups.csproj -c Release -nologo -v quiet
APP=src/PayTrack/bin/Release/net10.0/PayTrack.dll
BENCH=bench/groups/bin/Release/net10.0/PayTrack.Bench.Groups.dll
DB=$(mktemp -d /tmp/paytrack-bench-groups.XXXXXX)
dotnet "$BENCH" --provider sqlite --app "$APP" --connection "Data Source=$DB/paytrack.db" "$@"
rm -rf "$DB"
if [ -n "${PAYTRACK_BENCH_PG:-}" ]; then
  dotnet "$BENCH" --provider postgres --app "$APP" --connection "$PAYTRACK_BENCH_PG" "$@"
fi
