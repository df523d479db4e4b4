#!/usr/bin/env bash
# Benchmark for `tfs find` (issue: TFS reader). Builds a host tree of N files (default 50,000),
# writes it into a TFS volume with `tfs mkfs`, then times whole processes, JVM start included:
#   tfs find -l VOLUME   vs   find -printf over the same host tree
# and, when NANOS_DUMP points at a Nanos `dump` binary, `dump -t VOLUME` as well.
# Prints each median wall time, the ratios, and tfs's peak RSS (GNU time). Not a test: run by hand.
#   bench/tfs-find.sh [N] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
n=${1:-50000}
runs=${2:-5}
work=${BENCH_WORK:-$(mktemp -d)}
trap '[ -z "${BENCH_WORK:-}" ] && rm -rf "$work"' EXIT

[ -f "$root/cli/target/nanokit.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)

tree=$work/tree
if [ ! -d "$tree" ]; then
  echo "building a host tree of $n files in $tree" >&2
  python3 - "$tree" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
per_dir = 100
for i in range(n):
    d = os.path.join(root, "d%03d" % (i // (per_dir * 100)), "e%03d" % ((i // per_dir) % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "file-%06d.txt" % i), "w") as f:
        f.write("x" * (i % 97))
PY
fi
vol=$work/tree.img
[ -f "$vol" ] || "$root/bin/tfs" mkfs "$vol" "$tree"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # prints median seconds of RUNS runs of "$@" with stdout discarded
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    echo "$e - $s" | bc -l
  done | median
}

tfs_s=$(timeit "$root/bin/tfs" find -l "$vol")
find_s=$(timeit find "$tree" -printf '%y %s %p\n')
rss_kb=$( { /usr/bin/time -f '%M' "$root/bin/tfs" find -l "$vol" > /dev/null; } 2>&1 | tail -1)
printf 'files: %d  runs: %d\n' "$n" "$runs"
printf 'tfs find -l : %.3f s  (peak RSS %d MB)\n' "$tfs_s" "$((rss_kb / 1024))"
printf 'host find   : %.3f s  ratio tfs/find = %.2f\n' "$find_s" "$(echo "$tfs_s / $find_s" | bc -l)"
if [ -n "${NANOS_DUMP:-}" ] && [ -x "$NANOS_DUMP" ]; then
  dump_s=$(timeit "$NANOS_DUMP" -t "$vol")
  printf 'nanos dump -t: %.3f s  ratio tfs/dump = %.2f (target <= 2)\n' "$dump_s" "$(echo "$tfs_s / $dump_s" | bc -l)"
else
  echo "nanos dump -t: skipped (set NANOS_DUMP to a built Nanos dump binary)"
fi
