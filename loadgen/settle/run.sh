#!/usr/bin/env bash
# What the day-end settle costs on PostgreSQL (#15, storage/settle_postgres.go), at county sizes.
#
#   loadgen/settle/run.sh [N...]        (default: 10000 100000 opinions)
#
# For each N: a throwaway PostgreSQL cluster (Debian's postgresql package, a Unix socket in a
# temporary folder, as the user nobody when run as root), `minsheng seed -n N` on it, then, on
# the opinions table: a full read (SELECT of every column: the baseline), the nightly settle's
# costly part, CLUSTER on the primary key (ACCESS EXCLUSIVE on the table while it runs), and, for
# comparison, plain VACUUM (no such lock, but leaves the pages as they lay) and VACUUM FULL.
# Prints wall milliseconds, the ratio to the full read, the table's size, and the load.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("${@:-10000 100000}")
read -r -a sizes <<<"${sizes[*]}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/settle-bench.XXXXXX)
go build -o "$work/minsheng" ./cmd/minsheng
as=()
if [ "$(id -u)" = 0 ]; then chown nobody "$work"; as=(runuser -u nobody --); fi
cleanup() { "${as[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
"${as[@]}" "$bin/initdb" -D "$work/data" -U postgres --auth=trust --locale=C --encoding=UTF8 >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w -o "-k $work -c listen_addresses= -c fsync=on" start >/dev/null
psql() { "$bin/psql" -X -q -h "$work" -U postgres "$@"; }
ms() { # ms DB SQL: wall milliseconds of one statement, as psql's \timing reports it
	psql -d "$1" -c '\timing on' -c "$2" | awk '/^Time:/ {print $2}'
}
head -c 32 /dev/urandom >"$work/key"
printf '%-8s %-9s %-10s %-12s %-12s %-12s %-12s %s\n' opinions size_MB read_ms cluster_ms ×read vacuum_ms vac_full_ms load
for n in "${sizes[@]}"; do
	db="s$n"
	psql -d postgres -c "CREATE DATABASE $db TEMPLATE template0 LOCALE 'C' ENCODING 'UTF8'"
	# seed's last step, the SQLite full-text index, fails on PostgreSQL (i15-pgsearch brings its
	# own): the opinions are committed before it, and counted below.
	"$work/minsheng" seed -db "postgres://postgres@/$db?host=$work" -key-file "$work/key" -n "$n" >/dev/null 2>&1 || true
	got=$(psql -d "$db" -Atc "SELECT count(*) FROM opinions")
	[ "$got" -ge "$n" ] || { echo "seed made $got opinions of $n" >&2; exit 1; }
	psql -d "$db" -c 'VACUUM ANALYZE opinions' >/dev/null
	size=$(psql -d "$db" -Atc "SELECT pg_total_relation_size('opinions') / 1048576")
	read=$(ms "$db" "SELECT * FROM opinions WHERE length(content) < 0")
	cluster=$(ms "$db" "CLUSTER opinions USING opinions_pkey")
	vacuum=$(ms "$db" "VACUUM opinions")
	full=$(ms "$db" "VACUUM FULL opinions")
	ratio=$(awk -v a="$cluster" -v b="$read" 'BEGIN {printf "%.1f", a / b}')
	printf '%-8s %-9s %-10s %-12s %-12s %-12s %-12s %s\n' "$n" "$size" "$read" "$cluster" "$ratio" "$vacuum" "$full" "$(cut -d' ' -f1 /proc/loadavg)"
done
