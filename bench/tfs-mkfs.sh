#!/usr/bin/env bash
# Benchmark for `tfs mkfs` (issue 15, target 1): writes a bare TFS volume of a host tree, whole
# process (JVM start and the forced write included), against `tar cf` of the same tree followed by
# `sync FILE` (tfs forces its output, so the anchor does too), run in turn A B A B ... in one run.
# Optional peers, each also followed by `sync FILE`, run in the same alternation when given:
#   BASELINE=DIR       another nanokit checkout (built) whose bin/tfs is the "before"
#   NANOS_MKFS=PATH    Nanos's `mkfs` (built by hand from the public sources), as `mkfs OUT < MANIFEST`
#   OPS_FS_WRITER=CMD  a command with the interface `CMD SRCDIR OUT.img` (e.g. ops's Go TFS writer)
# Prints each median wall time, its ratio to tar + sync and to each other peer, and tfs's peak RSS
# (GNU time).
# Not a test: run by hand.
#   bench/tfs-mkfs.sh [TREE] [RUNS]       (default TREE: /usr/share/go-1.19, Debian golang-1.19-go)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tree=${1:-/usr/share/go-1.19}
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -d "$tree" ] || { echo "no tree $tree (Debian: apt-get install golang-1.19-go)" >&2; exit 1; }
[ -f "$root/cli/target/nanokit.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)

# mkimage: a root volume of a small program with the tree as a --dir (what the issue calls a
# program with a 146 MB --dir), no boot partition; once as built by default (runtime support: every
# file of the tree checked for being an ELF object whose libraries must come along), once without.
names=(tfs tar mkimage mkimage-noruntime)
# Each command first deletes its own previous output, inside its timing: deleting a large file that was
# just forced leaves work for the file system's next commit, which whoever forces next would pay for.
cmds=("rm -f \"$work/out.img\"; \"$root/bin/tfs\" mkfs \"$work/out.img\" \"$tree\""
      "rm -f \"$work/out.tar\"; tar cf \"$work/out.tar\" -C \"$tree\" . && sync \"$work/out.tar\""
      "rm -f \"$work/mk.img\"; \"$root/bin/mkimage\" --no-boot --program \"$(command -v true)\" --dir \"$tree:/data\" -o \"$work/mk.img\""
      "rm -f \"$work/mknr.img\"; \"$root/bin/mkimage\" --no-boot --no-runtime --program \"$(command -v true)\" --dir \"$tree:/data\" -o \"$work/mknr.img\"")
if [ -n "${BASELINE:-}" ]; then
  names+=(baseline)
  cmds+=("rm -f \"$work/base.img\"; \"$BASELINE/bin/tfs\" mkfs \"$work/base.img\" \"$tree\"")
fi
if [ -n "${NANOS_MKFS:-}" ] && [ -x "$NANOS_MKFS" ]; then
  # Nanos mkfs reads a manifest naming every host file: one is generated once, outside the timing.
  python3 - "$tree" > "$work/tree.manifest" <<'PY'
import os, sys
def emit(path, indent):
    out = []
    for name in sorted(os.listdir(path)):
        p = os.path.join(path, name)
        if os.path.islink(p):
            out.append('%s%s:(linktarget:%s)' % (indent, name, os.readlink(p)))
        elif os.path.isdir(p):
            out.append('%s%s:(children:(\n%s\n%s))' % (indent, name, emit(p, indent + ' '), indent))
        else:
            out.append('%s%s:(contents:(host:%s))' % (indent, name, p))
    return '\n'.join(out)
print('(children:(\n%s\n))' % emit(sys.argv[1], ' '))
PY
  names+=(nanos-mkfs)
  cmds+=("rm -f \"$work/nanos.img\"; \"$NANOS_MKFS\" \"$work/nanos.img\" < \"$work/tree.manifest\" > /dev/null && sync \"$work/nanos.img\"")
else
  echo "nanos mkfs: skipped (set NANOS_MKFS to a built Nanos mkfs binary)"
fi
if [ -n "${OPS_FS_WRITER:-}" ]; then
  names+=(ops-writer)
  cmds+=("rm -f \"$work/ops.img\"; $OPS_FS_WRITER \"$tree\" \"$work/ops.img\" > /dev/null && sync \"$work/ops.img\"")
else
  echo "ops writer: skipped (set OPS_FS_WRITER to a command WRITER SRCDIR OUT.img)"
fi

declare -A times
for _ in $(seq "$runs"); do
  for i in "${!names[@]}"; do
    s=$(date +%s.%N); sh -c "${cmds[$i]}" > /dev/null; e=$(date +%s.%N)
    times[${names[$i]}]+="$(echo "$e - $s" | bc -l) "
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rm -f "$work/out.img"
rss_kb=$( { /usr/bin/time -f '%M' "$root/bin/tfs" mkfs "$work/out.img" "$tree" > /dev/null; } 2>&1 | tail -1)
files=$(find "$tree" -type f | wc -l)
bytes=$(du -sb --apparent-size "$tree" | cut -f1)
tar_s=$(echo "${times[tar]}" | median)
printf 'tree: %s  files: %d  bytes: %d  runs: %d (in turn)\n' "$tree" "$files" "$bytes" "$runs"
for n in "${names[@]}"; do
  m=$(echo "${times[$n]}" | median)
  printf '%-17s: %.3f s  ratio to tar+sync = %.2f\n' "$n" "$m" "$(echo "$m / $tar_s" | bc -l)"
done
tfs_s=$(echo "${times[tfs]}" | median)
for n in "${names[@]}"; do
  case $n in tfs|tar|mkimage|mkimage-noruntime) continue ;; esac
  m=$(echo "${times[$n]}" | median)
  printf 'tfs / %-11s = %.2f (faster when below 1)\n' "$n" "$(echo "$tfs_s / $m" | bc -l)"
done
printf 'tfs peak RSS: %d MB\n' "$((rss_kb / 1024))"
