#!/usr/bin/env bash
# The speed figures, in one go on this machine: papertool `parse`, `epub` and `pdf` on the seed and
# on a four-page sample, each against its peer in the same run — pandoc → EPUB of the same text, and
# the PyPI `typst` package compiling a comparable document (bench/typst_doc.py: the same text, each
# page in 8 columns) — then a batch of 200 four-page issues through `papertool all`. Prints medians,
# the ratios papertool / peer, peak memory and the targets. A bench, not a test: nothing fails.
#
#   bench/run.sh [RUNS]      (default 7 runs each; needs pandoc and `pip install typst`)
#
# CPU time (user + sys) is the steadier figure on a shared machine; wall time is printed beside it.
# typst is timed inside Python around its compile call, so Python's start-up is not counted
# against it. Outputs go to a tmpfs folder when there is one, so the disk is not measured.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
BATCH=200
seed=../shared/seed/000_f05fcb516d19c53a.txt
sample=samples/jialing-2025-10-15.txt
for tool in pandoc /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 2; }
done
python3 -c 'import typst' 2>/dev/null || { echo "bench: the typst package is missing: pip install typst" >&2; exit 2; }
cargo build --release --quiet
bin=$PWD/target/release/papertool
tmp=$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/papertool-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log=$tmp/times.tsv
: > "$log"

# The runs go round by round: in each, every command once, papertool's and its peers' in turn, so
# that both sides of a ratio meet the same machine (its speed drifts by a fifth from one minute
# to the next; run by run, papertool's kernel-heavy start and page faults drift more than
# typst's compile inside a running Python).
#
# peak NAME CMD...: one untimed run under /usr/bin/time, for the peak memory; it also warms the
# page cache. (Timed through that wrapper, each run counted the wrapper's own start too, 1.5 ms of
# CPU and 1 ms of wall time, against papertool and pandoc but not against typst.)
peak() {
  local name=$1; shift
  /usr/bin/time -f "%M" -o "$tmp/peak-${name//[^a-z0-9-]/_}" "$@" >/dev/null 2>&1 || true
}

# measure NAME CMD...: one run of the whole process; a line: name, wall, cpu, peak KB. The
# child's own rusage, taken by a Python that is already running, so Python's start-up is not in
# the figures.
measure() {
  local name=$1; shift
  python3 - "$tmp/peak-${name//[^a-z0-9-]/_}" "$name" "$@" >> "$log" <<'PY'
import resource, subprocess, sys, time
peak_file, name, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
# Python's own start-up has children too: count only this run's, from the difference.
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t = time.perf_counter()
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - t
r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = open(peak_file).read().split()[-1]
print(f"{name}\t{wall:.4f}\t{r1.ru_utime - r0.ru_utime:.4f}+{r1.ru_stime - r0.ru_stime:.4f}\t{peak}")
PY
}

# typst NAME DOC: the compile call alone, in a fresh Python, fonts from fonts/.
typst_measure() {
  local name=$1 doc=$2
  python3 - "$doc" "$tmp/typst.pdf" fonts >> "$log" <<PY
import resource, sys, time, typst
w0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)
w1, r1 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
print(f"$name\t{w1 - w0:.3f}\t{cpu:.3f}\t{r1.ru_maxrss}")
PY
}

issues=("$sample")
[ -f "$seed" ] && issues=("$seed" "${issues[@]}") || echo "bench: no seed at $seed; the sample only" >&2
# command_line NAME WORD...: one timed command as a line: its name, a tab, then its words with a unit
# separator (0x1F) between them, so that a path with spaces stays one word.
command_line() {
  local name=$1; shift
  local IFS=$'\x1f'
  printf '%s\t%s\n' "$name" "$*"
}

# commands ISSUE: each timed command of one issue, one a line; typst's is marked by "typst" as
# its first word.
commands() {
  local issue=$1 n
  n=$(basename "$issue" .txt)
  command_line "parse $n" "$bin" parse "$issue" -o "$tmp/$n.json"
  command_line "epub $n" "$bin" epub "$issue" -o "$tmp/$n.epub"
  command_line "epub --no-embed-fonts $n" "$bin" epub --no-embed-fonts "$issue" -o "$tmp/$n-bare.epub"
  command_line "pandoc $n" pandoc "$issue" -f markdown -o "$tmp/$n-pandoc.epub"
  command_line "pdf $n" "$bin" pdf "$issue" -o "$tmp/$n.pdf"
  command_line "typst $n" typst "$tmp/$n.typ"
}
for issue in "${issues[@]}"; do
  n=$(basename "$issue" .txt)
  "$bin" parse "$issue" -o "$tmp/$n.json" 2>/dev/null
  python3 bench/typst_doc.py "$tmp/$n.json" "$tmp/$n.typ"
  while IFS=$'\t' read -r name words; do
    IFS=$'\x1f' read -ra command <<< "$words"
    [ "${command[0]}" = typst ] || peak "$name" "${command[@]}"
  done < <(commands "$issue")
done
for _ in $(seq "$RUNS"); do
  for issue in "${issues[@]}"; do
    while IFS=$'\t' read -r name words; do
      IFS=$'\x1f' read -ra command <<< "$words"
      case ${command[0]} in
        typst) typst_measure "$name" "${command[1]}" ;;
        *) measure "$name" "${command[@]}" ;;
      esac
    done < <(commands "$issue")
  done
done
for issue in "${issues[@]}"; do
  n=$(basename "$issue" .txt)
  stat -c "size epub $n %s" "$tmp/$n.epub" >> "$tmp/sizes"
  stat -c "size pdf $n %s" "$tmp/$n.pdf" >> "$tmp/sizes"
done

# The batch: BATCH copies of the four-page sample (its photo beside them), both editions.
mkdir -p "$tmp/batch/in" "$tmp/batch/out"
ln -s "$PWD/samples/images" "$tmp/batch/in/images"
for i in $(seq -w 1 "$BATCH"); do cp "$sample" "$tmp/batch/in/issue-$i.txt"; done
/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$bin" all --quiet "$tmp"/batch/in/*.txt -o "$tmp/batch/out" >/dev/null 2>&1 || true
read -r bwall buser bsys bpeak < <(tail -n 1 "$tmp/t")
made=$(find "$tmp/batch/out" -name '*.pdf' -o -name '*.epub' | wc -l)

python3 - "$log" "$tmp/sizes" "$bwall" "$buser+$bsys" "$bpeak" "$made" "$BATCH" "$(nproc)" "$(basename "$seed" .txt)" <<'PY'
import collections, statistics, sys
log, sizes, bwall, bcpu, bpeak, made, batch, cores, seed = sys.argv[1:]
runs = collections.defaultdict(list)
for line in open(log):
    name, wall, cpu, peak = line.split("\t")
    runs[name].append((float(wall), sum(map(float, cpu.split('+'))), int(peak)))
size = {" ".join(l.split()[1:3]): int(l.split()[3]) for l in open(sizes)}
med = lambda name, i: statistics.median(r[i] for r in runs[name])
peak = lambda name: max(r[2] for r in runs[name]) / 1024
ok = lambda b: "met" if b else "MISSED"
with open("/proc/loadavg") as f:
    load = " ".join(f.read().split()[:3])
print(f"papertool bench: {len(next(iter(runs.values())))} rounds, every command once a round, medians; {cores} cores; load average {load}")
print(f"{'':36} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}")
for name in runs:
    print(f"{name:36} {med(name, 0):8.3f} {med(name, 1):8.3f} {peak(name):8.0f}")
issues = sorted({n.split(' ', 1)[1] for n in runs if n.startswith('pdf ')})
print()
for n in issues:
    e, p = med(f"epub {n}", 1) / med(f"pandoc {n}", 1), med(f"pdf {n}", 1) / med(f"typst {n}", 1)
    ew, pw = med(f"epub {n}", 0) / med(f"pandoc {n}", 0), med(f"pdf {n}", 0) / med(f"typst {n}", 0)
    b = med(f"epub --no-embed-fonts {n}", 1) / med(f"pandoc {n}", 1)
    print(f"{n}: epub / pandoc {e:.2f} cpu, {ew:.2f} wall, without fonts {b:.2f} cpu (target ≤ 0.25: cpu {ok(e <= 0.25)}, wall {ok(ew <= 0.25)}); "
          f"pdf / typst {p:.2f} cpu, {pw:.2f} wall (target ≤ 0.20: cpu {ok(p <= 0.2)}, wall {ok(pw <= 0.2)})")
    # The same ratios taken round by round, each papertool run against the peer's run of its own
    # round, then their median: the machine's drift from minute to minute cancels out of each.
    pair = lambda ours, peer, i: statistics.median(a[i] / b[i] for a, b in zip(runs[ours], runs[peer]))
    print(f"{' ' * len(n)}  round by round: epub / pandoc {pair(f'epub {n}', f'pandoc {n}', 1):.2f} cpu, {pair(f'epub {n}', f'pandoc {n}', 0):.2f} wall; "
          f"pdf / typst {pair(f'pdf {n}', f'typst {n}', 1):.2f} cpu, {pair(f'pdf {n}', f'typst {n}', 0):.2f} wall")
    # The size target (issue 5's) is the seed's: one front page, its PDF under 600 KB.
    target = f"the seed's target < 600 KB: {ok(size['pdf ' + n] < 600 * 1024)}" if n == seed else "no size target"
    print(f"{' ' * len(n)}  EPUB {size['epub ' + n] / 1024:.0f} KB, PDF {size['pdf ' + n] / 1024:.0f} KB ({target})")
worst = max(peak(n) for n in runs if not n.startswith(("pandoc", "typst")))
print(f"peak memory of a papertool process: {worst:.0f} MB (target < 150 MB: {ok(worst < 150)})")
want = 2 * int(batch)
print(f"batch: {batch} four-page issues, both editions: {made}/{want} files in {float(bwall):.1f} s wall, "
      f"{sum(map(float, bcpu.split('+'))):.1f} s cpu, peak {int(bpeak) / 1024:.0f} MB (target < 10 s on 2 cores: {ok(float(bwall) < 10 and int(made) == want)})")
PY
