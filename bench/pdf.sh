#!/usr/bin/env bash
# Benchmark of `papertool pdf` on the seed, against the PyPI `typst` package compiling a comparable
# four-page, 8-column broadsheet from the same text, in the same run.
#
#   bench/pdf.sh [RUNS]        (default 7 runs each; needs a release build and `pip install typst`)
#
# Prints, per tool, the median wall and CPU time of a run, papertool's peak memory and PDF size, and
# the ratio the issue asks for (papertool ≤ 0.2 × typst, < 150 MB, < 600 KB). The machine may be
# shared: CPU time (user + sys) is the steadier figure, wall time is printed beside it.
# The seed is read at run time from ../shared/seed/ and never copied into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
SEED=../shared/seed/000_f05fcb516d19c53a.txt
BIN=target/release/papertool
[ -f "$SEED" ] || { echo "bench: no seed at $SEED" >&2; exit 2; }
[ -x "$BIN" ] || cargo build --release --quiet
python3 -c 'import typst' 2>/dev/null || { echo "bench: the typst package is missing: pip install typst" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The same text as a Typst document (bench/typst_doc.py, shared with bench/run.sh).
"$BIN" parse "$SEED" -o "$TMP/issue.json" 2>/dev/null
python3 bench/typst_doc.py "$TMP/issue.json" "$TMP/doc.typ"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$TMP/pt.txt"; : > "$TMP/ty.txt"
for _ in $(seq "$RUNS"); do
  # papertool: the whole process, from reading the text to the PDF on disk. Timed from the
  # child's own rusage (microseconds; /usr/bin/time prints CPU time in 10 ms steps, too coarse).
  python3 - "$BIN" "$SEED" "$TMP/seed.pdf" >> "$TMP/pt.txt" <<'PY'
import resource, subprocess, sys, time
w0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
subprocess.run([sys.argv[1], "pdf", sys.argv[2], "-o", sys.argv[3]], stderr=subprocess.DEVNULL, check=True)
w1, r1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{w1 - w0:.4f} {r1.ru_utime - r0.ru_utime:.4f} {r1.ru_stime - r0.ru_stime:.4f} {r1.ru_maxrss}")
PY
  # typst: the compile call alone (Python's start-up left out), fonts from the same folder.
  python3 - "$TMP/doc.typ" "$TMP/typst.pdf" fonts >> "$TMP/ty.txt" <<'PY'
import resource, sys, time, typst
w0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)
w1, r1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
print(f"{w1 - w0:.3f} {r1.ru_utime - r0.ru_utime:.3f} {r1.ru_stime - r0.ru_stime:.3f} {r1.ru_maxrss}")
PY
done

pt_wall=$(awk '{print $1}' "$TMP/pt.txt" | median)
pt_cpu=$(awk '{print $2 + $3}' "$TMP/pt.txt" | median)
pt_mem=$(awk '{print $4}' "$TMP/pt.txt" | sort -n | tail -1)
ty_wall=$(awk '{print $1}' "$TMP/ty.txt" | median)
ty_cpu=$(awk '{print $2 + $3}' "$TMP/ty.txt" | median)
size=$(stat -c %s "$TMP/seed.pdf")
ty_pages=$(python3 -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page[^s]', open(sys.argv[1],'rb').read())))" "$TMP/typst.pdf")
echo "runs: $RUNS each (median); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "papertool pdf (seed, whole process): wall %.3f s, cpu %.3f s, peak %d MB, PDF %d KB\n" "$pt_wall" "$pt_cpu" $((pt_mem / 1024)) $((size / 1024))
printf "typst %s (comparable %d-page doc):  wall %.3f s, cpu %.3f s\n" "$(python3 -c 'import typst; print(typst.__version__)')" "$ty_pages" "$ty_wall" "$ty_cpu"
python3 - "$pt_wall" "$ty_wall" "$pt_cpu" "$ty_cpu" "$pt_mem" "$size" <<'PY'
import sys
ptw, tyw, ptc, tyc, mem, size = map(float, sys.argv[1:])
ok = lambda b: "ok" if b else "OVER"
print(f"ratio papertool/typst: wall {ptw / tyw:.2f}, cpu {ptc / tyc:.2f} (target ≤ 0.20: {ok(ptc / tyc <= 0.2)} by cpu, {ok(ptw / tyw <= 0.2)} by wall)")
print(f"peak memory {mem / 1024:.0f} MB (target < 150: {ok(mem / 1024 < 150)}); PDF {size / 1024:.0f} KB (target < 600: {ok(size < 600 * 1024)})")
PY
