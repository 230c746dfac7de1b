#!/usr/bin/env python3
"""Compares papertool binaries on one command, run after run in turn, and prints each one's
median wall and CPU time (user + sys of the child).

    bench/ab.py ROUNDS COMMAND ISSUE BINARY...     e.g.  bench/ab.py 80 pdf samples/jialing-2025-10-15.txt old/papertool target/release/papertool

A change's few per cent cannot be told from one `bench/run.sh`: this machine's speed drifts by a
fifth from one minute to the next. Alternating the binaries run by run puts each through the
same drift. A bench, not a test: nothing fails.
"""
import os, resource, shutil, statistics, subprocess, sys, tempfile, time

if len(sys.argv) < 5:
    sys.exit(__doc__)
rounds, command, issue, binaries = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
folder = tempfile.mkdtemp(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
out = os.path.join(folder, "out")
times = {b: [] for b in binaries}
for _ in range(rounds):
    for binary in binaries:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([binary, command, issue, "-o", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        times[binary].append((wall, cpu))
shutil.rmtree(folder)
print(f"{command} {issue}: {rounds} runs each, alternating, medians")
for binary, runs in times.items():
    print(f"  {binary:40} wall {statistics.median(w for w, _ in runs) * 1e3:6.1f} ms   cpu {statistics.median(c for _, c in runs) * 1e3:6.1f} ms")
