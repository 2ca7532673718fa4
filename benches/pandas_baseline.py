#!/usr/bin/env python3
"""The peer baseline the import is measured against: the script a user's IT
staff would write instead (../shared/bench/README.md) — pandas.read_excel with
the calamine engine, exact name matching, one SQLite transaction. Interpreter
and pandas start-up are not counted.

    pip install pandas python-calamine
    python3 benches/pandas_baseline.py [DIR] [RUNS]

DIR is the generator's 20 x 100 x 12 set, as `cargo bench --bench import`
leaves it (default: $TMPDIR/taizhang-bench-20x100x12). Prints each run and
the median, in seconds and rows per second, to compare with that bench run
on the same machine at the same time.
"""
import glob
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time

import pandas as pd


def run(data_dir):
    plan = json.load(open(os.path.join(data_dir, "plan_gold.json"), encoding="utf-8"))
    ids = {ind["name"]: ind["id"] for ind in plan["indicators"]}
    files = sorted(glob.glob(os.path.join(data_dir, "returns", "*.xlsx")))
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        db = sqlite3.connect(os.path.join(tmp, "baseline.sqlite3"))
        db.execute(
            "CREATE TABLE reports (indicator TEXT, unit TEXT, period TEXT, value REAL, progress TEXT)"
        )
        rows = []
        for path in files:
            # The template's header is the third row; the file name is UNIT_YYYY-MM.
            frame = pd.read_excel(path, engine="calamine", header=2)
            unit, period = os.path.basename(path)[: -len(".xlsx")].split("_")
            for name, value, text in zip(
                frame["指标名称"], frame["截至目前完成值"], frame["进展情况"]
            ):
                if name in ids:
                    rows.append((ids[name], unit, period, float(value), str(text)))
        with db:
            db.executemany("INSERT INTO reports VALUES (?, ?, ?, ?, ?)", rows)
        db.close()
        return time.perf_counter() - start, len(rows)


def main():
    data_dir = (
        sys.argv[1]
        if len(sys.argv) > 1
        else os.path.join(tempfile.gettempdir(), "taizhang-bench-20x100x12")
    )
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    times = []
    for _ in range(runs):
        seconds, n = run(data_dir)
        times.append(seconds)
        print(f"{seconds:.3f} s  {n} rows  {n / seconds:,.0f} rows/s")
    median = statistics.median(times)
    print(f"median {median:.3f} s ({n / median:,.0f} rows/s), min {min(times):.3f} s")


if __name__ == "__main__":
    main()
