#!/bin/sh
# pgbench-db.sh: the PostgreSQL databases BenchmarkQueuePostgres reads (storage/
# search_postgres_bench_test.go), built once from the SQLite benchmark databases and kept.
#
#   loadgen/pgbench-db.sh DIR [SIZES]        # SIZES default "10000 1000000"
#
# makes a cluster of its own in DIR/pg (initdb as nobody when run as root, as internal/pgtest
# does; a Unix socket in DIR/pg, port 54361, no TCP), starts it if it is not running, and for
# each size N moves a COPY of $MINSHENG_BENCH_DIR/opinions-N.v2.db (default
# ~/.cache/minsheng-bench; the shared file is never opened in place: an open migrates it) into
# the database opinions_N with `minsheng migrate` (COPY per table, checksummed), then VACUUM
# ANALYZE. A database that already holds opinions is left alone. It prints the benchmark's
# setting at the end:
#
#   MINSHENG_BENCH_PG='postgres://postgres@/opinions_%d?host=DIR/pg&port=54361'
#
# Stop the server with: pg_ctl -D DIR/pg/data stop (as nobody when root).
set -eu
dir=$(realpath -m "${1:?usage: pgbench-db.sh DIR [SIZES]}")
sizes=${2:-"10000 1000000"}
port=54361
src=${MINSHENG_BENCH_DIR:-$HOME/.cache/minsheng-bench}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"

as_server() { # PostgreSQL refuses root: run its programs as nobody then
	if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin LC_ALL=C TZ=UTC "$@"; else "$@"; fi
}

if [ ! -d "$dir/pg/data" ]; then
	mkdir -p "$dir/pg"
	[ "$(id -u)" = 0 ] && chown nobody:nogroup "$dir/pg"
	as_server "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust -E UTF8 --no-locale --no-sync --no-instructions >"$dir/initdb.log"
fi
url_of() { echo "postgres://postgres@/$1?host=$dir/pg&port=$port"; }
if ! as_server "$bin/pg_isready" -q -h "$dir/pg" -p $port; then
	# The server, not root, appends to its log (a log left by a root-run pg_ctl refused it).
	[ "$(id -u)" = 0 ] && [ -e "$dir/pg/server.log" ] && chown nobody:nogroup "$dir/pg/server.log"
	# shared_buffers holds the 1M database's hot part; pg_stat_statements gives the benchmark
	# its buffers/op. Durability settings stay the defaults (the benchmark reads).
	as_server "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w start -o "-k $dir/pg -p $port \
		-c listen_addresses= -c shared_buffers=512MB -c max_wal_size=4GB -c maintenance_work_mem=256MB \
		-c shared_preload_libraries=pg_stat_statements" </dev/null >/dev/null
fi

(cd "$repo" && go build -o "$dir/minsheng" ./cmd/minsheng)
for n in $sizes; do
	db=opinions_$n
	psql() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
	if psql "$(url_of $db)" -tAc 'SELECT 1 FROM opinions LIMIT 1' 2>/dev/null | grep -q 1; then
		echo "$db: already filled, left as it is"
		continue
	fi
	psql "$(url_of postgres)" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
	cp "$src/opinions-$n.v2.db" "$dir/opinions-$n.v2.db"
	start=$(date +%s)
	# The cached file may be at an older schema: a backup opens it, which brings it to this
	# program's (the copy, not the shared file); the backup itself is not needed.
	"$dir/minsheng" backup -db "$dir/opinions-$n.v2.db" -o "$dir/upgraded-$n.db" >/dev/null
	rm -f "$dir/upgraded-$n.db"
	upgraded=$(date +%s)
	"$dir/minsheng" migrate -from "$dir/opinions-$n.v2.db" -to "$(url_of $db)" >"$dir/migrate-$n.log"
	moved=$(date +%s)
	psql "$(url_of $db)" -c 'VACUUM (ANALYZE)'
	echo "$db: upgraded in $((upgraded - start)) s, moved in $((moved - upgraded)) s, vacuumed and analysed in $(($(date +%s) - moved)) s"
	rm -f "$dir/opinions-$n.v2.db" "$dir/opinions-$n.v2.db-wal" "$dir/opinions-$n.v2.db-shm"
done
echo "MINSHENG_BENCH_PG='$(url_of 'opinions_%d')'"
