#!/usr/bin/env bash
# Benchmark for `tfs mkfs` at scale (issue 15, target 2): builds three host trees of files of
# 0-20 KB (random bytes; 146 MB / 14,600 files, 1 GB / 100,000 files, 2 GB / 200,000 files, the
# files of each tree spread over directories of 100), then writes each into a bare volume with
# `tfs mkfs` and prints wall time, time per byte, and peak RSS (GNU time), each the median of RUNS
# runs. Targets: peak RSS <= 256 MB at 2 GB; time per byte at 2 GB within 1.2x of that at 146 MB.
# Not a test: run by hand. Needs about 3.5 GB free under WORK (kept between runs when given).
#   bench/tfs-scale.sh [RUNS]          (BENCH_WORK=DIR keeps the trees for the next run)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${1:-3}
work=${BENCH_WORK:-$(mktemp -d)}
trap '[ -z "${BENCH_WORK:-}" ] && rm -rf "$work"' EXIT

[ -f "$root/cli/target/nanokit.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)

make_tree() { # DIR FILES
  [ -d "$1" ] && return
  echo "building $1 ($2 files)" >&2
  python3 - "$1" "$2" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
r = random.Random(15)
blob = os.urandom(4 << 20)
for i in range(n):
    d = os.path.join(root, "d%03d" % (i // 10000), "e%03d" % ((i // 100) % 100))
    if i % 100 == 0:
        os.makedirs(d, exist_ok=True)
    size = r.randint(0, 20000)
    off = r.randint(0, len(blob) - size)
    with open(os.path.join(d, "file-%06d.bin" % i), "wb") as f:
        f.write(blob[off:off + size])
PY
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
first_ns_per_byte=
for point in 146M:14600 1G:100000 2G:200000; do
  name=${point%%:*}
  files=${point##*:}
  tree=$work/tree-$name
  make_tree "$tree" "$files"
  bytes=$(du -sb --apparent-size "$tree" | cut -f1)
  tar cf - -C "$tree" . | cat > /dev/null # page cache warm, as for the other benchmarks
  walls=() rss=()
  for _ in $(seq "$runs"); do
    rm -f "$work/out.img"
    line=$( { /usr/bin/time -f '%e %M' "$root/bin/tfs" mkfs "$work/out.img" "$tree" > /dev/null; } 2>&1 | tail -1)
    walls+=("${line% *}")
    rss+=("${line#* }")
  done
  rm -f "$work/out.img"
  wall=$(printf '%s\n' "${walls[@]}" | median)
  peak=$(printf '%s\n' "${rss[@]}" | median)
  ns=$(echo "$wall * 1000000000 / $bytes" | bc -l)
  [ -z "$first_ns_per_byte" ] && first_ns_per_byte=$ns
  printf '%-5s %7d files %11d bytes: %.2f s  %.2f ns/B (%.2fx the first)  peak RSS %d MB\n' \
    "$name" "$files" "$bytes" "$wall" "$ns" "$(echo "$ns / $first_ns_per_byte" | bc -l)" "$((peak / 1024))"
done
