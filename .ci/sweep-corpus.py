#!/usr/bin/env python3
"""Runs the importer over every file of ../shared/corpus (real spreadsheets
from other projects' test suites, and hostile files), one process per file,
the way `taizhang returns import FILE --dry-run --json` runs for a user.

Each process gets a 2 GB address-space limit and 20 s. A file passes when
the process neither panics, aborts nor times out, stays under 300 MB of peak
resident memory, and either reads or is refused with a category word
(`corrupt:`, `encrypted:`, `too_large:` …). Prints the tally; exits 1 on any
failure.

    python3 .ci/sweep-corpus.py BINARY LEDGER CORPUS_DIR
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

LIMIT_AS = 2 * 1024 * 1024 * 1024
TIMEOUT = 20
MAX_RSS_MB = 300
# What the importer may say of a whole file (returns::FileError).
CATEGORIES = ("empty:", "corrupt:", "encrypted:", "too_large:", "unreadable:")
# Files of the corpus that are not spreadsheets: ledgers and catalogues for
# other tests, licences and notes.
SKIP = (".sqlite3", ".json", ".md", "LICENSE")


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))


def run(binary, ledger, path):
    """One file: (verdict, detail, seconds, peak RSS in MB)."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [binary, "--db", ledger, "returns", "import", path, "--dry-run", "--json"],
            stdout=out,
            stderr=err,
            preexec_fn=limit,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
        killer = threading.Timer(TIMEOUT, proc.kill)
        killer.start()
        # wait4 gives this child's own peak resident memory.
        _, status, usage = os.wait4(proc.pid, 0)
        timed_out = not killer.is_alive()
        killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        rss_mb = usage.ru_maxrss / 1024
        out.seek(0)
        err.seek(0)
        out, err = out.read(), err.read().decode("utf-8", "replace")
    if timed_out:
        return "timeout", f"over {TIMEOUT} s", seconds, rss_mb
    if proc.returncode < 0 or proc.returncode in (101, 134):
        what = "panic" if "panicked" in err else "abort"
        last = err.strip().splitlines()[-1:] or [f"signal {-proc.returncode}"]
        return what, last[0][:200], seconds, rss_mb
    try:
        results = json.loads(out)
        error = results[0]["file_error"]
    except (ValueError, KeyError, IndexError, TypeError):
        return "bad output", err.strip()[:200], seconds, rss_mb
    if error is None:
        return "read", "", seconds, rss_mb
    if not error.startswith(CATEGORIES):
        return "no category", error[:200], seconds, rss_mb
    return "refused", error.split(":", 1)[0], seconds, rss_mb


def main():
    binary, ledger, corpus = sys.argv[1:4]
    files = []
    for root, _, names in os.walk(corpus):
        for n in sorted(names):
            if not n.endswith(SKIP) and n != "LICENSE":
                files.append(os.path.join(root, n))
    files.sort()
    tally = {}
    failures = []
    slowest = (0.0, "")
    largest = (0.0, "")
    for path in files:
        verdict, detail, seconds, rss = run(binary, ledger, path)
        key = verdict if verdict != "refused" else f"refused {detail}"
        tally[key] = tally.get(key, 0) + 1
        slowest = max(slowest, (seconds, path))
        largest = max(largest, (rss, path))
        bad = verdict not in ("read", "refused") or rss > MAX_RSS_MB
        if bad:
            failures.append(f"{path}: {verdict} {detail} ({seconds:.1f} s, {rss:.0f} MB)")
    print(f"{len(files)} files")
    for k in sorted(tally):
        print(f"  {k}: {tally[k]}")
    print(f"slowest: {slowest[0]:.2f} s ({os.path.relpath(slowest[1], corpus)})")
    print(f"most memory: {largest[0]:.0f} MB ({os.path.relpath(largest[1], corpus)})")
    for f in failures:
        print("FAIL", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
