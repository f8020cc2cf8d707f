#!/usr/bin/env bash
# The least one delivery can cost on this machine, measured on PayTrack's own code:
#  - reference: wrk (C) posting a webhook-sized body to nginx (C), both on loopback: the machine's
#    CPU per HTTP exchange when neither side spends anything of its own;
#  - PayTrack's webhook client (WebhookSender) posting signed requests to the same nginx: CPU of the
#    client per request, and nginx's;
#  - PayTrack's e-mail path (EmailTemplates + EmailSender, pickup mode): CPU per e-mail, in memory and
#    written as an .eml file.
# Installs nginx, wrk and time when missing (Debian). Everything binds to 127.0.0.1 and stops at the end.
#   bench/delivery/run.sh [requests]
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS=${1:-200000}
install() { [ "$(id -u)" = 0 ] && (apt-get install -y "$1" >/dev/null 2>&1 || (apt-get update >/dev/null && apt-get install -y "$1" >/dev/null)); }
command -v nginx >/dev/null || install nginx
command -v wrk >/dev/null || install wrk
[ -x /usr/bin/time ] || install time
dotnet build bench/delivery -c Release -nologo -v quiet >/dev/null
DIR=$(mktemp -d /tmp/paytrack-bench-delivery.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$DIR/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $DIR/nginx.pid;
error_log $DIR/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $DIR/body; proxy_temp_path $DIR/proxy; fastcgi_temp_path $DIR/fcgi; uwsgi_temp_path $DIR/uwsgi; scgi_temp_path $DIR/scgi;
  keepalive_requests 10000000;
  server { listen 127.0.0.1:$PORT; location / { return 200 ""; } }
}
CONF
BODY='{"type":"transfer.succeeded","timestamp":"2026-11-28T09:55:00.123Z","data":{"id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","fromAccountId":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c","toAccountId":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d","amount":"12.34","currency":"EUR","description":"bench","createdAt":"2026-11-28T09:55:00.120Z"}}'
cat > "$DIR/post.lua" <<LUA
wrk.method = "POST"
wrk.body = [[$BODY]]
wrk.headers["Content-Type"] = "application/json; charset=utf-8"
wrk.headers["webhook-id"] = "msg_0193a1b2c3d47e5f8a9b0c1d2e3f4a5b"
wrk.headers["webhook-timestamp"] = "1795773300"
wrk.headers["webhook-signature"] = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDDHEvAuw="
LUA
nginx -c "$DIR/nginx.conf" -p "$DIR" &
NGINX=$!
trap 'kill $NGINX 2>/dev/null; wait $NGINX 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 50); do [ -s "$DIR/nginx.pid" ] && break; sleep 0.1; done
WORKER=$(pgrep -P "$(cat "$DIR/nginx.pid")")
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
echo "# machine: $(nproc) cores; nginx $(nginx -v 2>&1 | sed 's/.*\///') (1 worker) on 127.0.0.1:$PORT"

# Reference: wrk against nginx for 10 s; CPU of wrk (from time) and of nginx's worker (from /proc).
A=$(ticks "$WORKER")
OUT=$( { /usr/bin/time -f "CPU %U %S" wrk -t1 -c32 -d10s -s "$DIR/post.lua" "http://127.0.0.1:$PORT/hook"; } 2>&1 )
B=$(ticks "$WORKER")
N=$(echo "$OUT" | awk '/requests in/ {print $1}')
WRK=$(echo "$OUT" | awk '/^CPU/ {print $2 + $3}')
awk -v n="$N" -v wrk="$WRK" -v t=$((B - A)) -v hz="$HZ" 'BEGIN { printf "RESULT reference: wrk -> nginx, 32 connections: %d POSTs in 10 s (%d/s); CPU wrk %.1f + nginx %.1f µs each\n", n, n / 10, wrk * 1e6 / n, t / hz * 1e6 / n }'

# PayTrack's webhook client against the same nginx.
A=$(ticks "$WORKER")
dotnet bench/delivery/bin/Release/net10.0/PayTrack.Bench.Delivery.dll http "http://127.0.0.1:$PORT/hook" "$REQUESTS" 32
B=$(ticks "$WORKER")
awk -v t=$((B - A)) -v hz="$HZ" -v n="$((REQUESTS + 2000))" 'BEGIN { printf "RESULT nginx answering them: CPU %.1f µs each\n", t / hz * 1e6 / n }'

# PayTrack's e-mail path.
dotnet bench/delivery/bin/Release/net10.0/PayTrack.Bench.Delivery.dll mail "$DIR/mail" 20000
