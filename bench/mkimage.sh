#!/usr/bin/env bash
# Benchmark for `mkimage` (issue: mkimage). Builds a bare root volume (--no-boot) of a large
# dynamically linked program with its libraries, and, in the same run, a tar archive of exactly the
# same host files (taken from `mkimage --dry-run`). Prints median wall times and the ratio
# (target: mkimage within 1.3x of tar), then the same for NanosImage in a warm JVM (the library as a
# build plugin embeds it: no JVM start) against tar in the same run. Not a test: run by hand.
#   bench/mkimage.sh [PROGRAM] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
program=${1:-$(command -v node || echo /bin/ls)}
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -f "$root/cli/target/nanokit.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)

"$root/bin/mkimage" --dry-run --no-boot --program "$program" 2>/dev/null \
  | awk -F '\t' 'NF == 2 && $2 ~ /^\// {print $2}' > "$work/files"
bytes=$(xargs -d '\n' du -cbL < "$work/files" | tail -1 | cut -f1)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() {
  for _ in $(seq "$runs"); do
    rm -f "$work/out"
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    echo "$e - $s" | bc -l
  done | median
}
mk=$(timeit "$root/bin/mkimage" --no-boot --program "$program" -o "$work/out")
tar_s=$(timeit tar chf "$work/out" -P -T "$work/files")
printf 'program: %s  files: %d  bytes: %d  runs: %d\n' "$program" "$(wc -l < "$work/files")" "$bytes" "$runs"
printf 'mkimage --no-boot : %.3f s\n' "$mk"
printf 'tar chf           : %.3f s\n' "$tar_s"
printf 'ratio mkimage/tar = %.2f (target <= 1.3)\n' "$(echo "$mk / $tar_s" | bc -l)"
java -cp "$root/cli/target/nanokit.jar" "$root/bench/MkimageInProcessBench.java" "$program" "$((runs * 2 + 1))"
