#!/usr/bin/env bash
# Benchmark for `tfs cat` (issue 15, target 3): a file of SIZE MiB (default 1024, random bytes) in a
# TFS volume, copied to a pipe by `tfs cat` (JVM start included) and by `cat` of the same bytes in a
# host file, run in turn A B A B ... in one run. Prints each median wall time and the ratio tfs/cat
# (target: tfs at >= 80% of cat's speed, i.e. ratio <= 1.25). With
# BASELINE=DIR (another built nanokit checkout) its `tfs cat` runs in the same turns. SINK (default
# cat) is what reads the pipe, the same for every command, e.g. SINK='wc -c' (16 KiB reads). Never
# /dev/null itself: `tfs cat` hands the kernel the copy (sendfile), which /dev/null then skips.
# Not a test: run by hand.
#   bench/tfs-cat.sh [SIZE_MIB] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
mib=${1:-1024}
runs=${2:-5}
sink=${SINK:-cat}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -f "$root/cli/target/nanokit.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
mkdir -p "$work/tree"
head -c "$((mib << 20))" /dev/urandom > "$work/tree/big.bin"
"$root/bin/tfs" mkfs "$work/big.img" "$work/tree"

names=(tfs cat)
cmds=("$root/bin/tfs cat $work/big.img /big.bin" "cat $work/tree/big.bin")
if [ -n "${BASELINE:-}" ]; then
  names+=(baseline)
  cmds+=("$BASELINE/bin/tfs cat $work/big.img /big.bin")
fi
declare -A times
for _ in $(seq "$runs"); do
  for i in "${!names[@]}"; do
    s=$(date +%s.%N); ${cmds[$i]} | $sink > /dev/null; e=$(date +%s.%N)
    times[${names[$i]}]+="$(echo "$e - $s" | bc -l) "
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cat_s=$(echo "${times[cat]}" | median)
printf 'file: %d MiB  runs: %d (in turn; each into a pipe read by %s)\n' "$mib" "$runs" "$sink"
for n in "${names[@]}"; do
  m=$(echo "${times[$n]}" | median)
  printf '%-8s: %.3f s  ratio to cat = %.2f\n' "$n" "$m" "$(echo "$m / $cat_s" | bc -l)"
done
