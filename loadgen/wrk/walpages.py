#!/usr/bin/env python3
"""Which B-trees the frames of a WAL belong to, per opinion.

    python3 loadgen/wrk/walpages.py DB OPINIONS

DB is a database kept with its -wal by BenchmarkWALPagesPerOpinion (MINSHENG_WAL_KEEP=folder);
OPINIONS is how many opinions the WAL's frames were written for (the benchmark's b.N). Python's
sqlite3 module reads the file with the WAL and maps each frame's page number to the table or
index that holds that page (the dbstat table); pages it does not name are pointer-map pages of
auto_vacuum=FULL (or freed ones). Work on a copy: opening the file may checkpoint it.
"""
import collections, sqlite3, struct, sys

path, opinions = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(path)
names = {pageno: name for name, pageno in con.execute("SELECT name, pageno FROM dbstat")}
size = con.execute("PRAGMA page_size").fetchone()[0]
wal = open(path + "-wal", "rb").read()
count, frames, off = collections.Counter(), 0, 32
while off + 24 + size <= len(wal):
    count[names.get(struct.unpack(">I", wal[off:off + 4])[0], "(pointer map or free)")] += 1
    frames += 1
    off += 24 + size
print("%s: %.2f pages per opinion" % (path, frames / opinions))
for name, n in count.most_common():
    print("  %-32s %.2f" % (name, n / opinions))
