"""Times DuckDB running encaisse's aged balance (duckdb_aging.sql) over a raw FEC file, best of N runs, each in a
fresh in-memory database (the file is read and parsed every run, as the aging reads it from the FEC).

    pip install duckdb
    python3 scripts/bench/duckdb_aging.py FILE [--as-of 2026-12-31] [--runs 5] [--threads 2]

Not part of CI: the comparison figure of BENCHMARKS.md.
"""

import argparse
import pathlib
import time

import duckdb

parser = argparse.ArgumentParser()
parser.add_argument("fec")
parser.add_argument("--as-of", default="2026-12-31")
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()

sql = (pathlib.Path(__file__).parent / "duckdb_aging.sql").read_text()
best, row, cols = None, None, None
for _ in range(args.runs):
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    con.execute("SET VARIABLE fec = ?", [args.fec])
    con.execute("SET VARIABLE as_of = ?::DATE", [args.as_of])
    start = time.perf_counter()
    cur = con.execute(sql)
    row = cur.fetchone()
    elapsed = time.perf_counter() - start
    cols = [d[0] for d in cur.description]
    con.close()
    best = elapsed if best is None else min(best, elapsed)
print(f"duckdb {duckdb.__version__}, {args.threads} threads, as of {args.as_of}: best of {args.runs} {best * 1e3:.1f} ms")
for c, v in zip(cols, row):
    print(f"  {c:<10} {v}")
