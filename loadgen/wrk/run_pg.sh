#!/bin/sh
# The write path on PostgreSQL (#15), measured from outside, in one command, from the repository's
# root:
#
#   loadgen/wrk/run_pg.sh              # raw → wrk → raw on one throwaway cluster, then the ratio
#   RUNS=3 DURATION=20s CONNS=64 THREADS=2 RAWSECS=10 loadgen/wrk/run_pg.sh
#
# The sibling of run.sh (read it first) for the second backend. It starts a throwaway PostgreSQL
# cluster from Debian's postgresql package (initdb in a temporary folder, a Unix socket only, the
# server's defaults: fsync on, synchronous_commit on; as the user nobody when run as root), and
# on it, in the same minute:
#   1. raw: pgbench (not a Go client, not in the portal's process), ONE client committing one
#      opinion-sized row per transaction for RAWSECS seconds into a database of its own on the
#      same cluster: PostgreSQL's own one-row commit rate, what one WAL flush per submission
#      allows;
#   2. wrk: the real portal (-db postgres://… on the same cluster, -captcha=off) under CONNS
#      connections posting the public form for DURATION; only a shown receipt code counts
#      (submit.lua);
#   3. raw again.
# It prints both raw rates, the acknowledged rate and its ratio to their mean (the #15 target:
# ≥ 2), the portal's CPU time per acknowledgement, and checks that the portal's database holds
# every acknowledged opinion.
set -eu

DURATION=${DURATION:-20s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
RAWSECS=${RAWSECS:-10}
RUNS=${RUNS:-1}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/pgbench" ] || { echo "PostgreSQL is missing: apt-get install -y postgresql" >&2; exit 1; }
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/minsheng-wrk-pg.XXXXXX")
echo "folder: $work"
go build -o "$work/minsheng" ./cmd/minsheng

as=""
if [ "$(id -u)" = 0 ]; then chown nobody "$work"; as="runuser -u nobody --"; fi
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  $as "$bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM
$as "$bin/initdb" -D "$work/data" -U postgres --auth=trust --locale=C --encoding=UTF8 >/dev/null
$as "$bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -o "-k $work -c listen_addresses= -c max_connections=50" start >/dev/null
psql() { "$bin/psql" -X -q -h "$work" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE portal TEMPLATE template0 LOCALE 'C' ENCODING 'UTF8'" \
  -c "CREATE DATABASE raw TEMPLATE template0 LOCALE 'C' ENCODING 'UTF8'"
psql -d postgres -Atc "SELECT 'server: PostgreSQL ' || current_setting('server_version') || ', fsync=' ||
  current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')"
# The raw row: an opinion's size (a random key, a receipt hash, some 200 bytes of text, a day).
psql -d raw -c "CREATE TABLE raw (id TEXT PRIMARY KEY, receipt_hash BYTEA NOT NULL UNIQUE, content TEXT NOT NULL, created_on TEXT NOT NULL)"
cat >"$work/raw.sql" <<'SQL'
INSERT INTO raw VALUES (md5(random()::text), sha256(random()::text::bytea), repeat('门诊排队太久，希望增加窗口。', 5) || random(), '2026-12-07');
SQL
# raw: one client, one row per commit, for RAWSECS seconds; prints transactions per second.
raw() {
  "$bin/pgbench" -n -h "$work" -U postgres -c 1 -j 1 -T "$RAWSECS" -f "$work/raw.sql" raw 2>/dev/null |
    awk '/^tps/ { printf "%.0f\n", $3 }'
}

head -c 32 /dev/urandom >"$work/minsheng.key"
"$work/minsheng" serve -addr 127.0.0.1:0 -captcha=off -retrain-every off -key-file "$work/minsheng.key" \
  -db "postgres://postgres@/portal?host=$work" >"$work/portal.out" 2>"$work/portal.err" &
portal=$!
pids="$portal"
url=""
for _ in $(seq 1 300); do
  url=$(sed -n 's/^minsheng listening on \(http:[^ ]*\).*/\1/p' "$work/portal.out" 2>/dev/null || true) # the shell may not have made the file yet
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "the portal did not start:" >&2; cat "$work/portal.err" >&2; exit 1; }
curl -s -c "$work/cookies" -o /dev/null "$url/submit"
csrf=$(awk '$6 == "ms_csrf" { print $7 }' "$work/cookies")
[ -n "$csrf" ] || { echo "GET /submit gave no CSRF cookie" >&2; exit 1; }

tick=$(getconf CLK_TCK)
# counts: the portal database's commits and the cluster's WAL flushes so far (load-independent:
# per acknowledgement, they say how many commits and disk waits a submission costs).
counts() {
  psql -d postgres -Atc "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = 'portal') || ' ' || (SELECT wal_sync FROM pg_stat_wal)"
}
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
total_acked=0
run=1
raw1=$(raw)
while [ "$run" -le "$RUNS" ]; do
  cpu1=$(cpu_of "$portal")
  counts1=$(counts)
  MINSHENG_CSRF=$csrf wrk -t "$THREADS" -c "$CONNS" -d "$DURATION" -s loadgen/wrk/submit.lua "$url" >"$work/wrk-$run.out" 2>&1
  cpu2=$(cpu_of "$portal")
  counts2=$(counts)
  raw2=$(raw)
  acked=$(awk '$1 == "ACKED" { print $2 }' "$work/wrk-$run.out")
  [ -n "$acked" ] || { echo "wrk said:" >&2; cat "$work/wrk-$run.out" >&2; exit 1; }
  awk -v r1="$raw1" -v r2="$raw2" -v run="$run" -v load="$(cut -d' ' -f1 /proc/loadavg)" -v cpu="$(((cpu2 - cpu1) * 1000000 / tick))" \
    -v c1="$counts1" -v c2="$counts2" \
    'BEGIN { split(c1, a, " "); split(c2, b, " "); commits = b[1] - a[1]; syncs = b[2] - a[2] }
    $1 == "BUSY_503" { busy = $2 } $1 == "FAILED" { failed = $2 } $1 == "SOCKET_ERRORS" { sock = $2 }
    $1 == "ACKED" { acked = $2 } $1 == "SECONDS" { secs = $2 } $1 == "ACK_RATE" { rate = $2 }
    END { printf "run %d: raw (pgbench, 1 client, one row per commit) %s → %s tx/s (mean %.0f); portal on PostgreSQL %.0f acknowledged/s; ratio %.2f  [portal CPU %.0f µs per acknowledgement; commits %.2f and WAL flushes %.2f per acknowledgement; 503: %d; other failures: %d; socket errors: %d; load %s]\n",
          run, r1, r2, (r1 + r2) / 2, rate, rate / ((r1 + r2) / 2), cpu / acked, commits / acked, syncs / acked, busy, failed, sock, load }' "$work/wrk-$run.out"
  total_acked=$((total_acked + acked))
  raw1=$raw2
  run=$((run + 1))
done
kill -TERM "$portal"
wait "$portal" || true
pids=""
rows=$(psql -d portal -Atc "SELECT count(*) FROM opinions")
extra=$((rows - total_acked))
echo "opinions in the portal's database: $rows; acknowledged: $total_acked; stored but cut off by wrk's end: $extra (at most $((CONNS * RUNS)))"
if [ "$extra" -lt 0 ] || [ "$extra" -gt $((CONNS * RUNS)) ]; then
  echo "FAIL: the database does not hold what was acknowledged" >&2
  exit 1
fi
