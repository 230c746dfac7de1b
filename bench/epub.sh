#!/usr/bin/env bash
# Benchmark of `papertool epub` against pandoc on the seed (or the issue given), whole process,
# in the same run: papertool with and without embedded fonts, and `pandoc ISSUE -o x.epub`.
# Prints the times, the ratios to pandoc and the sizes of the books. Not a test: the targets
# (without fonts <= 0.25 x pandoc; with fonts < 100 ms and < 600 KB) are read off its output.
#
#   bench/epub.sh [ISSUE]          needs hyperfine and pandoc (apt-get install -y hyperfine pandoc)
#
# The books are written to a tmpfs folder when there is one: papertool syncs its output to disk
# before renaming it into place (so a crash never leaves half a book), pandoc does not, and the
# comparison is of the work, not of the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
issue=${1:-../shared/seed/000_f05fcb516d19c53a.txt}
[ -f "$issue" ] || { echo "bench/epub.sh: $issue: no such file" >&2; exit 2; }
for tool in hyperfine pandoc; do
  command -v "$tool" >/dev/null || { echo "bench/epub.sh: $tool is not installed (apt-get install -y $tool)" >&2; exit 2; }
done
cargo build --release --quiet
bin=$PWD/target/release/papertool
out=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/papertool-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
abs=$(realpath "$issue")

hyperfine --warmup 5 --min-runs 30 -N --export-json "$out/times.json" \
  -n "papertool (fonts)"    "$bin epub $abs -o $out/fonts.epub" \
  -n "papertool (no fonts)" "$bin epub $abs -o $out/bare.epub --no-embed-fonts" \
  -n "pandoc"               "pandoc $abs -f markdown -o $out/pandoc.epub" >/dev/null

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
r = {x["command"]: x for x in json.load(open(os.path.join(out, "times.json")))["results"]}
pandoc = r["pandoc"]["mean"]
for name, book in [("papertool (fonts)", "fonts.epub"), ("papertool (no fonts)", "bare.epub"), ("pandoc", "pandoc.epub")]:
    t = r[name]
    size = os.path.getsize(os.path.join(out, book)) / 1024
    print(f"{name:22} {t['mean']*1000:7.1f} ms ± {t['stddev']*1000:5.1f}  (median {t['median']*1000:6.1f})  "
          f"{t['mean']/pandoc:5.2f} x pandoc  {size:7.1f} KB")
nf, f = r["papertool (no fonts)"]["mean"], r["papertool (fonts)"]["mean"]
fs = os.path.getsize(os.path.join(out, "fonts.epub")) / 1024
print(f"targets: no fonts <= 0.25 x pandoc: {'met' if nf <= 0.25 * pandoc else 'NOT met'} ({nf/pandoc:.2f}); "
      f"fonts < 100 ms: {'met' if f < 0.1 else 'NOT met'} ({f*1000:.1f} ms); "
      f"fonts < 600 KB: {'met' if fs < 600 else 'NOT met'} ({fs:.0f} KB)")
PY
