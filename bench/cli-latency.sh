#!/usr/bin/env bash
# Benchmark for CLI start-up (issue 15, target 4): `tfs ls`, `tfs info` and `mkimage --help` on a
# small volume against a JVM hello world (the same java), whole processes, run in turn
# (hello, ls, info, help, hello, ...) in one run. Prints each median wall time and its ratio to
# hello world (target: <= 2.5). With BASELINE=DIR (another built nanokit checkout) its three
# commands run in the same turns and their ratios print too. Not a test: run by hand.
#   bench/cli-latency.sh [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${1:-11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -f "$root/cli/target/nanokit.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java; else java=java; fi

mkdir -p "$work/tree/d" "$work/hello"
echo hello > "$work/tree/d/f.txt"
"$root/bin/tfs" mkfs "$work/small.img" "$work/tree"
cat > "$work/hello/Hello.java" <<'EOF'
public class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
EOF
"${java%java}javac" -d "$work/hello" "$work/hello/Hello.java" 2>/dev/null || javac -d "$work/hello" "$work/hello/Hello.java"

names=(hello ls info mkimage-help)
cmds=("$java -cp $work/hello Hello"
      "$root/bin/tfs ls $work/small.img"
      "$root/bin/tfs info $work/small.img"
      "$root/bin/mkimage --help")
if [ -n "${BASELINE:-}" ]; then
  names+=(base-ls base-info base-mkimage-help)
  cmds+=("$BASELINE/bin/tfs ls $work/small.img" "$BASELINE/bin/tfs info $work/small.img" "$BASELINE/bin/mkimage --help")
fi

declare -A times
for _ in $(seq "$runs"); do
  for i in "${!names[@]}"; do
    s=$(date +%s.%N); ${cmds[$i]} > /dev/null; e=$(date +%s.%N)
    times[${names[$i]}]+="$(echo "$e - $s" | bc -l) "
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
hello_s=$(echo "${times[hello]}" | median)
printf 'runs: %d (in turn)\n' "$runs"
for n in "${names[@]}"; do
  m=$(echo "${times[$n]}" | median)
  printf '%-18s: %.3f s  ratio to hello world = %.2f\n' "$n" "$m" "$(echo "$m / $hello_s" | bc -l)"
done
