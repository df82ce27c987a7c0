#!/bin/sh
# The write path measured from outside, in one command, from the repository's root:
#
#   loadgen/wrk/run.sh                 # raw → wrk → raw, then the ratio and the lost count
#   RUNS=3 DURATION=20s CONNS=64 THREADS=2 RAWN=3000 loadgen/wrk/run.sh
#   PROFILE=1 loadgen/wrk/run.sh       # also a CPU profile of the portal under the load
#
# It builds the real portal binary, starts it on 127.0.0.1 (a free port) with -captcha=off and a
# new database in a temporary folder on the same disk as everything else here, fetches one CSRF
# pair with GET /submit, and then, in the same minute:
#   1. raw: RAWN one-row transactions with synchronous=FULL into a new database with the portal's
#      schema (loadgen.RawCommitRate): what one fsync per submission allows;
#   2. wrk: CONNS connections (THREADS threads, 2 by default) posting the public form for DURATION; a
#      submission counts only when the page with its receipt code came back (submit.lua);
#   3. raw again.
# It prints both raw rates, the acknowledged rate and its ratio to the mean raw rate, and checks
# that the portal's database holds exactly as many opinions as were acknowledged (a 503 stores
# nothing; any other failure is reported). RUNS repeats 1–3 on the same portal.
#
# PROFILE=1 builds the portal with -tags pprof, which adds Go's profiler on a loopback port of its
# own (cmd/minsheng/pprof.go; never in a normal build), and saves a CPU profile of the middle of
# the first wrk run as cpu.pprof in the printed folder: go tool pprof -top <folder>/minsheng <folder>/cpu.pprof
set -eu

DURATION=${DURATION:-20s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
RAWN=${RAWN:-3000}
RUNS=${RUNS:-1}
PROFILE=${PROFILE:-0}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/minsheng-wrk.XXXXXX")
echo "folder: $work"

tags=""
[ "$PROFILE" = 1 ] && tags="-tags pprof"
go build $tags -o "$work/minsheng" ./cmd/minsheng
go build -o "$work/rawfull" ./loadgen/wrk/rawfull

pprof_addr=127.0.0.1:$((20000 + $$ % 20000))
MINSHENG_PPROF_ADDR=$pprof_addr "$work/minsheng" serve -addr 127.0.0.1:0 -captcha=off -retrain-every off \
  -db "$work/portal.db" >"$work/portal.out" 2>"$work/portal.err" &
portal=$!
trap 'kill $portal 2>/dev/null || true' EXIT INT TERM
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^minsheng listening on \(http:[^ ]*\).*/\1/p' "$work/portal.out")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "the portal did not start:" >&2; cat "$work/portal.err" >&2; exit 1; }

curl -s -c "$work/cookies" -o /dev/null "$url/submit"
csrf=$(awk '$6 == "ms_csrf" { print $7 }' "$work/cookies")
[ -n "$csrf" ] || { echo "GET /submit gave no CSRF cookie" >&2; exit 1; }

secs=$(echo "$DURATION" | sed 's/s$//')
tick=$(getconf CLK_TCK)
# The portal's CPU time so far (user + system), in clock ticks: per acknowledgement, what the
# machine's load changes far less than the rates.
portal_cpu() { awk '{ print $14 + $15 }' "/proc/$portal/stat"; }
total_acked=0
prof=""
run=1
while [ "$run" -le "$RUNS" ]; do
  raw1=$("$work/rawfull" -raw "$work/raw-$run-a.db" -n "$RAWN")
  if [ "$PROFILE" = 1 ] && [ "$run" = 1 ]; then
    # The middle of the run: after the first seconds, before the last.
    (sleep $((secs / 4)); curl -s -o "$work/cpu.pprof" "http://$pprof_addr/debug/pprof/profile?seconds=$((secs / 2))") &
    prof=$!
  fi
  cpu1=$(portal_cpu)
  MINSHENG_CSRF=$csrf wrk -t "$THREADS" -c "$CONNS" -d "$DURATION" -s loadgen/wrk/submit.lua "$url" >"$work/wrk-$run.out" 2>&1
  cpu2=$(portal_cpu)
  raw2=$("$work/rawfull" -raw "$work/raw-$run-b.db" -n "$RAWN")
  [ -n "$prof" ] && wait "$prof"
  prof=""
  acked=$(awk '$1 == "ACKED" { print $2 }' "$work/wrk-$run.out")
  rate=$(awk '$1 == "ACK_RATE" { print $2 }' "$work/wrk-$run.out")
  [ -n "$acked" ] || { echo "wrk said:" >&2; cat "$work/wrk-$run.out" >&2; exit 1; }
  total_acked=$((total_acked + acked))
  awk -v r1="$raw1" -v r2="$raw2" -v rate="$rate" -v run="$run" -v load="$(cut -d' ' -f1 /proc/loadavg)" -v cpu="$(((cpu2 - cpu1) * 1000000 / tick))" \
    '$1 == "HELD" { held = $2 } $1 == "INLINE" { inline = $2 } $1 == "BUSY_503" { busy = $2 }
    $1 == "FAILED" { failed = $2 } $1 == "SOCKET_ERRORS" { sock = $2 }
    $1 == "ACKED" { acked = $2 } $1 == "SECONDS" { secs = $2 }
    END { printf "run %d: raw %s → %s tx/s (mean %.0f); portal %.0f acknowledged/s; ratio %.2f  [portal CPU %.0f µs per acknowledgement, %.0f %% of one core; receipt page after 303: %d, inline: %d; 503: %d; other failures: %d; socket errors: %d; load %s]\n",
          run, r1, r2, (r1 + r2) / 2, rate, rate / ((r1 + r2) / 2), cpu / acked, cpu / secs / 1e4, held, inline, busy, failed, sock, load }' "$work/wrk-$run.out"
  run=$((run + 1))
done

kill -TERM "$portal"
wait "$portal" || true
trap - EXIT INT TERM
rows=$("$work/rawfull" -count "$work/portal.db")
# Every acknowledged opinion must be stored. A few more may be: those whose POST was in flight,
# or whose receipt page was not yet fetched, when wrk stopped (at most one per connection).
extra=$((rows - total_acked))
echo "opinions in the portal's database: $rows; acknowledged: $total_acked; stored but cut off by wrk's end: $extra (at most $((CONNS * RUNS)))"
if [ "$PROFILE" = 1 ]; then echo "profile: go tool pprof -top $work/minsheng $work/cpu.pprof"; fi
if [ "$extra" -lt 0 ] || [ "$extra" -gt $((CONNS * RUNS)) ]; then
  echo "FAIL: the database does not hold what was acknowledged" >&2
  exit 1
fi
