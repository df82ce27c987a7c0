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
#
# Per acknowledgement it also prints the CPU time of the server (every postgres process of the
# cluster: the backends, the WAL writer, the checkpointer…; the two cores are shared by portal,
# server and wrk, so the machine's CPU per acknowledgement is the budget) and of wrk itself.
#
# PROFILE=1 builds the portal with -tags pprof (cmd/minsheng/pprof.go) and saves a CPU profile
# of the middle of the first wrk run as cpu.pprof in the printed folder:
#   go tool pprof -top <folder>/minsheng <folder>/cpu.pprof
# PGOPTS adds server settings, e.g. PGOPTS="-c commit_delay=1000 -c commit_siblings=0" makes
# every WAL flush wait a further millisecond, raw's and the portal's alike: roughly a disk whose
# flush costs what a server's without a write cache does (an aside: the target is this machine).
# STATEMENTS=1 loads pg_stat_statements into the throwaway cluster and prints, after the runs,
# the portal database's statements with their calls and server time per acknowledgement.
set -eu

DURATION=${DURATION:-20s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
RAWSECS=${RAWSECS:-10}
RUNS=${RUNS:-1}
PROFILE=${PROFILE:-0}
STATEMENTS=${STATEMENTS:-0}
PGOPTS=${PGOPTS:-}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/pgbench" ] || { echo "PostgreSQL is missing: apt-get install -y postgresql" >&2; exit 1; }
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/minsheng-wrk-pg.XXXXXX")
echo "folder: $work"
tags=""
[ "$PROFILE" = 1 ] && tags="-tags pprof"
go build $tags -o "$work/minsheng" ./cmd/minsheng

as=""
if [ "$(id -u)" = 0 ]; then chown nobody "$work"; as="runuser -u nobody --"; fi
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  $as "$bin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM
$as "$bin/initdb" -D "$work/data" -U postgres --auth=trust --locale=C --encoding=UTF8 >/dev/null
preload=""
[ "$STATEMENTS" = 1 ] && preload="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on"
$as "$bin/pg_ctl" -D "$work/data" -l "$work/postgres.log" -w -o "-k $work -c listen_addresses= -c max_connections=50 $preload $PGOPTS" start >/dev/null
postmaster=$(head -n 1 "$work/data/postmaster.pid")
psql() { "$bin/psql" -X -q -h "$work" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE portal TEMPLATE template0 LOCALE 'C' ENCODING 'UTF8'" \
  -c "CREATE DATABASE raw TEMPLATE template0 LOCALE 'C' ENCODING 'UTF8'"
psql -d postgres -Atc "SELECT 'server: PostgreSQL ' || current_setting('server_version') || ', fsync=' ||
  current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', commit_delay=' || current_setting('commit_delay')"
# The raw row: an opinion's size (a random key, a receipt hash, some 200 bytes of text, a day).
[ "$STATEMENTS" = 1 ] && psql -d portal -c "CREATE EXTENSION pg_stat_statements"
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
pprof_addr=127.0.0.1:$((20000 + $$ % 20000))
MINSHENG_PPROF_ADDR=$pprof_addr "$work/minsheng" serve -addr 127.0.0.1:0 -captcha=off -retrain-every off -key-file "$work/minsheng.key" \
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
  psql -d postgres -Atc "SELECT (SELECT xact_commit || ' ' || sessions FROM pg_stat_database WHERE datname = 'portal') || ' ' || (SELECT wal_sync FROM pg_stat_wal)"
}
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# server_cpu: the cluster's CPU time so far, in clock ticks: the postmaster's own and that of
# the children it has reaped (fields 16, 17), and every live child's (a backend, the WAL
# writer, the checkpointer…). The raw database's pgbench backends are counted too, but run only
# between the wrk runs.
server_cpu() {
  { cat "/proc/$postmaster/stat"; for c in $(cat "/proc/$postmaster/task/$postmaster/children"); do cat "/proc/$c/stat" 2>/dev/null || true; done; } |
    awk 'NR == 1 { t += $16 + $17 } { t += $14 + $15 } END { print t }'
}
# server_by_process: each live child's pid, CPU ticks and title ("postgres: walwriter", a
# backend's "postgres: postgres portal [local] idle" without its state), for STATEMENTS=1.
server_by_process() {
  for c in $(cat "/proc/$postmaster/task/$postmaster/children"); do
    t=$(awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null) || continue
    echo "$c $t $(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null | awk '{ print $1, $2, $3, $4 }')"
  done
}
secs=$(echo "$DURATION" | sed 's/s$//')
prof=""
total_acked=0
run=1
raw1=$(raw)
while [ "$run" -le "$RUNS" ]; do
  if [ "$PROFILE" = 1 ] && [ "$run" = 1 ]; then
    # The middle of the run: after the first seconds, before the last.
    (sleep $((secs / 4)); curl -s -o "$work/cpu.pprof" "http://$pprof_addr/debug/pprof/profile?seconds=$((secs / 2))") &
    prof=$!
  fi
  # wrk's own CPU time too, where GNU time is installed: the load client shares the two cores.
  timer=""
  [ -x /usr/bin/time ] && timer="/usr/bin/time -f %U_%S -o $work/wrk-cpu"
  echo "0_0" >"$work/wrk-cpu"
  cpu1=$(cpu_of "$portal")
  server1=$(server_cpu)
  [ "$STATEMENTS" = 1 ] && server_by_process >"$work/server-$run-before"
  counts1=$(counts)
  MINSHENG_CSRF=$csrf $timer wrk -t "$THREADS" -c "$CONNS" -d "$DURATION" -s loadgen/wrk/submit.lua "$url" >"$work/wrk-$run.out" 2>&1
  cpu2=$(cpu_of "$portal")
  server2=$(server_cpu)
  [ "$STATEMENTS" = 1 ] && server_by_process >"$work/server-$run-after"
  counts2=$(counts)
  wrkcpu=$(tail -n 1 "$work/wrk-cpu" | awk -F_ '{ print ($1 + $2) * 1e6 }')
  [ -n "$prof" ] && wait "$prof"
  prof=""
  raw2=$(raw)
  acked=$(awk '$1 == "ACKED" { print $2 }' "$work/wrk-$run.out")
  [ -n "$acked" ] || { echo "wrk said:" >&2; cat "$work/wrk-$run.out" >&2; exit 1; }
  awk -v r1="$raw1" -v r2="$raw2" -v run="$run" -v load="$(cut -d' ' -f1 /proc/loadavg)" -v cpu="$(((cpu2 - cpu1) * 1000000 / tick))" \
    -v server="$(((server2 - server1) * 1000000 / tick))" -v wrkcpu="$wrkcpu" -v c1="$counts1" -v c2="$counts2" \
    'BEGIN { split(c1, a, " "); split(c2, b, " "); commits = b[1] - a[1]; sessions = b[2] - a[2]; syncs = b[3] - a[3] }
    $1 == "BUSY_503" { busy = $2 } $1 == "FAILED" { failed = $2 } $1 == "SOCKET_ERRORS" { sock = $2 }
    $1 == "ACKED" { acked = $2 } $1 == "SECONDS" { secs = $2 } $1 == "ACK_RATE" { rate = $2 }
    END { printf "run %d: raw (pgbench, 1 client, one row per commit) %s → %s tx/s (mean %.0f); portal on PostgreSQL %.0f acknowledged/s; ratio %.2f  [CPU per acknowledgement: portal %.0f µs, server %.0f µs, wrk %.0f µs; commits %.2f and WAL flushes %.2f per acknowledgement; %d connections opened; 503: %d; other failures: %d; socket errors: %d; load %s]\n",
          run, r1, r2, (r1 + r2) / 2, rate, rate / ((r1 + r2) / 2), cpu / acked, server / acked, wrkcpu / acked, commits / acked, syncs / acked, sessions, busy, failed, sock, load }' "$work/wrk-$run.out"
  if [ "$STATEMENTS" = 1 ]; then
    echo "  server CPU per acknowledgement by process (those alive at both ends of the run):"
    awk -v acked="$acked" -v tick="$tick" 'NR == FNR { t[$1] = $2; next } $1 in t {
        name = $3 " " $4 " " $5 " " $6; sub(/ +$/, "", name); d[name] += ($2 - t[$1]) * 1e6 / tick / acked; n[name]++ }
      END { for (k in d) printf "    %7.1f µs  %s (%d)\n", d[k], k, n[k] }' "$work/server-$run-before" "$work/server-$run-after" | sort -rn
  fi
  total_acked=$((total_acked + acked))
  raw1=$raw2
  run=$((run + 1))
done
if [ "$STATEMENTS" = 1 ]; then
  echo "the portal database's statements, per acknowledgement ($total_acked), most server time first:"
  psql -d portal -c "SELECT round(s.calls::numeric / $total_acked, 3) AS calls_per_ack,
      round((s.total_exec_time * 1000 / $total_acked)::numeric, 1) AS exec_us_per_ack,
      round((s.total_plan_time * 1000 / $total_acked)::numeric, 1) AS plan_us_per_ack,
      round(s.wal_records::numeric / $total_acked, 2) AS wal_per_ack, left(regexp_replace(s.query, '\s+', ' ', 'g'), 100) AS query
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid AND d.datname = 'portal'
    WHERE s.calls > $total_acked / 100 ORDER BY s.total_exec_time + s.total_plan_time DESC LIMIT 40"
fi
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
if [ "$PROFILE" = 1 ]; then echo "profile: go tool pprof -top $work/minsheng $work/cpu.pprof"; fi
