#!/bin/sh
# The write path measured from outside, in one command, from the repository's root:
#
#   loadgen/wrk/run.sh                 # raw → wrk → raw, then the ratio and the lost count
#   RUNS=3 DURATION=20s CONNS=64 THREADS=2 RAWN=3000 loadgen/wrk/run.sh
#   PROFILE=1 loadgen/wrk/run.sh       # also a CPU profile of the portal under the load
#   BEFORE=<commit> loadgen/wrk/run.sh # before and after in the same minutes: raw → before → raw →
#                                      # after → raw, the portal of <commit> against the work tree's
#
# It builds the real portal binary, starts it on 127.0.0.1 (a free port) with -captcha=off and a
# new database in a temporary folder on the same disk as everything else here, fetches one CSRF
# pair with GET /submit, and then, in the same minute:
#   1. raw: RAWN one-row transactions with synchronous=FULL into a new database with the portal's
#      schema (loadgen.RawCommitRate): what one fsync per submission allows;
#   2. wrk: CONNS connections (THREADS threads, 2 by default) posting the public form for DURATION; a
#      submission counts only when the page with its receipt code came back (submit.lua);
#   3. raw again.
# It prints both raw rates, the acknowledged rate and its ratio to the mean raw rate, the CPU
# time per acknowledgement of the portal and (with GNU time installed) of wrk, and checks
# that the portal's database holds exactly as many opinions as were acknowledged (a 503 stores
# nothing; any other failure is reported). RUNS repeats 1–3 on the same portal.
#
# BEFORE builds a second portal from that commit (git archive into the folder) and starts it on a
# database of its own; each run then measures it too, between the same raw runs, and prints it as
# "before". The ratio of each is to the mean of the raw runs just before and after it.
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
BEFORE=${BEFORE:-}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d "${TMPDIR:-/tmp}/minsheng-wrk.XXXXXX")
echo "folder: $work"

tags=""
[ "$PROFILE" = 1 ] && tags="-tags pprof"
go build $tags -o "$work/minsheng" ./cmd/minsheng
go build -o "$work/rawfull" ./loadgen/wrk/rawfull
if [ -n "$BEFORE" ]; then
  mkdir "$work/before-src"
  git archive "$BEFORE" | tar -x -C "$work/before-src"
  (cd "$work/before-src" && go build -o "$work/minsheng-before" ./cmd/minsheng)
  echo "before: $(git rev-parse --short "$BEFORE"); after: the work tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' + changes'))"
fi

pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null || true; done' EXIT INT TERM
# start NAME BINARY: the portal on a free port with a new database NAME.db; sets pid and url.
start() {
  MINSHENG_PPROF_ADDR=$pprof_addr "$2" serve -addr 127.0.0.1:0 -captcha=off -retrain-every off \
    -db "$work/$1.db" >"$work/$1.out" 2>"$work/$1.err" &
  pid=$!
  pids="$pids $pid"
  url=""
  for _ in $(seq 1 600); do # a minute: on a machine at load 40 opening took more than 10 s
    url=$(sed -n 's/^minsheng listening on \(http:[^ ]*\).*/\1/p' "$work/$1.out")
    [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "the portal did not start:" >&2; cat "$work/$1.err" >&2; exit 1; }
}
# csrf_of URL: one CSRF pair (the ms_csrf cookie and the form's _csrf field carry the same token).
csrf_of() {
  curl -s -c "$work/cookies" -o /dev/null "$1/submit"
  awk '$6 == "ms_csrf" { print $7 }' "$work/cookies"
}

pprof_addr=127.0.0.1:$((20000 + $$ % 20000))
start portal "$work/minsheng"
portal=$pid after_url=$url after_pprof=$pprof_addr
csrf=$(csrf_of "$url")
[ -n "$csrf" ] || { echo "GET /submit gave no CSRF cookie" >&2; exit 1; }
if [ -n "$BEFORE" ]; then
  pprof_addr=""
  start portal-before "$work/minsheng-before"
  before=$pid before_url=$url
  before_csrf=$(csrf_of "$url")
  [ -n "$before_csrf" ] || { echo "GET /submit gave the before portal no CSRF cookie" >&2; exit 1; }
fi

secs=$(echo "$DURATION" | sed 's/s$//')
tick=$(getconf CLK_TCK)
# A process's CPU time so far (user + system), in clock ticks: per acknowledgement, what the
# machine's load changes far less than the rates.
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
total_acked=0
before_acked=0
prof=""
# measure LABEL PID URL CSRF RAW1 OUT: one wrk run against the portal PID; prints its line, with
# RAW1 and the raw run made after it; leaves that raw rate in raw_next and the count in acked.
measure() {
  cpu1=$(cpu_of "$2")
  # wrk's own CPU time too, where GNU time is installed: the load client shares the two cores.
  timer=""
  [ -x /usr/bin/time ] && timer="/usr/bin/time -f %U_%S -o $work/wrk-cpu"
  echo "0_0" >"$work/wrk-cpu"
  MINSHENG_CSRF=$4 $timer wrk -t "$THREADS" -c "$CONNS" -d "$DURATION" -s loadgen/wrk/submit.lua "$3" >"$6" 2>&1
  cpu2=$(cpu_of "$2")
  wrkcpu=$(tail -n 1 "$work/wrk-cpu" | awk -F_ '{ print ($1 + $2) * 1e6 }')
  raw_next=$("$work/rawfull" -raw "$work/raw-$run-$1.db" -n "$RAWN")
  [ -n "$prof" ] && wait "$prof"
  prof=""
  acked=$(awk '$1 == "ACKED" { print $2 }' "$6")
  [ -n "$acked" ] || { echo "wrk said:" >&2; cat "$6" >&2; exit 1; }
  awk -v r1="$5" -v r2="$raw_next" -v run="$run" -v label="$1" -v load="$(cut -d' ' -f1 /proc/loadavg)" -v cpu="$(((cpu2 - cpu1) * 1000000 / tick))" -v wrkcpu="$wrkcpu" \
    '$1 == "HELD" { held = $2 } $1 == "INLINE" { inline = $2 } $1 == "BUSY_503" { busy = $2 }
    $1 == "FAILED" { failed = $2 } $1 == "SOCKET_ERRORS" { sock = $2 }
    $1 == "ACKED" { acked = $2 } $1 == "SECONDS" { secs = $2 } $1 == "ACK_RATE" { rate = $2 }
    END { printf "run %d %s: raw %s → %s tx/s (mean %.0f); portal %.0f acknowledged/s; ratio %.2f  [portal CPU %.0f µs per acknowledgement, %.0f %% of one core; wrk %.0f µs; receipt page after 303: %d, inline: %d; 503: %d; other failures: %d; socket errors: %d; load %s]\n",
          run, label, r1, r2, (r1 + r2) / 2, rate, rate / ((r1 + r2) / 2), cpu / acked, cpu / secs / 1e4, wrkcpu / acked, held, inline, busy, failed, sock, load }' "$6"
}
run=1
while [ "$run" -le "$RUNS" ]; do
  raw=$("$work/rawfull" -raw "$work/raw-$run-start.db" -n "$RAWN")
  if [ -n "$BEFORE" ]; then
    measure before "$before" "$before_url" "$before_csrf" "$raw" "$work/wrk-$run-before.out"
    before_acked=$((before_acked + acked))
    raw=$raw_next
  fi
  if [ "$PROFILE" = 1 ] && [ "$run" = 1 ]; then
    # The middle of the run: after the first seconds, before the last.
    (sleep $((secs / 4)); curl -s -o "$work/cpu.pprof" "http://$after_pprof/debug/pprof/profile?seconds=$((secs / 2))") &
    prof=$!
  fi
  measure after "$portal" "$after_url" "$csrf" "$raw" "$work/wrk-$run.out"
  total_acked=$((total_acked + acked))
  run=$((run + 1))
done

for p in $pids; do kill -TERM "$p"; wait "$p" || true; done
trap - EXIT INT TERM
# check NAME ACKED: every acknowledged opinion must be stored. A few more may be: those whose POST
# was in flight, or whose receipt page was not yet fetched, when wrk stopped (at most one per
# connection).
check() {
  rows=$("$work/rawfull" -count "$work/$1.db")
  extra=$((rows - $2))
  echo "opinions in $1's database: $rows; acknowledged: $2; stored but cut off by wrk's end: $extra (at most $((CONNS * RUNS)))"
  if [ "$extra" -lt 0 ] || [ "$extra" -gt $((CONNS * RUNS)) ]; then
    echo "FAIL: the database does not hold what was acknowledged" >&2
    exit 1
  fi
}
check portal "$total_acked"
[ -z "$BEFORE" ] || check portal-before "$before_acked"
if [ "$PROFILE" = 1 ]; then echo "profile: go tool pprof -top $work/minsheng $work/cpu.pprof"; fi
